"""The SQL aggregates behind the reports: the only report code that talks to SQLite.

Kept apart from `store.py` so that the store stays about records and writes, and so that
`reports.py` stays pure arithmetic over the rows these functions return. Money is summed
as integer minor units (and value × probability as an integer), never as floats. Deals of
contacts in the trash are left out, as `Store.list_deals` leaves them out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from ..dates import utc_iso
from .base import chunks
from .records import deal_record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Deal
    from . import Store

    Row = tuple[Any, ...]  # one result row, its shape in each function's docstring

_TRASHED = "SELECT id FROM contact WHERE deleted_at IS NOT NULL"
# an IN over the (few) trashed contacts, built once per query from a partial index, costs
# far less than joining every deal or interaction to its contact
# reports that read most deals read them from the covering index deal_report (currency,
# status, stage, owner, close_date, …; migration 3): no table row is read, and a GROUP BY over
# its leading columns, in any order, is done as the index is read instead of by sorting every
# deal (a sort of 50,000 rows costs more than reading them: 60 ms against 5 ms here). A query
# that must group by something else groups first by the index's columns, then the few rows left.
_ALL_LIVE_DEALS = f"FROM deal d INDEXED BY deal_report WHERE d.contact_id NOT IN ({_TRASHED})"
_INDEX_GROUPS = "d.currency, d.status, d.stage, d.owner"  # deal_report's leading columns


def most_used_currency(store: Store) -> str | None:
    """The currency most deals are in (ties: alphabetical), or None without deals."""
    row = store.conn.execute(  # counted from deal_report in its order, then per currency
        "SELECT currency FROM (SELECT d.currency AS currency, count(*) AS n"
        f" FROM deal d INDEXED BY deal_report GROUP BY {_INDEX_GROUPS})"
        " GROUP BY currency ORDER BY sum(n) DESC, currency LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def _bucket_case(column: str, bounds: Sequence[datetime]) -> tuple[str, list[str]]:
    """A CASE giving the index of the [bounds[i], bounds[i+1]) interval `column` falls in."""
    whens = " ".join(f"WHEN {column} < ? THEN {i}" for i in range(len(bounds) - 1))
    return f"CASE {whens} END", [utc_iso(b) for b in bounds[1:]]


def open_reminders_due_before(store: Store, moment: datetime) -> int:
    """How many open stored reminders (of live contacts, or of none) are due before `moment`.

    All of them from the index of open reminders alone, less the few of trashed contacts.
    """
    when = utc_iso(moment)
    count: int = store.conn.execute(
        "SELECT (SELECT count(*) FROM reminder WHERE done_at IS NULL AND due < ?)"
        " - (SELECT count(*) FROM reminder r WHERE r.done_at IS NULL AND r.due < ?"
        f"  AND r.contact_id IN ({_TRASHED}))",
        (when, when),
    ).fetchone()[0]
    return count


def stale_contacts(store: Store, now: datetime) -> int:
    """How many live contacts are past their keep-in-touch cadence (the `is:stale` filter).

    All of them from the index of next touches alone, less the few trashed ones.
    """
    when = utc_iso(now)
    count: int = store.conn.execute(
        "SELECT (SELECT count(*) FROM contact WHERE next_touch_at <= ?)"
        " - (SELECT count(*) FROM contact INDEXED BY contact_deleted WHERE deleted_at IS NOT NULL"
        "  AND next_touch_at <= ?)",
        (when, when),
    ).fetchone()[0]
    return count


def _whose(owner: str | None, pool: bool) -> tuple[str, list[str]]:
    """` AND …` keeping one owner's deals, or those of customers in the pool (公海)."""
    if pool:
        return " AND d.contact_id IN (SELECT p.id FROM contact p WHERE p.owner IS NULL)", []
    if owner is not None:
        return " AND d.owner = ?", [owner]
    return "", []


