"""Every screen at 80×24 and 120×35, in the dark and the light theme: one snapshot each.

Update with `pytest tests/tui/test_snapshots_screens.py --snapshot-update` and look at the
SVGs (or snapshot_report.html) before committing them.
"""

from __future__ import annotations

import pytest
from pilot_helpers import fixed_clock
from test_snapshots_core import still

from tinycrm.tui.app import CrmApp

SCREENS = ["contacts", "contact", "agenda", "pipeline", "dashboard"]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=["80x24", "120x35"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(db, ids, snap_compare, screen: str, size: tuple[int, int], theme: str) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await still(pilot)
        app.theme = theme
        if screen == "contact":
            app.show_contact(ids["ada"])
        elif screen != "contacts":
            app.switch_mode(screen)
        await still(pilot)

    assert snap_compare(CrmApp(db, "tester", clock=fixed_clock), terminal_size=size, run_before=run_before)
