"""WHEN / DURATION / RULE parsing and the UTC timestamp format, with `now` always passed in.

Timestamps are stored as UTC ISO 8601 strings ending in `Z` (`2026-11-22T10:00:00Z`), so
that they sort as text; dates as `YYYY-MM-DD`.

Imports stay cheap on purpose: this module is on the start-up path of `due`, so
dateutil.parser (66 ms) is never used and dateutil.rrule, dateutil.tz and zoneinfo load
only inside the functions that need them.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from datetime import date, datetime, timedelta, timezone, tzinfo

from .errors import InvalidData

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta


def utc_iso(dt: datetime) -> str:
    """An aware datetime as the stored UTC text form."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """The stored UTC text form back to an aware datetime."""
    if not text.endswith("Z"):
        raise ValueError(f"not a stored UTC time: {text!r}")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)  # 50x faster than strptime


def utc_now() -> datetime:
    """The real clock, in UTC; everything else takes `now` as an argument."""
    return datetime.now(timezone.utc).replace(microsecond=0)


# --- WHEN / DURATION / RULE -------------------------------------------------------------

_WHEN_HELP = "use today, fri, +3d, 2026-12-01 or 2026-12-01 14:00"

PLAN_YEARS = (1900, 2199)
"""Reminders, follow-ups, snoozes, close dates and filter dates fall in these years (inclusive)."""
BIRTH_YEARS = (1800, 2199)
"""Birthdays and anniversaries with a year fall in these years; year-less `--MM-DD` is always fine."""
MAX_DURATION_YEARS = 100
"""The longest DURATION or RULE step: a cadence of 2030 years puts `due` out of the calendar."""
_MAX_COUNT = {"d": 36525, "w": 5218, "m": 1200, "y": 100, "h": 876600}
"""Each unit's largest count: MAX_DURATION_YEARS in days, weeks, months, years or hours."""
_MAX_SPELLED = "36525d, 5218w, 1200m, 100y or 876600h"
_DURATION_HELP = "use 30d, 2w, 3m or 1y"
_RULE_HELP = "use 30d, weekly, monthly or an RRULE such as FREQ=MONTHLY;BYMONTHDAY=1"

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def _delta(**amount: int) -> relativedelta:
    """A relativedelta; dateutil (with calendar and locale) loads on the first duration, not at start-up."""
    from dateutil.relativedelta import relativedelta

    return relativedelta(**amount)


_UNITS = {
    "d": lambda n: _delta(days=n),
    "w": lambda n: _delta(weeks=n),
    "m": lambda n: _delta(months=n),
    "y": lambda n: _delta(years=n),
    "h": lambda n: _delta(hours=n),
}
_CALENDAR_WORDS = {"daily": ("d", 1), "weekly": ("w", 1), "monthly": ("m", 1), "yearly": ("y", 1)}

_TIME_SUFFIX = re.compile(r"(?P<day>.+?)(?: (?P<h>\d{1,2}):(?P<m>\d{2}))?")
_ISO_T = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")
_OFFSET = re.compile(r"(?P<sign>[+-]?)(?P<n>\d{1,6})(?P<unit>d|w|m|y|h|min)")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MD = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})")
_DURATION = re.compile(r"\+?(\d{1,6})([dwmyh])")


def _year_of(value: date | datetime | str) -> int:
    """The year of a date, a datetime or a stored date/UTC text (ValueError when unreadable)."""
    if isinstance(value, str):
        m = re.match(r"(-?\d+)-\d{2}-\d{2}", value)
        if not m:
            raise ValueError(f"not a date: {value!r}")
        return int(m[1])
    return value.year


def check_plan_date(value: date | datetime | str, what: str = "date") -> None:
    """Refuse a plan (reminder due, --next, --at, snooze, close date) outside PLAN_YEARS.

    Dates far outside them cannot be stored, shown or exported (year 1, year 9999 + 1 day),
    so one such row would break `due` and `export ics` for the whole book.
    """
    lo, hi = PLAN_YEARS
    try:
        year = _year_of(value)
    except ValueError:
        raise InvalidData(f"invalid {what} {value!r}: use YYYY-MM-DD") from None
    if not lo <= year <= hi:
        shown = value.isoformat()[:10] if isinstance(value, (date, datetime)) else value
        raise InvalidData(f"{what} {shown} is out of range: dates must fall between {lo} and {hi}")


def check_birthday(value: str, what: str = "birthday") -> None:
    """Refuse a stored-form birthday or anniversary whose year is outside BIRTH_YEARS."""
    if value.startswith("--"):
        return
    lo, hi = BIRTH_YEARS
    try:
        year = _year_of(value)
    except ValueError:
        raise InvalidData(f"invalid {what} {value!r}: use YYYY-MM-DD, MM-DD or --MM-DD") from None
    if not lo <= year <= hi:
        raise InvalidData(
            f"{what} {value} is out of range: years from {lo} to {hi}, or --MM-DD without a year"
        )