def board_deals(
    store: Store,
    stage: str,
    *,
    closed_since: datetime | None = None,
    limit: int = 50,
    owner: str | None = None,
    pool: bool = False,
) -> list[Deal]:
    """The deals the pipeline board shows in one stage's column, at most `limit`.

    Open stages: open deals, key deals first, then by close date (soonest first). `won` and
    `lost`: deals closed since `closed_since` (all when None), most recently closed first.
    Each record carries the contact's name (`contact`) and organisation (`contact_org`).
    `owner` keeps one person's deals, `pool` the deals of customers in the pool.
    """
    select = (
        "SELECT d.*, c.name AS contact, c.org AS contact_org FROM deal d"
        " JOIN contact c ON c.id = d.contact_id WHERE c.deleted_at IS NULL AND d.stage = ?"
    )
    whose, whose_params = _whose(owner, pool)
    select += whose
    params: list[object] = [stage, *whose_params]
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
    out: list[Deal] = []
    for row in cur:
        item = dict(zip(cols, row))
        record = deal_record(item)
        record["contact_org"] = item["contact_org"]
        out.append(record)
    return out


# ---------------------------------------------------------------- the report commands
#
# Each function returns plain tuples; `grp` is the owner (deal.owner, interaction.user,
# reminder.owner, deal_stage.user or contact.owner) when `by_owner`, else NULL. Sums are
# of integer minor units, durations integer seconds, so `reports` stays exact.



def _epoch(column: str) -> str:
    """Seconds since 1970 of a stored UTC text column, as an integer (NULL for NULL)."""
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        return f"unixepoch({column})"  # the same integer, without making and reading back a text
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def _keys(by_owner: bool, owner: str, *columns: str, order: bool = True) -> str:
    """` GROUP BY … ORDER BY …` over `columns`, the owner column first when grouping by owner.

    Without an owner the constant NULL in its place is left out of the keys: SQLite keeps a
    constant in a GROUP BY, and grouping 20,000 interactions by (NULL, kind) costs twice as
    much as by kind. No keys at all: no GROUP BY (one row, of zeros when nothing matched).
    """
    keys = ", ".join([owner, *columns] if by_owner else columns)
    if not keys:
        return ""
    return f" GROUP BY {keys}" + (f" ORDER BY {keys}" if order else "")


def _window(column: str, since: datetime | None, until: datetime | None) -> tuple[str, list[str]]:
    """` AND column >= since AND column < until` for the bounds that are given."""
    sql, params = "", []
    if since is not None:
        sql += f" AND {column} >= ?"
        params.append(utc_iso(since))
    if until is not None:
        sql += f" AND {column} < ?"
        params.append(utc_iso(until))
    return sql, params


def pipeline_rows(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by_owner: bool = False,
    owner: str | None = None,
    pool: bool = False,
) -> list[Row]:
    """(grp, stage, currency, count, Σ value_minor, Σ value × probability, Σ seconds in stage).

    Open deals as they are now; won and lost deals closed in [since, until); only `owner`'s
    deals, or (`pool`) only the deals of customers in the pool, when asked.
    """
    grp = "d.owner" if by_owner else "NULL"
    closed, params = _window("d.closed_at", since, until)
    whose, whose_params = _whose(owner, pool)
    rows = store.conn.execute(
        "SELECT grp, stage, currency, sum(n), sum(total), sum(weighted), COALESCE(sum(seconds), 0)"
        f" FROM (SELECT {grp} AS grp, d.stage AS stage, d.currency AS currency, count(*) AS n,"
        " sum(d.value_minor) AS total, sum(d.value_minor * d.probability) AS weighted,"
        f" sum(CASE WHEN d.status = 'open' THEN ? - {_epoch('d.stage_entered_at')} END)"
        f" AS seconds {_ALL_LIVE_DEALS} AND (d.status = 'open' OR (d.status != 'open'{closed})){whose}"
        f" GROUP BY {_INDEX_GROUPS}){_keys(by_owner, 'grp', 'stage', 'currency')}",
        (int(now.timestamp()), *params, *whose_params),
    )
    return rows.fetchall()


