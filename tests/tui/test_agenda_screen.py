"""The agenda: overdue, today and the next seven days; done, snooze and open the contact."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Label, OptionList

from tests.tui.crm_harness import NOW, ScreenApp, clock, settle
from tinycrm.reminders import DueItem
from tinycrm.store import Store
from tinycrm.tui.screens.agenda import AgendaScreen, SnoozeScreen, row

TODAY = datetime(2026, 3, 10, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Store.open(path, "tester", clock=clock) as s:
        ada = s.add_contact("Ada Lovelace", birthday="1815-03-10")["id"]
        zhang = s.add_contact("张伟", org="佛山企业电子有限公司")["id"]
        s.add_reminder(ada, TODAY - timedelta(days=3), "Send the revised quote")
        s.add_reminder(zhang, TODAY, "确认合同签署")
        s.add_reminder(zhang, TODAY + timedelta(days=3), "Prepare the demo")
        s.add_reminder(ada, TODAY + timedelta(days=20), "Too far to show")
    return path


def store_of(db: Path) -> Store:
    return Store.open(db, "tester", clock=clock)


def reminder_id(db: Path, text: str) -> int:
    with store_of(db) as s:
        return next(r["id"] for r in s.list_reminders(include_done=True) if r["text"] == text)


def shown(app) -> list[str]:
    return [item.text for item in app.screen.items.values()]


def summary(app) -> str:
    return str(app.screen.query_one("#agenda-summary").render())


async def test_sections_with_counts_overdue_first(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert summary(app) == "Agenda · 1 overdue · 2 today · 1 in the next 7 days"
        listing = app.screen.query_one(OptionList)
        ids = [o.id for o in listing.options]
        assert ids[0] == "section-overdue"
        assert ids.index("section-today") == 2
        assert "Too far to show" not in shown(app)
        assert shown(app)[0] == "Send the revised quote"
        assert any("Birthday" in text or "birthday" in text for text in shown(app))
        assert app.screen.selected.text == "Send the revised quote"  # headings are skipped
        assert app.screen.selected.overdue


async def test_d_marks_the_highlighted_reminder_done(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_reminder(reminder_id(db, "Send the revised quote"))["done_at"] is not None
            assert s.history(limit=1)[0]["command"].startswith("remind done")
        assert "Send the revised quote" not in shown(app)
        assert summary(app).startswith("Agenda · 0 overdue · 2 today")
        assert app.screen.selected is not None  # the highlight stays on the list


async def test_done_on_a_birthday_marks_this_years_occurrence(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        birthday = next(i for i in app.screen.items.values() if i.source == "birthday")
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index(birthday.key)
        await pilot.press("d")
        await settle(pilot)
        assert birthday.key not in app.screen.items
        with store_of(db) as s:
            assert s.occurrences()[birthday.key]["state"] == "done"


async def test_z_snoozes_until_tomorrow_by_default(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeScreen)
        await pilot.press("enter")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_reminder(reminder_id(db, "Send the revised quote"))["due"] == "2026-03-11T00:00:00Z"
        assert summary(app) == "Agenda · 0 overdue · 2 today · 2 in the next 7 days"


async def test_z_takes_any_when_and_shows_a_bad_one_in_place(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        await pilot.press(*"someday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeScreen)
        assert "invalid date 'someday'" in str(app.screen.query_one("#snooze-error", Label).render())
        await pilot.press(*("backspace",) * 7, *"+5d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        with store_of(db) as s:
            assert s.get_reminder(reminder_id(db, "Send the revised quote"))["due"] == "2026-03-15T00:00:00Z"


async def test_escape_leaves_the_item_alone(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("z", "escape")
        await settle(pilot)
        assert summary(app).startswith("Agenda · 1 overdue")


async def test_enter_opens_the_contact(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        item = app.screen.selected
        assert item.contact == "张伟"
        assert app.contacts_shown == [item.contact_id]


async def test_snoozing_into_the_past_is_refused_with_a_message(db: Path) -> None:
    app = ScreenApp(db, AgendaScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("z", *"yesterday", "enter")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_reminder(reminder_id(db, "Send the revised quote"))["due"] == "2026-03-07T00:00:00Z"


async def test_nothing_due_shows_empty_sections(tmp_path: Path) -> None:
    app = ScreenApp(tmp_path / "empty.db", AgendaScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert summary(app) == "Agenda · 0 overdue · 0 today · 0 in the next 7 days"
        await pilot.press("d")  # nothing highlighted: a bell, no error
        await settle(pilot)


def test_rows_line_up_whatever_the_script() -> None:
    def item(contact: str) -> DueItem:
        return DueItem("k", 1, 1, None, "Call back", NOW, True, None, "manual", contact=contact)

    latin = row(item("Ada Lovelace"), NOW.date())
    chinese = row(item("佛山企业电子有限公司的张伟"), NOW.date())
    assert latin.cell_length == chinese.cell_length
    assert latin.plain.endswith("Call back")
    assert chinese.plain.endswith("Call back")
