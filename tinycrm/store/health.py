"""Health scores read from the book and kept in `contact.health` (what `health<40` filters on).

Health decays with time, so the stored score is recomputed for everyone once a day (by
`due`/cron) and, for the contacts a change touched, by the unit of work before it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ..dates import local_at
from ..errors import NotFound
from ..health import RECENT_DAYS, Health, HealthFacts, _health_points, health_score
from . import reports as sql
from .base import chunks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from . import Store


def start_of_day(now: datetime) -> datetime:
    """Local midnight of `now`'s day, in `now`'s zone."""
    return local_at(now.date(), now.tzinfo)


def _health_rows(store: Store, now: datetime, contact_ids: Sequence[int] | None) -> list[tuple[Any, ...]]:
    """`health_rows` for everyone, or for these contacts in chunks (bounded IN lists)."""
    overdue_before, recent_since = start_of_day(now), now - timedelta(days=RECENT_DAYS)
    if contact_ids is None:
        return sql.health_rows(store, now, overdue_before=overdue_before, recent_since=recent_since)
    return [
        row
        for chunk in chunks(contact_ids)
        for row in sql.health_rows(
            store, now, overdue_before=overdue_before, recent_since=recent_since, contact_ids=chunk
        )
    ]


def healths(store: Store, now: datetime, contact_ids: Sequence[int] | None = None) -> dict[int, Health]:
    """The health, with reasons, of every live contact (or of these), from grouped queries."""
    return {
        row[0]: health_score(HealthFacts.from_row(row), now) for row in _health_rows(store, now, contact_ids)
    }


def health_scores(store: Store, now: datetime, contact_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Only the scores (no reasons to word): what the stored column and `health<N` need."""
    seconds = int(now.timestamp())
    return {
        row[0]: sum(_health_points(HealthFacts(*row), seconds)[:4])
        for row in _health_rows(store, now, contact_ids)
    }


def contact_health(store: Store, contact_id: int, now: datetime) -> Health:
    """One contact's health with its reasons, for `contact show` and the TUI."""
    found = healths(store, now, [contact_id])
    if contact_id not in found:
        raise NotFound(f"no contact with id {contact_id}")
    return found[contact_id]


def recompute_health(store: Store, now: datetime, contact_ids: Sequence[int] | None = None) -> int:
    """Recompute the stored `contact.health` of every live contact (or of these); how many changed.

    Health decays with time, so the stored score (what `health<40` filters on) is
    recomputed daily for everyone (by `due`/cron, or by the first command of a new day,
    `health:computed_at` telling which day it was last done) and, for one contact, after
    each write that touches it. (migration 2 adds the column)
    """
    stored = sql.stored_health(store, contact_ids)
    scores = health_scores(store, now, contact_ids)
    changed = [(cid, score) for cid, score in scores.items() if stored.get(cid) != score]
    sql.write_health(store, changed, now if contact_ids is None else None)
    return len(changed)
