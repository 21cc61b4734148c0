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

from ..config import db_location, default_user
from ..dates import utc_now
from .connection import connect, migrate
from .contacts import CONTACT_FIELDS, CONTACT_SORTS, ContactStore, name_document, next_touch
from .deals import DealStore
from .interactions import InteractionStore, search_key
from .reminders import ReminderStore
from .settings import SAVED_FILTER_PREFIX, SettingStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .bulk import BulkStore
    from .merge import MergeStore
    from .safety import SafetyStore
    from .search import SearchStore
    from .team import TeamStore

__all__ = [
    "CONTACT_FIELDS", "CONTACT_SORTS", "SAVED_FILTER_PREFIX", "Store", "name_document",
    "next_touch", "open_store", "search_key",
]  # fmt: skip

# the parts most commands never use (imports, merges, backups, search, the team), loaded on
# the first use of one of their methods (`Store.__getattr__`): `contact show`, `log` and `due`
# start without them
_LAZY_PARTS = (("bulk", "BulkStore"), ("merge", "MergeStore"), ("search", "SearchStore"),
               ("safety", "SafetyStore"), ("team", "TeamStore"))  # fmt: skip

if TYPE_CHECKING:  # what the type checker sees: every part, in the order of the whole facade

    class _Parts(
        BulkStore, MergeStore, ContactStore, InteractionStore, DealStore, ReminderStore, SettingStore,
        SearchStore, SafetyStore, TeamStore,
    ):
        pass

else:

    class _Parts(ContactStore, InteractionStore, DealStore, ReminderStore, SettingStore):
        def __getattr__(self, name: str) -> Any:
            """A method of a part not loaded yet: load them all, become the whole facade, retry."""
            whole = _whole_store()
            if isinstance(self, whole):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            self.__class__ = whole
            return getattr(self, name)


_WHOLE: list[type] = []


def _whole_store() -> type:
    """Store with every part mixed in (the same method order as if all were loaded at start)."""
    if not _WHOLE:
        from importlib import import_module

        parts = {name: getattr(import_module(f".{module}", __name__), name) for module, name in _LAZY_PARTS}
        bases = (parts["BulkStore"], parts["MergeStore"], Store, parts["SearchStore"], parts["SafetyStore"],
                 parts["TeamStore"])  # fmt: skip
        _WHOLE.append(type("Store", bases, {"__module__": __name__, "__doc__": Store.__doc__}))
    return _WHOLE[0]


class Store(_Parts):
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
        db_path = db_location(path)  # text: pathlib loads only if store.path is used
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
