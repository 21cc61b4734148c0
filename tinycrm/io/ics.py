"""iCalendar export (RFC 5545, through the icalendar library) of what tinycrm will bring up.

A pure module over the plain records `tinycrm.store.due.export_*` return, so any calendar
app can subscribe to the file:

- open stored reminders and follow-ups, with an RRULE when the reminder recurs. tinycrm's
  month steps clamp to the month end and come back (31 Jan → 28 Feb → 31 Mar), which plain
  `FREQ=MONTHLY` does not (it skips short months), so a day after the 28th becomes
  `BYMONTHDAY=31,-1;BYSETPOS=1` ("the 31st, or the month's last day"); 29 Feb yearly likewise.
  A `--from-done` rule depends on when it is done, so it is a single event. A snoozed
  recurring reminder is the snoozed occurrence plus the series from its next regular one.
- birthdays and anniversaries as yearly all-day events; 29 Feb as `BYMONTH=2;BYMONTHDAY=-1`
  (the last day of February: the 29th in leap years, the 28th otherwise, as `due` does).
  iCalendar has no lunar rule, so lunar dates are one event per year for `LUNAR_YEARS` years.
- open deals at their expected close date.

Keep-in-touch cadences are left out: they move with every interaction and would be
thousands of events. UIDs are stable (`reminder-5@tinycrm`, `birthday-12@tinycrm`,
`birthday-12-2027@tinycrm` for lunar year 2027, `anniversary-12-<label hash>@tinycrm`,
`deal-3@tinycrm`), so a calendar updates events instead of duplicating them, and DTSTAMP
is the store's clock, so an export of unchanged data at the same clock is byte-identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from icalendar import Calendar, Event, vRecur
from lunardate import LunarDate

from .. import __version__
from ..dates import parse_rule, parse_utc
from ..errors import InvalidData
from ..reminders import contact_problem, deal_problem, reminder_problem, yearly_dates

LUNAR_YEARS = 10
"""Lunar birthdays and anniversaries are written for this many years from the export's year."""
DOMAIN = "tinycrm"
_STEP_FREQ = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY", "h": "HOURLY"}
_WORD_FREQ = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}

Row = Mapping[str, Any]
_UNREADABLE = (ValueError, OverflowError, TypeError, KeyError, IndexError, InvalidData)


def rrule_of(every: str, anchor: datetime) -> str:
    """The RFC 5545 RRULE of a stored RULE anchored at its first due (local)."""
    text = parse_rule(every).text
    if text in _WORD_FREQ:
        freq, interval = _WORD_FREQ[text], 1
    elif text[:-1].isdigit() and text[-1] in _STEP_FREQ:
        freq, interval = _STEP_FREQ[text[-1]], int(text[:-1])
    else:
        return text  # already an RRULE, counted from the anchor like the engine does
    parts = [f"FREQ={freq}"] + ([f"INTERVAL={interval}"] if interval > 1 else [])
    if freq == "MONTHLY" and anchor.day > 28:
        parts.append(f"BYMONTHDAY={anchor.day},-1;BYSETPOS=1")
    elif freq == "YEARLY" and (anchor.month, anchor.day) == (2, 29):
        parts.append("BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1")
    return ";".join(parts)


def _uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + f"@{DOMAIN}"


def _label_hash(label: str) -> str:
    """A short stable id for an anniversary label (labels may be CJK or contain spaces)."""
    return hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]


def _event(uid: str, summary: str, stamp: datetime, category: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("categories", [category])
    return event


def _all_day(event: Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))


def _start(event: Event, at: datetime, all_day: bool, tz: tzinfo) -> None:
    """DTSTART (and DTEND for a day) in the local zone, so recurrences keep the wall clock."""
    local = at.astimezone(tz)
    if all_day:
        _all_day(event, local.date())
    elif getattr(tz, "key", None):
        event.add("dtstart", local)  # TZID=<zone>; the VTIMEZONE is added at the end
    else:
        event.add("dtstart", at.astimezone(timezone.utc))


def _reminder_events(rem: Row, tz: tzinfo, stamp: datetime) -> list[Event]:
    """One stored reminder: a single event, a series, or a snoozed occurrence plus its series."""
    summary = rem["text"] + (f" — {rem['contact']}" if rem.get("contact") else "")
    due = parse_utc(rem["due"]).astimezone(tz)
    all_day = bool(rem["all_day"]) and (due.hour, due.minute) == (0, 0)
    source = rem.get("source") or "manual"
    every = rem.get("every")
    if not every or rem.get("from_done"):
        event = _event(_uid("reminder", rem["id"]), summary, stamp, source)
        _start(event, due, all_day, tz)
        if every:
            event.add("description", f"repeats {every} after it is done")
        return [event]
    rule = parse_rule(every)
    anchor = parse_utc(rem["anchor"]).astimezone(tz) if rem.get("anchor") else due
    start = due
    events: list[Event] = []
    on_rule = due == anchor or (
        anchor < due and rule.next_after(anchor, after=due - timedelta(seconds=1)) == due
    )
    if not on_rule:
        # snoozed off its rule: the snoozed occurrence alone, then the series from the next one
        single = _event(_uid("reminder", rem["id"]), summary, stamp, source)
        _start(single, due, all_day, tz)
        events.append(single)
        nxt = anchor if anchor > due else rule.next_after(anchor, after=due)
        if nxt is None:
            return events
        start = nxt
    uid = _uid("reminder", rem["id"], "series") if events else _uid("reminder", rem["id"])
    series = _event(uid, summary, stamp, source)
    rrule = rrule_of(every, anchor)
    # hour steps count elapsed time, as the engine does: written in UTC, not wall-clock
    _start(series, start, all_day, timezone.utc if rule.sub_daily else tz)
    series.add("rrule", vRecur.from_ical(rrule))
    events.append(series)
    return events


