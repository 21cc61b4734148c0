"""The app around the screens: modes, help, the command palette, theme, and the CLI entry."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pilot_helpers import fixed_clock, settle
from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from tinycrm.cli import main
from tinycrm.store import Store
from tinycrm.tui.screens.contact import ContactScreen
from tinycrm.tui.screens.contacts import ContactsScreen
from tinycrm.tui.screens.help import HelpScreen
from tinycrm.tui.widgets.contact_table import ContactTable

SIZE = (100, 30)


def plain(renderable: object) -> str:
    """What a Rich renderable shows, as text."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_number_keys_switch_between_the_four_screens(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, mode in [("2", "agenda"), ("3", "pipeline"), ("4", "dashboard"), ("1", "contacts")]:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
        assert isinstance(app.screen, ContactsScreen)


async def test_help_lists_the_keys_of_every_screen_and_the_filter_language(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = plain(app.screen.query_one("#help-keys", Static).content)
        for text in ("Log an interaction", "Save the current filter", "Take back your own last change"):
            assert text in keys
        filters = plain(app.screen.query_one("#help-filters", Static).content)
        for text in ("tag:vip", "last>30d", "is:stale", "pinyin"):
            assert text in filters
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_the_command_palette_opens_a_contact_by_name(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"grace")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == ids["grace"]


async def test_the_command_palette_finds_chinese_names_by_pinyin_initials(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"zw")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == ids["zhang"]


async def test_the_command_palette_recalls_a_saved_filter(app, db) -> None:
    with Store.open(db, "tester", clock=fixed_clock) as store:
        store.set_setting("filter:chinese-suppliers", "tag:supplier")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"chinese-sup")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        table = app.screen.query_one(ContactTable)
        assert table.shown.filter == "tag:supplier"
        assert [r.cells[0] for r in table.visible_rows()] == ["王芳"]


async def test_ctrl_t_switches_between_dark_and_light(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        assert {before, app.theme} == {"textual-dark", "textual-light"}


async def test_undo_with_nothing_to_undo_says_so(tmp_path) -> None:
    from tinycrm.tui.app import CrmApp

    app = CrmApp(tmp_path / "empty.db", "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert any("nothing to undo" in str(n.message) for n in app._notifications)


def test_demo_fills_a_database_once_without_a_terminal(tmp_path, capsys) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--no-tui", "--contacts", "40"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("demo book: ")
    assert str(path) in out
    with Store.open(path, "tester") as store:
        assert store.count_contacts() >= 40
    assert main(["demo", "--db", str(path), "--no-tui"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "--force" in err
    assert len(err.strip().splitlines()) == 1


def test_the_command_line_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from tinycrm.cli import main; "
        "main(['--db', sys.argv[1], 'contact', 'list']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    env = {**os.environ, "TINYCRM_USER": "tester"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.db")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr


def test_tui_and_demo_have_help(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "tui" in out
    assert "demo" in out
    assert main(["demo", "--help"]) == 0
    assert "--no-tui" in capsys.readouterr().out
