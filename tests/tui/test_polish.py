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
