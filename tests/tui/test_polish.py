"""Issue 12's polish of the full-screen interface: palette, theme, sort, footers, forms, board, charts."""

from __future__ import annotations

from pilot_helpers import fixed_clock, settle
from textual.command import CommandList, CommandPalette

from tinycrm.store import Store
from tinycrm.tui.app import CrmApp

SIZE = (120, 35)


async def _palette_prompts(app: CrmApp, pilot) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    for _ in range(20):  # discovery hits arrive over a few frames
        await pilot.pause(0.02)
    options = app.screen.query_one(CommandList).options
    prompts = [str(option.prompt).split("\n")[0] for option in options]
    await pilot.press("escape")
    await settle(pilot)
    return prompts


async def test_the_palette_lists_tinycrms_commands_once_each_in_a_stable_order(db) -> None:
    with Store.open(db, "tester", clock=fixed_clock) as store:
        store.set_setting("filter:suppliers", "tag:supplier")
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = await _palette_prompts(app, pilot)
        second = await _palette_prompts(app, pilot)
    assert first == second
    assert len(first) == len(set(first))
    assert first[0] == "Go to contacts"
    assert first[-1] == "Filter: suppliers"
    assert [p for p in first if "theme" in p.lower()] == ["Theme"]
    for textual_own in ("Keys", "Screenshot", "Maximize"):
        assert textual_own not in first


async def test_the_chosen_theme_is_remembered_across_restarts(db) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    again = CrmApp(db, "tester", clock=fixed_clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
    other = CrmApp(db, "someone-else", clock=fixed_clock)
    async with other.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert other.theme != "nord"  # each user's own choice


async def test_a_remembered_theme_is_not_an_undoable_change(db) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert not [row for row in store.history(limit=5) if "theme" in str(row)]


def test_help_columns_stay_aligned_for_long_terms() -> None:
    from test_app import plain

    from tinycrm.query import FIELD_HELP
    from tinycrm.tui.screens.help import filter_text, keys_text

    lines = plain(filter_text()).splitlines()
    starts = set()
    for meaning in FIELD_HELP.values():
        example, _, rest = meaning.partition(" — ")
        if not rest:
            continue
        line = next(line for line in lines if line.lstrip().startswith(example))
        starts.add(line.index(rest[:20]))
    assert len(starts) == 1  # `created>2026-01-01 / created<7d` included
    assert "Save the current filter" in plain(keys_text())


async def test_chinese_names_sort_by_pinyin_on_the_contacts_screen(db) -> None:
    from tinycrm.tui.widgets.contact_table import ContactTable

    with Store.open(db, "tester", clock=fixed_clock) as store:
        store.add_contact("Wendy Wu")
        store.add_contact("Zoe Zhu")
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [row.cells[0] for row in app.screen.query_one(ContactTable).visible_rows()]
    # 王芳 (wang fang) among the Ws, 张伟 (zhang wei) between Zhang and Zoe — not after every latin name
    assert names.index("王芳") < names.index("Wendy Wu")
    assert names.index("Wendy Wu") < names.index("张伟") < names.index("Zoe Zhu")


async def test_the_tier_header_keeps_its_name_next_to_the_sort_arrow(db) -> None:
    from tinycrm.tui.widgets.contact_table import ContactTable

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s", "s")
        await settle(pilot)
        table = app.screen.query_one(ContactTable)
        assert table.wanted.sort == "tier"
        header = table.render_line(0).text
    assert "Tier ▲" in header
    assert "Tie…" not in header


async def test_every_footer_shows_quit_at_80_columns(db, ids) -> None:
    from textual.widgets import Footer

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for step in ("contacts", "agenda", "pipeline", "dashboard", "contact"):
            await settle(pilot)
            if step == "contact":
                app.switch_mode("contacts")
                app.show_contact(ids["ada"])
            elif step != "contacts":
                app.switch_mode(step)
            await settle(pilot)
            footer = app.screen.query_one(Footer)
            quit_key = [k for k in footer.query("FooterKey") if k.action == "app.quit" or k.key == "q"]
            assert quit_key, step
            region = quit_key[0].region
            assert region.width > 0, step
            assert region.right <= 80, step


def _burst(app: CrmApp, keys: list[str]) -> None:
    """Keys as a fast typist or a terminal's paste delivers them: all queued before any is handled."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


async def test_a_deal_form_typed_without_pauses_fills_every_field(db, ids) -> None:
    from textual.widgets import Checkbox, Input

    from tinycrm.tui.screens.forms import DealForm

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_contact(ids["zhang"])
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DealForm)
        _burst(app, [*"ERP 二期", "tab", *"12.345", "tab", *"CNY", "tab", "tab", *"2026-12-31", "tab", " "])
        await settle(pilot)
        form = app.screen
        values = {i.id: i.value for i in form.query(Input)}
        assert values == {"title": "ERP 二期", "value": "12.345", "currency": "CNY", "close": "2026-12-31"}
        assert form.query_one("#key", Checkbox).value is True


async def test_a_paste_with_tabs_fills_the_fields_in_turn(db, ids) -> None:
    from textual import events
    from textual.widgets import Input

    from tinycrm.tui.screens.forms import DealForm

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_contact(ids["zhang"])
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DealForm)
        app.screen.query_one("#title", Input).post_message(events.Paste("ERP 二期\t12345\tCNY"))
        await settle(pilot)
        values = {i.id: i.value for i in app.screen.query(Input)}
        assert values == {"title": "ERP 二期", "value": "12345", "currency": "CNY", "close": ""}
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        deal = store.list_deals("ERP")[0]
    assert (deal["title"], deal["value"], deal["currency"]) == ("ERP 二期", "12345.00", "CNY")


async def test_fixing_a_field_clears_its_error(db, ids) -> None:
    from textual.widgets import Static

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_contact(ids["zhang"])
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"Audit", "tab", *"lots", "ctrl+s")
        await settle(pilot)
        error = app.screen.query_one("#form-error", Static)
        assert error.has_class("-visible")
        await pilot.press("backspace")
        await settle(pilot)
        assert not error.has_class("-visible")


async def test_the_add_form_sets_kind_and_tier(db) -> None:
    from textual.widgets import Select

    from tinycrm.tui.screens.forms import ContactForm

    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        await pilot.press(*"Initech")
        app.screen.query_one("#f-kind", Select).value = "org"
        app.screen.query_one("#f-tier").value = "A"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        made = store.resolve("Initech")
    assert (made["kind"], made["tier"]) == ("org", "A")


async def test_redo_does_again_what_undo_took_back(db) -> None:
    with Store.open(db, "tester", clock=fixed_clock) as store:
        made = store.add_contact("Hedy Lamarr")
        store.undo()
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_redo()
        await settle(pilot)
    with Store.open(db, "tester", clock=fixed_clock) as store:
        assert store.resolve("Hedy")["id"] == made["id"]
