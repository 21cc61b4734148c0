"""What is due: pure functions of (records, now, tz); no SQL, no I/O, no clock.

Inputs are the plain dicts the store returns. Stored reminders are due at their `due`;
everything else is derived: birthdays and anniversaries (yearly, 29 Feb on 28 Feb in
common years, lunar dates through the Chinese calendar), keep-in-touch cadences and deals
at their close date or stuck in a stage. Each occurrence has a stable `key`
(`birthday:12:2026-03-04`), which is what done/snooze states and "notify once" hang on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache, partial
from types import ModuleType

from .dates import (
    _duration_parts,
    check_birthday,
    check_plan_date,
    local_at,
    parse_duration,
    parse_rule,
    parse_utc,
    utc_iso,
)
from .errors import InvalidData

_UNREADABLE = (ValueError, OverflowError, TypeError, KeyError, IndexError, InvalidData)
"""What a stored value that cannot be read raises; one such row is skipped, never fatal."""

LOOKBACK_DAYS = 7
"""A birthday or anniversary stays on the list, overdue, this many days unless marked done."""

SNOOZE_REACH_DAYS = 31
"""How far back a snoozed birthday or anniversary is still brought back when its snooze ends."""

TYPE_CHECKING = False  # `import typing` costs ~5 ms of `due`'s start-up; annotations are strings
if TYPE_CHECKING:
    from typing import Any

    from dateutil.relativedelta import relativedelta
    from lunardate import LunarDate

    Row = Mapping[str, Any]


def _isleap(year: int) -> bool:
    """calendar.isleap without importing calendar (and locale) on `due`'s start-up path."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class DueItem:
    """One occurrence of something due.

    `id` is the reminder's id for stored reminders (manual, follow-up) and None for derived
    items (birthday, anniversary, cadence, deal); `key` identifies every occurrence and is
    what done/snooze states are recorded under. `due` is aware, in the caller's zone.

    A plain class with __slots__ rather than a dataclass: `import dataclasses` pulls in
    `inspect` (~10 ms), and this module is on the start-up path of `tinycrm due`.
    """

    __slots__ = (
        "key", "id", "contact_id", "deal_id", "text", "due", "all_day", "every", "source",
        "contact", "overdue",
    )  # fmt: skip

    def __init__(
        self,
        key: str,
        id: int | None,  # noqa: A002 - the JSON contract's name
        contact_id: int | None,
        deal_id: int | None,
        text: str,
        due: datetime,
        all_day: bool,
        every: str | None,
        source: str,
        contact: str | None = None,
        overdue: bool = False,
    ) -> None:
        self.key = key
        self.id = id
        self.contact_id = contact_id
        self.deal_id = deal_id
        self.text = text
        self.due = due
        self.all_day = all_day
        self.every = every
        self.source = source
        self.contact = contact
        self.overdue = overdue

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DueItem):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"DueItem({inner})"

    def to_json(self, tz: tzinfo) -> dict[str, Any]:
        """The JSON contract: `due` is local 'YYYY-MM-DD' when all-day, else ISO with offset."""
        local = self.due.astimezone(tz)
        due = local.date().isoformat() if self.all_day else local.isoformat(timespec="seconds")
        return {
            "key": self.key,
            "id": self.id,
            "source": self.source,
            "text": self.text,
            "due": due,
            "all_day": self.all_day,
            "overdue": self.overdue,
            "every": self.every,
            "contact_id": self.contact_id,
            "contact": self.contact,
            "deal_id": self.deal_id,
        }


def end_of_day(now: datetime, tz: tzinfo) -> datetime:
    """The last second of `now`'s local day: the default horizon of `due`."""
    return local_at(now.astimezone(tz).date() + timedelta(days=1), tz) - timedelta(seconds=1)


# --- birthdays and anniversaries -------------------------------------------------------


