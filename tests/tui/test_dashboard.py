"""The dashboard: its numbers are reports.headline's, and it follows changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Sparkline

from tests.tui.crm_harness import NOW, ScreenApp, clock, settle
from tinycrm import reports
from tinycrm.store import Store
from tinycrm.tui.screens.dashboard import DashboardScreen
from tinycrm.tui.widgets.dashboard import StageBars, Tile


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Store.open(path, "tester", clock=clock) as s:
        ada = s.add_contact("Ada Lovelace", every="30d")["id"]
        zhang = s.add_contact("张伟", org="佛山企业电子有限公司")["id"]
        s.add_deal(ada, "Analytical engine", value="12000", stage="proposal")
        s.add_deal(zhang, "ERP 系统升级", value="8000.50", stage="lead")
        s.move_deal(s.add_deal(zhang, "年度维保合同", value="2500")["id"], "won")
        s.add_reminder(ada, NOW - timedelta(days=2), "Send the revised quote")
        s.log(zhang, "电话沟通报价", kind="call", at=NOW - timedelta(days=1))
    return path


def tile(app, name: str) -> Tile:
    return app.screen.query_one(f"#tile-{name}", Tile)


def lines(t: Tile) -> list[str]:
    return [t.digits.value] + [str(line.render()) for line in t.lines]


def expected(db: Path) -> dict:
    with Store.open(db, "tester", clock=clock) as s:
        return reports.headline(s, NOW)


async def test_the_tiles_show_reports_headline(db: Path) -> None:
    head = expected(db)
    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        open_total = head["open_pipeline"]["totals"]["USD"]
        assert lines(tile(app, "open")) == [
            reports.format_compact(open_total), "2 deals", reports.format_money(open_total, places=0),
        ]  # fmt: skip
        forecast = head["weighted_forecast"]["totals"]["USD"]
        assert lines(tile(app, "forecast"))[0] == reports.format_compact(forecast) == "6.8k"
        assert lines(tile(app, "forecast"))[2] == "6,800"  # 50% of 12000 + 10% of 8000.50
        assert lines(tile(app, "won")) == ["2.5k", "1 deal", "in 2026-03"]
        assert lines(tile(app, "overdue"))[0] == str(head["overdue_followups"]) == "1"
        assert lines(tile(app, "stale"))[0] == str(head["stale_contacts"]) == "1"
        assert tile(app, "overdue").has_class("alert")


async def test_charts_are_drawn_from_the_reports(db: Path) -> None:
    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bars = app.screen.query_one(StageBars)
        assert [r[0] for r in bars.rows] == ["lead", "qualified", "proposal", "negotiation"]
        with Store.open(db, "tester", clock=clock) as s:
            proposal = reports.pipeline_by_stage(s)[2]
        assert bars.rows[2] == ("proposal", proposal["totals"]["USD"], proposal["weighted"]["USD"], 1)
        assert bars.rows[2][1:3] == (Decimal("12000.00"), Decimal("6000.00"))
        text = bars.render().plain
        assert "Proposal" in text
        assert "12k" in text
        assert app.screen.query_one(Sparkline).data[-1] == 1  # this week's call


async def test_a_change_elsewhere_updates_the_numbers(db: Path) -> None:
    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        with Store.open(db, "tester", clock=clock) as s:
            s.move_deal(s.list_deals("stage:proposal")[0]["id"], "won")
        app.notify_changed(external=True)
        await settle(pilot)
        assert lines(tile(app, "won"))[:2] == ["14.5k", "2 deals"]
        assert lines(tile(app, "open"))[1] == "1 deal"


async def test_an_empty_book_shows_zeros(tmp_path: Path) -> None:
    app = ScreenApp(tmp_path / "empty.db", DashboardScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert lines(tile(app, "open"))[0] == "0"
        assert not tile(app, "overdue").has_class("alert")
        assert "no open deals" not in app.screen.query_one(StageBars).render().plain  # stages, all zero
        assert not app.screen.query_one("#won-chart").display  # no 1.00 / 0.67 axis for nothing
        assert app.screen.query_one("#won-empty").display


@pytest.mark.parametrize(
    ("top", "unit", "labels"),
    [
        (201.0, "k", ["0", "100k", "200k", "300k"]),
        (4.2, "M", ["0", "2M", "4M", "6M"]),
        (15.0, "", ["0", "5", "10", "15"]),
        (0.0, "", ["0"]),
    ],
)
def test_axis_ticks_are_round_and_short(top: float, unit: str, labels: list[str]) -> None:
    from tinycrm.tui.screens.dashboard import nice_ticks, tick_label

    assert [tick_label(t, unit) for t in nice_ticks(top)] == labels


async def test_the_won_chart_has_readable_ticks(db: Path) -> None:
    with Store.open(db, "tester", clock=clock) as s:
        s.move_deal(s.add_deal(s.resolve("Ada")["id"], "Big one", value="201000")["id"], "won")
    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        drawn = app.screen.query_one("#won-chart").plt.build()
        assert "200k" in drawn
        assert ".0" not in drawn


async def test_deal_counts_are_those_of_the_currency_summed(db: Path) -> None:
    with Store.open(db, "tester", clock=clock) as s:
        s.add_deal(s.resolve("Ada")["id"], "小程序开发", value="9000", currency="CNY", stage="lead")
    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        detail = lines(tile(app, "open"))[1]
        assert detail.startswith("2 deals")  # the two USD deals the sum is made of
        assert "+1 CNY" in detail