def open_by_close_month(store: Store, today: str, *, by_owner: bool = False) -> list[Row]:
    """(grp, month `YYYY-MM` | 'overdue' | 'undated', currency, count, Σ value, Σ value × probability).

    Open deals by the month of their expected close date; a close date before `today`
    (a local `YYYY-MM-DD`) is 'overdue', none is 'undated'. Grouped first by close date in
    the index's order, then by month. (`+d.status`: as an equality SQLite would drop the
    status from the index's order and sort the 33,000 open deals instead.)
    """
    grp = "d.owner" if by_owner else "NULL"
    month = (
        "CASE WHEN d.close_date IS NULL THEN 'undated' WHEN d.close_date < ? THEN 'overdue'"
        " ELSE substr(d.close_date, 1, 7) END"
    )
    rows = store.conn.execute(
        "SELECT grp, month, currency, sum(n), sum(total), sum(weighted)"
        f" FROM (SELECT {grp} AS grp, {month} AS month, d.currency AS currency, count(*) AS n,"
        " sum(d.value_minor) AS total, sum(d.value_minor * d.probability) AS weighted"
        f" {_ALL_LIVE_DEALS} AND +d.status = 'open' GROUP BY {_INDEX_GROUPS}, d.close_date)"
        f"{_keys(by_owner, 'grp', 'month', 'currency')}",
        (today,),
    )
    return rows.fetchall()


def won_rows_in_buckets(store: Store, bounds: Sequence[datetime], *, by_owner: bool = False) -> list[Row]:
    """(grp, bucket, currency, count, Σ value_minor) of deals won in [bounds[i], bounds[i+1])."""
    if len(bounds) < 2:
        return []
    grp = "d.owner" if by_owner else "NULL"
    case, params = _bucket_case("d.closed_at", bounds)
    rows = store.conn.execute(
        f"SELECT {grp}, {case} AS b, d.currency, count(*), COALESCE(sum(d.value_minor), 0) {_ALL_LIVE_DEALS}"
        " AND d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?"
        f"{_keys(by_owner, 'd.owner', 'b', 'd.currency')}",
        (*params, utc_iso(bounds[0]), utc_iso(bounds[-1])),
    )
    return rows.fetchall()


def funnel_rows(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by_owner: bool = False,
) -> list[Row]:
    """(grp, status, furthest open stage reached, currency, count, Σ value, Σ cycle seconds).

    Of the deals created in [since, until). The furthest stage is the one stored per deal
    (`deal.reached`, NULL when its history names no open stage; None for won deals, which
    went through them all); the cycle sum is of won deals' created → closed seconds. One
    read of the covering index deal_funnel, grouped in its order, then the few groups.
    """
    grp = "d.owner" if by_owner else "NULL"
    created, params = _window("d.created_at", since, until)
    rows = store.conn.execute(
        "SELECT grp, status, reached, currency, sum(n), sum(total), COALESCE(sum(cycle), 0)"
        f" FROM (SELECT {grp} AS grp, d.status AS status,"
        " CASE WHEN d.status = 'won' THEN NULL ELSE d.reached END AS reached, d.currency AS currency,"
        " count(*) AS n, sum(d.value_minor) AS total, sum(CASE WHEN d.status = 'won'"
        f" THEN {_epoch('d.closed_at')} - {_epoch('d.created_at')} END) AS cycle"
        f" FROM deal d INDEXED BY deal_funnel WHERE d.contact_id NOT IN ({_TRASHED}){created}"
        " GROUP BY d.status, d.reached, d.owner, d.currency)"
        f"{_keys(by_owner, 'grp', 'status', 'reached', 'currency')}",
        params,
    )
    return rows.fetchall()


