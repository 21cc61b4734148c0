"""Snapshots of the contacts and contact screens on the small book with the fixed clock.

Update with `pytest tests/tui/test_snapshots_core.py --snapshot-update` and look at the
SVGs (or snapshot_report.html) before committing them.
"""

from __future__ import annotations

from pilot_helpers import fixed_clock, settle
from textual.widgets import Input

from tinycrm.tui.app import CrmApp


async def still(pilot) -> None:
    """Settle, and stop the cursor blinking so the picture does not depend on timing."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


def make_app(db) -> CrmApp:
    """The app on the small book."""
    return CrmApp(db, "tester", clock=fixed_clock)


def test_contacts_screen(db, snap_compare) -> None:
    assert snap_compare(make_app(db), terminal_size=(100, 30), run_before=still)


def test_contacts_screen_at_80x24_in_light_theme(db, snap_compare) -> None:
    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await still(pilot)

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=run_before)


def test_contacts_filtered_with_an_error_line(db, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "vip"
        await settle(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "vip last>"
        await still(pilot)

    assert snap_compare(make_app(db), terminal_size=(100, 30), run_before=run_before)


def test_contact_screen(db, ids, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.show_contact(ids["ada"])
        await still(pilot)

    assert snap_compare(make_app(db), terminal_size=(100, 30), run_before=run_before)


def test_log_form_with_a_validation_error(db, ids, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.show_contact(ids["zhang"])
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        pilot.app.screen.query_one("#text", Input).value = "电话沟通报价"
        pilot.app.screen.query_one("#next", Input).value = "someday"
        await pilot.press("ctrl+s")
        await still(pilot)

    assert snap_compare(make_app(db), terminal_size=(100, 30), run_before=run_before)
