"""Snapshots of the 360° view's modals at 80×24: a deal opened from it, and undo's question.

Update with `pytest tests/tui/test_snapshots_contact.py --snapshot-update` and look at the
SVGs (or snapshot_report.html) before committing them.
"""

from __future__ import annotations

from pilot_helpers import fixed_clock, settle

from tinycrm.tui.app import CrmApp

SIZE = (80, 24)


def make_app(db) -> CrmApp:
    """The app on the small book."""
    return CrmApp(db, "tester", clock=fixed_clock)


def test_a_deal_opened_from_the_contact_view(db, ids, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.show_contact(ids["ada"])
        await settle(pilot)
        await pilot.press("tab", "enter")  # timeline → deals, open the deal
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=run_before)


def test_undo_names_the_change_before_taking_it_back(db, ids, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.show_contact(ids["zhang"])
        await settle(pilot)
        await pilot.press("t", "y")  # 张伟 to the trash, back on the list
        await settle(pilot)
        pilot.app.clear_notifications()  # a toast's timeout would make the picture depend on speed
        await pilot.press("u")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=run_before)
