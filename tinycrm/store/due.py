"""The SQL behind `due`, the Agenda screen and `export ics`: only the rows that can be due.

`tinycrm.agenda` decides the windows (what "today", the look-back of birthdays and the
horizon mean); these functions turn them into indexed queries, so `due` on 100,000
contacts reads a few thousand rows instead of the whole book:

- open reminders due by the horizon: `reminder_open_due` (partial index on due);
- birthdays by month-day: `contact_birthday_cover` (expression index on `substr(birthday, -5)`)
  with the exact month-days of the window, Gregorian and lunar, as an IN list;
- anniversaries: `contact_anniversaries` (partial index; few contacts have any);
- keep-in-touch cadences: `contact_next_touch_cover` (the stored next-touch time);
  this one and the birthday one hold every column `_CONTACT_COLUMNS` reads (covering);
- deals: `deal_close_cover` (open deals by close date, covering) and
  `deal_open_stage_entered` for stale ones.

Trashed contacts never count. Rows come back as the plain dicts `tinycrm.reminders` reads.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ..lazy import json
from .base import chunks

TYPE_CHECKING = False  # `import typing` costs ~5 ms of `due`'s start-up; annotations are strings
if TYPE_CHECKING:
    from typing import Any

    from . import Store

_CONTACT_COLUMNS = (
    "id", "name", "birthday", "birthday_lunar", "anniversaries", "every", "last_contacted_at",
    "created_at",
)  # fmt: skip
_CONTACT_SELECT = "SELECT " + ", ".join(f"c.{col}" for col in _CONTACT_COLUMNS) + " FROM contact c"
_DEAL_SELECT = (
    "SELECT d.id, d.contact_id, d.title, d.stage, d.status, d.close_date, d.stage_entered_at,"
    " c.name FROM deal d JOIN contact c ON c.id = d.contact_id"
)


_LONG_CADENCE = "substr(c.every, -1) IN ('m', 'y')"  # as in the partial index contact_next_touch_long


def _contact(row: tuple[Any, ...]) -> dict[str, Any]:
    rec = dict(zip(_CONTACT_COLUMNS, row))
    annis = rec["anniversaries"]
    rec["anniversaries"] = json.loads(annis) if annis and annis != "[]" else []
    return rec


def open_reminders(store: Store, until_utc: str) -> list[dict[str, Any]]:
    """Open stored reminders due by `until_utc`, with their contact's name."""
    cur = store.conn.execute(
        "SELECT r.id, r.contact_id, r.deal_id, r.text, r.due, r.all_day, r.every, r.source,"
        " r.done_at, c.name FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
        " WHERE r.done_at IS NULL AND r.due <= ? AND c.deleted_at IS NULL",
        (until_utc,),
    )
    cols = ("id", "contact_id", "deal_id", "text", "due", "all_day", "every", "source",
            "done_at", "contact")  # fmt: skip
    return [dict(zip(cols, row)) for row in cur]