def _yearly_events(contact: Row, tz: tzinfo, stamp: datetime, today: date) -> list[Event]:
    """A contact's birthday and anniversaries: yearly events, or one per year when lunar."""
    name = contact.get("name") or "?"
    found: list[tuple[str, str, str, bool, str]] = []  # uid base, summary, stored, lunar, category
    if contact.get("birthday"):
        found.append(
            (f"birthday-{contact['id']}", f"{name}'s birthday", contact["birthday"],
             bool(contact.get("birthday_lunar")), "birthday")
        )  # fmt: skip
    for ann in contact.get("anniversaries") or ():
        if ann.get("date"):
            label = ann.get("label") or "anniversary"
            found.append(
                (f"anniversary-{contact['id']}-{_label_hash(label)}", f"{name}'s {label}",
                 ann["date"], bool(ann.get("lunar")), "anniversary")
            )  # fmt: skip
    events: list[Event] = []
    for base, summary, stored, lunar, category in found:
        month_day = stored[-5:]
        if lunar:
            span_end = date(today.year + LUNAR_YEARS, 1, 1) - timedelta(days=1)
            for day in yearly_dates(stored, True, date(today.year, 1, 1), span_end):
                # named by the lunar year: a 12th-month date can fall twice in one Gregorian year
                lunar_year = LunarDate.from_solar_date(day.year, day.month, day.day).year
                event = _event(f"{base}-{lunar_year}@{DOMAIN}", f"{summary} (lunar {month_day})",
                               stamp, category)  # fmt: skip
                _all_day(event, day)
                events.append(event)
            continue
        event = _event(f"{base}@{DOMAIN}", summary, stamp, category)
        year = int(stored[:4]) if not stored.startswith("--") else 2000  # 2000: a leap year
        month, mday = int(month_day[:2]), int(month_day[3:])
        _all_day(event, date(year, month, mday))
        if (month, mday) == (2, 29):
            event.add("rrule", vRecur.from_ical("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"))
        else:
            event.add("rrule", vRecur.from_ical("FREQ=YEARLY"))
        events.append(event)
    return events


def _deal_event(deal: Row, stamp: datetime) -> Event:
    title = deal.get("title") or "?"
    summary = f"Deal '{title}' expected to close" + (f" — {deal['contact']}" if deal.get("contact") else "")
    event = _event(_uid("deal", deal["id"]), summary, stamp, "deal")
    _all_day(event, date.fromisoformat(deal["close_date"]))
    if deal.get("value_minor") is not None:
        minor, currency = deal["value_minor"], deal.get("currency") or ""
        event.add("description", f"{minor // 100}.{minor % 100:02d} {currency}, {deal['stage']}")
    return event


def calendar(
    *,
    reminders: Iterable[Row] = (),
    contacts: Iterable[Row] = (),
    deals: Iterable[Row] = (),
    now: datetime,
    tz: tzinfo,
    problems: list[str] | None = None,
) -> Calendar:
    """The calendar of these records; `now` (aware) is every event's DTSTAMP.

    A record whose stored date or rule cannot be read is left out rather than failing the
    export; with a `problems` list, one sentence per record left out is appended to it.
    """
    skipped = problems if problems is not None else []
    stamp = now.astimezone(timezone.utc)
    today = now.astimezone(tz).date()
    cal = Calendar()
    cal.add("prodid", f"-//tinycrm//tinycrm {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "tinycrm")
    for rem in reminders:
        try:
            events = _reminder_events(rem, tz, stamp)
        except _UNREADABLE:
            skipped.append(reminder_problem(rem) or f"reminder {rem.get('id')}: unreadable")
            continue
        for event in events:
            cal.add_component(event)
    for contact in contacts:
        try:
            events = _yearly_events(contact, tz, stamp, today)
        except _UNREADABLE:
            skipped.append(contact_problem(contact) or f"contact {contact.get('id')}: unreadable")
            continue
        for event in events:
            cal.add_component(event)
    for deal in deals:
        if deal.get("close_date") and deal.get("status", "open") == "open":
            try:
                event = _deal_event(deal, stamp)
            except _UNREADABLE:
                skipped.append(deal_problem(deal) or f"deal {deal.get('id')}: unreadable")
                continue
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def to_bytes(cal: Calendar) -> bytes:
    """The file's bytes (CRLF lines, folded at 75 octets, UTF-8)."""
    return cal.to_ical()
