"""Duplicates in the TUI: the Duplicates screen, two records side by side, merge and undo, and the
contact form's live match, refusal and "add anyway"."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from pilot_helpers import fixed_clock, open_contact, settle
from rich.console import Console
from textual.widgets import Button, Input

from tinycrm.errors import NotFound
from tinycrm.store import Store
from tinycrm.tui.screens.dialogs import ConfirmScreen
from tinycrm.tui.screens.forms import ContactForm

SIZE = (120, 35)


def plant(store: Store, ids: dict[str, int]) -> dict[str, int]:
    """Grace entered twice (e-mail in another case, phone written another way) and 张伟 as 張偉."""
    store.set_setting("region", "US")
    store.edit_contact(ids["grace"], emails=["grace@navy.mil"], phones=["+1 202 555 0100"])
    twin = store.add_contact(
        "Grace M. Hopper", org="US Navy", emails=["GRACE@navy.mil"], phones=["(202) 555-0100"],
        fields={"rank": "Rear Admiral"}, allow_duplicate=True,
    )["id"]
    store.log(twin, "Talked about COBOL", kind="call")
    store.add_deal(twin, "Compiler licence", value="5000", currency="USD", stage="lead")
    zhang = store.add_contact("張偉", org="企业电子", allow_duplicate=True)["id"]
    return {**ids, "grace_twin": twin, "zhang_twin": zhang}


@pytest.fixture
def planted(db: Path) -> dict[str, int]:
    """The small book with planted duplicates; the ids of both sides."""
    with Store.open(db, "tester", clock=fixed_clock) as store:
        ids = {"grace": store.resolve("Grace Hopper")["id"], "zhang": store.resolve("张伟")["id"],
               "ada": store.resolve("Ada Lovelace")["id"]}
        return plant(store, ids)


def text_of(screen, selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(screen.query_one(selector).render())


def table_rows(screen) -> dict[str, tuple[bool, str]]:
    """The side-by-side table's rows by their first word: (marked as differing, the whole line)."""
    rows = {}
    for line in table_text(screen).splitlines()[2:]:
        marked = line.startswith("≠")
        words = line.lstrip("≠ ").split()
        if words:
            rows[words[0]] = (marked, line)
    return rows


def table_text(screen) -> str:
    """The side-by-side table as plain text."""
    console = Console(width=120, record=True, color_system=None)
    console.print(screen.table)
    return console.export_text()


async def open_dupes(app, pilot):
    """The app on the Duplicates screen with its groups found."""
    from tinycrm.tui.screens.dupes import DupesScreen

    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    assert isinstance(app.screen, DupesScreen)
    return app.screen


async def open_group(app, pilot, first_id: int):
    """The side-by-side view of the group that starts with `first_id`."""
    from tinycrm.tui.screens.dupes import CompareScreen

    screen = await open_dupes(app, pilot)
    rows = screen.groups.rows
    screen.groups.cursor = next(i for i, r in enumerate(rows) if r.ids[0] == first_id)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CompareScreen)
    return app.screen


# --------------------------------------------------------------------------- the Duplicates screen


async def test_the_duplicates_screen_lists_groups_with_score_and_reasons(app, planted) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dupes(app, pilot)
        groups = {r.ids: r for r in screen.groups.rows}
        grace = groups[(planted["grace"], planted["grace_twin"])]
        assert "same e-mail grace@navy.mil" in grace.why
        assert "same phone" in grace.why
        assert f"#{planted['grace_twin']} Grace M. Hopper" in grace.who
        zhang = groups[(planted["zhang"], planted["zhang_twin"])]
        assert "traditional and simplified" in zhang.why
        assert zhang.score >= 70
        assert "2 groups of likely duplicates" in text_of(screen, "#dupes-status")


async def test_5_reaches_the_duplicates_screen_from_a_contact_and_the_palette_lists_it(app, planted) -> None:
    from tinycrm.tui.commands import NavigationCommands
    from tinycrm.tui.screens.help import keys_text

    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, planted["ada"])
        await pilot.press("5")
        await settle(pilot)
        assert app.current_mode == "dupes"
        names = [name for name, _, _ in NavigationCommands(app.screen)._commands()]
        assert "Go to duplicates" in names
    from rich.console import Console

    console = Console(width=160, record=True, file=io.StringIO())
    console.print(keys_text())
    help_text = console.export_text()
    assert "Duplicates (5)" in help_text
    assert "Merge the other into the kept one" in help_text
    assert "Keep both" in help_text


async def test_the_groups_are_looked_for_off_the_event_loop_while_the_screen_says_so(
    app, planted, monkeypatch
) -> None:
    import tinycrm.tui.screens.dupes as dupes
    from tinycrm.tui.screens.dupes import DupesScreen

    release = threading.Event()
    real = dupes.run_apart
    ran = []

    def held(fn, *args):
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        ran.append(fn.__name__)
        return real(fn, *args)

    monkeypatch.setattr(dupes, "run_apart", held)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DupesScreen)
        assert text_of(screen, "#dupes-status") == "Looking for duplicates…"
        await pilot.press("question_mark")  # the event loop still answers keys
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        assert len(screen.groups.rows) == 2
    assert ran == ["list_duplicates"]