def yearly_contacts(
    store: Store,
    month_days: Collection[str] | None,
    also: Iterable[int] = (),
    *,
    lunar_month_days: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Contacts with a birthday on one of `month_days` (None: any), or with anniversaries.

    With `lunar_month_days`, `month_days` are Gregorian and only lunar birthdays are matched
    against the lunar ones; without it, any birthday on `month_days` is read. `also` adds
    contacts by id (those with a snoozed birthday that may reach further back).
    """
    found: dict[int, dict[str, Any]] = {}
    live = "c.deleted_at IS NULL"
    by_day = f"{_CONTACT_SELECT} WHERE c.birthday IS NOT NULL AND substr(c.birthday, -5) IN"
    queries: list[tuple[str, list[Any]]] = []
    if month_days is None:
        queries.append((f"{_CONTACT_SELECT} WHERE c.birthday IS NOT NULL AND {live}", []))
    elif lunar_month_days is None:
        queries += _chunked(f"{by_day} ({{}}) AND {live}", sorted(month_days))
    else:
        queries += _chunked(f"{by_day} ({{}}) AND c.birthday_lunar = 0 AND {live}", sorted(month_days))
        queries += _chunked(f"{by_day} ({{}}) AND c.birthday_lunar = 1 AND {live}", sorted(lunar_month_days))
    queries.append((f"{_CONTACT_SELECT} WHERE c.anniversaries != '[]' AND {live}", []))
    queries += _chunked(f"{_CONTACT_SELECT} WHERE c.id IN ({{}}) AND {live}", sorted(set(also)))
    for sql, params in queries:
        for row in store.conn.execute(sql, params):
            if row[0] not in found:
                found[row[0]] = _contact(row)
    return list(found.values())


def _chunked(template: str, values: list[Any]) -> list[tuple[str, list[Any]]]:
    """One query per chunk of an IN list; `template` has one `{}` for the placeholders."""
    return [(template.format(",".join("?" * len(chunk))), chunk) for chunk in chunks(values)]


def cadence_contacts(
    store: Store, until_utc: str, month_until_utc: str | None = None
) -> list[dict[str, Any]]:
    """Contacts with a keep-in-touch cadence whose next touch is by `until_utc`.

    Month and year cadences (`3m`, `1y`) are read up to the later `month_until_utc`.
    """
    wide = max(until_utc, month_until_utc or until_utc)
    # two index ranges, in the order of one: the later one reads only month and year cadences
    # (`contact_next_touch_long`), not every contact due in the next few days
    found = [
        _contact(row)
        for row in store.conn.execute(
            f"{_CONTACT_SELECT} WHERE c.next_touch_at IS NOT NULL AND c.next_touch_at <= ?"
            " AND c.deleted_at IS NULL ORDER BY c.next_touch_at, c.id",
            (until_utc,),
        )
    ]
    if wide > until_utc:
        found += [
            _contact(row)
            for row in store.conn.execute(
                f"{_CONTACT_SELECT} INDEXED BY contact_next_touch_long"
                f" WHERE c.next_touch_at IS NOT NULL AND {_LONG_CADENCE}"
                " AND c.next_touch_at > ? AND c.next_touch_at <= ? AND c.deleted_at IS NULL"
                " ORDER BY c.next_touch_at, c.id",
                (until_utc, wide),
            )
        ]
    return found


def due_deals(store: Store, until_day: str, stale_before: dict[str, str]) -> list[dict[str, Any]]:
    """Open deals closing by `until_day`, and those that entered their stage before a cutoff.

    `stale_before` maps a stage to the UTC time before which entering it makes a deal stale.
    """
    live = "c.deleted_at IS NULL"
    # without ANALYZE statistics SQLite prefers deal_status_stage (all open deals) here
    by_close = _DEAL_SELECT.replace("FROM deal d", "FROM deal d INDEXED BY deal_close_cover")
    queries: list[tuple[str, tuple[Any, ...]]] = [
        (
            f"{by_close} WHERE d.status = 'open' AND d.close_date IS NOT NULL"
            f" AND d.close_date <= ? AND {live}",
            (until_day,),
        )
    ]
    for stage, cutoff in stale_before.items():
        queries.append(
            (
                f"{_DEAL_SELECT} WHERE d.status = 'open' AND d.stage = ?"
                f" AND d.stage_entered_at <= ? AND {live}",
                (stage, cutoff),
            )
        )
    cols = ("id", "contact_id", "title", "stage", "status", "close_date", "stage_entered_at",
            "contact")  # fmt: skip
    found: dict[int, dict[str, Any]] = {}
    for sql, params in queries:
        for row in store.conn.execute(sql, params):
            if row[0] not in found:
                found[row[0]] = dict(zip(cols, row))
    return list(found.values())


def stage_limits(store: Store) -> dict[str, int | None]:
    """Days a deal may sit in each stage before it counts as stale."""
    return {row[0]: row[1] for row in store.conn.execute("SELECT name, stale_days FROM stage")}


def occurrence_states(store: Store) -> dict[str, dict[str, Any]]:
    """Done and snoozed occurrences of derived items, by key."""
    return store.occurrences()


# --- export ---------------------------------------------------------------------------


def _filtered(store: Store, filter_text: str) -> tuple[str, list[Any]]:
    """A WHERE clause on `c` for the contacts matching a filter (trash excluded)."""
    return store._contact_where(filter_text)


def export_reminders(store: Store, filter_text: str = "") -> list[dict[str, Any]]:
    """Every open stored reminder (of the contacts matching a filter), with anchor and rule."""
    cols = ("id", "contact_id", "deal_id", "text", "due", "anchor", "all_day", "every",
            "from_done", "source", "contact")  # fmt: skip
    select = (
        "SELECT r.id, r.contact_id, r.deal_id, r.text, r.due, r.anchor, r.all_day, r.every,"
        " r.from_done, r.source, c.name FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
    )
    if filter_text.strip():
        where, params = _filtered(store, filter_text)
        sql = f"{select} WHERE r.done_at IS NULL AND r.contact_id IS NOT NULL AND {where}"
    else:
        sql, params = f"{select} WHERE r.done_at IS NULL AND c.deleted_at IS NULL", []
    return [dict(zip(cols, row)) for row in store.conn.execute(sql + " ORDER BY r.id", params)]


def export_contacts(store: Store, filter_text: str = "") -> list[dict[str, Any]]:
    """Contacts with a birthday or anniversaries (of those matching a filter)."""
    where, params = _filtered(store, filter_text)
    sql = (
        f"{_CONTACT_SELECT} WHERE (c.birthday IS NOT NULL OR c.anniversaries != '[]')"
        f" AND {where} ORDER BY c.id"
    )
    return [_contact(row) for row in store.conn.execute(sql, params)]


def export_deals(store: Store, filter_text: str = "") -> list[dict[str, Any]]:
    """Open deals with a close date (of the contacts matching a filter)."""
    where, params = _filtered(store, filter_text)
    cols = ("id", "contact_id", "title", "stage", "status", "close_date", "stage_entered_at",
            "contact", "value_minor", "currency")  # fmt: skip
    sql = (
        "SELECT d.id, d.contact_id, d.title, d.stage, d.status, d.close_date, d.stage_entered_at,"
        " c.name, d.value_minor, d.currency FROM deal d JOIN contact c ON c.id = d.contact_id"
        f" WHERE d.status = 'open' AND d.close_date IS NOT NULL AND {where} ORDER BY d.id"
    )
    return [dict(zip(cols, row)) for row in store.conn.execute(sql, params)]
