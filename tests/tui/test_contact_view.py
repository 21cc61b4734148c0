"""The contact 360° screen: one customer's picture, the forms that add to it, and undo."""

from __future__ import annotations

from pilot_helpers import column, fixed_clock, open_contact, settle
from textual.widgets import Input, Select

from tinycrm.store import Store
from tinycrm.tui.screens.contact import ContactScreen
from tinycrm.tui.screens.contacts import ContactsScreen
from tinycrm.tui.screens.forms import ContactForm, DealForm, LogForm, ReminderForm

SIZE = (100, 30)


async def fill(pilot, widget_id: str, text: str) -> None:
    """Put text in a form field as a user would leave it."""
    pilot.app.screen.query_one(f"#{widget_id}", Input).value = text
    await pilot.pause()


async def test_the_screen_shows_details_timeline_deals_and_reminders(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        assert "Ada Lovelace" in str(screen.query_one("#contact-heading").render())
        details = str(screen.query_one("#contact-details").render())
        assert "ada@acme.example" in details
        assert "#vip" in details
        assert column(screen, "timeline", 2) == ["Called about the invoice", "Sent the proposal"]
        assert column(screen, "deals", 0) == ["★ Analytical engine"]
        assert column(screen, "deals", 1) == ["12000.00 EUR"]
        assert column(screen, "reminders", 1) == ["Send the revised quote"]
        assert "Timeline (2)" in str(screen.query_one("#timeline-title").render())


async def test_logging_an_interaction_shows_it_in_the_timeline_and_history(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)
        await pilot.press(*"Demo went well")
        await fill(pilot, "next", "2026-03-13")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert column(screen, "timeline", 2)[0] == "Demo went well"
        assert column(screen, "timeline", 1)[0] == "call"
        assert "Follow up: Demo went well" in column(screen, "reminders", 1)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            last = store.history(limit=1)[0]
            assert last["command"] == "log Ada Lovelace"
            assert last["user"] == "tester"


async def test_a_bad_date_is_shown_in_the_form_which_stays_open(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, ids["ada"])
        await pilot.press("l")
        await settle(pilot)
        await fill(pilot, "text", "Lunch")
        await fill(pilot, "at", "blursday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LogForm)
        error = app.screen.query_one("#form-error")
        assert error.has_class("-visible")
        assert str(error.render()).startswith("invalid date 'blursday'")
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert store.count_interactions(ids["ada"]) == 2
        await fill(pilot, "at", "yesterday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            logged = store.timeline(ids["ada"], limit=5)
            assert [i["summary"] for i in logged][:2] == ["Lunch", "Called about the invoice"]
            assert next(i for i in logged if i["summary"] == "Lunch")["at"] == "2026-03-09T09:30:00Z"


async def test_a_bad_amount_is_shown_in_the_deal_form(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["grace"])
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DealForm)
        await fill(pilot, "title", "Compiler licence")
        await fill(pilot, "value", "12k")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DealForm)
        assert "invalid amount '12k'" in str(app.screen.query_one("#form-error").render())
        await fill(pilot, "value", "1250.50")
        await fill(pilot, "close", "2026-06-30")
        app.screen.query_one("#stage", Select).value = "qualified"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert column(screen, "deals", 0) == ["Compiler licence"]
        assert column(screen, "deals", 1) == ["1250.50 USD"]
        assert column(screen, "deals", 2) == ["qualified"]


async def test_adding_a_reminder(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["zhang"])
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReminderForm)
        await fill(pilot, "due", "")
        await fill(pilot, "text", "寄样品")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "invalid date ''" in str(app.screen.query_one("#form-error").render())
        await fill(pilot, "due", "fri")
        await fill(pilot, "every", "monthly")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert column(screen, "reminders", 0) == ["2026-03-13"]
        assert column(screen, "reminders", 1) == ["寄样品 (every monthly)"]


async def test_editing_fields_and_tags(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["grace"])
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#f-tags", Input).value == "vip, partner"
        await fill(pilot, "f-emails", "not-an-email")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "invalid e-mail 'not-an-email'" in str(app.screen.query_one("#form-error").render())
        await fill(pilot, "f-emails", "grace@navy.example")
        await fill(pilot, "f-tags", "vip, admiral")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with Store.open(db, "tester", clock=fixed_clock) as store:
            grace = store.get_contact(ids["grace"])
            assert grace["tags"] == ["vip", "admiral"]
            assert grace["emails"] == ["grace@navy.example"]
        assert "#admiral" in str(screen.query_one("#contact-details").render())


async def test_undo_takes_back_the_log(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Oops", "enter")
        await settle(pilot)
        assert column(screen, "timeline", 2)[0] == "Oops"
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Oops" not in column(screen, "timeline", 2)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert store.count_interactions(ids["ada"]) == 2
            assert store.history(limit=1)[0]["undone_at"] is not None


async def test_escape_goes_back_to_the_list_and_cancels_forms(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, ids["ada"])
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)


async def test_a_contact_deleted_elsewhere_closes_its_screen(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, ids["grace"])
        with Store.open(db, "cli", clock=fixed_clock) as other:
            other.forget_contact(ids["grace"])
        app.notify_changed(external=True)
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
