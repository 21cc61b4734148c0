"""What is due: every source, yearly dates (29 Feb, lunar), cadence, deals, states, recurrence."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tinycrm.dates import local_at, utc_iso
from tinycrm.reminders import (
    DueItem,
    age_on,
    birthday_on,
    due_items,
    end_of_day,
    next_due_after_done,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=BERLIN)  # a Sunday
LIMITS = {"lead": 30, "qualified": 21, "proposal": 14, "negotiation": 14}


def stamp(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> str:
    """A Berlin wall-clock time as the stored UTC text."""
    return utc_iso(datetime(y, m, d, hh, mm, tzinfo=BERLIN))


def reminder(**kw: Any) -> dict[str, Any]:
    row = {"id": 1, "contact_id": None, "deal_id": None, "interaction_id": None, "text": "Call",
           "due": stamp(2026, 11, 22), "all_day": True, "every": None, "from_done": False,
           "source": "manual", "done_at": None}  # fmt: skip
    return row | kw


def contact(**kw: Any) -> dict[str, Any]:
    row = {"id": 7, "name": "Ada Lovelace", "birthday": None, "birthday_lunar": False,
           "anniversaries": [], "every": None, "last_contacted_at": None,
           "created_at": stamp(2025, 1, 1, 12)}  # fmt: skip
    return row | kw


def deal(**kw: Any) -> dict[str, Any]:
    row = {"id": 3, "contact_id": 7, "title": "Website", "stage": "lead", "status": "open",
           "close_date": None, "stage_entered_at": stamp(2026, 11, 20, 12), "value": "5000.00",
           "currency": "EUR"}  # fmt: skip
    return row | kw


def due(now: datetime = NOW, until: datetime | None = None, **records: Any) -> list[DueItem]:
    return due_items(
        reminders=records.get("reminders", []),
        contacts=records.get("contacts", []),
        deals=records.get("deals", []),
        occurrences=records.get("occurrences", {}),
        now=now,
        tz=BERLIN,
        until=until or end_of_day(now, BERLIN),
        stage_limits=LIMITS,
    )


def test_due_is_silent_when_nothing_is_due() -> None:
    assert due() == []
    assert due(
        reminders=[reminder(due=stamp(2026, 11, 23))],
        contacts=[contact(birthday="1990-12-01", every="30d", last_contacted_at=stamp(2026, 11, 1))],
        deals=[deal(close_date="2026-12-15")],
    ) == []  # fmt: skip


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param(
            {"reminders": [reminder(id=5, due=stamp(2026, 11, 22, 9), all_day=False, text="Call Ada",
                                    contact_id=7, every="weekly")],
             "contacts": [contact()]},
            {"key": "reminder:5:2026-11-22T08:00:00Z", "id": 5, "source": "manual",
             "text": "Call Ada", "due": "2026-11-22T09:00:00+01:00", "all_day": False,
             "overdue": True, "every": "weekly", "contact_id": 7, "contact": "Ada Lovelace",
             "deal_id": None},
            id="manual",
        ),
        pytest.param(
            {"reminders": [reminder(id=6, source="follow-up", text="Send the quote", deal_id=3,
                                    interaction_id=11)]},
            {"key": "reminder:6:2026-11-21T23:00:00Z", "id": 6, "source": "follow-up",
             "text": "Send the quote", "due": "2026-11-22", "all_day": True, "overdue": False,
             "every": None, "contact_id": None, "contact": None, "deal_id": 3},
            id="follow-up",
        ),
        pytest.param(
            {"contacts": [contact(birthday="1986-11-22")]},
            {"key": "birthday:7:2026-11-22", "id": None, "source": "birthday",
             "text": "Ada Lovelace's birthday (turns 40)", "due": "2026-11-22", "all_day": True,
             "overdue": False, "every": None, "contact_id": 7, "contact": "Ada Lovelace",
             "deal_id": None},
            id="birthday",
        ),
        pytest.param(
            {"contacts": [contact(birthday="--11-20")]},
            {"key": "birthday:7:2026-11-20", "id": None, "source": "birthday",
             "text": "Ada Lovelace's birthday", "due": "2026-11-20", "all_day": True,
             "overdue": True, "every": None, "contact_id": 7, "contact": "Ada Lovelace",
             "deal_id": None},
            id="birthday-missed-yesterday-without-year",
        ),
        pytest.param(
            {"contacts": [contact(anniversaries=[{"label": "wedding anniversary",
                                                  "date": "2016-11-21", "lunar": False}])]},
            {"key": "anniversary:7:wedding anniversary:2026-11-21", "id": None,
             "source": "anniversary", "text": "Ada Lovelace's wedding anniversary (10 years)",
             "due": "2026-11-21", "all_day": True, "overdue": True, "every": None,
             "contact_id": 7, "contact": "Ada Lovelace", "deal_id": None},
            id="anniversary",
        ),
        pytest.param(
            {"contacts": [contact(every="30d", last_contacted_at=stamp(2026, 10, 8, 15))]},
            {"key": "cadence:7:2026-11-07", "id": None, "source": "cadence",
             "text": "Keep in touch with Ada Lovelace (every 30d, last 45 days ago)",
             "due": "2026-11-07", "all_day": True, "overdue": True, "every": None,
             "contact_id": 7, "contact": "Ada Lovelace", "deal_id": None},
            id="cadence",
        ),
        pytest.param(
            {"contacts": [contact()], "deals": [deal(close_date="2026-11-22")]},
            {"key": "deal-close:3:2026-11-22", "id": None, "source": "deal",
             "text": "Deal 'Website' expected to close", "due": "2026-11-22", "all_day": True,
             "overdue": False, "every": None, "contact_id": 7, "contact": "Ada Lovelace",
             "deal_id": 3},
            id="deal-close",
        ),
        pytest.param(
            {"deals": [deal(stage="proposal", stage_entered_at=stamp(2026, 11, 2, 16))]},
            {"key": "deal-stale:3:proposal:2026-11-16", "id": None, "source": "deal",
             "text": "Deal 'Website' stale in proposal for 20 days", "due": "2026-11-16",
             "all_day": True, "overdue": True, "every": None, "contact_id": 7, "contact": None,
             "deal_id": 3},
            id="deal-stale",
        ),
    ],
)  # fmt: skip
def test_each_source_as_json(records: dict[str, Any], expected: dict[str, Any]) -> None:
    items = due(**records)
    assert [i.to_json(BERLIN) for i in items] == [expected]


@pytest.mark.parametrize(
    ("stored", "lunar", "year", "expected"),
    [
        ("2000-02-29", False, 2027, date(2027, 2, 28)),
        ("2000-02-29", False, 2028, date(2028, 2, 29)),
        ("--02-29", False, 2026, date(2026, 2, 28)),
        ("1990-03-04", False, 2026, date(2026, 3, 4)),
        # lunar 1-1 is Chinese New Year, lunar 8-15 the Mid-Autumn Festival
        ("--01-01", True, 2025, date(2025, 1, 29)),
        ("--01-01", True, 2026, date(2026, 2, 17)),
        ("--01-01", True, 2027, date(2027, 2, 6)),
        ("--08-15", True, 2025, date(2025, 10, 6)),
        ("--08-15", True, 2026, date(2026, 9, 25)),
        ("1986-08-15", True, 2027, date(2027, 9, 15)),
        # lunar 12-30 in a 29-day twelfth month falls on its 29th: New Year's Eve
        ("--12-30", True, 2025, date(2025, 1, 28)),
        ("--12-30", True, 2026, date(2026, 2, 16)),
        ("--12-30", True, 2027, date(2027, 2, 5)),
        # 2025 has a leap sixth month: the birthday keeps to the ordinary one
        ("--06-10", True, 2025, date(2025, 7, 4)),
        # a late lunar month lands in the next Gregorian year
        ("--12-20", True, 2026, date(2026, 2, 7)),
        ("--12-20", True, 2025, date(2025, 1, 19)),
        ("--01-01", True, 2100, None),  # beyond the lunar tables
    ],
)
def test_birthday_on(stored: str, lunar: bool, year: int, expected: date | None) -> None:
    assert birthday_on(stored, lunar, year) == expected


@pytest.mark.parametrize(
    ("now", "shown"),
    [
        (datetime(2027, 2, 27, 9, tzinfo=BERLIN), []),
        (datetime(2027, 2, 28, 9, tzinfo=BERLIN), ["birthday:7:2027-02-28"]),
        (datetime(2027, 3, 1, 9, tzinfo=BERLIN), ["birthday:7:2027-02-28"]),
        (datetime(2028, 2, 28, 9, tzinfo=BERLIN), []),
        (datetime(2028, 2, 29, 9, tzinfo=BERLIN), ["birthday:7:2028-02-29"]),
    ],
)
def test_leap_day_birthday(now: datetime, shown: list[str]) -> None:
    items = due(now=now, contacts=[contact(birthday="2000-02-29")])
    assert [i.key for i in items] == shown


def test_lunar_birthday_with_year_counts_lunar_years() -> None:
    now = datetime(2026, 9, 25, 8, tzinfo=BERLIN)
    wang = contact(id=12, name="Wang Wei", birthday="1986-08-15", birthday_lunar=True)
    [item] = due(now=now, contacts=[wang])
    assert (item.key, item.text) == ("birthday:12:2026-09-25", "Wang Wei's birthday (turns 40)")
    assert age_on("1986-08-15", True, date(2026, 9, 25)) == 40
    assert age_on("1986-08-15", True, date(2026, 9, 24)) == 39
    assert age_on("1990-03-04", False, date(2026, 3, 3)) == 35
    assert age_on("--03-04", False, date(2026, 3, 4)) is None


def test_lunar_anniversary_is_found() -> None:
    now = datetime(2026, 2, 17, 8, tzinfo=BERLIN)
    ann = {"label": "shop opening", "date": "2016-01-01", "lunar": True}
    [item] = due(now=now, contacts=[contact(anniversaries=[ann])])
    assert item.text == "Ada Lovelace's shop opening (10 years)"
    assert item.to_json(BERLIN)["due"] == "2026-02-17"


@pytest.mark.parametrize(
    ("birthday", "until_days", "keys"),
    [
        ("1990-11-16", 0, ["birthday:7:2026-11-16"]),  # six days ago: still shown, overdue
        ("1990-11-14", 0, []),  # eight days ago: gone
        ("1990-11-25", 0, []),  # not yet
        ("1990-11-25", 7, ["birthday:7:2026-11-25"]),  # within a week
        ("2026-11-22", 0, []),  # born today: no "turns 0"
        ("1990-11-22", 400, ["birthday:7:2026-11-22", "birthday:7:2027-11-22"]),
    ],
)
def test_birthday_window(birthday: str, until_days: int, keys: list[str]) -> None:
    until = end_of_day(NOW, BERLIN) + timedelta(days=until_days)
    items = due(until=until, contacts=[contact(birthday=birthday)])
    assert [i.key for i in items] == keys


@pytest.mark.parametrize(
    ("fields", "due_on"),
    [
        ({"every": "30d", "last_contacted_at": stamp(2026, 10, 23, 9)}, "2026-11-22"),
        ({"every": "30d", "last_contacted_at": stamp(2026, 10, 24, 9)}, None),
        ({"every": "30d", "last_contacted_at": stamp(2026, 11, 20, 9)}, None),  # reset by a log
        ({"every": "2w", "last_contacted_at": stamp(2026, 11, 1, 9)}, "2026-11-15"),
        ({"every": "1m", "last_contacted_at": stamp(2026, 10, 22, 23, 30)}, "2026-11-22"),
        ({"every": "30d", "created_at": stamp(2026, 11, 22, 9)}, "2026-11-22"),  # never contacted
        ({"every": "30d", "created_at": None}, "2026-11-22"),
        ({"every": None, "last_contacted_at": stamp(2020, 1, 1)}, None),
        ({"every": "nonsense", "last_contacted_at": stamp(2020, 1, 1)}, None),
    ],
)
def test_cadence(fields: dict[str, Any], due_on: str | None) -> None:
    items = due(contacts=[contact(**fields)])
    assert [i.to_json(BERLIN)["due"] for i in items] == ([due_on] if due_on else [])


def test_cadence_never_contacted_says_so() -> None:
    [item] = due(contacts=[contact(every="30d", created_at=stamp(2026, 11, 22, 9))])
    assert item.text == "Keep in touch with Ada Lovelace (every 30d, never contacted)"
    assert not item.overdue


@pytest.mark.parametrize(
    ("fields", "keys"),
    [
        ({"close_date": "2026-11-30"}, []),
        ({"close_date": "2026-11-01"}, ["deal-close:3:2026-11-01"]),
        ({"close_date": "2026-11-01", "status": "won"}, []),
        ({"stage": "lead", "stage_entered_at": stamp(2026, 10, 23, 12)},
         ["deal-stale:3:lead:2026-11-22"]),
        ({"stage": "lead", "stage_entered_at": stamp(2026, 10, 24, 12)}, []),
        ({"stage": "negotiation", "stage_entered_at": stamp(2026, 11, 1)},
         ["deal-stale:3:negotiation:2026-11-15"]),
        ({"stage": "verbal", "stage_entered_at": stamp(2020, 1, 1)}, []),  # no limit
        ({"stage": "proposal", "stage_entered_at": stamp(2020, 1, 1), "status": "lost"}, []),
    ],
)  # fmt: skip
def test_deals(fields: dict[str, Any], keys: list[str]) -> None:
    assert [i.key for i in due(deals=[deal(**fields)])] == keys


def test_deal_close_within_a_horizon() -> None:
    items = due(until=NOW + timedelta(days=10), deals=[deal(close_date="2026-11-30")])
    assert [(i.key, i.overdue) for i in items] == [("deal-close:3:2026-11-30", False)]


BIRTHDAY_TODAY = contact(birthday="1986-11-22")
KEY = "birthday:7:2026-11-22"


@pytest.mark.parametrize(
    ("state", "until", "expected"),
    [
        ({"state": "done", "until": None}, None, []),
        ({"state": "snoozed", "until": stamp(2026, 11, 23)}, None, []),
        ({"state": "snoozed", "until": stamp(2026, 11, 23)}, NOW + timedelta(days=1),
         [("2026-11-23", False)]),
        ({"state": "snoozed", "until": stamp(2026, 11, 22, 10)}, None,
         [("2026-11-22T10:00:00+01:00", True)]),
        ({"state": "snoozed", "until": None}, None, []),
    ],
)  # fmt: skip
def test_done_and_snoozed_occurrences(
    state: dict[str, Any], until: datetime | None, expected: list[tuple[str, bool]]
) -> None:
    items = due(until=until, contacts=[BIRTHDAY_TODAY], occurrences={KEY: state})
    assert [(i.to_json(BERLIN)["due"], i.overdue) for i in items] == expected


def test_a_snoozed_birthday_comes_back_after_the_lookback() -> None:
    now = datetime(2026, 12, 5, 9, tzinfo=BERLIN)  # 13 days after the birthday
    state = {KEY: {"state": "snoozed", "until": stamp(2026, 12, 5, 8)}}
    assert [i.key for i in due(now=now, contacts=[BIRTHDAY_TODAY], occurrences=state)] == [KEY]
    assert due(now=now, contacts=[BIRTHDAY_TODAY]) == []


def test_done_reminders_are_not_due() -> None:
    assert due(reminders=[reminder(done_at=stamp(2026, 11, 21, 9))]) == []


def test_sorted_overdue_first_then_due_then_text() -> None:
    items = due(
        reminders=[
            reminder(id=1, text="b all-day today"),
            reminder(id=2, text="a all-day today"),
            reminder(id=3, text="timed this morning", due=stamp(2026, 11, 22, 9), all_day=False),
            reminder(id=4, text="timed tonight", due=stamp(2026, 11, 22, 20), all_day=False),
            reminder(id=5, text="last week", due=stamp(2026, 11, 15)),
        ],
        deals=[deal(stage="proposal", stage_entered_at=stamp(2026, 11, 2, 16))],
    )
    assert [i.text for i in items] == [
        "last week",
        "Deal 'Website' stale in proposal for 20 days",
        "timed this morning",
        "a all-day today",
        "b all-day today",
        "timed tonight",
    ]
    assert [i.overdue for i in items] == [True, True, True, False, False, False]


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("fields", "done_at", "expected"),
    [
        ({"every": None}, NOW, None),
        ({"every": "weekly", "due": stamp(2026, 11, 16, 9), "all_day": False}, NOW, at(2026, 11, 23, 9)),
        # three weeks late: the next one is still in the past, shown overdue, not skipped
        ({"every": "weekly", "due": stamp(2026, 11, 1, 9), "all_day": False}, NOW, at(2026, 11, 8, 9)),
        ({"every": "7d", "due": stamp(2026, 11, 1), "from_done": True}, NOW, at(2026, 11, 29)),
        ({"every": "7d", "due": stamp(2026, 11, 1, 18), "all_day": False, "from_done": True},
         NOW, at(2026, 11, 29, 18)),
        ({"every": "12h", "due": stamp(2026, 11, 1, 18), "all_day": False, "from_done": True},
         NOW, at(2026, 11, 22, 22, 30)),
        ({"every": "FREQ=MONTHLY;BYMONTHDAY=1", "due": stamp(2026, 11, 1)}, NOW, at(2026, 12, 1)),
        ({"every": "FREQ=MONTHLY;BYMONTHDAY=1", "due": stamp(2026, 10, 1), "from_done": True},
         NOW, at(2026, 12, 1)),
        ({"every": "FREQ=DAILY;UNTIL=20261122T120000Z", "due": stamp(2026, 11, 22)}, NOW, None),
        # month ends: from the current due alone, or from the stored first due
        ({"every": "monthly", "due": stamp(2026, 1, 31, 9)}, NOW, at(2026, 2, 28, 9)),
        ({"every": "monthly", "due": stamp(2026, 2, 28, 9)}, NOW, at(2026, 3, 28, 9)),
        ({"every": "monthly", "due": stamp(2026, 2, 28, 9), "anchor": stamp(2026, 1, 31, 9)},
         NOW, at(2026, 3, 31, 9)),
        # across the spring DST change the wall-clock time holds
        ({"every": "weekly", "due": stamp(2026, 3, 23, 9), "all_day": False}, NOW, at(2026, 3, 30, 9)),
    ],
)  # fmt: skip
def test_next_due_after_done(fields: dict[str, Any], done_at: datetime, expected: datetime | None) -> None:
    got = next_due_after_done(reminder(**fields), done_at, BERLIN)
    assert got == expected
    if expected is not None:
        assert utc_iso(got) == utc_iso(expected)


def test_end_of_day_is_the_last_local_second() -> None:
    assert end_of_day(NOW, BERLIN) == local_at(date(2026, 11, 23), BERLIN) - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("stored", "lunar"),
    [("2000-02-29", False), ("--12-31", False), ("--01-01", False), ("--01-01", True),
     ("--12-30", True), ("--06-10", True), ("1986-08-15", True), ("--05-30", True)],
)  # fmt: skip
def test_due_finds_each_birthday_on_its_day_only(stored: str, lunar: bool) -> None:
    person = contact(birthday=stored, birthday_lunar=lunar)
    for year in range(2025, 2029):
        day = birthday_on(stored, lunar, year)
        assert day is not None
        on_the_day = due(now=local_at(day, BERLIN, 8, 0), contacts=[person])
        assert [i.key for i in on_the_day] == [f"birthday:7:{day.isoformat()}"]
        the_day_before = due(now=local_at(day - timedelta(days=1), BERLIN, 8, 0), contacts=[person])
        assert the_day_before == []


@pytest.mark.parametrize(
    "every", ["1d", "7d", "30d", "2w", "1h", "12h", "24h", "36h", "48h", "1m", "3m", "1y"]
)
@pytest.mark.parametrize(
    "last",
    ["2026-03-28T23:30:00Z", "2026-03-29T00:30:00Z", "2026-10-24T22:15:00Z", "2026-01-31T12:00:00Z",
     "2024-02-29T10:00:00Z", "2026-11-22T09:00:00Z"],
)
def test_a_cadence_falls_on_the_day_parse_duration_gives(every: str, last: str) -> None:
    from tinycrm.dates import parse_duration, parse_utc
    from tinycrm.reminders import _cadence_item, _cadence_step

    step = _cadence_step(every)
    assert step is not None
    last_local = parse_utc(last).astimezone(BERLIN)
    expected = (last_local + parse_duration(every)).date()
    item = _cadence_item({"id": 1, "name": "Ada", "every": every, "last_contacted_at": last}, step,
                         date(2026, 11, 22), BERLIN)
    assert item.key == f"cadence:1:{expected.isoformat()}"