def lost_rows(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by_owner: bool = False,
) -> list[Row]:
    """(grp, stage it was lost from, reason or '', count) of lost deals created in [since, until).

    The lost deals alone are read, from deal_funnel (led by the status); each one's stage
    before `lost` from the end of its history in deal_stage_cover.
    """
    grp = "d.owner" if by_owner else "NULL"
    created, params = _window("d.created_at", since, until)
    rows = store.conn.execute(
        f"SELECT {grp}, (SELECT h.stage FROM deal_stage h INDEXED BY deal_stage_cover WHERE h.deal_id = d.id"
        "  AND h.stage != 'lost' ORDER BY h.id DESC LIMIT 1) AS lost_from,"
        " COALESCE(d.lost_reason, '') AS reason, count(*)"
        f" FROM deal d INDEXED BY deal_funnel WHERE d.status = 'lost'"
        f" AND d.contact_id NOT IN ({_TRASHED}){created}"
        f"{_keys(by_owner, 'd.owner', 'lost_from', 'reason')}",
        params,
    )
    return rows.fetchall()


def interaction_users(store: Store, since: datetime, until: datetime) -> list[str | None]:
    """Who logged the interactions in [since, until) (with any contact): the one person, or two of several.

    Two look-ups that stop at the first row they want, instead of a distinct over 80,000.
    """
    where = " FROM interaction i INDEXED BY interaction_at_cover WHERE i.at >= ? AND i.at < ?"
    window = (utc_iso(since), utc_iso(until))
    first = store.conn.execute(f"SELECT i.user{where} LIMIT 1", window).fetchone()
    if first is None:
        return []
    other = store.conn.execute(
        f"SELECT i.user{where} AND i.user IS NOT ? LIMIT 1", (*window, first[0])
    ).fetchone()
    return [first[0]] if other is None else [first[0], other[0]]


def _kinds(store: Store) -> list[str]:
    """The kinds the book's interactions have, in order: one seek each in interaction_kind_at."""
    kinds: list[str] = []
    row = store.conn.execute("SELECT min(kind) FROM interaction").fetchone()
    while row[0] is not None:
        kinds.append(row[0])
        row = store.conn.execute("SELECT min(kind) FROM interaction WHERE kind > ?", (row[0],)).fetchone()
    return kinds


def interaction_rows(
    store: Store,
    bounds: Sequence[datetime],
    *,
    by_owner: bool = False,
    users: Sequence[str | None] | None = None,
) -> list[Row]:
    """(grp, bucket, kind, count) of interactions with live contacts, by who logged them.

    Rows come bucket by bucket, by grp and kind within one. Per bucket and kind one range
    of the index interaction_kind_at, counted as it is read: grouping a bucket's 20,000
    rows by kind sorted them, at three times the cost. By owner, when `users` (who logged
    the window's interactions, `interaction_users`) is one person, that person has them
    all; else the rows are grouped by kind, then user (a cheaper sort than user first)
    and put in order here.
    """
    sole = not by_owner or (users is not None and len(users) == 1)
    stamps = [utc_iso(b) for b in bounds]
    out: list[Row] = []
    if sole:
        who = users[0] if by_owner and users else None
        kinds = _kinds(store)
        count = (
            "SELECT count(*) FROM interaction i INDEXED BY interaction_kind_at WHERE i.kind = ?"
            f" AND i.at >= ? AND i.at < ? AND i.contact_id NOT IN ({_TRASHED})"
        )
        for bucket, (start, end) in enumerate(zip(stamps, stamps[1:])):
            for kind in kinds:
                n = store.conn.execute(count, (kind, start, end)).fetchone()[0]
                if n:
                    out.append((who, bucket, kind, n))
        return out
    sql = (
        "SELECT i.user, i.kind, count(*) FROM interaction i INDEXED BY interaction_at_cover"
        f" WHERE i.at >= ? AND i.at < ? AND i.contact_id NOT IN ({_TRASHED}) GROUP BY i.kind, i.user"
    )
    for bucket, (start, end) in enumerate(zip(stamps, stamps[1:])):
        rows = store.conn.execute(sql, (start, end)).fetchall()
        rows.sort(key=lambda r: (r[0] is not None, r[0] or "", r[1]))  # SQLite's order: NULL first
        out += [(grp, bucket, kind, count) for grp, kind, count in rows]
    return out


