"""The agenda over a real store: the narrowed SQL loses nothing, done/snooze on every kind, undo."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tinycrm import agenda
from tinycrm.dates import local_at, utc_iso
from tinycrm.errors import Conflict, InvalidData, NotFound
from tinycrm.reminders import due_items, end_of_day, month_days
from tinycrm.store import Store
from tinycrm.store import due as store_due

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock that tests move by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    st = Store.open(tmp_path / "t.db", "tester", clock=clock)
    yield st
    st.close()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A Berlin wall-clock moment."""
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN)


def keys(items) -> list[str]:
    return [item.key for item in items]


def history_rows(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM history").fetchone()[0]


# --- the narrowed reads against the whole book ------------------------------------------


def _random_book(store: Store, clock: Clock, seed: int) -> None:
    """A few hundred contacts with every kind of due thing, made through the store."""
    rng = random.Random(seed)
    ids = []
    for n in range(160):
        clock.now = START + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 23))
        lunar = rng.random() < 0.15
        birthday = None
        if rng.random() < 0.6:
            month, day = rng.randint(1, 12), rng.randint(1, 30 if lunar else 28)
            if rng.random() < 0.1 and not lunar:
                month, day = 2, 29
            year = "--" if rng.random() < 0.2 else f"{rng.randint(1950, 2000)}-"
            if year != "--" and (month, day) == (2, 29):
                year = "1996-"
            birthday = f"{year}{month:02d}-{day:02d}"
        annis = []
        if rng.random() < 0.1:
            annis = [{"label": "wedding", "date": f"2010-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}]
        contact = store.add_contact(
            f"Person {n}", birthday=birthday, birthday_lunar=lunar, anniversaries=annis,
            every=rng.choice([None, None, "7d", "30d", "1m", "2w"]),
        )  # fmt: skip
        ids.append(contact["id"])
        for _ in range(rng.randint(0, 2)):
            when = clock.now + timedelta(days=rng.randint(0, 60))
            clock.now = when
            store.log(contact["id"], "called", at=when)
    for n in range(60):
        clock.now = START + timedelta(days=rng.randint(0, 300))
        store.add_deal(
            rng.choice(ids), f"Deal {n}", stage=rng.choice(["lead", "qualified", "proposal"]),
            close_date=(clock.now + timedelta(days=rng.randint(-20, 80))).strftime("%Y-%m-%d"),
        )  # fmt: skip
    for n in range(80):
        clock.now = START + timedelta(days=rng.randint(0, 300))
        due = clock.now + timedelta(days=rng.randint(-10, 60), hours=rng.randint(0, 10))
        store.add_reminder(
            rng.choice(ids), due, f"Reminder {n}", all_day=rng.random() < 0.5,
            every=rng.choice([None, None, "weekly", "monthly", "3d"]),
        )  # fmt: skip
    for cid in rng.sample(ids, 8):
        store.trash_contact(cid)


def _everything(store: Store, now: datetime, until: datetime):
    """`due_items` over every record of the book: the oracle for the narrowed reads."""
    contacts = [c for c in store.list_contacts()]
    deals = store.list_deals()
    reminders = store.list_reminders()
    return due_items(
        reminders=reminders, contacts=contacts, deals=deals, occurrences=store.occurrences(),
        now=now, tz=BERLIN, until=until, stage_limits=store_due.stage_limits(store),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("now", "within"),
    [
        pytest.param(at(2026, 11, 22), None, id="a sunday"),
        pytest.param(at(2027, 1, 3), None, id="look-back across new year"),
        pytest.param(at(2026, 12, 28), timedelta(days=10), id="window across new year"),
        pytest.param(at(2027, 2, 28), None, id="28 feb of a common year"),
        pytest.param(at(2028, 2, 28), timedelta(days=2), id="leap year"),
        pytest.param(at(2026, 3, 29, 1), None, id="dst starts"),
        pytest.param(at(2026, 10, 25, 23), timedelta(days=45), id="dst ends, 45 days"),
        pytest.param(at(2026, 6, 1), timedelta(days=400), id="more than a year"),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_collect_finds_exactly_what_the_whole_book_gives(store, clock, now, within, seed) -> None:
    _random_book(store, clock, seed)
    clock.now = now.astimezone(timezone.utc)
    until = end_of_day(now + within, BERLIN) if within else end_of_day(now, BERLIN)
    found = agenda.collect(store, now, until)
    expected = _everything(store, now, until)
    assert [(i.key, i.due, i.text, i.overdue) for i in found] == [
        (i.key, i.due, i.text, i.overdue) for i in expected
    ]
    assert found, "the book should have something due"


@pytest.mark.parametrize(
    ("last", "every", "now"),
    [
        pytest.param(at(2026, 3, 28, 23, 30), "1d", at(2026, 3, 29), id="next touch after midnight, dst"),
        pytest.param(at(2026, 10, 24, 23, 30), "1d", at(2026, 10, 25), id="dst ends"),
        pytest.param(at(2026, 3, 28, 12, 0), "12h", at(2026, 3, 29), id="hours across dst"),
        pytest.param(at(2026, 1, 31, 23, 30), "1m", at(2026, 2, 28), id="month end"),
        pytest.param(at(2026, 2, 28, 23, 30), "1m", at(2026, 3, 28), id="month end 2"),
    ],
)
def test_cadences_at_the_edges_of_the_read_window(store, clock, last, every, now) -> None:
    contact = store.add_contact("Edge", every=every)
    store.log(contact["id"], "called", at=last)
    clock.now = now.astimezone(timezone.utc)
    until = end_of_day(now, BERLIN)
    expected = [i.key for i in _everything(store, now, until)]
    assert expected, "the cadence should be due that day"
    assert [i.key for i in agenda.collect(store, now, until)] == expected


def test_month_cadences_west_of_greenwich_are_read_four_days_ahead(store, clock) -> None:
    new_york = ZoneInfo("America/New_York")
    contact = store.add_contact("West", every="1m")
    store.log(contact["id"], "called", at=datetime(2026, 2, 28, 21, 0, tzinfo=new_york))  # 1 Mar in UTC
    now = datetime(2026, 3, 28, 9, 0, tzinfo=new_york)
    clock.now = now.astimezone(timezone.utc)
    assert store.get_contact(contact["id"])["next_touch_at"] == "2026-04-01T02:00:00Z"
    assert [i.key for i in agenda.collect(store, now)] == [f"cadence:{contact['id']}:2026-03-28"]


def test_the_birthday_read_uses_exact_month_days(store) -> None:
    birthdays = {"Leap": "2000-02-29", "Eve": "1990-12-31", "Ny": "--01-02", "Far": "1980-06-15"}
    for name, bday in birthdays.items():
        store.add_contact(name, birthday=bday)
    solar, lunar = month_days(date(2026, 12, 27), date(2027, 1, 3))
    names = {c["name"] for c in store_due.yearly_contacts(store, solar | lunar)}
    assert names == {"Eve", "Ny"}
    solar, _ = month_days(date(2027, 2, 21), date(2027, 2, 28))
    assert "02-29" in solar  # 29 Feb falls on the 28th in a common year
    assert {c["name"] for c in store_due.yearly_contacts(store, solar)} == {"Leap"}
    solar, _ = month_days(date(2028, 2, 21), date(2028, 2, 28))
    assert "02-29" not in solar


def test_the_due_queries_use_their_indexes(store) -> None:
    plans = []
    original = store.conn

    class Spy:
        def execute(self, sql, params=()):
            plans.append(" ".join(r[3] for r in original.execute("EXPLAIN QUERY PLAN " + sql, params)))
            return original.execute(sql, params)

    store.conn = Spy()  # type: ignore[assignment]
    try:
        agenda.collect(store, at(2026, 11, 22))
    finally:
        store.conn = original
    text = "\n".join(plans)
    for index in ("reminder_open_due", "COVERING INDEX contact_birthday_cover",
                  "COVERING INDEX contact_next_touch_cover", "COVERING INDEX deal_close_cover",
                  "contact_anniversaries"):  # fmt: skip
        assert index in text
    assert "SCAN c\n" not in text + "\n"
    assert "SCAN d\n" not in text + "\n"


def test_trashed_contacts_bring_nothing(store, clock) -> None:
    ada = store.add_contact("Ada", birthday="1990-01-05", every="7d")
    store.add_reminder(ada["id"], at(2026, 1, 5), "Call Ada")
    store.add_deal(ada["id"], "Website", close_date="2026-01-05")
    now = at(2026, 1, 5)
    assert {i.source for i in agenda.collect(store, now)} == {"birthday", "cadence", "manual", "deal"}
    store.trash_contact(ada["id"])
    assert agenda.collect(store, now) == []


# --- done -------------------------------------------------------------------------------


@pytest.fixture
def ada(store) -> dict:
    return store.add_contact("Ada Lovelace", birthday="1815-01-07", every="30d")


@pytest.mark.parametrize(
    ("first", "every", "dones"),
    [
        pytest.param(at(2026, 1, 31, 0, 0), "monthly", ["2026-02-28", "2026-03-31", "2026-04-30"],
                     id="month ends"),
        pytest.param(at(2026, 1, 30, 0, 0), "1m", ["2026-02-28", "2026-03-30", "2026-04-30"],
                     id="the 30th"),
        pytest.param(at(2026, 3, 22, 9, 0), "weekly", ["2026-03-29 09:00", "2026-04-05 09:00"],
                     id="across dst"),
        pytest.param(at(2026, 1, 15, 0, 0), "FREQ=MONTHLY;BYMONTHDAY=-1", ["2026-01-31", "2026-02-28"],
                     id="rrule"),
        pytest.param(at(2024, 2, 29, 0, 0), "yearly",
                     ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"], id="29 feb"),
    ],
)  # fmt: skip
def test_done_moves_a_recurring_reminder_to_its_next_occurrence(store, ada, first, every, dones) -> None:
    all_day = (first.hour, first.minute) == (0, 0)
    rid = store.add_reminder(ada["id"], first, "Report", all_day=all_day, every=every)["id"]
    now = at(2026, 1, 1)
    for expected in dones:
        message = agenda.mark_done(store, rid, now)
        assert message.endswith(f"next due {expected}")
        reminder = store.get_reminder(rid)
        assert reminder["done_at"] is None
        assert reminder["anchor"] == utc_iso(first)


def test_done_from_done_counts_from_the_day_it_is_done(store, ada) -> None:
    rid = store.add_reminder(ada["id"], at(2026, 1, 1, 0, 0), "Water", every="10d", from_done=True)["id"]
    assert agenda.mark_done(store, rid, at(2026, 1, 5, 18)).endswith("next due 2026-01-15")


def test_done_on_a_one_off_closes_it_and_undo_reopens_it(store, ada) -> None:
    rid = store.add_reminder(ada["id"], at(2026, 1, 5), "Call", all_day=False)["id"]
    now = at(2026, 1, 5, 12)
    assert agenda.mark_done(store, rid, now) == f"done {rid}: Call"
    assert store.get_reminder(rid)["done_at"] == utc_iso(now)
    assert "reminder" not in {i.source for i in agenda.collect(store, now)}
    with pytest.raises(Conflict):
        agenda.mark_done(store, rid, now)
    store.undo()
    assert store.get_reminder(rid)["done_at"] is None
    assert f"reminder:{rid}:" in " ".join(keys(agenda.collect(store, now)))


@pytest.mark.parametrize("source", ["birthday", "cadence", "deal-close", "deal-stale"])
def test_done_on_a_derived_item_records_that_occurrence(store, ada, clock, source) -> None:
    clock.now = datetime(2025, 11, 1, tzinfo=timezone.utc)
    store.add_deal(ada["id"], "Website", close_date="2026-01-02")
    now = at(2026, 1, 7)
    clock.now = now.astimezone(timezone.utc)
    item = next(i for i in agenda.collect(store, now) if i.key.startswith(source + ":"))
    assert agenda.mark_done(store, item.key, now) == f"done: {item.text} [{item.key}]"
    assert item.key not in keys(agenda.collect(store, now))
    assert store.occurrences()[item.key]["state"] == "done"
    store.undo()
    assert item.key in keys(agenda.collect(store, now))


def test_a_logged_interaction_resets_the_cadence(store, ada, clock) -> None:
    now = at(2026, 1, 7)
    clock.now = now.astimezone(timezone.utc)
    assert any(i.source == "cadence" for i in agenda.collect(store, now))
    store.log(ada["id"], "called")
    assert not any(i.source == "cadence" for i in agenda.collect(store, now))
    later = at(2026, 2, 6)
    assert [i.key for i in agenda.collect(store, later) if i.source == "cadence"] == [
        f"cadence:{ada['id']}:2026-02-06"
    ]


# --- snooze -----------------------------------------------------------------------------


def test_snooze_moves_a_stored_reminder_and_keeps_its_anchor(store, ada) -> None:
    first = at(2026, 1, 5, 9)
    rid = store.add_reminder(ada["id"], first, "Standup", all_day=False, every="weekly")["id"]
    now = at(2026, 1, 5, 9, 30)
    message = agenda.snooze(store, rid, at(2026, 1, 7), all_day=True, now_local=now)
    assert message == f"snoozed {rid} until 2026-01-07 09:00: Standup"  # keeps its time of day
    reminder = store.get_reminder(rid)
    assert reminder["due"] == utc_iso(at(2026, 1, 7, 9))
    assert reminder["anchor"] == utc_iso(first)
    assert f"reminder:{rid}:" not in " ".join(keys(agenda.collect(store, now)))
    # done after a snooze goes back to the rule: the Monday after
    assert agenda.mark_done(store, rid, at(2026, 1, 7, 10)).endswith("next due 2026-01-12 09:00")


def test_snooze_of_a_derived_item_brings_it_back_that_day(store, ada) -> None:
    now = at(2026, 1, 7)
    key = f"birthday:{ada['id']}:2026-01-07"
    assert key in keys(agenda.collect(store, now))
    agenda.snooze(store, key, local_at(date(2026, 1, 9), BERLIN), now_local=now)
    assert key not in keys(agenda.collect(store, now))
    assert key not in keys(agenda.collect(store, at(2026, 1, 8)))
    back = [i for i in agenda.collect(store, at(2026, 1, 9)) if i.key == key]
    assert [(i.due, i.all_day) for i in back] == [(local_at(date(2026, 1, 9), BERLIN), True)]
    assert key in keys(agenda.collect(store, at(2026, 1, 12)))  # overdue until handled
    agenda.mark_done(store, key, at(2026, 1, 12))
    assert key not in keys(agenda.collect(store, at(2026, 1, 12)))


# --- what is refused, and leaves nothing written -----------------------------------------


@pytest.mark.parametrize(
    ("call", "error"),
    [
        pytest.param(lambda s, n: agenda.mark_done(s, "nonsense", n), InvalidData, id="bad key"),
        pytest.param(lambda s, n: agenda.mark_done(s, "birthday:1:not-a-day", n), InvalidData, id="bad day"),
        pytest.param(lambda s, n: agenda.mark_done(s, 999, n), NotFound, id="no such id"),
        pytest.param(lambda s, n: agenda.mark_done(s, "birthday:1:2026-03-03", n), NotFound, id="not due"),
        pytest.param(lambda s, n: agenda.mark_done(s, "reminder:1:2020-01-01T00:00:00Z", n), Conflict,
                     id="stale reminder key"),
        pytest.param(lambda s, n: agenda.snooze(s, 1, at(2026, 1, 6), now_local=n), InvalidData,
                     id="snooze past"),
        pytest.param(lambda s, n: agenda.snooze(s, "cadence:1:2026-01-05", at(2026, 1, 6, 9),
                                                now_local=n), InvalidData, id="snooze derived past"),
        pytest.param(lambda s, n: agenda.add_reminder(s, "ada", "someday", "x", now_local=n), InvalidData,
                     id="bad when"),
        pytest.param(lambda s, n: agenda.add_reminder(s, "ada", "fri", "x", every="FREQ=NEVER", now_local=n),
                     InvalidData, id="bad rule"),
        pytest.param(lambda s, n: agenda.add_reminder(s, "ada", "fri", "x", from_done=True, now_local=n),
                     InvalidData, id="from-done without a rule"),
        pytest.param(lambda s, n: agenda.add_reminder(s, "nobody", "fri", "x", now_local=n), NotFound,
                     id="bad ref"),
    ],
)  # fmt: skip
def test_bad_requests_write_nothing(store, ada, call, error) -> None:
    store.add_reminder(ada["id"], at(2026, 1, 5, 0, 0), "Call")
    before = history_rows(store)
    with pytest.raises(error):
        call(store, at(2026, 1, 7))
    assert history_rows(store) == before


def test_horizon_is_the_end_of_today_or_of_the_day_within_reaches() -> None:
    now = at(2026, 11, 22, 10)
    assert agenda.horizon(now) == at(2026, 11, 22, 23, 59) + timedelta(seconds=59)
    assert agenda.horizon(now, "7d") == at(2026, 11, 29, 23, 59) + timedelta(seconds=59)
    assert agenda.horizon(now, "12h") == at(2026, 11, 22, 22)
    with pytest.raises(InvalidData):
        agenda.horizon(now, "soon")


def test_notified_occurrences_are_not_offered_again(store, ada) -> None:
    now = at(2026, 1, 7)
    items = agenda.collect(store, now)
    assert len(items) > 1
    sent: list[list] = []
    assert agenda.notify_once(store, items[:1], sent.append) == items[:1]
    assert agenda.notify_once(store, agenda.collect(store, now), sent.append) == items[1:]
    assert sent == [items[:1], items[1:]]
