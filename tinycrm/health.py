"""A customer's health, 0–100 with its reasons: pure arithmetic over what `health_rows` reads.

Kept apart from the reports so that the store can keep `contact.health` current after every
write (what `health<40` filters on) without importing the report module.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime

TYPE_CHECKING = False  # dataclasses and typing cost ~15 ms: every write rescores its contacts
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

DAY_SECONDS = 86400

DEFAULT_CADENCE_DAYS = 90
RECENT_DAYS = 30
HEALTH_WEIGHTS = {"recency": 50, "followups": 20, "deals": 15, "activity": 15}

_Facts = namedtuple(
    "_Facts",
    ["contact_id", "created_at", "last_contacted_at", "next_touch_at", "open_deals", "stale_deals",
     "overdue", "recent"],
    defaults=(0, 0, 0, 0),
)


class HealthFacts(_Facts):
    """What a contact's health is computed from (one row of `tinycrm.store.reports.health_rows`).

    Times are Unix seconds (UTC): at 100,000 contacts, parsing three timestamps each into
    datetimes would cost more than the whole computation. Fields: contact_id, created_at,
    last_contacted_at, next_touch_at (None when unknown), open_deals, stale_deals, overdue, recent.
    """

    __slots__ = ()

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> HealthFacts:
        """From a `health_rows` row."""
        return cls(*row)


class Health(namedtuple("Health", ["score", "reasons"], defaults=((),))):
    """A 0–100 score and, per factor, the points it gave out of its weight and why."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        """`{"score": …, "reasons": [{factor, points, of, why}, …]}`."""
        return {"score": self.score, "reasons": [dict(r) for r in self.reasons]}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _deals_why(facts: HealthFacts) -> str:
    deals = _plural(facts.open_deals, "open deal")
    if facts.stale_deals:
        return f"{facts.stale_deals} of {deals} stuck in their stage"
    return f"{deals}, none stuck" if facts.open_deals else "no open deals"


def _health_points(facts: HealthFacts, now: int) -> tuple[int, int, int, int, int, int]:
    """(recency, follow-ups, deals, activity points, seconds since the last touch, cadence seconds)."""
    w = HEALTH_WEIGHTS
    base = facts.last_contacted_at if facts.last_contacted_at is not None else facts.created_at
    cadence = facts.next_touch_at - base if facts.next_touch_at is not None else 0
    if cadence <= 0:
        cadence = DEFAULT_CADENCE_DAYS * DAY_SECONDS
    elapsed = max(now - base, 0)
    if elapsed <= cadence:
        recency = w["recency"]
    else:
        recency = max(0, w["recency"] * (3 * cadence - elapsed) // (2 * cadence))
    followups = max(0, w["followups"] - 10 * facts.overdue)
    deals = max(0, w["deals"] - 8 * facts.stale_deals)
    activity = (0, 8, 12)[facts.recent] if facts.recent < 3 else w["activity"]
    return recency, followups, deals, activity, elapsed, cadence


def health_score(facts: HealthFacts, now: datetime, *, recent_days: int = RECENT_DAYS) -> Health:
    """How well a customer relationship is kept, 0–100 (below 40: at risk).

    recency (50): full while the last interaction (else the creation) is within the
    contact's keep-in-touch cadence (else 90 days), falling linearly to 0 at three
    cadences. follow-ups (20): −10 per overdue open reminder. deals (15): −8 per open
    deal longer in its stage than the stage allows. activity (15): interactions in the
    last 30 days, 0 → 0, 1 → 8, 2 → 12, 3 or more → 15.
    """
    w = HEALTH_WEIGHTS
    recency, followups, deals, activity, elapsed, cadence = _health_points(facts, int(now.timestamp()))
    what = "last contact" if facts.last_contacted_at is not None else "no contact yet; added"
    reasons = (
        {"factor": "recency", "points": recency, "of": w["recency"],
         "why": f"{what} {elapsed // DAY_SECONDS} days ago, cadence {cadence // DAY_SECONDS} days"},
        {"factor": "followups", "points": followups, "of": w["followups"],
         "why": _plural(facts.overdue, "overdue follow-up") if facts.overdue else "no overdue follow-ups"},
        {"factor": "deals", "points": deals, "of": w["deals"], "why": _deals_why(facts)},
        {"factor": "activity", "points": activity, "of": w["activity"],
         "why": f"{_plural(facts.recent, 'interaction')} in the last {recent_days} days"},
    )  # fmt: skip
    return Health(recency + followups + deals + activity, reasons)


