"""Snapshots of the dashboard with targets and a pool warning, wide (120x35) and narrow (80x24).

The book is `demo.fill` with a fixed seed on the fixed clock, plus targets for this month
and a pool rule. Update with `pytest --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.crm_harness import NOW, ScreenApp, clock, settle
from tinycrm import demo
from tinycrm.services import team
from tinycrm.store import Store
from tinycrm.tui.screens.dashboard import DashboardScreen


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    with Store.open(path, "tester", clock=clock) as store:
        demo.fill(store, now=NOW, contacts=60, seed=11)
        for user, amount in (("tester", "50000"), ("sam", "30000")):
            team.set_target(store, user, "2026-03", amount, "USD", now_local=NOW)
        for who, wins in (("me", 2), ("sam", 1)):  # this month's wins: two mine, one of Sam's
            deals = [d for d in store.list_deals(f"owner:{who} status:open") if d["currency"] == "USD"]
            for deal in deals[:wins]:
                store.move_deal(deal["id"], "won")
        team.set_rule(store, days=60, warn=30)
    return path


@pytest.mark.parametrize("size", [(120, 35), (80, 24)], ids=["120x35", "80x24"])
def test_dashboard_with_targets(snap_compare, book: Path, size: tuple[int, int]) -> None:
    assert snap_compare(ScreenApp(book, DashboardScreen), terminal_size=size, run_before=settle)
