"""What is due, as a service over the store: used by `due`, `remind`, cron and the Agenda screen.

`tinycrm.reminders` computes due items from records and `now`; `tinycrm.store.due` reads
only the records that can be due in a window; this module joins the two and applies
done/snooze to stored reminders and to derived items. No SQL here, no Typer, no output.

Ids and keys: a stored reminder is named by its id (`5`); every occurrence, stored or
derived, by its key (`reminder:5:2026-11-22T09:00:00Z`, `birthday:12:2026-11-22`,
`anniversary:7:wedding:2026-06-01`, `cadence:7:2026-11-20`, `deal-close:3:2026-11-30`,
`deal-stale:3:proposal:2026-11-10`), as `due --json` shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from .dates import format_local, local_at, parse_utc, utc_iso
from .errors import Conflict, InvalidData, NotFound
from .reminders import (
    LOOKBACK_DAYS,
    SNOOZE_REACH_DAYS,
    DueItem,
    due_items,
    end_of_day,
    month_days,
    next_due_after_done,
)
from .store import Store
from .store import due as store_due

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .models import Reminder

DERIVED = ("birthday", "anniversary", "cadence", "deal-close", "deal-stale")
CADENCE_MARGIN = timedelta(hours=2)
"""The stored next-touch time is UTC arithmetic: for day, week and hour cadences it differs
from the local due time by at most a DST hour, so the store reads that much past the window's
last day (two hours, for zones with half-hour DST) and the engine decides."""
MONTH_CADENCE_MARGIN = timedelta(days=4)
"""Month and year cadences clamp at month ends differently in UTC and locally (up to 3 days)."""
_KEY_HELP = "use a reminder id or a key from `tinycrm due --json`"


def collect(
    store: Store,
    now_local: datetime,
    until: datetime | None = None,
    *,
    problems: list[str] | None = None,
) -> list[DueItem]:
    """Everything due by `until` (default: the end of today), overdue first, then by time.

    A stored row whose date or rule cannot be read is skipped; with a `problems` list, one
    sentence per skipped row is appended to it (for a warning on stderr or `check`).
    """
    tz = now_local.tzinfo
    if tz is None:
        raise ValueError("naive now")
    until = until or end_of_day(now_local, tz)
    today = now_local.date()
    last_day = until.astimezone(tz).date()
    first_day = today - timedelta(days=LOOKBACK_DAYS)

    states = store_due.occurrence_states(store)
    reach = today - timedelta(days=SNOOZE_REACH_DAYS)
    snoozed_yearly = [
        int(key.split(":", 2)[1])
        for key, state in states.items()
        if key.startswith(("birthday:", "anniversary:"))
        and state["state"] == "snoozed"
        and _key_day(key) >= reach
    ]
    if (last_day - first_day).days >= 366:
        solar: set[str] | None = None
        lunar: set[str] | None = None
    else:
        solar, lunar = month_days(first_day, last_day)
    yearly = store_due.yearly_contacts(store, solar, snoozed_yearly, lunar_month_days=lunar)
    contacts = {c["id"]: c for c in yearly}
    day_after = local_at(last_day + timedelta(days=1), tz)
    cadences = store_due.cadence_contacts(
        store, utc_iso(day_after + CADENCE_MARGIN), utc_iso(day_after + MONTH_CADENCE_MARGIN)
    )
    for c in cadences:
        contacts.setdefault(c["id"], c)

    limits = store_due.stage_limits(store)
    stale_before = {
        stage: utc_iso(local_at(last_day - timedelta(days=days_ - 1), tz) + timedelta(days=1))
        for stage, days_ in limits.items()
        if days_
    }
    deals = store_due.due_deals(store, last_day.isoformat(), stale_before)
    reminders = store_due.open_reminders(store, utc_iso(until))

    items = due_items(
        reminders=reminders,
        contacts=contacts.values(),
        deals=deals,
        occurrences=states,
        now=now_local,
        tz=tz,
        until=until,
        stage_limits=limits,
        problems=problems,
    )
    names = {d["contact_id"]: d["contact"] for d in deals}
    for item in items:
        if item.contact is None and item.contact_id is not None:
            item.contact = names.get(item.contact_id)
    return items + pool_warnings(store, now_local)


def pool_warnings(store: Store, now_local: datetime) -> list[DueItem]:
    """The acting user's customers the pool's rule takes within its warning days, due today.

    Keyed by the day the customer would go, so `due --notify` warns once; logging with the
    customer (or claiming it again) moves that day and the warning goes."""
    rule = store.pool_rule()
    if not rule or not rule.get("warn"):
        return []
    from .services.team import warnings

    tz = now_local.tzinfo or timezone.utc
    today = local_at(now_local.date(), tz)
    out = []
    for row in warnings(store, now_local=now_local, user=store.user):
        goes = parse_utc(row["returns_at"])
        out.append(DueItem(
            key=f"pool:{row['id']}:{goes.astimezone(tz).date().isoformat()}",
            id=None, contact_id=row["id"], deal_id=None,
            text=f"returns to the pool on {format_local(goes, tz, True)} unless you log with them",
            due=today, all_day=True, every=None, source="pool", contact=row["name"],
        ))  # fmt: skip
    return out


def _key_day(key: str) -> date:
    """The day at the end of an occurrence key (`birthday:12:2026-11-22` → 2026-11-22)."""
    return date.fromisoformat(key.rsplit(":", 1)[1][:10])


def _reminder_id(key_or_id: str | int) -> int | None:
    """The stored reminder an id or a `reminder:` key names; None for a derived key."""
    if isinstance(key_or_id, int):
        return key_or_id
    text = key_or_id.strip()
    if text.lstrip("#").isdigit():
        return int(text.lstrip("#"))
    if text.startswith("reminder:"):
        parts = text.split(":", 2)
        if len(parts) == 3 and parts[1].isdigit():
            return int(parts[1])
        raise InvalidData(f"invalid id or key '{key_or_id}': {_KEY_HELP}")
    if text.split(":", 1)[0] not in DERIVED:
        raise InvalidData(f"invalid id or key '{key_or_id}': {_KEY_HELP}")
    return None


def _open_reminder(store: Store, key_or_id: str | int) -> Reminder | None:
    """The open stored reminder named by an id or key (None when the key is a derived one)."""
    reminder_id = _reminder_id(key_or_id)
    if reminder_id is None:
        return None
    reminder = store.get_reminder(reminder_id)
    if reminder["done_at"] is not None:
        raise Conflict(f"reminder {reminder_id} is already done")
    if isinstance(key_or_id, str) and key_or_id.strip().startswith("reminder:"):
        if key_or_id.strip().split(":", 2)[2] != reminder["due"]:
            raise Conflict(f"that occurrence of reminder {reminder_id} is already handled")
    return reminder


def find(store: Store, key: str, now_local: datetime) -> DueItem:
    """The due (or upcoming) derived item with this key, or NotFound."""
    if _reminder_id(key) is not None:
        raise InvalidData(f"'{key}' is a stored reminder, not a derived item")
    try:
        day = _key_day(key)
    except ValueError:
        raise InvalidData(f"invalid id or key '{key}': {_KEY_HELP}") from None
    tz = now_local.tzinfo
    assert tz is not None
    horizon = end_of_day(max(now_local, local_at(day, tz)), tz)
    state = store_due.occurrence_states(store).get(key)
    if state and state.get("until"):
        horizon = max(horizon, end_of_day(parse_utc(state["until"]), tz))
    for item in collect(store, now_local, horizon):
        if item.key == key:
            return item
    raise NotFound(f"nothing open is due under the key '{key}'")


def mark_done(store: Store, key_or_id: str | int, now_local: datetime) -> str:
    """Handle one occurrence: a recurring reminder moves on, a one-off is done, a derived one recorded.

    Read and write are one transaction, so two runs marking the same daily reminder done at
    once move it one day, not two. Returns a one-line description of what happened.
    """
    with store.write(f"remind done {key_or_id}"):
        return _mark_done(store, key_or_id, now_local)


def _mark_done(store: Store, key_or_id: str | int, now_local: datetime) -> str:
    tz = now_local.tzinfo
    assert tz is not None  # for mypy: the local now is aware
    reminder = _open_reminder(store, key_or_id)
    if reminder is not None:
        rid = reminder["id"]
        nxt = next_due_after_done(reminder, now_local, tz) if reminder["every"] else None
        if nxt is not None:
            store.update_reminder(rid, f"remind done {rid}", due=nxt)
            return f"done {rid}: {reminder['text']}; next due {format_local(nxt, tz, reminder['all_day'])}"
        store.update_reminder(rid, f"remind done {rid}", done_at=now_local)
        ended = " (its rule has no more occurrences)" if reminder["every"] else ""
        return f"done {rid}: {reminder['text']}{ended}"
    item = find(store, str(key_or_id).strip(), now_local)
    store.set_occurrence(item.key, "done")
    return f"done: {item.text} [{item.key}]"


def snooze(
    store: Store,
    key_or_id: str | int,
    until: datetime,
    *,
    all_day: bool = False,
    now_local: datetime | None = None,
) -> str:
    """Move one occurrence to `until`; a stored reminder's due moves (its anchor stays).

    With `all_day` (a WHEN without a time, such as `tomorrow`) a timed reminder keeps its time
    of day on the new day. One transaction, like `mark_done`. Returns a one-line description.
    """
    with store.write(f"remind snooze {key_or_id}"):
        return _snooze(store, key_or_id, until, all_day=all_day, now_local=now_local)


def _snooze(
    store: Store,
    key_or_id: str | int,
    until: datetime,
    *,
    all_day: bool,
    now_local: datetime | None,
) -> str:
    if until.tzinfo is None:
        raise ValueError("naive until")
    tz = until.tzinfo if now_local is None else now_local.tzinfo
    assert tz is not None  # `until` is aware (checked above), and so is every local now
    now = now_local or store.now().astimezone(tz)
    reminder = _open_reminder(store, key_or_id)
    if reminder is not None:
        rid = reminder["id"]
        target = until
        if all_day and not reminder["all_day"]:
            try:
                old = parse_utc(reminder["due"]).astimezone(tz)
            except ValueError:  # an unreadable stored due: the snooze replaces it
                old = until.astimezone(tz)
            target = local_at(until.astimezone(tz).date(), tz, old.hour, old.minute)
        shown_all_day = bool(reminder["all_day"]) and (target.hour, target.minute) == (0, 0)
        if _not_later(target, now, shown_all_day):
            raise InvalidData(f"cannot snooze into the past ({format_local(target, tz, shown_all_day)})")
        changes: dict[str, Any] = {"due": target}
        if reminder["all_day"] and not shown_all_day:
            changes["all_day"] = 0
        store.update_reminder(rid, f"remind snooze {rid}", **changes)
        return f"snoozed {rid} until {format_local(target, tz, shown_all_day)}: {reminder['text']}"
    item = find(store, str(key_or_id).strip(), now)
    shown_all_day = item.all_day and (until.hour, until.minute) == (0, 0)
    if _not_later(until, now, shown_all_day):
        raise InvalidData(f"cannot snooze into the past ({format_local(until, tz, shown_all_day)})")
    store.set_occurrence(item.key, "snoozed", until.astimezone(timezone.utc))
    return f"snoozed until {format_local(until, tz, shown_all_day)}: {item.text} [{item.key}]"


def _not_later(target: datetime, now: datetime, all_day: bool) -> bool:
    """True when a snooze would land in the past: before today (all-day) or before now."""
    if all_day:
        return target.astimezone(now.tzinfo).date() < now.date()
    return target <= now


def notify_once(store: Store, items: list[DueItem], send: Callable[[list[DueItem]], object]) -> list[DueItem]:
    """Send the occurrences nobody has sent yet, each exactly once however many runs overlap.

    The occurrences are claimed in one write transaction before `send` runs, confirmed after
    it returns, and released for the next run when it raises. Returns what this run sent.
    """
    claimed = set(store.claim_notifications(item.key for item in items))
    mine = [item for item in items if item.key in claimed]
    if not mine:
        return []
    try:
        send(mine)
    except BaseException:
        store.release_notifications(claimed)
        raise
    store.confirm_notifications(claimed)
    return mine


def horizon(now_local: datetime, within: str | None = None) -> datetime:
    """The end of `due`'s window: the end of today, or of the day `within` (a DURATION) reaches.

    An hour duration (`12h`) reaches exactly that far instead of a day's end.
    """
    tz = now_local.tzinfo
    assert tz is not None
    if not within:
        return end_of_day(now_local, tz)
    from .dates import parse_duration

    delta = parse_duration(within)
    if delta.hours:
        return now_local + delta
    return end_of_day(local_at(now_local.date() + delta, tz), tz)


def add_reminder(
    store: Store,
    ref: str | None,
    when: str,
    text: str,
    *,
    now_local: datetime,
    every: str | None = None,
    from_done: bool = False,
    deal_id: int | None = None,
) -> Reminder:
    """A manual reminder for a contact (REF), a deal, or nobody (REF `-`: a personal one), due at a WHEN."""
    from .dates import parse_when

    due = parse_when(when, now_local)
    if from_done and not every:
        raise InvalidData("--from-done needs --every RULE")
    contact_id = store.resolve(ref)["id"] if ref not in (None, "", "-") else None
    if deal_id is not None:
        deal = store.get_deal(deal_id)
        if contact_id is not None and deal["contact_id"] != contact_id:
            raise InvalidData(f"deal {deal_id} belongs to another contact ({deal['contact']})")
    return store.add_reminder(
        contact_id,
        due.at,
        text,
        all_day=due.all_day,
        every=every,
        from_done=from_done,
        deal_id=deal_id,
    )