# a contact's stored last_contacted_at is the time of its latest interaction (kept so by every
# write, and by `check`): past this many contacts contacted after a window, counting the
# window's distinct contacts directly costs less than asking each whether it was in the window
_LATER_CONTACTS_MAX = 5000


def contacts_touched(
    store: Store,
    since: datetime,
    until: datetime,
    *,
    by_owner: bool = False,
    users: Sequence[str | None] | None = None,
) -> list[Row]:
    """(grp, distinct live contacts with an interaction in [since, until)).

    For the whole book it is read from the contacts' stored last-contacted time: those
    last contacted in the window were touched in it, those last contacted before it were
    not, and the few last contacted after it (none when the window ends now) are asked
    one by one — instead of a distinct count over every interaction in the window. By
    owner, when `users` (everyone who logged one in the window) is one person, that
    person touched them all.
    """
    s, u = utc_iso(since), utc_iso(until)
    conn = store.conn
    if by_owner and users is not None and len(users) == 1:
        touched = contacts_touched(store, since, until)
        return [(users[0], n) for _, n in touched if n]
    if not by_owner:
        later = conn.execute("SELECT count(*) FROM contact WHERE last_contacted_at >= ?", (u,)).fetchone()[0]
        if later <= _LATER_CONTACTS_MAX:
            count = conn.execute(
                "SELECT (SELECT count(*) FROM contact WHERE last_contacted_at >= ? AND last_contacted_at < ?)"
                " - (SELECT count(*) FROM contact INDEXED BY contact_deleted WHERE deleted_at IS NOT NULL"
                "  AND last_contacted_at >= ? AND last_contacted_at < ?)"
                " + (SELECT count(*) FROM contact c WHERE c.last_contacted_at >= ? AND c.deleted_at IS NULL"
                "  AND EXISTS (SELECT 1 FROM interaction i WHERE i.contact_id = c.id"
                "   AND i.at >= ? AND i.at < ?))",
                (s, u, s, u, u, s, u),
            ).fetchone()[0]
            return [(None, count)]
    grp = "i.user" if by_owner else "NULL"
    rows = conn.execute(
        f"SELECT {grp}, count(DISTINCT i.contact_id) FROM interaction i"
        f" WHERE i.at >= ? AND i.at < ? AND i.contact_id NOT IN ({_TRASHED}){_keys(by_owner, 'i.user')}",
        (s, u),
    )
    return rows.fetchall()


def followup_rows(
    store: Store, since: datetime, until: datetime, now: datetime, *, by_owner: bool = False
) -> list[Row]:
    """(grp, on time, late, open and overdue, open and not yet due) of follow-ups due in [since, until).

    On time: done before the end of its due day (all-day) or by its due time.
    """
    grp = "r.owner" if by_owner else "NULL"
    deadline = "CASE WHEN r.all_day THEN strftime('%Y-%m-%dT%H:%M:%SZ', r.due, '+1 day') ELSE r.due END"
    rows = store.conn.execute(
        f"SELECT {grp},"
        f" COALESCE(sum(r.done_at IS NOT NULL AND r.done_at <= {deadline}), 0),"
        f" COALESCE(sum(r.done_at IS NOT NULL AND r.done_at > {deadline}), 0),"
        f" COALESCE(sum(r.done_at IS NULL AND {deadline} <= ?), 0),"
        f" COALESCE(sum(r.done_at IS NULL AND {deadline} > ?), 0)"
        " FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
        " WHERE r.source = 'follow-up' AND r.due >= ? AND r.due < ?"
        f" AND (c.id IS NULL OR c.deleted_at IS NULL){_keys(by_owner, 'r.owner')}",
        (utc_iso(now), utc_iso(now), utc_iso(since), utc_iso(until)),
    )
    return rows.fetchall()


