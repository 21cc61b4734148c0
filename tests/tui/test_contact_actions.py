"""Acting from the 360° view: reminders done and snoozed, deals opened and worked, an
interaction read in full, the contact trashed, an organisation's people, and undo that
names the change and asks first. Every test checks the book itself, not only the screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from pilot_helpers import NOW, column, fixed_clock, open_contact, settle
from textual.widgets import Checkbox, DataTable, Input, OptionList, Static

from tinycrm.store import Store
from tinycrm.tui.screens.agenda import SnoozeScreen
from tinycrm.tui.screens.contact import ContactScreen
from tinycrm.tui.screens.contacts import ContactsScreen
from tinycrm.tui.screens.details import DealScreen, InteractionScreen, ReminderScreen
from tinycrm.tui.screens.dialogs import ConfirmScreen, StageScreen
from tinycrm.tui.screens.forms import DealEditForm
from tinycrm.tui.screens.pipeline import LostReasonScreen

SIZE = (100, 30)


def book(db, user: str = "tester") -> Store:
    """Another connection to the test book, as the CLI would open it."""
    return Store.open(db, user, clock=fixed_clock)


def text_of(screen, selector: str) -> str:
    """What a Static or Label shows."""
    return str(screen.query_one(selector, Static).render())


def messages(app) -> list[str]:
    """The notifications shown so far."""
    return [str(n.message) for n in app._notifications]


async def focus(pilot, screen, table_id: str) -> None:
    """Give a section's table the keys."""
    screen.query_one(f"#{table_id}", DataTable).focus()
    await pilot.pause()


def ada_reminder(db) -> dict:
    with book(db) as store:
        return store.list_reminders(include_done=True, contact_id=store.resolve("Ada Lovelace")["id"])[0]


def ada_deal(db) -> dict:
    with book(db) as store:
        return store.list_deals(contact_id=store.resolve("Ada Lovelace")["id"])[0]


# ---------------------------------------------------------------- reminders


async def test_space_on_a_reminder_marks_it_done(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await pilot.press("shift+tab")  # from the timeline back to the reminders
        assert app.focused is screen.query_one("#reminders")
        await pilot.press("space")
        await settle(pilot)
        assert ada_reminder(db)["done_at"] is not None
        assert column(screen, "reminders", 1) == []
        assert any("Send the revised quote" in m for m in messages(app))


async def test_enter_on_a_reminder_shows_it_whole_and_d_marks_it_done(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await focus(pilot, screen, "reminders")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReminderScreen)
        assert text_of(app.screen, "#reminder-text") == "Send the revised quote"
        assert "2026-03-12" in text_of(app.screen, "#reminder-meta")
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is screen
        assert ada_reminder(db)["done_at"] is not None


async def test_escape_on_a_reminder_leaves_it_open(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await focus(pilot, screen, "reminders")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert ada_reminder(db)["done_at"] is None


@pytest.mark.parametrize(
    ("keys", "due"),
    [
        (["z"], "2026-03-13T00:00:00Z"),  # the dialog, then "fri" below
        (["enter", "z"], "2026-03-13T00:00:00Z"),  # through the reminder's own modal
    ],
)
async def test_z_snoozes_a_reminder_to_a_when_text(app, ids, db, keys, due) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await focus(pilot, screen, "reminders")
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, SnoozeScreen)
        app.screen.query_one(Input).value = "fri"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        reminder = ada_reminder(db)
        assert reminder["due"] == due
        assert reminder["done_at"] is None
        assert column(screen, "reminders", 0) == ["2026-03-13"]


async def test_a_bad_snooze_date_is_shown_and_escape_changes_nothing(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        await focus(pilot, screen, "reminders")
        await pilot.press("z")
        await settle(pilot)
        app.screen.query_one(Input).value = "blursday"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeScreen)
        assert "blursday" in text_of(app.screen, "#snooze-error")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert ada_reminder(db)["due"] == "2026-03-12T09:30:00Z"


# ---------------------------------------------------------------- interactions


async def test_enter_on_the_timeline_reads_the_whole_interaction(app, ids, db) -> None:
    with book(db) as store:
        store.log(ids["ada"], "Long call about the engine", kind="call", at=NOW - timedelta(days=1),
                  body="She wants the difference engine first.\nBudget: 12000 EUR, signed by April.")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["ada"])
        assert column(screen, "timeline", 2)[0] == "Long call about the engine"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        assert text_of(app.screen, "#interaction-summary") == "Long call about the engine"
        assert "signed by April" in text_of(app.screen, "#interaction-body")
        assert "tester" in text_of(app.screen, "#interaction-meta")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


