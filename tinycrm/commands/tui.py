"""`tinycrm tui` and `tinycrm demo`: the full-screen interface, and a sample book to try it on.

Textual costs ~190 ms to import, more than the whole budget of `tinycrm due`, so it is
imported only inside these commands, never at module level.
"""

from __future__ import annotations

import sys

from ..errors import Conflict, CrmError, UsageError
from ._common import State, clock, echo, writing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..store import Store


def run_tui(st: State) -> None:
    """Open the interface on the state's database (the root command calls this on a terminal)."""
    from ..config import default_user, resolve_db_path
    from ..tui.app import CrmApp

    st.store()  # create or migrate the file now, so a bad one is a one-line error, not a crash
    db_path = resolve_db_path(st.db)
    user = st.user or default_user()
    st.close()  # the app opens its own connections, one per worker
    CrmApp(db_path, user, clock=clock).run()


def tui(state: State) -> None:
    """`tui`: open the full-screen interface."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # drawing into a pipe would hang a script or a cron job waiting for keys
        raise CrmError("the full-screen interface needs a terminal (stdin and stdout)")
    run_tui(state)


def _fill_aside(state: State, store: Store, *, contacts: int, seed: int) -> dict[str, int]:
    """Fill a private book beside the real one, then copy it in with SQLite's backup API.

    A large demo takes a minute to make; made in place it would hold the book's write lock
    all that time, and cron or the TUI writing meanwhile would wait and fail. The copy holds
    it for well under a second.
    """
    import os

    from ..demo import fill
    from ..store import Store as Book

    aside = store.path.with_name(f".{store.path.name}.demo-{os.getpid()}")
    try:
        with Book.open(aside, store.user, clock=store.clock) as book:
            with book.write("demo"):
                made = fill(book, now=state.local_now(), contacts=contacts, seed=seed)
            book.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with store.write("demo"):
            if store.count_contacts():
                raise Conflict(f"{store.path} got contacts meanwhile; the demo book was not copied in")
        store.restore_from(aside)
    finally:
        for suffix in ("", "-wal", "-shm"):
            aside.with_name(aside.name + suffix).unlink(missing_ok=True)
    return made


def demo(state: State, *, db: str | None, no_tui: bool, contacts: int, seed: int, force: bool) -> None:
    """`demo`: fill a database with a realistic sample book and open the interface."""
    from ..config import default_db_path, is_explicit_path
    from ..demo import fill

    if db is not None:
        if not db:
            raise UsageError("--db needs a path (an empty one would mean the default book)")
        state.close()
        state.db = db
    own_demo = not is_explicit_path(state.db)
    if own_demo:  # never the user's own book: a demo book of its own beside it
        state.close()
        state.db = str(default_db_path().with_name("demo.db"))
    store = state.store()
    if store.count_contacts() and not force:
        if not own_demo:
            raise Conflict(f"{store.path} already has contacts; use --force to add the demo book anyway")
        echo(f"demo book: {store.path} (made before; delete it for a fresh one)")
        if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
            run_tui(state)
        return
    if force:
        with writing(store, "demo"):
            made = fill(store, now=state.local_now(), contacts=contacts, seed=seed)
    else:
        made = _fill_aside(state, store, contacts=contacts, seed=seed)
    echo(
        f"demo book: {made.get('contacts', 0)} contacts, {made.get('interactions', 0)} interactions, "
        f"{made.get('deals', 0)} deals, {made.get('reminders', 0)} reminders in {store.path}"
    )
    if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        run_tui(state)
