"""WHEN, DURATION, RULE and birthday parsing, against a fixed `now` (never the clock)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from tinycrm.dates import (
    Rule,
    When,
    format_local,
    local_at,
    local_tz,
    parse_birthday,
    parse_duration,
    parse_rule,
    parse_since,
    parse_utc,
    parse_when,
    utc_iso,
)
from tinycrm.errors import InvalidData

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=BERLIN)  # a Sunday


def day(y: int, m: int, d: int) -> When:
    return When(datetime(y, m, d, tzinfo=BERLIN), True)


def timed(y: int, m: int, d: int, hh: int, mm: int) -> When:
    return When(datetime(y, m, d, hh, mm, tzinfo=BERLIN), False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", day(2026, 11, 22)),
        ("tomorrow", day(2026, 11, 23)),
        ("yesterday", day(2026, 11, 21)),
        ("now", timed(2026, 11, 22, 10, 30)),
        ("  TODAY ", day(2026, 11, 22)),
        ("mon", day(2026, 11, 23)),
        ("monday", day(2026, 11, 23)),
        ("next monday", day(2026, 11, 23)),
        ("fri", day(2026, 11, 27)),
        ("Friday", day(2026, 11, 27)),
        ("sun", day(2026, 11, 29)),  # strictly after today, which is a Sunday
        ("sat", day(2026, 11, 28)),
        ("+3d", day(2026, 11, 25)),
        ("3d", day(2026, 11, 25)),
        ("-2d", day(2026, 11, 20)),
        ("2w", day(2026, 12, 6)),
        ("1m", day(2026, 12, 22)),
        ("1y", day(2027, 11, 22)),
        ("3h", timed(2026, 11, 22, 13, 30)),
        ("30min", timed(2026, 11, 22, 11, 0)),
        ("2026-12-01", day(2026, 12, 1)),
        ("2026-12-01 14:00", timed(2026, 12, 1, 14, 0)),
        ("2026-12-01T14:00", timed(2026, 12, 1, 14, 0)),
        ("11-22", day(2026, 11, 22)),  # on or after today
        ("11-21", day(2027, 11, 21)),
        ("01-05", day(2027, 1, 5)),
        ("02-29", day(2028, 2, 29)),
        ("fri 14:00", timed(2026, 11, 27, 14, 0)),
        ("tomorrow 9:30", timed(2026, 11, 23, 9, 30)),
        ("today 23:59", timed(2026, 11, 22, 23, 59)),
        ("+1d 8:00", timed(2026, 11, 23, 8, 0)),
    ],
)
def test_parse_when(text: str, expected: When) -> None:
    got = parse_when(text, NOW)
    assert got == expected
    assert got.at.tzinfo is BERLIN
    assert got.at.utcoffset() == expected.at.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "fri 25:00",
        "today 12:60",
        "2026-02-30",
        "2026-13-01",
        "13-01",
        "3x",
        "now 14:00",
        "3h 14:00",
        "next",
        "99999999d",
        "2026-12-01 14:00 extra",
    ],
)
def test_parse_when_rejects_with_one_line(text: str) -> None:
    with pytest.raises(InvalidData) as err:
        parse_when(text, NOW)
    message = str(err.value)
    assert message == f"invalid date '{text}': use today, fri, +3d, 2026-12-01 or 2026-12-01 14:00"
    assert "\n" not in message


def test_hours_count_real_time_across_dst() -> None:
    before = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)  # clocks jump 02:00 → 03:00
    got = parse_when("2h", before)
    assert got == When(datetime(2026, 3, 29, 4, 30, tzinfo=BERLIN), False)
    assert got.at.timestamp() - before.timestamp() == 2 * 3600


def test_a_skipped_wall_clock_time_is_moved_forward() -> None:
    got = parse_when("2026-03-29 02:30", NOW)
    assert (got.at.hour, got.at.minute) == (3, 30)
    assert utc_iso(got.at) == "2026-03-29T01:30:00Z"


def test_all_day_is_local_midnight_in_new_york() -> None:
    now = datetime(2026, 11, 22, 22, 0, tzinfo=NEW_YORK)
    got = parse_when("tomorrow", now)
    assert got == When(datetime(2026, 11, 23, tzinfo=NEW_YORK), True)
    assert utc_iso(got.at) == "2026-11-23T05:00:00Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", relativedelta(days=30)),
        ("+30d", relativedelta(days=30)),
        ("2w", relativedelta(weeks=2)),
        ("3m", relativedelta(months=3)),
        ("1y", relativedelta(years=1)),
        ("12h", relativedelta(hours=12)),
        (" 1Y ", relativedelta(years=1)),
    ],
)
def test_parse_duration(text: str, expected: relativedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "30", "d", "30 d", "-3d", "0d", "3x", "weekly", "1.5d"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(InvalidData, match=f"invalid duration '{text}'"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("30d", "30d"),
        ("+2w", "2w"),
        ("Weekly", "weekly"),
        ("daily", "daily"),
        ("monthly", "monthly"),
        ("yearly", "yearly"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("freq=weekly;byday=mo,th", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ],
)
def test_parse_rule_normalises(text: str, normalised: str) -> None:
    rule = parse_rule(text)
    assert isinstance(rule, Rule)
    assert rule.text == normalised


@pytest.mark.parametrize(
    "text",
    ["", "fortnightly", "0d", "FREQ=SOMETIMES", "BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=40",
     "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;BYHOUR=25", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
     "FREQ=DAILY;UNTIL=20261231", "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY"],
)  # fmt: skip
def test_parse_rule_rejects(text: str) -> None:
    with pytest.raises(InvalidData) as err:
        parse_rule(text)
    assert str(err.value).startswith(f"invalid rule '{text}'") or "duration" in str(err.value)


def test_rrule_count_is_refused_because_occurrences_are_re_anchored() -> None:
    with pytest.raises(InvalidData, match="COUNT is not supported"):
        parse_rule("FREQ=DAILY;COUNT=3")


def b(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("rule", "dt", "after", "expected"),
    [
        ("daily", b(2026, 11, 22), None, b(2026, 11, 23)),
        ("weekly", b(2026, 11, 22), None, b(2026, 11, 29)),
        ("30d", b(2026, 11, 22), None, b(2026, 12, 22)),
        ("2w", b(2026, 11, 22), b(2026, 12, 10), b(2026, 12, 20)),
        ("12h", b(2026, 11, 22), None, b(2026, 11, 22, 21)),
        ("monthly", b(2026, 1, 31), None, b(2026, 2, 28)),
        ("monthly", b(2026, 1, 31), b(2026, 2, 28), b(2026, 3, 31)),  # anchored, not Mar 28
        ("monthly", b(2026, 1, 31), b(2026, 3, 31), b(2026, 4, 30)),
        ("monthly", b(2028, 1, 31), None, b(2028, 2, 29)),
        ("1m", b(2026, 1, 31), b(2026, 2, 28), b(2026, 3, 31)),
        ("yearly", b(2028, 2, 29), None, b(2029, 2, 28)),
        ("yearly", b(2028, 2, 29), b(2031, 3, 1), b(2032, 2, 29)),
        ("monthly", b(2026, 1, 15), b(2036, 1, 15), b(2036, 2, 15)),  # a long jump
        ("FREQ=MONTHLY;BYMONTHDAY=1", b(2026, 11, 22), None, b(2026, 12, 1)),
        ("FREQ=MONTHLY;BYMONTHDAY=1", b(2026, 12, 1), None, b(2027, 1, 1)),
        ("FREQ=WEEKLY;BYDAY=MO,TH", b(2026, 11, 23), None, b(2026, 11, 26)),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", b(2026, 1, 31), b(2026, 2, 1), b(2026, 2, 28)),
    ],
)
def test_rule_next_after(rule: str, dt: datetime, after: datetime | None, expected: datetime) -> None:
    assert parse_rule(rule).next_after(dt, after=after) == expected


def test_rrule_with_until_ends() -> None:
    rule = parse_rule("FREQ=DAILY;UNTIL=20261123T235959Z")
    assert rule.next_after(b(2026, 11, 22)) == b(2026, 11, 23)
    assert rule.next_after(b(2026, 11, 23)) is None


@pytest.mark.parametrize(
    ("tz", "start", "dst_change"),
    [
        (BERLIN, date(2026, 3, 23), "spring"),  # change on Sun 2026-03-29
        (BERLIN, date(2026, 10, 19), "autumn"),  # change on Sun 2026-10-25
        (NEW_YORK, date(2026, 3, 2), "spring"),  # change on Sun 2026-03-08
        (NEW_YORK, date(2026, 10, 26), "autumn"),  # change on Sun 2026-11-01
    ],
)
@pytest.mark.parametrize("rule", ["weekly", "7d", "FREQ=WEEKLY"])
def test_weekly_nine_oclock_stays_nine_oclock_across_dst(
    tz: ZoneInfo, start: date, dst_change: str, rule: str
) -> None:
    first = local_at(start, tz, 9, 0)
    second = parse_rule(rule).next_after(first)
    assert second == local_at(start + timedelta(days=7), tz, 9, 0)
    assert (second.hour, second.minute) == (9, 0)
    assert second.utcoffset() != first.utcoffset()
    hours = (second.timestamp() - first.timestamp()) / 3600
    assert hours == (7 * 24 - 1 if dst_change == "spring" else 7 * 24 + 1)


def test_rule_from_utc_stamp_is_converted_by_the_caller() -> None:
    due = parse_utc("2026-03-23T08:00:00Z").astimezone(BERLIN)  # 09:00 CET
    assert utc_iso(parse_rule("weekly").next_after(due)) == "2026-03-30T07:00:00Z"  # 09:00 CEST


@pytest.mark.parametrize(
    ("text", "lunar", "stored"),
    [
        ("1990-03-04", False, "1990-03-04"),
        ("03-04", False, "--03-04"),
        ("--03-04", False, "--03-04"),
        ("02-29", False, "--02-29"),
        ("2024-02-29", False, "2024-02-29"),
        ("1985-8-15", True, "1985-08-15"),
        ("--02-30", True, "--02-30"),
    ],
)
def test_parse_birthday(text: str, lunar: bool, stored: str) -> None:
    assert parse_birthday(text, lunar=lunar) == stored


@pytest.mark.parametrize(
    ("text", "lunar"),
    [("2023-02-29", False), ("--02-30", False), ("13-01", False), ("fri", False),
     ("", False), ("--13-01", True), ("--01-31", True), ("1850-01-01", True)],
)  # fmt: skip
def test_parse_birthday_rejects(text: str, lunar: bool) -> None:
    with pytest.raises(InvalidData, match=f"invalid date '{text}'"):
        parse_birthday(text, lunar=lunar)


@pytest.mark.parametrize(
    ("value", "all_day", "expected"),
    [
        ("2026-11-22T23:30:00Z", False, "2026-11-23 00:30"),
        ("2026-11-22T23:00:00Z", True, "2026-11-23"),
        (datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc), False, "2026-07-01 14:00"),
    ],
)
def test_format_local(value: datetime | str, all_day: bool, expected: str) -> None:
    assert format_local(value, BERLIN, all_day) == expected


@pytest.mark.parametrize(("env", "key"), [("Europe/Berlin", "Europe/Berlin"), (":Asia/Shanghai",
                         "Asia/Shanghai")])  # fmt: skip
def test_local_tz_follows_tz_variable(monkeypatch: pytest.MonkeyPatch, env: str, key: str) -> None:
    monkeypatch.setenv("TZ", env)
    assert str(local_tz()) == key


def test_import_stays_light() -> None:
    code = "import sys, tinycrm.dates; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout
    for heavy in ("dateutil.parser", "dateutil.rrule", "dateutil.tz", "typer", "rich", "textual"):
        assert f"'{heavy}" not in loaded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", datetime(2026, 10, 23, tzinfo=BERLIN)),  # a bare duration counts back
        ("2w", datetime(2026, 11, 8, tzinfo=BERLIN)),
        ("monday", datetime(2026, 11, 16, tzinfo=BERLIN)),  # the last Monday, not the next
        ("sun", datetime(2026, 11, 22, tzinfo=BERLIN)),  # today is a Sunday: today
        ("yesterday", datetime(2026, 11, 21, tzinfo=BERLIN)),
        ("2026-03-05", datetime(2026, 3, 5, tzinfo=BERLIN)),
    ],
)
def test_since_reads_into_the_past(text, expected):
    assert parse_since(text, NOW) == expected