# ---------------------------------------------------------------- deals


async def open_deal(app, pilot, contact_id: int) -> DealScreen:
    """Enter on the contact's first deal."""
    screen = await open_contact(app, pilot, contact_id)
    await pilot.press("tab")  # timeline → deals
    assert app.focused is screen.query_one("#deals")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DealScreen)
    return app.screen


async def test_enter_on_a_deal_opens_it_with_its_stage_history(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        assert "Analytical engine" in str(deal.query_one("#deal-title").render())
        fields = text_of(deal, "#deal-fields")
        assert "12000.00 EUR" in fields
        assert "proposal (50%)" in fields
        assert "2026-04-30" in fields
        assert "proposal" in text_of(deal, "#deal-stages")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)


async def test_editing_a_deal_changes_title_value_currency_close_and_key(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealEditForm)
        assert form.query_one("#value", Input).value == "12000.00"
        form.query_one("#title", Input).value = "Analytical engine, phase 2"
        form.query_one("#value", Input).value = "15000"
        form.query_one("#currency", Input).value = "GBP"
        form.query_one("#close", Input).value = "2026-05-31"
        form.query_one("#key", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is deal
        stored = ada_deal(db)
        assert (stored["title"], stored["value"], stored["currency"]) == (
            "Analytical engine, phase 2", "15000.00", "GBP")
        assert (stored["close_date"], stored["key"]) == ("2026-05-31", False)
        assert "15000.00 GBP" in text_of(deal, "#deal-fields")
        await pilot.press("escape")
        await settle(pilot)
        assert column(app.screen, "deals", 0) == ["Analytical engine, phase 2"]


@pytest.mark.parametrize(("value", "error"), [
    ("12k", "invalid amount '12k'"),
    ("", "the deal needs a value"),  # an emptied field is not a silent 0
])
async def test_a_bad_amount_keeps_the_deal_form_open_and_the_deal_unchanged(
    app, ids, db, value, error
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_deal(app, pilot, ids["ada"])
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#value", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DealEditForm)
        assert error in text_of(app.screen, "#form-error")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DealScreen)
        assert ada_deal(db)["value"] == "12000.00"


async def test_m_moves_a_deal_to_the_chosen_stage(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, StageScreen)
        listing = app.screen.query_one(OptionList)
        assert listing.highlighted_option.id == "negotiation"  # the next stage is offered first
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is deal
        assert ada_deal(db)["stage"] == "negotiation"
        assert "negotiation (75%)" in text_of(deal, "#deal-fields")


@pytest.mark.parametrize(("answer", "status"), [("y", "won"), ("n", "open"), ("escape", "open")])
async def test_w_asks_before_marking_a_deal_won(app, ids, db, answer, status) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Analytical engine" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press(answer)
        await settle(pilot)
        assert app.screen is deal
        assert ada_deal(db)["status"] == status


@pytest.mark.parametrize(("answer", "status", "reason"), [
    ("went with a competitor", "lost", "went with a competitor"),
    (None, "open", None),  # Esc: the deal stays open
])
async def test_x_asks_a_reason_before_marking_a_deal_lost(app, ids, db, answer, status, reason) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, LostReasonScreen)
        if answer is None:
            await pilot.press("escape")
        else:
            app.screen.query_one(Input).value = answer
            await pilot.press("enter")
        await settle(pilot)
        assert app.screen is deal
        stored = ada_deal(db)
        assert (stored["status"], stored["lost_reason"]) == (status, reason)


# ---------------------------------------------------------------- the contact itself


@pytest.mark.parametrize(("answer", "trashed"), [("y", True), ("n", False)])
async def test_t_asks_before_moving_the_contact_to_the_trash(app, ids, db, answer, trashed) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["grace"])
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Grace Hopper" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press(answer)
        await settle(pilot)
        with book(db) as store:
            assert bool(store.get_contact(ids["grace"], include_trash=True)["deleted_at"]) is trashed
        if trashed:
            assert isinstance(app.screen, ContactsScreen)
        else:
            assert app.screen is screen


