"""`tinycrm tui` and `tinycrm demo`: the full-screen interface, and a sample book to try it on.

Textual costs ~190 ms to import, more than the whole budget of `tinycrm due`, so it is
imported only inside these commands, never at module level.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..errors import Conflict, CrmError
from ..session import State, clock
from ._common import state


def run_tui(st: State) -> None:
    """Open the interface on the state's database (the root command calls this on a terminal)."""
    from ..config import default_user, resolve_db_path
    from ..tui.app import CrmApp

    st.store()  # create or migrate the file now, so a bad one is a one-line error, not a crash
    db_path = resolve_db_path(st.db)
    user = st.user or default_user()
    st.close()  # the app opens its own connections, one per worker
    CrmApp(db_path, user, clock=clock).run()


def tui(ctx: typer.Context) -> None:
    """Open the full-screen interface."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # drawing into a pipe would hang a script or a cron job waiting for keys
        raise CrmError("the full-screen interface needs a terminal (stdin and stdout)")
    run_tui(state(ctx))


def demo(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database to fill (default: the global --db, $TINYCRM_DB, else the user data dir).",
            metavar="PATH",
        ),
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
    """Fill a database with a realistic sample book (some of it Chinese) and open the interface."""
    from ..demo import fill

    st = state(ctx)
    if db is not None:
        st.close()
        st.db = db
    store = st.store()
    if store.count_contacts() and not force:
        raise Conflict(f"{store.path} already has contacts; use --force to add the demo book anyway")
    made = fill(store, now=st.local_now(), contacts=contacts, seed=seed)
    typer.echo(
        f"demo book: {made.get('contacts', 0)} contacts, {made.get('interactions', 0)} interactions, "
        f"{made.get('deals', 0)} deals, {made.get('reminders', 0)} reminders in {store.path}"
    )
    if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        run_tui(st)


def register(app: typer.Typer) -> None:
    """Add `tui` and `demo` to the root command."""
    app.command("tui", help="Open the full-screen interface.")(tui)
    app.command("demo", help="Fill a database with a realistic sample book and open the interface.")(demo)