async def test_coming_back_looks_again_only_after_a_change(app, planted, db, monkeypatch) -> None:
    import tinycrm.tui.screens.dupes as dupes

    looks = []
    real = dupes.run_apart

    def counted(fn, *args):
        looks.append(fn.__name__)
        return real(fn, *args)

    monkeypatch.setattr(dupes, "run_apart", counted)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dupes(app, pilot)
        for keys in (["question_mark", "escape"], ["1", "5"]):
            await pilot.press(*keys)
            await settle(pilot)
        assert len(looks) == 1
        with Store.open(db, "cli", clock=fixed_clock) as store:  # the CLI, meanwhile
            store.edit_contact(planted["zhang_twin"], org="深圳华星科技有限公司")
        await pilot.press("1", "5")
        await settle(pilot)
        assert len(looks) == 2
        assert [r.ids for r in screen.groups.rows] == [(planted["grace"], planted["grace_twin"])]
        await pilot.press("r")
        await settle(pilot)
        assert len(looks) == 3


def test_the_look_up_runs_in_another_process(db) -> None:
    import os

    from tinycrm.tui.screens.dupes import run_apart

    assert run_apart(os.getpid) != os.getpid()


# --------------------------------------------------------------------------- side by side


async def test_enter_shows_two_records_side_by_side_with_the_differences_marked(app, planted) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot, planted["grace"])
        rows = table_rows(screen)
        assert rows["Name"][0]
        assert "Grace Hopper" in rows["Name"][1]
        assert "Grace M. Hopper" in rows["Name"][1]
        assert not rows["E-mails"][0]  # one address in two cases
        assert not rows["Phones"][0]  # one number written two ways
        assert rows["Tags"][0]
        assert rows["·"] == (True, rows["·"][1])
        assert "Rear Admiral" in rows["·"][1]
        assert rows["Interactions"][1].split()[-2:] == ["0", "1"]
        assert rows["Deals"][1].split()[-2:] == ["0", "1"]
        assert not rows["Reminders"][0]
        assert f"#{planted['grace']} · KEEP" in table_text(screen)


async def test_k_keeps_the_other_record(app, planted) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot, planted["grace"])
        assert screen.keep == planted["grace"]
        await pilot.press("k")
        assert screen.keep == planted["grace_twin"]
        assert f"#{planted['grace_twin']} · KEEP" in table_text(screen)
        hint = text_of(screen, "#compare-hint")
        assert f"m: merge #{planted['grace']} into #{planted['grace_twin']}" in hint


async def test_merge_asks_what_moves_then_moves_it_and_undo_restores_it(app, planted, db) -> None:
    grace, twin = planted["grace"], planted["grace_twin"]
    async with app.run_test(size=SIZE) as pilot:
        await open_group(app, pilot, grace)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == f"Merge #{twin} Grace M. Hopper into #{grace} Grace Hopper?"
        assert "1 interaction, 1 deal, no reminders" in app.screen.detail
        assert "field rank: Rear Admiral" in app.screen.detail
        await pilot.press("y")
        await settle(pilot)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            with pytest.raises(NotFound):
                store.get_contact(twin)
            assert store.count_interactions(grace) == 1
            assert [d["title"] for d in store.list_deals(contact_id=grace)] == ["Compiler licence"]
            assert store.get_contact(grace)["fields"] == {"rank": "Rear Admiral"}
            assert store.history(limit=1)[0]["command"] == "merge Grace M. Hopper into Grace Hopper"
        screen = app.screen
        assert type(screen).__name__ == "DupesScreen"
        assert [r.ids for r in screen.groups.rows] == [(planted["zhang"], planted["zhang_twin"])]
        await pilot.press("u")
        await settle(pilot)
        assert "merge Grace M. Hopper into Grace Hopper" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert store.get_contact(twin)["name"] == "Grace M. Hopper"
            assert store.count_interactions(twin) == 1
            assert store.count_interactions(grace) == 0
            assert [d["title"] for d in store.list_deals(contact_id=twin)] == ["Compiler licence"]
        assert (grace, twin) in [r.ids for r in screen.groups.rows]


async def test_cancelling_the_merge_changes_nothing(app, planted, db) -> None:
    with Store.open(db, "tester", clock=fixed_clock) as store:
        before = len(store.history(limit=1000))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot, planted["grace"])
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert len(store.history(limit=1000)) == before
        assert store.count_interactions(planted["grace_twin"]) == 1


