"""`tinycrm backup`, `restore`, `check`: the options and help; `tinycrm.commands.safety` runs them."""

from typing import Annotated

import typer

from ..commands import safety as run
from ._common import JsonOpt, runs


@runs(run.backup)
def backup(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Argument(metavar="[FILE]",
                       help="The copy, or a folder for it (default: backups/ in the data directory)."),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option("--keep", min=1, metavar="N", help="Keep only the newest N backups in that folder."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy the book safely while others write (0600).

    Example (a nightly cron line): tinycrm backup ~/backups/ --keep 14
    """


@runs(run.restore)
def restore(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE", help="A backup made by `tinycrm backup`.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Replace the book without asking.")] = False,
) -> None:
    """Replace the book by a checked backup; the current book is kept beside it."""


@runs(run.check)
def check(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Check the book's integrity and stored rows; exit 1 when anything is wrong."""


def register(root: typer.Typer) -> None:
    """Add `backup`, `restore` and `check` to the root app."""
    root.command("backup")(backup)
    root.command("restore")(restore)
    root.command("check")(check)
