"""`export ics`: the file parses back with icalendar and its events recur as `due` does."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from tinycrm.cli.dispatch import main as dispatch
from tinycrm.io.ics import rrule_of

NOW = "2026-11-22T09:00:00Z"


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "t.db"))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")

    def call(*args: str) -> str:
        capsys.readouterr()
        rc = dispatch(list(args))
        out, err = capsys.readouterr()
        assert rc == 0, err
        return out

    return call


@pytest.fixture
def book(run) -> None:
    run("contact", "add", "Ada Lovelace", "--birthday", "1815-12-10", "--tag", "vip")
    run("contact", "add", "Leap Baby", "--birthday", "1996-02-29")
    run("contact", "add", "王伟", "--birthday", "--01-01", "--lunar")  # Chinese New Year
    run("contact", "add", "李娜", "--birthday", "1985-08-15", "--lunar")  # Mid-Autumn
    run("contact", "add", "Gone", "--birthday", "1970-01-01")
    run("contact", "rm", "gone")
    run("remind", "add", "ada", "2026-01-31", "Monthly report", "--every", "monthly")
    run("remind", "add", "ada", "2026-03-23 09:00", "Standup", "--every", "weekly")
    run("remind", "add", "ada", "2026-11-25", "Water the plants", "--every", "10d", "--from-done")
    run("remind", "add", "ada", "2026-11-23", "One-off")
    run("remind", "add", "ada", "2026-11-20", "Finished")
    run("remind", "done", "5")
    run("log", "王伟", "called", "--next", "2026-11-30")
    run("deal", "add", "ada", "Website", "--close", "2026-12-15", "--value", "5000")
    run("deal", "add", "ada", "Lost one", "--close", "2026-12-01")
    run("deal", "lost", "2")


def export(run, tmp_path, *args: str) -> Calendar:
    path = tmp_path / "out.ics"
    assert run("export", "ics", "-o", str(path), *args).startswith("exported ")
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def occurrences(event, count: int) -> list:
    """The first `count` starts of an event, expanded as a calendar app would."""
    start = event.decoded("DTSTART")
    if "RRULE" not in event:
        return [start]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=_naive_day(start))
    return [_day_back(d, start) for d in rule[:count]]


def _naive_day(value):
    return datetime(value.year, value.month, value.day) if type(value) is date else value


def _day_back(value, like):
    return value.date() if type(like) is date else value


def test_the_calendar_holds_the_expected_events(run, book, tmp_path) -> None:
    found = events(export(run, tmp_path))
    lunar_years = [uid for uid in found if uid.startswith("birthday-3-")]
    assert len(lunar_years) == 10
    assert {uid for uid in found if not uid.startswith(("birthday-3-", "birthday-4-"))} == {
        "birthday-1@tinycrm", "birthday-2@tinycrm",
        "reminder-1@tinycrm", "reminder-2@tinycrm", "reminder-3@tinycrm", "reminder-4@tinycrm",
        "reminder-6@tinycrm", "deal-1@tinycrm",
    }  # fmt: skip  # trashed contact, done reminder and lost deal are left out
    assert str(found["reminder-6@tinycrm"]["CATEGORIES"].to_ical().decode()) == "follow-up"
    assert found["deal-1@tinycrm"].decoded("DTSTART") == date(2026, 12, 15)
    assert "5000.00 USD" in str(found["deal-1@tinycrm"]["DESCRIPTION"])
    assert "RRULE" not in found["reminder-3@tinycrm"]  # --from-done: depends on when it is done
    for event in found.values():
        assert event.decoded("DTSTAMP") == datetime.fromisoformat(NOW.replace("Z", "+00:00"))


def test_birthdays_are_yearly_and_29_february_is_the_last_day_of_february(run, book, tmp_path) -> None:
    found = events(export(run, tmp_path))
    ada = found["birthday-1@tinycrm"]
    assert str(ada["SUMMARY"]) == "Ada Lovelace's birthday"
    assert ada["RRULE"].to_ical() == b"FREQ=YEARLY"
    leap = found["birthday-2@tinycrm"]
    assert dict(leap["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]}
    days = occurrences(leap, 34)
    assert days[0] == date(1996, 2, 29)
    assert date(2027, 2, 28) in days
    assert date(2028, 2, 29) in days
    assert date(2028, 2, 28) not in days


@pytest.mark.parametrize(
    ("contact", "published"),
    [
        # Chinese New Year and Mid-Autumn, as published (Hong Kong Observatory calendar)
        (3, [date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26), date(2029, 2, 13), date(2030, 2, 3)]),
        (4, [date(2026, 9, 25), date(2027, 9, 15), date(2028, 10, 3), date(2029, 9, 22), date(2030, 9, 12)]),
    ],
)
def test_lunar_birthdays_are_one_event_per_year_on_the_right_day(run, book, tmp_path, contact, published):
    found = events(export(run, tmp_path))
    days = sorted(e.decoded("DTSTART") for uid, e in found.items() if uid.startswith(f"birthday-{contact}-"))
    assert days[:5] == published
    assert all("RRULE" not in e for uid, e in found.items() if uid.startswith(f"birthday-{contact}-"))


def test_recurring_reminders_expand_as_tinycrm_counts_them(run, book, tmp_path) -> None:
    run("remind", "done", "1")  # 31 Jan → 28 Feb
    run("remind", "done", "1")  # → 31 Mar
    found = events(export(run, tmp_path))
    monthly = found["reminder-1@tinycrm"]
    assert dict(monthly["RRULE"]) == {"FREQ": ["MONTHLY"], "BYMONTHDAY": [31, -1], "BYSETPOS": [1]}
    expected = [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 30)]
    assert occurrences(monthly, 4) == expected
    standup = found["reminder-2@tinycrm"]
    assert standup["DTSTART"].params["TZID"] == "Europe/Berlin"
    starts = occurrences(standup, 2)
    assert [(s.month, s.day, s.hour) for s in starts] == [(3, 23, 9), (3, 30, 9)]  # 09:00 across DST
    assert starts[1].utcoffset() == timedelta(hours=2)


def test_a_snoozed_recurring_reminder_is_its_occurrence_plus_the_series(run, book, tmp_path) -> None:
    run("remind", "done", "2")
    run("remind", "done", "2")  # now due Mon 6 Apr 09:00, past: the clock is in November
    run("remind", "snooze", "2", "2026-12-02 11:00")
    found = events(export(run, tmp_path))
    single, series = found["reminder-2@tinycrm"], found["reminder-2-series@tinycrm"]
    assert "RRULE" not in single
    assert single.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 12, 2, 11)
    assert series.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 12, 7, 9)  # the Monday after


def test_uids_are_unique_even_when_a_lunar_date_falls_twice_in_a_year(run, book, tmp_path) -> None:
    run("contact", "add", "Winter Child", "--birthday", "--12-01", "--lunar")  # Jan 2027 and Dec 2027
    uids = [str(e["UID"]) for e in export(run, tmp_path).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    winter = sorted(uid for uid in uids if uid.startswith("birthday-6-"))
    assert "birthday-6-2026@tinycrm" in winter  # lunar 2026-12-01 is 8 January 2027
    assert "birthday-6-2027@tinycrm" in winter  # lunar 2027-12-01 is 28 December 2027


def test_a_second_export_is_identical(run, book, tmp_path) -> None:
    first = (tmp_path / "a.ics", tmp_path / "b.ics")
    run("export", "ics", "-o", str(first[0]))
    run("export", "ics", "-o", str(first[1]))
    assert first[0].read_bytes() == first[1].read_bytes()
    run("contact", "add", "Someone New", "--birthday", "1999-09-09")
    again = tmp_path / "c.ics"
    run("export", "ics", "-o", str(again))
    before = set(events(Calendar.from_ical(first[0].read_bytes())))
    after = set(events(Calendar.from_ical(again.read_bytes())))
    assert after - before == {"birthday-6@tinycrm"}


def test_a_filter_exports_only_those_contacts(run, book, tmp_path) -> None:
    assert set(events(export(run, tmp_path, "tag:vip"))) == {
        "birthday-1@tinycrm", "reminder-1@tinycrm", "reminder-2@tinycrm", "reminder-3@tinycrm",
        "reminder-4@tinycrm", "deal-1@tinycrm",
    }  # fmt: skip


def test_export_to_stdout(run, book) -> None:
    out = run("export", "ics")
    assert out.startswith("BEGIN:VCALENDAR")
    assert out.rstrip().endswith("END:VCALENDAR")


@pytest.mark.parametrize(
    ("every", "anchor", "expected"),
    [
        ("daily", datetime(2026, 1, 5), "FREQ=DAILY"),
        ("3d", datetime(2026, 1, 5), "FREQ=DAILY;INTERVAL=3"),
        ("2w", datetime(2026, 1, 5), "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", datetime(2026, 1, 15), "FREQ=MONTHLY"),
        ("monthly", datetime(2026, 1, 30), "FREQ=MONTHLY;BYMONTHDAY=30,-1;BYSETPOS=1"),
        ("yearly", datetime(2024, 2, 29), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1"),
        ("12h", datetime(2026, 1, 5), "FREQ=HOURLY;INTERVAL=12"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", datetime(2026, 1, 5), "FREQ=MONTHLY;BYMONTHDAY=1"),
    ],
)
def test_rules_map_to_rrules(every, anchor, expected) -> None:
    assert rrule_of(every, anchor) == expected
