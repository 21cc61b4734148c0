"""`tinycrm tui` and `tinycrm demo`: the full-screen interface, and a sample book to try it on.

Textual costs ~190 ms to import, more than the whole budget of `tinycrm due`, so it is
imported only inside these commands, never at module level.
"""

from typing import Annotated

import typer

from ..commands import tui as run
from ._common import runs


@runs(run.tui)
def tui(ctx: typer.Context) -> None:
    """Open the full-screen interface."""


@runs(run.demo)
def demo(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database to fill (default: the global --db or $TINYCRM_DB if "
                     "given, else demo.db beside your own book, which is never touched).",
                     metavar="PATH"),
    ] = None,
    no_tui: Annotated[bool, typer.Option("--no-tui", help="Only fill the database.")] = False,
    contacts: Annotated[
        int, typer.Option("--contacts", min=10, max=100_000, help="How many contacts to make.")
    ] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the same seed, the same book).")] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Add the sample book even if the database has contacts.")
    ] = False,
) -> None:
    """Fill a database with a realistic sample book (some of it Chinese) and open the interface.

    Without --db (and without $TINYCRM_DB) the sample goes to its own book, demo.db in the
    user data directory; your own book is never filled. Run it again to reopen that book.
    """


def register(app: typer.Typer) -> None:
    """Add `tui` and `demo` to the root command."""
    app.command("tui", help="Open the full-screen interface.")(tui)
    app.command("demo", short_help="Fill a sample book and open the interface")(demo)