def _split(stored: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) of a stored 'YYYY-MM-DD' or '--MM-DD'."""
    if stored.startswith("--"):
        return None, int(stored[2:4]), int(stored[5:7])
    return int(stored[0:4]), int(stored[5:7]), int(stored[8:10])


def lunar_date_class() -> type[LunarDate]:
    """lunardate's `LunarDate`, loaded without `typing` when nothing has loaded typing yet.

    `due` reads lunar birthdays on every run, and `import typing` is ~3 ms of its start-up
    (a sixth of a bare interpreter's) that nothing else on its path needs: lunardate imports
    it only for annotations (`from __future__ import annotations`, never evaluated) and
    `@overload`. So its module runs with a stand-in for those names, and any surprise (a
    lunardate that needs more of typing) falls back to the ordinary import.
    """
    module = sys.modules.get("lunardate")
    if module is None and "typing" not in sys.modules:
        module = _lunardate_without_typing()
    if module is None:
        import lunardate

        module = lunardate
    found: type[LunarDate] = module.LunarDate
    return found


def _typing_stand_in() -> ModuleType:
    """What lunardate takes from typing, with no runtime meaning: names for annotations, `overload`."""
    stand_in = ModuleType("typing")
    for name in ("ClassVar", "Iterator", "Optional", "Union"):
        setattr(stand_in, name, None)
    stand_in.overload = lambda function: function  # type: ignore[attr-defined]
    return stand_in


def _lunardate_without_typing() -> ModuleType | None:
    """The lunardate module executed with `typing` answered by `_typing_stand_in` (None if that fails)."""
    import builtins
    from importlib.machinery import PathFinder  # frozen: already loaded

    spec = PathFinder.find_spec("lunardate")
    if spec is None or spec.loader is None:
        return None
    stand_in = _typing_stand_in()
    real_import = builtins.__import__

    def _import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "typing":
            return stand_in
        return real_import(name, *args, **kwargs)

    module = ModuleType(spec.name)
    module.__spec__, module.__loader__, module.__file__ = spec, spec.loader, spec.origin
    # only this module's own imports see the stand-in: the process's builtins are untouched
    module.__builtins__ = {**vars(builtins), "__import__": _import}  # type: ignore[attr-defined]
    try:
        spec.loader.exec_module(module)
    except Exception:  # noqa: BLE001 - any other lunardate: import it as usual
        return None
    return sys.modules.setdefault("lunardate", module)


@lru_cache(maxsize=4096)
def _lunar_to_solar(lunar_year: int, month: int, day: int) -> date | None:
    """Gregorian day of a lunar month/day (never the leap month; day 30 → 29 when short)."""
    LunarDate = lunar_date_class()  # noqa: N806 - the class, named as lunardate names it

    for d in (day, 29) if day == 30 else (day,):
        try:
            return LunarDate(lunar_year, month, d, False).to_solar_date()
        except ValueError:
            continue
    return None


def _occurrences(stored: str, lunar: bool, start: date, end: date) -> list[tuple[date, int | None]]:
    """Each (Gregorian day, years since the stored year or None) of a yearly date in the span."""
    year, month, day = _split(stored)
    found: list[tuple[date, int | None]] = []
    if lunar:
        for ly in range(start.year - 1, end.year + 1):
            d = _lunar_to_solar(ly, month, day)
            if d is not None and start <= d <= end:
                found.append((d, ly - year if year else None))
        return found
    for y in range(start.year, end.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:  # 29 Feb in a common year
            d = date(y, month, 28)
        if start <= d <= end:
            found.append((d, y - year if year else None))
    return found


def yearly_dates(stored: str, lunar: bool, start: date, end: date) -> list[date]:
    """Every Gregorian day a stored yearly date (birthday, anniversary) falls on in a span."""
    return [day for day, _ in _occurrences(stored, lunar, start, end)]


def birthday_on(birthday: str, lunar: bool, year: int) -> date | None:
    """The Gregorian day of a birthday in Gregorian `year` (None if a lunar one misses it)."""
    found = _occurrences(birthday, lunar, date(year, 1, 1), date(year, 12, 31))
    return found[0][0] if found else None


def age_on(birthday: str, lunar: bool, day: date) -> int | None:
    """Age reached by `day` (lunar birthdays count lunar years); None without a birth year."""
    year, _, _ = _split(birthday)
    if year is None:
        return None
    this_year = _occurrences(birthday, lunar, day - timedelta(days=400), day)
    return this_year[-1][1] if this_year else None


class _Calendar:
    """Which stored month-days fall on which days of a window, Gregorian and lunar.

    Built once per `due_items` call so each contact costs one dict look-up, not a calendar
    conversion; it gives the same days as `_occurrences`.
    """

    def __init__(self, start: date, end: date) -> None:
        self.days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        self._index: dict[bool, dict[str, list[tuple[date, int]]]] = {}

    def hits(self, stored: str, lunar: bool) -> list[tuple[date, int]]:
        """(Gregorian day, year of the occurrence: Gregorian or lunar) of a stored date."""
        if lunar not in self._index:
            self._index[lunar] = self._lunar() if lunar else self._solar()
        return self._index[lunar].get(stored[-5:], [])  # both stored forms end in MM-DD

    def _solar(self) -> dict[str, list[tuple[date, int]]]:
        index: dict[str, list[tuple[date, int]]] = {}
        for d in self.days:
            index.setdefault(f"{d.month:02d}-{d.day:02d}", []).append((d, d.year))
            if (d.month, d.day) == (2, 28) and not _isleap(d.year):
                index.setdefault("02-29", []).append((d, d.year))
        return index

    def _lunar(self) -> dict[str, list[tuple[date, int]]]:
        LunarDate = lunar_date_class()  # noqa: N806 - the class, named as lunardate names it

        index: dict[str, list[tuple[date, int]]] = {}
        for d in self.days:
            try:
                ld = LunarDate.from_solar_date(d.year, d.month, d.day)
            except ValueError:
                continue
            if ld.is_leap_month:
                continue
            index.setdefault(f"{ld.month:02d}-{ld.day:02d}", []).append((d, ld.year))
            if ld.day == 29 and _lunar_to_solar(ld.year, ld.month, 30) == d:
                index.setdefault(f"{ld.month:02d}-30", []).append((d, ld.year))
        return index


def month_days(start: date, end: date) -> tuple[set[str], set[str]]:
    """The stored month-days ('MM-DD') of Gregorian and of lunar dates falling in a span.

    The store reads only the birthdays whose month-day is in these sets: 29 Feb is in the
    Gregorian set when 28 Feb of a common year is in the span, a lunar day 30 when its month
    is short, so the sets hold exactly what `due_items` would find in the span.
    """
    cal = _Calendar(start, end)
    return set(cal._solar()), set(cal._lunar())


def _plural(n: int, word: str) -> str:
    """'1 year', '2 years'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _yearly_items(contact: Row, cal: _Calendar, tz: tzinfo) -> list[DueItem]:
    """Birthday and anniversary occurrences of one contact in the window."""
    items: list[DueItem] = []
    cid, name = contact["id"], contact.get("name") or "?"
    birthday = contact.get("birthday")
    if birthday:  # the common case, one dict look-up when its day is not in the window
        hits = cal.hits(birthday, bool(contact.get("birthday_lunar")))
        if hits:
            year = _split(birthday)[0]
            for day, that_year in hits:
                years = that_year - year if year else None
                if years is not None and years < 1:
                    continue  # the day itself, or before it
                text = f"{name}'s birthday (turns {years})" if years else f"{name}'s birthday"
                items.append(DueItem(f"birthday:{cid}:{day.isoformat()}", None, cid, None, text,
                                     _midnight(day, tz), True, None, "birthday", name))  # fmt: skip
    for ann in contact.get("anniversaries") or ():
        stored = ann.get("date")
        if not stored:
            continue
        hits = cal.hits(stored, bool(ann.get("lunar")))
        year = _split(stored)[0] if hits else None
        label = ann.get("label")
        for day, that_year in hits:
            years = that_year - year if year else None
            if years is not None and years < 1:
                continue
            text = f"{name}'s {label or 'anniversary'}"
            text += f" ({_plural(years, 'year')})" if years else ""
            items.append(DueItem(f"anniversary:{cid}:{label or ''}:{day.isoformat()}", None, cid, None,
                                 text, _midnight(day, tz), True, None, "anniversary", name))  # fmt: skip
    return items


# --- cadence, deals, stored reminders --------------------------------------------------


def _ago(days: int) -> str:
    """'today', '1 day ago', '45 days ago'."""
    return "today" if days == 0 else f"{_plural(days, 'day')} ago"


@lru_cache(maxsize=4096)
def _midnight(day: date, tz: tzinfo) -> datetime:
    """`local_at(day, tz)`, memoised: thousands of derived items share a few hundred days."""
    return local_at(day, tz)


_STEPS = {"d": "days", "w": "weeks", "h": "hours"}


@lru_cache(maxsize=256)
def _cadence_step(every: str) -> timedelta | relativedelta | None:
    """A contact's cadence, or None if the stored text is not a DURATION.

    Days, weeks and hours are a timedelta: the same days as `parse_duration`'s relativedelta
    gives, 20x cheaper to add, and dateutil (with calendar and locale, ~3 ms) stays unloaded
    on `due`'s start-up; months and years keep relativedelta's month-end clamp.
    """
    try:
        count, unit = _duration_parts(every)
        if unit in _STEPS:
            return timedelta(**{_STEPS[unit]: count})
        return parse_duration(every)
    except InvalidData:
        return None  # the store validates on write; one bad row must not break `due`


def _cadence_item(contact: Row, delta: timedelta | relativedelta, today: date, tz: tzinfo) -> DueItem:
    """The keep-in-touch occurrence of a contact: last contact + cadence, as an all-day item."""
    last = contact.get("last_contacted_at")
    name = contact.get("name") or "?"
    if last:
        last_local = parse_utc(last).astimezone(tz)
        if type(delta) is timedelta:  # days, weeks, hours: wall-clock arithmetic
            day = (last_local + delta).date()
        else:  # months and years
            day = last_local.date() + delta
        note = f"last {_ago((today - last_local.date()).days)}"
    else:
        created = contact.get("created_at")
        day = parse_utc(created).astimezone(tz).date() if created else today
        note = "never contacted"
    text = f"Keep in touch with {name} (every {contact['every']}, {note})"
    key = f"cadence:{contact['id']}:{day.isoformat()}"
    due = _midnight(day, tz)
    return DueItem(key, None, contact["id"], None, text, due, True, None, "cadence", name)


def _deal_items(deal: Row, stage_limits: Mapping[str, int | None], today: date, tz: tzinfo) -> list[DueItem]:
    """An open deal's close-date occurrence and its stale-in-stage occurrence."""
    if deal.get("status", "open") != "open":
        return []
    items: list[DueItem] = []
    did, cid, title = deal["id"], deal.get("contact_id"), deal.get("title") or "?"
    if deal.get("close_date"):
        day = date.fromisoformat(deal["close_date"])
        text = f"Deal '{title}' expected to close"
        key = f"deal-close:{did}:{day.isoformat()}"
        items.append(DueItem(key, None, cid, did, text, _midnight(day, tz), True, None, "deal"))
    stage, limit = deal.get("stage"), stage_limits.get(deal.get("stage") or "")
    if limit and deal.get("stage_entered_at"):
        entered = parse_utc(deal["stage_entered_at"]).astimezone(tz).date()
        day = entered + timedelta(days=limit)
        text = f"Deal '{title}' stale in {stage} for {_plural((today - entered).days, 'day')}"
        key = f"deal-stale:{did}:{stage}:{day.isoformat()}"
        items.append(DueItem(key, None, cid, did, text, _midnight(day, tz), True, None, "deal"))
    return items


def _reminder_item(reminder: Row, tz: tzinfo) -> DueItem:
    """A stored reminder (manual or follow-up) as a due item."""
    due = parse_utc(reminder["due"]).astimezone(tz)
    get = reminder.get
    return DueItem(  # key, id, contact_id, deal_id, text, due, all_day, every, source, contact
        f"reminder:{reminder['id']}:{reminder['due']}", reminder["id"], get("contact_id"),
        get("deal_id"), get("text") or "", due, bool(get("all_day")), get("every"),
        get("source") or "manual", get("contact"),
    )


def _apply_state(item: DueItem, state: Row | None, tz: tzinfo) -> DueItem | None:
    """Drop a done occurrence; move a snoozed one to the end of its snooze."""
    if state is None:
        return item
    if state.get("state") == "done" or not state.get("until"):
        return None  # done, or snoozed with no end
    item.due = parse_utc(state["until"]).astimezone(tz)
    item.all_day = item.all_day and (item.due.hour, item.due.minute) == (0, 0)
    return item


def due_items(
    *,
    reminders: Iterable[Row] = (),
    contacts: Iterable[Row] = (),
    deals: Iterable[Row] = (),
    occurrences: Mapping[str, Row] | None = None,
    now: datetime,
    tz: tzinfo,
    until: datetime | None = None,
    stage_limits: Mapping[str, int | None] | None = None,
    problems: list[str] | None = None,
) -> list[DueItem]:
    """Everything due by `until` (default: end of today), overdue first, then by due and text.

    Pass every contact with a birthday, anniversary or cadence, plus those the reminders and
    deals point at (for their names). Open reminders are those with `done_at` None.
    A row whose stored date or rule cannot be read is left out, not fatal for the whole book;
    pass a list as `problems` to get one sentence per row left out.
    """
    skipped = problems if problems is not None else []
    occurrences = occurrences or {}
    stage_limits = stage_limits or {}
    until = until or end_of_day(now, tz)
    today = now.astimezone(tz).date()
    last_day = until.astimezone(tz).date()
    shown_from = today - timedelta(days=LOOKBACK_DAYS)
    recent = _Calendar(shown_from, last_day)
    # contacts with a done/snoozed birthday or anniversary look further back, for snoozes
    reach = _Calendar(today - timedelta(days=SNOOZE_REACH_DAYS), last_day)
    stated = {k.split(":", 2)[1] for k in occurrences if k.startswith(("birthday:", "anniv"))}
    contacts = list(contacts)
    # a cadence is certainly not due if the last contact is after this (month ends move
    # a due day by up to 3 days, DST by an hour), so most contacts cost a text comparison
    latest: dict[str, str] = {}

    candidates: list[DueItem] = []
    for r in reminders:
        if r.get("done_at") is None:
            try:
                candidates.append(_reminder_item(r, tz))
            except _UNREADABLE:
                skipped.append(reminder_problem(r) or f"reminder {r.get('id')}: unreadable")
    for c in contacts:
        try:
            bday = c.get("birthday")
            cal = reach if stated and str(c["id"]) in stated else recent
            if (bday and cal.hits(bday, bool(c.get("birthday_lunar")))) or c.get("anniversaries"):
                if cal is recent:  # its days start at shown_from
                    candidates += _yearly_items(c, cal, tz)
                else:
                    for item in _yearly_items(c, cal, tz):
                        if item.key in occurrences or item.due.date() >= shown_from:
                            candidates.append(item)
            every = c.get("every")
            if not every:
                continue
            delta = _cadence_step(every)
            if delta is None:
                continue
            if every not in latest:
                edge = local_at(last_day + timedelta(days=1), tz) - delta + timedelta(days=4)
                latest[every] = utc_iso(edge)
            last = c.get("last_contacted_at")
            if not last or last <= latest[every]:
                candidates.append(_cadence_item(c, delta, today, tz))
        except _UNREADABLE:
            skipped.append(contact_problem(c) or f"contact {c.get('id')}: unreadable")
    for d in deals:
        try:
            candidates.extend(_deal_items(d, stage_limits, today, tz))
        except _UNREADABLE:
            skipped.append(deal_problem(d) or f"deal {d.get('id')}: unreadable")

    items: list[DueItem] = []
    names: dict[int, str | None] | None = None
    for item in candidates:
        state = occurrences.get(item.key) if occurrences else None
        kept: DueItem | None = item
        if state is not None:
            try:
                kept = _apply_state(item, state, tz)
            except _UNREADABLE:
                skipped.append(f"{item.key}: its snooze time is unreadable")
                continue
        if kept is None or kept.due > until:
            continue
        if kept.contact is None and kept.contact_id is not None:
            names = names if names is not None else {c["id"]: c.get("name") for c in contacts}
            kept.contact = names.get(kept.contact_id)
        kept.overdue = kept.due.date() < today if kept.all_day else kept.due < now
        items.append(kept)
    items.sort(key=lambda i: (not i.overdue, i.due, i.text))
    return items


# --- rows that cannot be read ----------------------------------------------------------


def _problem(what: str, check: Callable[[], object]) -> str | None:
    """`what` and the reason when `check()` fails on a stored value, else None."""
    try:
        check()
    except InvalidData as exc:
        return f"{what}: {exc}"
    except _UNREADABLE:
        return f"{what}: unreadable"
    return None


def _stored_time(value: object, what: str) -> None:
    """A stored UTC time that falls in the plan years and parses."""
    check_plan_date(str(value), what)
    parse_utc(str(value))


def reminder_problem(reminder: Row) -> str | None:
    """Why a stored reminder cannot be brought up (its due, anchor or rule), or None."""
    rid = reminder.get("id")
    for field in ("due", "anchor"):
        if reminder.get(field):
            value = reminder[field]
            found = _problem(f"reminder {rid}", partial(_stored_time, value, field))
            if found:
                return found
    if reminder.get("every"):
        return _problem(f"reminder {rid}", lambda: parse_rule(str(reminder["every"])))
    return None


def contact_problem(contact: Row) -> str | None:
    """Why a contact's birthday, anniversaries, cadence or last contact cannot be read, or None."""
    cid = contact.get("id")
    name = contact.get("name") or "?"
    what = f"contact {cid} ({name})"
    checks: list[Callable[[], object]] = []
    if contact.get("birthday"):
        checks.append(lambda: _yearly_value(str(contact["birthday"]), "birthday"))
    for ann in contact.get("anniversaries") or ():
        if ann.get("date"):
            label = ann.get("label") or "anniversary"
            checks.append(partial(_yearly_value, str(ann["date"]), label))
    if contact.get("every"):
        checks.append(lambda: _cadence_value(str(contact["every"])))
    for field in ("last_contacted_at", "created_at"):
        if contact.get(field):
            checks.append(partial(parse_utc, str(contact[field])))
    for check in checks:
        found = _problem(what, check)
        if found:
            return found
    return None


def deal_problem(deal: Row) -> str | None:
    """Why a deal's close date or stage time cannot be read, or None."""
    did = deal.get("id")
    if deal.get("close_date"):
        value = str(deal["close_date"])

        def check_close_date() -> None:
            check_plan_date(value, "close date")
            date.fromisoformat(value)

        found = _problem(f"deal {did}", check_close_date)
        if found:
            return found
    if deal.get("stage_entered_at"):
        return _problem(f"deal {did}", lambda: parse_utc(str(deal["stage_entered_at"])))
    return None


def _yearly_value(stored: str, what: str) -> None:
    """A stored birthday/anniversary that splits into a real day in BIRTH_YEARS."""
    year, month, day = _split(stored)
    date(year or 2000, month, day)
    check_birthday(stored, what)


def _cadence_value(every: str) -> None:
    """A stored cadence that is a DURATION within its bounds."""
    parse_duration(every)


def unreadable(
    *, reminders: Iterable[Row] = (), contacts: Iterable[Row] = (), deals: Iterable[Row] = ()
) -> list[str]:
    """One sentence per stored row `due`, `remind list` or `export ics` would have to skip.

    For `tinycrm check`: pass every open reminder, every contact with a birthday,
    anniversary or cadence, and every open deal.
    """
    found = [reminder_problem(r) for r in reminders]
    found += [contact_problem(c) for c in contacts]
    found += [deal_problem(d) for d in deals]
    return [text for text in found if text]


def next_due_after_done(reminder: Row, done_at: datetime, tz: tzinfo) -> datetime | None:
    """When a recurring reminder is next due once done; None for a one-off.

    With `from_done` the rule restarts from the day it was done (keeping the due's time of
    day; hour steps count from `done_at` itself). Otherwise it is the first occurrence
    strictly after the current due, even if that is still in the past: the user sees it
    overdue rather than silently losing it. Occurrences are counted from `reminder["anchor"]`
    (the first due) when the store keeps one, else from the current due, so a Jan 31
    monthly reminder goes to Feb 28 and, with an anchor, back to Mar 31.
    Returns an aware datetime in `tz`, or None when an RRULE with UNTIL has ended or the
    stored rule can no longer be read (`9999y` from an older version): done for good.
    """
    if not reminder.get("every"):
        return None
    try:
        rule = parse_rule(reminder["every"])
        due = parse_utc(reminder["due"]).astimezone(tz)
    except _UNREADABLE:
        return None
    if reminder.get("from_done"):
        done = done_at.astimezone(tz)
        if rule.sub_daily:
            return rule.next_after(done)
        if reminder.get("all_day"):
            return rule.next_after(local_at(done.date(), tz))
        return rule.next_after(local_at(done.date(), tz, due.hour, due.minute))
    try:
        anchor = parse_utc(reminder["anchor"]).astimezone(tz) if reminder.get("anchor") else due
    except _UNREADABLE:
        anchor = due
    return rule.next_after(anchor, after=due)
