"""The SQL aggregates behind the reports: the only report code that talks to SQLite.

Kept apart from `store.py` so that the store stays about records and writes, and so that
`reports.py` stays pure arithmetic over the rows these functions return. Money is summed
as integer minor units (and value × probability as an integer), never as floats. Deals of
contacts in the trash are left out, as `Store.list_deals` leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .dates import utc_iso
from .store import Store
from .store.records import deal_record

_TRASHED = "SELECT id FROM contact WHERE deleted_at IS NOT NULL"
# an IN over the (few) trashed contacts, built once per query from a partial index, costs
# far less than joining every deal or interaction to its contact
_LIVE_DEAL = f"FROM deal d WHERE d.contact_id NOT IN ({_TRASHED})"


def deals_by_stage_currency(
    store: Store, *, closed_since: datetime | None = None
) -> list[tuple[str, str, int, int, int]]:
    """(stage, currency, count, Σ value_minor, Σ value_minor × probability) per stage.

    Open deals always; won and lost deals only when closed at or after `closed_since`
    (all of them when it is None).
    """
    closed = "d.status != 'open'" + (" AND d.closed_at >= ?" if closed_since else "")
    params = (utc_iso(closed_since),) if closed_since else ()
    rows = store.conn.execute(
        "SELECT d.stage, d.currency, count(*), COALESCE(sum(d.value_minor), 0),"
        f" COALESCE(sum(d.value_minor * d.probability), 0) {_LIVE_DEAL}"
        f" AND (d.status = 'open' OR ({closed}))"
        " GROUP BY d.stage, d.currency ORDER BY d.stage, d.currency",
        params,
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def open_by_currency(store: Store) -> list[tuple[str, int, int, int]]:
    """(currency, count, Σ value_minor, Σ value_minor × probability) of open deals."""
    rows = store.conn.execute(
        "SELECT d.currency, count(*), COALESCE(sum(d.value_minor), 0),"
        f" COALESCE(sum(d.value_minor * d.probability), 0) {_LIVE_DEAL} AND d.status = 'open'"
        " GROUP BY d.currency ORDER BY d.currency"
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def most_used_currency(store: Store) -> str | None:
    """The currency most deals are in (ties: alphabetical), or None without deals."""
    row = store.conn.execute(
        "SELECT currency FROM deal GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def closed_since(
    store: Store, status: str, start: datetime, end: datetime
) -> list[tuple[str, int, int]]:
    """(currency, count, Σ value_minor) of deals closed as `status` in [start, end)."""
    rows = store.conn.execute(
        f"SELECT d.currency, count(*), COALESCE(sum(d.value_minor), 0) {_LIVE_DEAL}"
        " AND d.status = ? AND d.closed_at >= ? AND d.closed_at < ?"
        " GROUP BY d.currency ORDER BY d.currency",
        (status, utc_iso(start), utc_iso(end)),
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _bucket_case(column: str, bounds: Sequence[datetime]) -> tuple[str, list[str]]:
    """A CASE giving the index of the [bounds[i], bounds[i+1]) interval `column` falls in."""
    whens = " ".join(f"WHEN {column} < ? THEN {i}" for i in range(len(bounds) - 1))
    return f"CASE {whens} END", [utc_iso(b) for b in bounds[1:]]


def won_in_buckets(store: Store, bounds: Sequence[datetime]) -> list[tuple[int, str, int, int]]:
    """(bucket, currency, count, Σ value_minor) of won deals, bucketed by close time.

    `bounds` are ascending instants (local month starts, say); bucket i is
    [bounds[i], bounds[i+1]). Bucketing by instants keeps local months exact across DST.
    """
    if len(bounds) < 2:
        return []
    case, params = _bucket_case("d.closed_at", bounds)
    rows = store.conn.execute(
        f"SELECT {case} AS b, d.currency, count(*), COALESCE(sum(d.value_minor), 0) {_LIVE_DEAL}"
        " AND d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?"
        " GROUP BY b, d.currency ORDER BY b, d.currency",
        (*params, utc_iso(bounds[0]), utc_iso(bounds[-1])),
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def interactions_in_buckets(store: Store, bounds: Sequence[datetime]) -> list[tuple[int, int]]:
    """(bucket, count) of interactions with live contacts, bucketed by their time.

    One range count per bucket on the `at` index alone (a covering scan: a CASE over every
    row costs several times more at a million rows), then the few interactions of trashed
    contacts are taken off.
    """
    if len(bounds) < 2:
        return []
    stamps = [utc_iso(b) for b in bounds]
    counts = [
        store.conn.execute(
            "SELECT count(*) FROM interaction WHERE at >= ? AND at < ?", (start, end)
        ).fetchone()[0]
        for start, end in zip(stamps, stamps[1:])
    ]
    case, params = _bucket_case("i.at", bounds)
    for bucket, count in store.conn.execute(
        f"SELECT {case} AS b, count(*) FROM interaction i WHERE i.contact_id IN ({_TRASHED})"
        " AND i.at >= ? AND i.at < ? GROUP BY b",
        (*params, stamps[0], stamps[-1]),
    ):
        counts[bucket] -= count
    return list(enumerate(counts))


def open_reminders_due_before(store: Store, moment: datetime) -> int:
    """How many open stored reminders (of live contacts, or of none) are due before `moment`."""
    return store.conn.execute(
        "SELECT count(*) FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
        " WHERE r.done_at IS NULL AND r.due < ? AND (c.id IS NULL OR c.deleted_at IS NULL)",
        (utc_iso(moment),),
    ).fetchone()[0]


def stale_contacts(store: Store, now: datetime) -> int:
    """How many live contacts are past their keep-in-touch cadence (the `is:stale` filter)."""
    return store.conn.execute(
        "SELECT count(*) FROM contact c WHERE c.deleted_at IS NULL"
        " AND c.next_touch_at IS NOT NULL AND c.next_touch_at <= ?",
        (utc_iso(now),),
    ).fetchone()[0]


def board_deals(
    store: Store, stage: str, *, closed_since: datetime | None = None, limit: int = 50
) -> list[dict]:
    """The deals the pipeline board shows in one stage's column, at most `limit`.

    Open stages: open deals, key deals first, then by close date (soonest first). `won` and
    `lost`: deals closed since `closed_since` (all when None), most recently closed first.
    Each record carries the contact's name (`contact`) and organisation (`contact_org`).
    """
    select = (
        "SELECT d.*, c.name AS contact, c.org AS contact_org FROM deal d"
        " JOIN contact c ON c.id = d.contact_id WHERE c.deleted_at IS NULL AND d.stage = ?"
    )
    params: list[object] = [stage]
    if stage in ("won", "lost"):
        select += " AND d.status != 'open'"
        if closed_since is not None:
            select += " AND d.closed_at >= ?"
            params.append(utc_iso(closed_since))
        select += " ORDER BY d.closed_at DESC, d.id DESC"
    else:
        select += " AND d.status = 'open' ORDER BY d.key DESC, d.close_date IS NULL, d.close_date, d.id"
    cur = store.conn.execute(select + " LIMIT ?", (*params, limit))
    cols = [d[0] for d in cur.description]
    out = []
    for row in cur:
        item = dict(zip(cols, row))
        record = deal_record(item)
        record["contact_org"] = item["contact_org"]
        out.append(record)
    return out
