"""The storage layer: the only package with SQL (and the only one that imports sqlite3).

`open_store(path, user, clock)` gives a `Store`: one facade over the parts below, each a
module of its own so a newcomer finds where, say, deals are stored, in one look.

- `connection` — opening a book: file checks, pragmas, the schema check, migrations, backups
- `schema` — the numbered migrations
- `unit` — the unit of work: `BEGIN IMMEDIATE`, history, undo
- `contacts`, `interactions`, `deals`, `reminders`, `settings` — one module per record type
- `bulk` — many rows in one transaction, one history row per batch (imports)
- `search` — the full-text indexes; `due`, `reports` — the read models of `due` and the reports
- `merge` — duplicates merged into one contact, one undo step
- `safety` — backup, restore, the book's own check
- `team` — owners, the shared pool, hand-over, targets
- `records` — rows as the contract's records (`tinycrm.models`)

The seam for a second backend (PostgreSQL, for teams that outgrow one host) is this
facade: the services and front ends use only `Store`'s public methods and the records they
return, never `store.conn`; a sibling package `tinycrm.store_pg` would provide the same
`open_store` and pass the same tests (`tests/store/`, parametrised by the `store` fixture).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from ..config import default_user, resolve_db_path
from ..dates import utc_now
from .bulk import BulkStore
from .connection import connect, migrate
from .contacts import CONTACT_FIELDS, CONTACT_SORTS, ContactStore, name_document, next_touch
from .deals import DealStore
from .interactions import InteractionStore, search_key
from .merge import MergeStore
from .reminders import ReminderStore
from .safety import SafetyStore
from .search import SearchStore
from .settings import SAVED_FILTER_PREFIX, SettingStore
from .team import TeamStore

__all__ = [
    "CONTACT_FIELDS", "CONTACT_SORTS", "SAVED_FILTER_PREFIX", "Store", "name_document",
    "next_touch", "open_store", "search_key",
]  # fmt: skip


class Store(
    BulkStore, MergeStore, ContactStore, InteractionStore, DealStore, ReminderStore, SettingStore,
    SearchStore, SafetyStore, TeamStore,
):
    """An open tinycrm book: every record type's reads and writes, in units of work."""

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        user: str | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        create: bool = True,
        allow_network_fs: bool = False,
    ) -> Store:
        """Open (creating it 0600 if `create`) and migrate the book at `path`."""
        db_path = resolve_db_path(path)
        conn = connect(db_path, create=create, allow_network_fs=allow_network_fs)
        try:
            migrate(conn, db_path)
        except BaseException:
            conn.close()
            raise
        return cls(conn, db_path, user or default_user(), clock or utc_now)


def open_store(
    path: str | os.PathLike[str] | None = None,
    user: str | None = None,
    clock: Callable[[], datetime] | None = None,
    *,
    create: bool = True,
    allow_network_fs: bool = False,
) -> Store:
    """The book at `path` (`--db`, else `$TINYCRM_DB`, else the platform default), opened."""
    return Store.open(path, user, clock, create=create, allow_network_fs=allow_network_fs)
