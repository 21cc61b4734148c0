"""Snapshots of the Duplicates screen and the side-by-side view, at 80x24 and 120x35.

Update with `pytest tests/tui/test_snapshots_dupes.py --snapshot-update` and look at the
SVGs (or snapshot_report.html) before committing them.
"""

from __future__ import annotations

import pytest
from pilot_helpers import fixed_clock, settle
from test_snapshots_core import still
from test_tui_dupes import plant

from tinycrm.store import Store
from tinycrm.tui.app import CrmApp

SIZES = [(80, 24), (120, 35)]


@pytest.fixture
def planted_db(db):
    """The small book with Grace and 张伟 entered twice."""
    with Store.open(db, "tester", clock=fixed_clock) as store:
        plant(store, {"grace": store.resolve("Grace Hopper")["id"], "zhang": store.resolve("张伟")["id"]})
    return db


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_duplicates_screen(planted_db, snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("5")
        await still(pilot)

    assert snap_compare(CrmApp(planted_db, "tester", clock=fixed_clock), terminal_size=size,
                        run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_side_by_side(planted_db, snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await still(pilot)

    assert snap_compare(CrmApp(planted_db, "tester", clock=fixed_clock), terminal_size=size,
                        run_before=run_before)


def test_merge_question(planted_db, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await still(pilot)

    assert snap_compare(CrmApp(planted_db, "tester", clock=fixed_clock), terminal_size=(80, 24),
                        run_before=run_before)