def check_duration(text: str) -> None:
    """Refuse a stored DURATION or RULE step longer than MAX_DURATION_YEARS (or unreadable)."""
    _duration_parts(text)


class When(namedtuple("When", ("at", "all_day"))):  # not typing.NamedTuple: ~10 ms at start
    """A parsed WHEN: `at` an aware moment in the zone of `now`; `all_day` whether only its day counts."""

    __slots__ = ()


def _normalise(dt: datetime) -> datetime:
    """Resolve a wall-clock time that DST skipped or doubled into a real instant, same zone."""
    return dt.astimezone(timezone.utc).astimezone(dt.tzinfo)


def local_at(day: date, tz: tzinfo | None, hour: int = 0, minute: int = 0) -> datetime:
    """Local wall-clock `hour:minute` on `day` in `tz`, as an aware datetime."""
    return _normalise(datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz))


def _next_month_day(month: int, day: int, today: date) -> date:
    """The first date on or after `today` that falls on month-day (29 Feb waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError("no such month-day")


def _day_of(word: str, today: date) -> date:
    """The calendar day a day-word (today, fri, next fri, +3d, 2026-12-01, 12-01) names."""
    if word in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[word])
    weekday = _WEEKDAYS.get(word.removeprefix("next "))
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if m := _OFFSET.fullmatch(word):
        if m["unit"] in ("h", "min"):
            raise ValueError("a time offset is not a day")
        n = -int(m["n"]) if m["sign"] == "-" else int(m["n"])
        return today + _UNITS[m["unit"]](n)
    if m := _YMD.fullmatch(word):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if (m := _MD.fullmatch(word)) and not word.startswith("--"):
        return _next_month_day(int(m[1]), int(m[2]), today)
    raise ValueError("unknown day")


def _check_when_year(found: date, text: str) -> None:
    """A WHEN outside PLAN_YEARS, refused in the words the user typed."""
    lo, hi = PLAN_YEARS
    if not lo <= found.year <= hi:
        raise InvalidData(f"date '{text.strip()}' is out of range: dates must fall between {lo} and {hi}")


def parse_when(text: str, now: datetime) -> When:
    """Parse a WHEN relative to the aware `now`; all-day results sit at local midnight."""
    if now.tzinfo is None:
        raise ValueError("naive now")
    tz = now.tzinfo
    s = _ISO_T.sub(r"\1 ", " ".join(text.strip().lower().split()))
    try:
        if s == "now":
            return When(now, False)
        m = _OFFSET.fullmatch(s)
        if m and m["unit"] in ("h", "min"):
            n = -int(m["n"]) if m["sign"] == "-" else int(m["n"])
            delta = timedelta(hours=n) if m["unit"] == "h" else timedelta(minutes=n)
            found = When((now.astimezone(timezone.utc) + delta).astimezone(tz), False)
            _check_when_year(found.at, text)
            return found
        parts = _TIME_SUFFIX.fullmatch(s)
        if not parts:
            raise ValueError("empty")
        day = _day_of(parts["day"], now.date())
        _check_when_year(day, text)
        if parts["h"] is None:
            found = When(local_at(day, tz), True)
        else:
            hour, minute = int(parts["h"]), int(parts["m"])
            if hour > 23 or minute > 59:
                raise ValueError("bad time")
            found = When(local_at(day, tz, hour, minute), False)
    except (ValueError, OverflowError):
        raise InvalidData(f"invalid date '{text}': {_WHEN_HELP}") from None
    _check_when_year(found.at, text)
    return found


def _duration_parts(text: str) -> tuple[int, str]:
    """The count and unit of a DURATION, or InvalidData."""
    m = _DURATION.fullmatch(text.strip().lower())
    if not m:
        raise InvalidData(f"invalid duration '{text}': {_DURATION_HELP}")
    if int(m[1]) == 0:
        raise InvalidData(f"invalid duration '{text}': it must be longer than zero")
    if int(m[1]) > _MAX_COUNT[m[2]]:
        raise InvalidData(
            f"invalid duration '{text}': at most {MAX_DURATION_YEARS} years ({_MAX_SPELLED})"
        )
    return int(m[1]), m[2]


def parse_since(text: str, now: datetime) -> datetime:
    """A WHEN that opens a look-back window (`--since`): it reads into the past.

    A bare duration counts back (`30d` is the last 30 days) and a weekday is the last one;
    every other WHEN form means what it always means.
    """
    word = text.strip().lower()
    if _DURATION.fullmatch(word) and not word.startswith("+"):
        word = "-" + word
    at = parse_when(word, now).at
    if word in _WEEKDAYS and at > now:
        at -= timedelta(days=7)
    return at


def parse_duration(text: str) -> relativedelta:
    """Parse a DURATION (`30d`, `2w`, `3m`, `1y`, `12h`) into a positive relativedelta."""
    n, unit = _duration_parts(text)
    return _UNITS[unit](n)


class Rule:
    """A RULE for recurring reminders; `text` is its normalised stored form."""

    __slots__ = ("text", "_step", "_rrule")

    def __init__(self, text: str, step: relativedelta | None = None, rrule: str | None = None):
        self.text = text
        self._step = step
        self._rrule = rrule

    def __repr__(self) -> str:
        return f"Rule({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @property
    def sub_daily(self) -> bool:
        """True for hour steps, which count real elapsed time rather than wall-clock days."""
        return bool(self._step and (self._step.hours or self._step.minutes))

    def next_after(self, dt: datetime, *, after: datetime | None = None) -> datetime | None:
        """The first occurrence of the rule anchored at `dt` strictly after `dt` (and `after`).

        `dt` should be in the local zone: day, week, month and year steps keep its wall-clock
        time across DST, and are counted from the anchor, so Jan 31 monthly gives Feb 28
        then Mar 31. None when an RRULE with UNTIL has no occurrence left, or when the next
        one falls after PLAN_YEARS (a reminder cannot be stored there).
        """
        if dt.tzinfo is None:
            raise ValueError("naive datetime")
        limit = dt if after is None or after < dt else after
        try:
            found = self._next(dt, limit)
        except (OverflowError, ValueError):  # past year 9999: nothing left in the calendar
            return None
        if found is None or found.year > PLAN_YEARS[1]:
            return None
        return found

    def _next(self, dt: datetime, limit: datetime) -> datetime | None:
        """next_after without the range check."""
        if self._rrule is not None:
            from dateutil.rrule import rrulestr

            rule = rrulestr(self._rrule, dtstart=dt)
            # a pattern that rarely or never happens iterates day by day to its UNTIL (or
            # year 9999): stop at the end of the plan years, whatever the anchor
            end = datetime(PLAN_YEARS[1], 12, 31, 23, 59, 59, tzinfo=dt.tzinfo)
            until = rule._until  # noqa: SLF001 - dateutil keeps no public accessor
            rule = rule.replace(until=end if until is None or until > end else until)
            found = rule.after(limit, inc=False)
            return _normalise(found) if found is not None else None
        step = self._step
        assert step is not None
        if self.sub_daily:
            seconds = step.hours * 3600 + step.minutes * 60
            start = dt.astimezone(timezone.utc)
            k = max(1, int((limit - dt).total_seconds() // seconds))
            while start + timedelta(seconds=seconds * k) <= limit:
                k += 1
            return (start + timedelta(seconds=seconds * k)).astimezone(dt.tzinfo)
        approx_days = step.days + step.weeks * 7 + step.months * 31 + step.years * 366
        k = max(1, int((limit - dt).total_seconds() / 86400 / approx_days) - 1)
        while (candidate := _normalise(dt + step * k)) <= limit:
            k += 1
        return candidate


def parse_rule(text: str) -> Rule:
    """Parse a RULE: a DURATION, daily/weekly/monthly/yearly, or an RFC 5545 RRULE."""
    s = text.strip()
    word = s.lower()
    if word in _CALENDAR_WORDS:
        unit, count = _CALENDAR_WORDS[word]
        return Rule(word, step=_UNITS[unit](count))
    if _DURATION.fullmatch(word):
        n, unit = _duration_parts(word)
        return Rule(f"{n}{unit}", step=_UNITS[unit](n))
    body = s[6:] if s.upper().startswith("RRULE:") else s
    body = body.upper().rstrip(";")
    if (not body.startswith("FREQ=") and ";FREQ=" not in body) or re.search(r"[\s:]", body):
        raise InvalidData(f"invalid rule '{text}': {_RULE_HELP}")
    if re.search(r"(^|;)COUNT=", body):
        raise InvalidData(f"invalid rule '{text}': COUNT is not supported, use UNTIL")
    if re.search(r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY)(;|$)", body):
        raise InvalidData(
            f"invalid rule '{text}': at most one occurrence a day (FREQ=DAILY or longer; 12h for hours)"
        )
    if re.search(r"(^|;)BY(HOUR|MINUTE|SECOND)=[^;]*,", body):
        raise InvalidData(f"invalid rule '{text}': at most one occurrence a day (one BYHOUR, BYMINUTE)")
    from dateutil.rrule import rrulestr

    try:
        _check_rrule_numbers(body)
        rrulestr(body, dtstart=datetime(2000, 1, 1, tzinfo=timezone.utc))
        # a pattern that never happens (30 February) iterates to year 9999 before giving up,
        # so probe it over the last century only
        probe = rrulestr(body, dtstart=datetime(9900, 1, 1, tzinfo=timezone.utc))
        if next(iter(probe.replace(until=None)), None) is None:
            raise ValueError("no occurrence")
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise InvalidData(f"invalid rule '{text}': {_RULE_HELP}") from None
    return Rule(body, rrule=body)


_RRULE_LIMITS = {"BYMONTH": 12, "BYMONTHDAY": 31, "BYYEARDAY": 366, "BYWEEKNO": 53, "BYSETPOS": 366}


def _check_rrule_numbers(body: str) -> None:
    """Refuse RRULE numbers dateutil accepts but would loop on (INTERVAL=0, BYMONTHDAY=40)."""
    freq = re.search(r"(?:^|;)FREQ=([A-Z]+)", body)
    unit = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "m", "YEARLY": "y"}.get(freq[1] if freq else "")
    for part in body.split(";"):
        name, _, value = part.partition("=")
        if name == "INTERVAL" and (int(value) < 1 or (unit and int(value) > _MAX_COUNT[unit])):
            raise ValueError("interval")
        limit = _RRULE_LIMITS.get(name, 0)  # 0: a part without a limit
        for n in map(int, value.split(",")) if limit else ():
            if n == 0 or abs(n) > limit or (name == "BYMONTH" and n < 0):
                raise ValueError(name)


def parse_birthday(text: str, *, lunar: bool = False) -> str:
    """Validate a birthday or anniversary and return its stored form, YYYY-MM-DD or --MM-DD.

    Year-less dates allow 29 Feb; lunar dates allow month 1-12 and day 1-30; a year must fall
    in BIRTH_YEARS.
    """
    s = text.strip()
    m = _YMD.fullmatch(s) or _MD.fullmatch(s)
    if not m:
        raise InvalidData(f"invalid date '{text}': use YYYY-MM-DD, MM-DD or --MM-DD")
    nums = [int(g) for g in m.groups()]
    year = nums[0] if len(nums) == 3 else None
    month, day = nums[-2:]
    if lunar:
        ok = 1 <= month <= 12 and 1 <= day <= 30 and (year is None or 1900 <= year < 2100)
    else:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year: year-less 29 Feb is fine
            ok = True
        except ValueError:
            ok = False
    if not ok:
        raise InvalidData(f"invalid date '{text}': no such day")
    stored = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    check_birthday(stored, "date")
    return stored


_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"})


def local_tz() -> tzinfo:
    """The user's zone: $TZ if set, else the system's (/etc/localtime), else dateutil's guess.

    UTC itself (servers, cron, containers) is `timezone.utc`: the same times, without
    zoneinfo's import of sysconfig (~3 ms of every command's start-up).
    """
    name = os.environ.get("TZ", "").lstrip(":")
    if name in _UTC_NAMES:
        return timezone.utc
    from zoneinfo import ZoneInfo

    if name:
        try:
            return ZoneInfo(name)
        except (ValueError, OSError, KeyError):
            from dateutil import tz

            found = tz.gettz(name)
            if found is not None:
                return found
    try:
        target = os.path.realpath("/etc/localtime")
        _, sep, key = target.partition("/zoneinfo/")
        if sep and key:
            return timezone.utc if key in _UTC_NAMES else ZoneInfo(key)
    except (ValueError, OSError, KeyError):
        pass
    from dateutil import tz

    return tz.tzlocal()


def local_now(tz: tzinfo | None = None) -> datetime:
    """The real clock in the local zone, to the second; only the edges of the program call it."""
    return datetime.now(tz or local_tz()).replace(microsecond=0)


def format_local(dt_or_iso: datetime | str, tz: tzinfo, all_day: bool = False) -> str:
    """A moment for people: 'YYYY-MM-DD' for all-day items, else 'YYYY-MM-DD HH:MM', in `tz`."""
    dt = parse_utc(dt_or_iso) if isinstance(dt_or_iso, str) else dt_or_iso
    local = dt.astimezone(tz)
    return local.strftime("%Y-%m-%d" if all_day else "%Y-%m-%d %H:%M")


def format_stored(stamp: str, tz: tzinfo, all_day: bool = False) -> str:
    """A stored UTC time for people, or the stored text marked unreadable: one bad row never fails a list."""
    try:
        return format_local(parse_utc(stamp), tz, all_day)
    except (ValueError, OverflowError):
        return f"{stamp} (unreadable)"