def stage_move_rows(store: Store, since: datetime, until: datetime, *, by_owner: bool = False) -> list[Row]:
    """(grp, stage entered, count) of deals moved into a stage in [since, until) (creation excluded)."""
    grp = "h.user" if by_owner else "NULL"
    # a deal's first stage row is its creation, stamped with its created_at: a later
    # stamp is a move; the same stamp is checked against the first row's id (rare)
    rows = store.conn.execute(
        f"SELECT {grp}, h.stage, count(*) FROM deal_stage h NOT INDEXED JOIN deal d ON d.id = h.deal_id"
        " WHERE h.entered_at >= ? AND h.entered_at < ?"
        " AND (h.entered_at > d.created_at"
        "  OR h.id > (SELECT min(f.id) FROM deal_stage f WHERE f.deal_id = h.deal_id))"
        f" AND d.contact_id NOT IN ({_TRASHED}){_keys(by_owner, 'h.user', 'h.stage')}",
        (utc_iso(since), utc_iso(until)),
    )
    return rows.fetchall()


def lifecycle_rows(
    store: Store,
    *,
    since: datetime,
    until: datetime,
    at_risk_before: datetime,
    churned_before: datetime,
    now: datetime,
    by_owner: bool = False,
) -> list[Row]:
    """(grp, stage, contacts, first won in the period, two or more won) per lifecycle stage.

    Customers (a deal won before `until`) are in the first stage that holds, in this
    order (see `reports.lifecycle`): churned (no interaction and no deal change since
    `churned_before`), at_risk (past its cadence at `now`, or no interaction since
    `at_risk_before`), new (first won deal in [since, until)), repeat (two or more won),
    active. The rows of stage 'contacts' count every live contact (leads are the rest):
    all contacts less the trashed ones, each count read from an index alone. Won deals are
    read from the covering index deal_report, their contacts by primary key.
    """
    grp = "c.owner" if by_owner else "NULL"
    s = utc_iso(since)
    churn = utc_iso(churned_before)
    if by_owner:  # per owner from contact_owner (read in owner order), less the trashed
        contacts = (
            " SELECT owner, 'contacts', sum(n), 0, 0 FROM (SELECT c.owner AS owner, count(*) AS n"
            "  FROM contact c INDEXED BY contact_owner GROUP BY c.owner UNION ALL SELECT t.owner, -count(*)"
            "  FROM contact t INDEXED BY contact_deleted WHERE t.deleted_at IS NOT NULL GROUP BY t.owner)"
            " GROUP BY owner HAVING sum(n) > 0"
        )
    else:
        contacts = (
            " SELECT NULL, 'contacts', (SELECT count(*) FROM contact)"
            " - (SELECT count(*) FROM contact INDEXED BY contact_deleted WHERE deleted_at IS NOT NULL), 0, 0"
        )
    rows = store.conn.execute(
        "WITH w AS (SELECT d.contact_id, count(*) AS wins, min(d.closed_at) AS first_won"
        "  FROM deal d INDEXED BY deal_report WHERE d.status = 'won' AND d.closed_at < ?"
        "  GROUP BY d.contact_id),"
        f" staged AS (SELECT {grp} AS grp, CASE"
        "  WHEN COALESCE(c.last_contacted_at, '') < ? AND COALESCE((SELECT max(t.updated_at)"
        "   FROM deal t WHERE t.contact_id = c.id), '') < ? THEN 'churned'"
        "  WHEN c.next_touch_at <= ? OR COALESCE(c.last_contacted_at, '') < ? THEN 'at_risk'"
        "  WHEN w.first_won >= ? THEN 'new'"
        "  WHEN w.wins >= 2 THEN 'repeat'"
        "  ELSE 'active' END AS stage, w.first_won >= ? AS is_new, w.wins >= 2 AS two_plus"
        # LIMIT keeps `staged` a subquery: flattened, its CASE would run twice per customer
        "  FROM w JOIN contact c ON c.id = w.contact_id WHERE c.deleted_at IS NULL LIMIT -1)"
        " SELECT grp, stage, count(*), sum(is_new), sum(two_plus) FROM staged"
        f"{_keys(by_owner, 'grp', 'stage', order=False)}"
        f" UNION ALL{contacts} ORDER BY 1, 2",
        (utc_iso(until), churn, churn, utc_iso(now), utc_iso(at_risk_before), s, s),
    )
    return rows.fetchall()


