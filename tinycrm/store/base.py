"""What every part of the store shares: the connection, the acting user, the clock, row helpers."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from typing_extensions import Self  # typing's own from Python 3.11

    from ..models import Contact, Deal, Interaction, Reminder
    from .unit import Unit

IN_CHUNK = 500  # parameters per IN list, well under SQLite's limit


def chunks(values: Iterable[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    """Slices of `values` small enough for one `IN (...)` list."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def like_escape(text: str) -> str:
    """Text for a LIKE pattern with `\\` as the escape character."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StoreBase:
    """An open tinycrm database, the acting user and the clock."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: str | os.PathLike[str],
        user: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.conn = conn
        self._path = os.fspath(path)
        self.user = user
        self.clock = clock
        self._unit: Unit | None = None

    @property
    def path(self) -> Path:
        """The book's file (a Path made on first use: pathlib is not on the start-up path)."""
        from pathlib import Path

        return Path(self._path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The injected clock's current UTC time."""
        return self.clock()

    def schema_version(self) -> int:
        """The `user_version` of the file."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """A consistent online copy of the database (SQLite's backup API), mode 0600."""
        from .connection import backup

        return backup(self.conn, target)

    if TYPE_CHECKING:  # what the parts of the facade call of each other (see tinycrm.store.Store)

        def get_contact(self, contact_id: int, *, include_trash: bool = False) -> Contact: ...
        def resolve(self, ref: str, *, include_trash: bool = False) -> Contact: ...
        def get_deal(self, deal_id: int) -> Deal: ...
        def get_interaction(self, interaction_id: int) -> Interaction: ...
        def get_reminder(self, reminder_id: int) -> Reminder: ...
        def setting(self, key: str, default: str | None = None) -> str | None: ...
        def _index_contact(self, contact_id: int) -> None: ...
        def _touch(self, contact_id: int) -> None: ...
        def _index_interaction(self, row: dict[str, Any]) -> None: ...
        def _unindex_interaction(self, row: dict[str, Any]) -> None: ...
        def _add_reminder(self, **values: Any) -> int: ...
        def _revert_bulk(self, table: str, after: dict[str, Any]) -> set[int]: ...
        def _restage(self, deal_ids: Iterable[int]) -> None: ...

    def _row(self, table: str, row_id: int) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def _ids(self, sql: str, params: tuple[Any, ...] | list[Any]) -> list[int]:
        return [r[0] for r in self.conn.execute(sql, params)]
