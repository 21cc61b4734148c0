"""WHEN / DURATION / RULE parsing and the UTC timestamp format, with `now` always passed in.

Timestamps are stored as UTC ISO 8601 strings ending in `Z` (`2026-11-22T10:00:00Z`), so
that they sort as text; dates as `YYYY-MM-DD`.
"""

from __future__ import annotations

from datetime import datetime, timezone


def utc_iso(dt: datetime) -> str:
    """An aware datetime as the stored UTC text form."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """The stored UTC text form back to an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def utc_now() -> datetime:
    """The real clock, in UTC; everything else takes `now` as an argument."""
    return datetime.now(timezone.utc).replace(microsecond=0)