async def test_a_merge_refused_when_the_records_changed_after_the_question(app, planted, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot, planted["grace"])
        await pilot.press("m")
        await settle(pilot)
        with Store.open(db, "other", clock=fixed_clock) as store:  # a colleague, meanwhile
            store.edit_contact(planted["grace_twin"], add_tags=["admiral"])
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert store.get_contact(planted["grace_twin"])["tags"] == ["admiral"]


# --------------------------------------------------------------------------- the contact form


@pytest.fixture
def quick_match(monkeypatch) -> None:
    """No debounce wait in tests: the look-up runs on the next tick."""
    monkeypatch.setattr(ContactForm, "MATCH_DELAY", 0.01)


async def new_contact_form(app, pilot) -> ContactForm:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, ContactForm)
    return app.screen


async def type_into(pilot, widget_id: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{widget_id}", Input).value = text
    await pilot.pause(0.05)
    await settle(pilot)


@pytest.mark.parametrize(
    ("field", "typed", "why"),
    [
        ("f-emails", "GRACE@NAVY.MIL", "same e-mail"),
        ("f-emails", "someone@else.example, Grace@Navy.Mil", "same e-mail"),
        ("f-phones", "202.555.0100", "same phone"),
        ("f-phones", "+1 (202) 555-0100", "same phone"),
        ("f-name", "Grace Hopper", "same name"),
    ],
)
async def test_the_add_form_shows_the_likely_existing_match_while_typing(
    app, planted, quick_match, field, typed, why
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_contact_form(app, pilot)
        await type_into(pilot, field, typed)
        line = form.query_one("#form-match")
        assert line.has_class("-visible")
        assert form.match is not None
        assert form.match.contact["id"] == planted["grace"]
        text = str(line.render())
        assert f"Already here: Grace Hopper <grace@navy.mil> (#{planted['grace']}) — {why}" in text


async def test_no_match_line_for_a_new_person(app, planted, quick_match) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_contact_form(app, pilot)
        await type_into(pilot, "f-name", "Barbara Liskov")
        await type_into(pilot, "f-emails", "barbara@mit.example")
        assert form.match is None
        assert not form.query_one("#form-match").has_class("-visible")


async def test_ctrl_o_opens_the_match(app, planted, quick_match) -> None:
    from tinycrm.tui.screens.contact import ContactScreen

    async with app.run_test(size=SIZE) as pilot:
        await new_contact_form(app, pilot)
        await type_into(pilot, "f-phones", "2025550100")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == planted["grace"]


async def test_the_add_form_refuses_a_duplicate_email_and_add_anyway_keeps_both(
    app, planted, db, quick_match
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_contact_form(app, pilot)
        await type_into(pilot, "f-name", "G. Hopper")
        await type_into(pilot, "f-emails", "Grace@Navy.mil")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = text_of(form, "#form-error")
        assert f"already belongs to #{planted['grace']} Grace Hopper" in error
        assert "add anyway" in error
        assert form.query_one("#anyway", Button).has_class("-visible")
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert [c["name"] for c in store.list_contacts("hopper", sort="id")] == [
                "Grace Hopper", "Grace M. Hopper"]
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert app.screen is not form
    with Store.open(db, "tester", clock=fixed_clock) as store:
        added = store.list_contacts("hopper", sort="id")[-1]
        assert added["name"] == "G. Hopper"
        assert added["emails"] == ["Grace@navy.mil"]


async def test_changing_the_refused_email_takes_the_add_anyway_choice_away(app, planted, quick_match) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await new_contact_form(app, pilot)
        await type_into(pilot, "f-name", "G. Hopper")
        await type_into(pilot, "f-phones", "202 555 0100")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#anyway", Button).has_class("-visible")
        await type_into(pilot, "f-phones", "202 555 0199")
        assert not form.query_one("#anyway", Button).has_class("-visible")
        assert text_of(form, "#form-error") == ""
        await pilot.press("ctrl+b")  # nothing refused now: ctrl+b does not save
        await settle(pilot)
        assert app.screen is form


async def test_the_edit_form_refuses_a_duplicate_phone_too(app, planted, db, quick_match) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, planted["ada"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        await type_into(pilot, "f-phones", "(202) 555-0100")
        assert form.match is not None
        assert form.match.why == "same phone"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert f"already belongs to #{planted['grace']}" in text_of(form, "#form-error")
        assert "Save anyway (ctrl+b)" in str(form.query_one("#anyway", Button).label)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert store.get_contact(planted["ada"])["phones"] == []
        await pilot.press("ctrl+b")
        await settle(pilot)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert store.get_contact(planted["ada"])["phones"] == ["(202) 555-0100"]



async def test_a_contact_kept_with_a_shared_email_can_still_be_edited(app, planted, db, quick_match) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, planted["grace_twin"])
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "f-title", "Rear Admiral")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert store.get_contact(planted["grace_twin"])["title"] == "Rear Admiral"
