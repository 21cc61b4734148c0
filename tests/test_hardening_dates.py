"""Values that poison the book are refused at the door; a stored one is skipped, not fatal."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tinycrm.dates import (
    check_birthday,
    check_duration,
    check_plan_date,
    parse_birthday,
    parse_duration,
    parse_rule,
    parse_since,
    parse_when,
)
from tinycrm.errors import InvalidData
from tinycrm.io import ics
from tinycrm.reminders import due_items, next_due_after_done, unreadable

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "text", ["0001-01-01", "0999-12-31", "9999-12-31", "1899-12-31", "2200-01-01", "-2025y", "+999999d"]
)
def test_plan_dates_outside_1900_2199_are_refused_with_the_range(text: str) -> None:
    with pytest.raises(InvalidData, match=r"between 1900 and 2199|invalid date"):
        parse_when(text, NOW)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "-2025y"])
def test_out_of_range_when_names_the_range(text: str) -> None:
    with pytest.raises(InvalidData, match="between 1900 and 2199"):
        parse_when(text, NOW)


@pytest.mark.parametrize("text", ["1900-01-01", "2199-12-31 23:59", "today", "+100y"])
def test_plan_dates_at_the_edges_are_kept(text: str) -> None:
    assert 1900 <= parse_when(text, NOW).at.year <= 2199


def test_since_far_back_is_refused() -> None:
    with pytest.raises(InvalidData, match="between 1900 and 2199"):
        parse_since("0999-12-31", NOW)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (date(1900, 1, 1), True),
        (date(2199, 12, 31), True),
        (date(1, 1, 1), False),
        (date(9999, 12, 31), False),
        (datetime(2200, 1, 1, tzinfo=timezone.utc), False),
        ("2026-11-30", True),
        ("2026-11-30T10:00:00Z", True),
        ("1-01-01T00:00:00Z", False),
        ("9999-12-31", False),
        ("garbage", False),
    ],
)
def test_check_plan_date(value: object, ok: bool) -> None:
    if ok:
        check_plan_date(value)  # type: ignore[arg-type]
    else:
        with pytest.raises(InvalidData):
            check_plan_date(value)  # type: ignore[arg-type]


def test_check_plan_date_message_says_the_range() -> None:
    with pytest.raises(InvalidData, match="close date 9999-12-31 is out of range.*1900 and 2199"):
        check_plan_date(date(9999, 12, 31), "close date")


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1799-12-31", "2200-01-01"])
def test_birthdays_outside_1800_2199_are_refused(text: str) -> None:
    with pytest.raises(InvalidData, match="years from 1800 to 2199"):
        parse_birthday(text)


@pytest.mark.parametrize(
    ("text", "stored"), [("1800-01-01", "1800-01-01"), ("--02-29", "--02-29"), ("12-31", "--12-31")]
)
def test_birthdays_in_range_and_yearless_are_kept(text: str, stored: str) -> None:
    assert parse_birthday(text) == stored
    check_birthday(stored)


@pytest.mark.parametrize("text", ["2030y", "8000y", "30000m", "800000d", "101y", "1201m", "36526d"])
def test_durations_over_a_hundred_years_are_refused_with_the_bound(text: str) -> None:
    with pytest.raises(InvalidData, match="at most 100 years"):
        parse_duration(text)
    with pytest.raises(InvalidData, match="at most 100 years"):
        parse_rule(text)
    with pytest.raises(InvalidData, match="at most 100 years"):
        check_duration(text)


@pytest.mark.parametrize("text", ["100y", "1200m", "36525d", "5218w"])
def test_durations_of_a_hundred_years_are_kept(text: str) -> None:
    parse_duration(text)
    parse_rule(text)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=MINUTELY",
        "FREQ=HOURLY;INTERVAL=2",
        "FREQ=DAILY;BYHOUR=1,2,3",
        "FREQ=DAILY;BYMINUTE=0,30",
        "FREQ=YEARLY;INTERVAL=9999",
    ],
)
def test_sub_daily_and_endless_rrules_are_refused(rule: str) -> None:
    with pytest.raises(InvalidData, match="invalid rule"):
        parse_rule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    ],
)
def test_rare_or_impossible_rrules_do_not_spin(rule: str) -> None:
    started = time.perf_counter()
    try:
        found = parse_rule(rule)
    except InvalidData:
        found = None
    if found is not None:
        anchor = datetime(1900, 1, 1, tzinfo=BERLIN)
        assert found.next_after(anchor, after=datetime(2199, 3, 1, tzinfo=BERLIN)) is None
    assert time.perf_counter() - started < 2


def test_next_occurrence_after_2199_is_none() -> None:
    rule = parse_rule("100y")
    assert rule.next_after(datetime(2150, 1, 1, tzinfo=BERLIN)) is None


@pytest.mark.parametrize("every", ["9999y", "2030y", "FREQ=SECONDLY", "nonsense"])
def test_done_on_a_stored_unreadable_rule_ends_the_reminder(every: str) -> None:
    reminder = {"id": 1, "due": "2026-11-22T09:00:00Z", "every": every, "all_day": 0}
    assert next_due_after_done(reminder, NOW, BERLIN) is None


def test_done_on_a_hundred_year_rule_moves_it() -> None:
    reminder = {"id": 1, "due": "2026-11-22T09:00:00Z", "every": "100y", "all_day": 0}
    assert next_due_after_done(reminder, NOW, BERLIN).year == 2126


# --- a bad stored row is skipped, not fatal ---------------------------------------------

GOOD = {"id": 1, "due": "2026-11-22T08:00:00Z", "text": "call", "all_day": 0}
BAD_REMINDERS = [
    {"id": 2, "due": "1-01-01T00:00:00Z", "text": "ancient", "all_day": 0},
    {"id": 3, "due": "2026-11-22T08:00:00Z", "text": "x", "all_day": 0, "every": "9999y",
     "anchor": "garbage"},
]  # fmt: skip
BAD_CONTACTS = [
    {"id": 7, "name": "Old", "birthday": "9999-12-31"},
    {"id": 8, "name": "Far", "every": "2030y", "last_contacted_at": "2026-01-01T00:00:00Z"},
    {"id": 9, "name": "Odd", "every": "30d", "last_contacted_at": "1-01-01T00:00:00Z"},
]
BAD_DEALS = [{"id": 4, "title": "t", "close_date": "9999-12-31", "status": "open"}]


def test_due_skips_an_unreadable_reminder_and_reports_it() -> None:
    problems: list[str] = []
    items = due_items(reminders=[GOOD, BAD_REMINDERS[0]], now=NOW, tz=BERLIN, problems=problems)
    assert [i.id for i in items] == [1]
    assert problems == [
        "reminder 2: due 1-01-01T00:00:00Z is out of range: dates must fall between 1900 and 2199"
    ]


def test_due_skips_a_contact_with_an_unreadable_last_contact() -> None:
    problems: list[str] = []
    items = due_items(
        reminders=[GOOD], contacts=BAD_CONTACTS, deals=BAD_DEALS, now=NOW, tz=BERLIN,
        problems=problems,
    )  # fmt: skip
    assert [i.id for i in items] == [1]
    assert any(p.startswith("contact 9 (Odd)") for p in problems)


def test_unreadable_lists_every_bad_row_in_words() -> None:
    found = unreadable(
        reminders=[GOOD, *BAD_REMINDERS], contacts=BAD_CONTACTS, deals=BAD_DEALS
    )
    assert len(found) == 6
    assert found[0].startswith("reminder 2: ")
    assert any("birthday 9999-12-31 is out of range" in p for p in found)
    assert any("'2030y': at most 100 years" in p for p in found)
    assert any("close date 9999-12-31 is out of range" in p for p in found)


def test_unreadable_is_empty_for_a_clean_book() -> None:
    assert unreadable(reminders=[GOOD], contacts=[{"id": 1, "birthday": "1990-02-28"}]) == []


def test_export_ics_skips_unreadable_rows_and_reports_them() -> None:
    problems: list[str] = []
    cal = ics.calendar(
        reminders=[{**GOOD, "contact": None, "source": "manual"}, *BAD_REMINDERS],
        contacts=BAD_CONTACTS,
        deals=BAD_DEALS,
        now=NOW,
        tz=BERLIN,
        problems=problems,
    )
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    assert [str(e["uid"]) for e in events] == ["reminder-1@tinycrm"]
    assert len(problems) == 4  # cadences are not exported
    ics.to_bytes(cal)


@pytest.mark.parametrize(
    ("stamp", "shown"),
    [("2026-11-22T09:00:00Z", "2026-11-22 10:00"), ("1-01-01T00:00:00Z", "1-01-01T00:00:00Z (unreadable)"),
     ("garbage", "garbage (unreadable)")],
)  # fmt: skip
def test_format_stored_shows_an_unreadable_time_instead_of_failing(stamp: str, shown: str) -> None:
    from tinycrm.dates import format_stored

    assert format_stored(stamp, BERLIN) == shown
