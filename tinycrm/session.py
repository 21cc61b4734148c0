"""The state of one run of the program: global options, the store opened on first use, the clock.

Free of Typer so that the table dispatcher (`tinycrm.cli.dispatch`) and the Typer app share it.
"""

from __future__ import annotations

import os
from datetime import datetime

from .dates import parse_utc, utc_now
from .store import Store


def clock() -> datetime:
    """The real clock, or `$TINYCRM_NOW` (UTC, `YYYY-MM-DDTHH:MM:SSZ`) for tests and demos."""
    fixed = os.environ.get("TINYCRM_NOW")
    if not fixed:
        return utc_now()
    try:
        return parse_utc(fixed)
    except ValueError:
        from .errors import UsageError

        raise UsageError(
            f"TINYCRM_NOW={fixed!r} is not a UTC time like 2026-11-30T10:00:00Z"
        ) from None


class State:
    """Global options, and the store opened on first use."""

    def __init__(self, db: str | None = None, user: str | None = None) -> None:
        if db == "":
            from .errors import UsageError

            # `--db "$DB"` with DB unset must not write into the user's real book
            raise UsageError("--db needs a path (an empty one would mean the default book)")
        self.db = db
        self.user = user
        self.create = True
        """False while a command that only reads runs: a missing book is an error, never made."""
        self._store: Store | None = None

    def store(self) -> Store:
        """The open store (opened and migrated on first call)."""
        if self._store is None:
            self._store = Store.open(self.db, self.user, clock=clock, create=self.create)
        return self._store

    def local_now(self) -> datetime:
        """Now in the user's time zone (the store's clock)."""
        from .dates import local_tz

        return self.store().now().astimezone(local_tz())

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None


def local_text(stamp: str | None, *, all_day: bool = False) -> str:
    """A stored UTC timestamp as local `YYYY-MM-DD HH:MM` (or the date for all-day)."""
    if not stamp:
        return ""
    from .dates import format_stored, local_tz

    return format_stored(stamp, local_tz(), all_day)