async def test_a_contact_in_the_trash_can_be_restored_from_its_view(app, ids, db) -> None:
    with book(db) as store:
        store.trash_contact(ids["grace"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, ids["grace"])
        assert "(in the trash)" in text_of(screen, "#contact-heading")
        await pilot.press("t", "y")
        await settle(pilot)
        with book(db) as store:
            assert store.get_contact(ids["grace"])["deleted_at"] is None
        assert "(in the trash)" not in text_of(screen, "#contact-heading")


# ---------------------------------------------------------------- an organisation's people


async def test_an_organisation_lists_its_people_and_enter_opens_one(app, db) -> None:
    with book(db) as store:
        org = store.add_contact("Analytical Engines", kind="org")["id"]
        charles = store.add_contact("Charles Babbage", org="Analytical Engines", title="Inventor")["id"]
        store.add_contact("Augusta King", org="Analytical Engines", emails=["augusta@ae.example"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(app, pilot, org)
        assert screen.query_one("#people").display
        assert "People (2)" in str(screen.query_one("#people-title").render())
        assert column(screen, "people", 0) == ["Augusta King", "Charles Babbage"]
        assert column(screen, "people", 1) == ["", "Inventor"]
        await focus(pilot, screen, "people")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == charles
        assert not app.screen.query_one("#people").display  # a person has no people
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


# ---------------------------------------------------------------- undo


async def log_oops(app, pilot, contact_id: int) -> ContactScreen:
    """Log "Oops" from the 360° view, as the acting user."""
    screen = await open_contact(app, pilot, contact_id)
    await pilot.press("l")
    await settle(pilot)
    await pilot.press(*"Oops", "enter")
    await settle(pilot)
    return screen


@pytest.mark.parametrize(("answer", "undone"), [("y", True), ("n", False), ("escape", False)])
async def test_undo_names_the_change_and_asks_first(app, ids, db, answer, undone) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await log_oops(app, pilot, ids["ada"])
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#confirm-question").render()) == "Undo “log Ada Lovelace”?"
        detail = text_of(app.screen, "#confirm-detail")
        assert "Your change of 2026-03-10 09:30" in detail
        assert "interaction “Oops” added" in detail
        await pilot.press(answer)
        await settle(pilot)
        assert app.screen is screen
        with book(db) as store:
            assert store.count_interactions(ids["ada"]) == (2 if undone else 3)
        assert ("Oops" in column(screen, "timeline", 2)) is not undone


async def test_undo_passes_over_a_colleagues_change(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await log_oops(app, pilot, ids["ada"])
        with book(db, "bob") as bob:
            bob.log(ids["grace"], "Bob's call", kind="call")
        await pilot.press("u")
        await settle(pilot)
        assert str(app.screen.query_one("#confirm-question").render()) == "Undo “log Ada Lovelace”?"
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        with book(db) as store:
            assert store.count_interactions(ids["ada"]) == 2
            assert store.count_interactions(ids["grace"]) == 1  # Bob's call stays


async def test_undo_refused_when_a_colleague_built_on_the_change_says_why(app, ids, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        deal = await open_deal(app, pilot, ids["ada"])
        await pilot.press("m", "enter")  # proposal → negotiation, by tester
        await settle(pilot)
        deal_id = deal.deal_id
        with book(db, "bob") as bob:
            bob.edit_deal(deal_id, title="Engine (Bob's)")
        await pilot.press("u")
        await settle(pilot)
        question = str(app.screen.query_one("#confirm-question").render())
        assert question == "Undo “deal move Analytical engine”?"
        await pilot.press("y")
        await settle(pilot)
        assert any("cannot undo 'deal move Analytical engine': bob has changed the same record" in m
                   for m in messages(app))
        stored = ada_deal(db)
        assert (stored["stage"], stored["title"]) == ("negotiation", "Engine (Bob's)")


async def test_the_cursor_follows_a_deal_that_moves_down_the_list(app, ids, db) -> None:
    with book(db) as store:
        store.add_deal(ids["ada"], "Difference engine", value="500", stage="lead")
    async with app.run_test(size=SIZE) as pilot:
        await open_deal(app, pilot, ids["ada"])  # the first row: the lead stage comes first
        await pilot.press("w", "y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert column(screen, "deals", 0) == ["★ Analytical engine", "Difference engine"]
        assert column(screen, "deals", 2) == ["proposal", "won"]
        assert screen.query_one("#deals", DataTable).cursor_row == 1