def rfm_rows(
    store: Store,
    *,
    since: datetime,
    until: datetime,
    previous: datetime,
    names: bool = True,
    owners: bool = True,
) -> list[Row]:
    """(contact id, name, owner, currency, wins, Σ value, days since the last won, Σ in period, Σ before).

    One row per live contact and currency with a deal won before `until`, ordered by
    contact and currency; the period is [since, until), the one before [previous, since).
    The won deals are read from the partial index deal_won, already in that order, so
    they are grouped as they are read (no sort). The name and owner are None unless
    asked for: reading 8,000 customers' rows costs more than everything else here, and a
    caller that lists a few of them reads those (`first_by_name`, `customer_names`).
    """
    if names or owners:
        who = f"{'c.name' if names else 'NULL'}, {'c.owner' if owners else 'NULL'}"
        join, live = " JOIN contact c ON c.id = d.contact_id", " AND c.deleted_at IS NULL"
    else:
        who, join, live = "NULL, NULL", "", f" AND d.contact_id NOT IN ({_TRASHED})"
    rows = store.conn.execute(
        f"SELECT d.contact_id, {who}, d.currency, count(*), sum(d.value_minor),"
        f" (? - max({_epoch('d.closed_at')})) / 86400,"
        " COALESCE(sum(CASE WHEN d.closed_at >= ? THEN d.value_minor END), 0),"
        " COALESCE(sum(CASE WHEN d.closed_at >= ? AND d.closed_at < ? THEN d.value_minor END), 0)"
        f" FROM deal d INDEXED BY deal_won{join} WHERE d.status = 'won' AND d.closed_at < ?{live}"
        " GROUP BY d.contact_id, d.currency ORDER BY d.contact_id, d.currency",
        (int(until.timestamp()), utc_iso(since), utc_iso(previous), utc_iso(since), utc_iso(until)),
    )
    return rows.fetchall()


def contact_owners(store: Store) -> list[str | None]:
    """The owners of the book's contacts (None: the pool; trash included): the one, or two of several.

    Three seeks in contact_owner that stop at the first row they want. When every contact
    has one owner, every customer has it: `report rfm --by owner` then reads no contact row.
    """
    conn = store.conn
    found: list[str | None] = []
    if conn.execute("SELECT 1 FROM contact INDEXED BY contact_owner WHERE owner IS NULL LIMIT 1").fetchone():
        found.append(None)
    first = conn.execute("SELECT min(owner) FROM contact INDEXED BY contact_owner").fetchone()[0]
    if first is not None:
        found.append(first)
        if len(found) == 1:
            other = conn.execute(
                "SELECT min(owner) FROM contact INDEXED BY contact_owner WHERE owner > ?", (first,)
            ).fetchone()[0]
            found += [] if other is None else [other]
    return found


def first_by_name(store: Store, contact_ids: Sequence[int], count: int) -> list[int]:
    """The `count` of these contacts first by name (then id), in that order."""
    found: list[tuple[str, int]] = []
    for chunk in chunks(contact_ids):
        found += store.conn.execute(
            f"SELECT name, id FROM contact WHERE id IN ({','.join('?' * len(chunk))})"
            " ORDER BY name, id LIMIT ?",
            (*chunk, count),
        ).fetchall()
    return [cid for _, cid in sorted(found)[:count]]


