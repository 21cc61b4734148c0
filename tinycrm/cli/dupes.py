"""`tinycrm dupes` and `merge`: the options and help; `tinycrm.commands.dupes` runs them."""

from typing import Annotated

import typer

from ..commands import dupes as run
from ._common import JsonOpt, runs


@runs(run.dupes)
def dupes(
    ctx: typer.Context,
    min_score: Annotated[
        int | None,
        typer.Option("--min-score", min=0, max=100, metavar="N",
                     help="Show pairs scoring N or more (default 70)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Find likely duplicate contacts, with a score and the reasons.

    Example: tinycrm dupes --min-score 60
    """


@runs(run.merge)
def merge(
    ctx: typer.Context,
    keep: Annotated[
        str, typer.Argument(metavar="KEEP", help="The contact to keep: id, e-mail, phone or name.")
    ],
    others: Annotated[list[str], typer.Argument(metavar="OTHER...", help="The contacts merged into KEEP.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Merge without asking.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge contacts into KEEP: their interactions, deals and reminders move; one undo step.

    Example: tinycrm merge 12 40 --yes
    """


def register(root: typer.Typer) -> None:
    """Add `dupes` and `merge` to the root app."""
    root.command("dupes")(dupes)
    root.command("merge")(merge)