def customer_names(store: Store, contact_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """(name, owner) of each of these contacts, by id."""
    out: dict[int, tuple[str, str | None]] = {}
    for chunk in chunks(contact_ids):
        out.update(
            (cid, (name, owner))
            for cid, name, owner in store.conn.execute(
                f"SELECT id, name, owner FROM contact WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        )
    return out


def health_rows(
    store: Store,
    now: datetime,
    *,
    overdue_before: datetime,
    recent_since: datetime,
    contact_ids: Sequence[int] | None = None,
) -> list[Row]:
    """(id, created, last contacted, next touch, open deals, stale deals, overdue, recent); times in Unix s.

    For every live contact, or for `contact_ids`. Stale deals are open deals longer in
    their stage than the stage's `stale_days`; overdue are open stored reminders due
    before `overdue_before`; recent are interactions in [recent_since, now].
    Done as four grouped scans rather than four subqueries per contact: at 100,000
    contacts that is the difference between a second and several.
    """
    only, params = "", []
    if contact_ids is not None:
        only = f" AND {{col}} IN ({','.join('?' * len(contact_ids))})"
        params = list(contact_ids)
    when = utc_iso(now)
    conn = store.conn
    deals = {
        cid: (n, stale)
        for cid, n, stale in conn.execute(
            "SELECT d.contact_id, count(*), COALESCE(sum(s.stale_days IS NOT NULL AND"
            " d.stage_entered_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-' || s.stale_days || ' days')), 0)"
            " FROM deal d LEFT JOIN stage s ON s.name = d.stage WHERE d.status = 'open'"
            + only.format(col="d.contact_id")
            + " GROUP BY d.contact_id",
            (when, *params),
        )
    }
    overdue = dict(
        conn.execute(
            "SELECT r.contact_id, count(*) FROM reminder r WHERE r.done_at IS NULL AND r.due < ?"
            + only.format(col="r.contact_id")
            + " GROUP BY r.contact_id",
            (utc_iso(overdue_before), *params),
        ).fetchall()
    )
    recent = dict(
        conn.execute(
            "SELECT i.contact_id, count(*) FROM interaction i WHERE i.at >= ? AND i.at <= ?"
            + only.format(col="i.contact_id")
            + " GROUP BY i.contact_id",
            (utc_iso(recent_since), when, *params),
        ).fetchall()
    )
    out = []
    for cid, created, last, next_touch in conn.execute(
        f"SELECT c.id, {_epoch('c.created_at')}, {_epoch('c.last_contacted_at')}, {_epoch('c.next_touch_at')}"
        " FROM contact c"
        " WHERE c.deleted_at IS NULL" + only.format(col="c.id"),
        params,
    ):
        n, stale = deals.get(cid, (0, 0))
        out.append((cid, created, last, next_touch, n, stale, overdue.get(cid, 0), recent.get(cid, 0)))
    return out


def stored_health(store: Store, contact_ids: Sequence[int] | None = None) -> dict[int, int | None]:
    """The stored health of every live contact, or of these (migration 2 adds the column)."""
    sql = "SELECT id, health FROM contact WHERE deleted_at IS NULL"
    if contact_ids is None:
        return dict(store.conn.execute(sql).fetchall())
    out: dict[int, int | None] = {}
    for chunk in chunks(contact_ids):
        out.update(store.conn.execute(f"{sql} AND id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return out


def write_health(store: Store, scores: Sequence[tuple[int, int]], computed_at: datetime | None) -> None:
    """Store recomputed scores (contact id, score), and when everyone's were, outside history.

    Health is derived, like `last_contacted_at`: it is not a change anyone can undo.
    """
    with store.write("health"):
        store.conn.executemany("UPDATE contact SET health = ? WHERE id = ?", [(s, c) for c, s in scores])
        if computed_at is not None:
            store.conn.execute(
                "INSERT OR REPLACE INTO setting(key, value) VALUES ('health:computed_at', ?)",
                (utc_iso(computed_at),),
            )
