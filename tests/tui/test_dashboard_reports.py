"""Every figure on the dashboard is the one the command line prints: `report … --json` for the
money, the stages, won by month and the weekly activity; `remind list` and `contact list
is:stale` for the overdue and stale counts. The book has several currencies, a trashed
customer, a future interaction and a done reminder, so that a figure computed apart would differ."""

from __future__ import annotations

import json
import shlex
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Sparkline

from tests.tui.crm_harness import NOW, ScreenApp, settle
from tinycrm import reports
from tinycrm.cli.dispatch import main as dispatch
from tinycrm.store import Store
from tinycrm.tui.screens.dashboard import MONTHS, WEEKS, DashboardScreen
from tinycrm.tui.widgets.dashboard import StageBars, Tile

# NOW is Tuesday 2026-03-10 09:30 UTC (the TUI tests' clock; their time zone is UTC)
TODAY = datetime(2026, 3, 10, tzinfo=timezone.utc)


class Clock:
    """A clock the book's past is written with."""

    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


def won_at(s: Store, clock: Clock, when: datetime, contact: int, title: str, value: str, cur: str) -> None:
    clock.at = when
    s.move_deal(s.add_deal(contact, title, value=value, currency=cur)["id"], "won")
    clock.at = NOW


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    clock = Clock()
    with Store.open(path, "tester", clock=clock) as s:
        clock.at = NOW - timedelta(days=100)
        ada = s.add_contact("Ada Lovelace", every="30d")["id"]  # last call 40 days ago: stale
        bob = s.add_contact("Bob Builder", every="7d")["id"]  # called 2 days ago: not stale
        grace = s.add_contact("Grace Hopper", every="14d")["id"]  # never called: stale
        zhang = s.add_contact("张伟", org="佛山企业电子有限公司")["id"]
        gone = s.add_contact("Gone Away", every="7d")["id"]  # trashed below: counted nowhere
        clock.at = NOW
        s.add_deal(ada, "Analytical engine", value="12000", stage="proposal")
        s.add_deal(ada, "Support", value="800.50", stage="lead")
        s.add_deal(grace, "Consulting", value="5000", currency="EUR", stage="negotiation")
        s.add_deal(zhang, "ERP 系统升级", value="30000", currency="CNY", stage="qualified")
        s.add_deal(gone, "Vanished", value="100000", stage="negotiation")
        s.move_deal(s.add_deal(bob, "Shed", value="300", stage="lead")["id"], "lost", reason="price")
        won_at(s, clock, NOW - timedelta(days=8), ada, "Licence", "2500", "USD")  # this month
        won_at(s, clock, datetime(2026, 1, 15, tzinfo=timezone.utc), bob, "Audit", "1200", "USD")
        won_at(s, clock, datetime(2026, 2, 10, tzinfo=timezone.utc), grace, "EU deal", "700", "EUR")
        won_at(s, clock, datetime(2025, 4, 20, tzinfo=timezone.utc), zhang, "Old one", "999", "USD")
        won_at(s, clock, datetime(2025, 2, 20, tzinfo=timezone.utc), zhang, "Too old", "77", "USD")
        for days, who in [(40, ada), (2, bob), (1, zhang), (8, zhang), (9, bob), (35, ada), (36, zhang)]:
            s.log(who, "talked", kind="call", at=NOW - timedelta(days=days))
        s.log(zhang, "planned visit", kind="visit", at=NOW + timedelta(days=1))  # later this week
        s.log(gone, "farewell", at=NOW - timedelta(days=1))
        s.add_reminder(ada, TODAY - timedelta(days=2), "Send the revised quote")  # overdue
        s.add_reminder(None, TODAY - timedelta(days=5), "File the taxes")  # overdue, personal
        s.add_reminder(bob, TODAY, "Call back")  # due today: not overdue
        done = s.add_reminder(grace, TODAY - timedelta(days=3), "Done already")
        s.update_reminder(done["id"], "remind done", done_at=NOW)
        s.add_reminder(gone, TODAY - timedelta(days=1), "Trashed customer's")
        s.trash_contact(gone)
    return path


@pytest.fixture
def cli(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """cli('report pipeline') → the parsed `--json` document, on the dashboard's book and clock."""
    monkeypatch.setenv("TINYCRM_DB", str(db))
    monkeypatch.setenv("TINYCRM_NOW", NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))
    monkeypatch.setenv("TINYCRM_USER", "tester")
    monkeypatch.setenv("NO_COLOR", "1")

    def call(line: str) -> object:
        capsys.readouterr()
        assert dispatch([*shlex.split(line), "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    return call


def lines(tile: Tile) -> list[str]:
    return [tile.digits.value] + [str(line.render()) for line in tile.lines]


def money(text: str | None) -> Decimal:
    return Decimal(text or "0")


def others(totals: dict[str, str], main: str) -> str:
    return ", ".join(reports.format_money(Decimal(v), c) for c, v in totals.items() if c != main)


async def test_every_dashboard_figure_is_the_report_commands_figure(db: Path, cli) -> None:
    pipeline = cli("report pipeline")
    won = cli(f"report forecast --back {MONTHS - 1} --ahead 0")
    activity = cli(f"report activity --period week --periods {WEEKS}")
    overdue = [r for r in cli("remind list") if r["due"] < TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")]
    stale = cli("contact list is:stale")
    this_month = won["periods"][-1]

    app = ScreenApp(db, DashboardScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        tile = {name: screen.query_one(f"#tile-{name}", Tile) for name in
                ("open", "forecast", "won", "overdue", "stale")}  # fmt: skip

        compact, fmt = reports.format_compact, reports.format_money
        opened = pipeline["open"]
        usd = money(opened["totals"]["USD"])
        counts: dict[str, int] = {}
        for stage in pipeline["stages"]:
            if stage["stage"] not in ("won", "lost"):
                for cur, n in stage["counts"].items():
                    counts[cur] = counts.get(cur, 0) + n
        assert sum(counts.values()) == opened["count"]
        apart = " ".join(f"+{n} {cur}" for cur, n in sorted(counts.items()) if cur != "USD")
        shown = f"{counts['USD']} deals" + (f" ({apart})" if apart else "")
        assert lines(tile["open"]) == [compact(usd), shown, fmt(usd, places=0)]
        assert tile["open"].tooltip == f"{fmt(usd, 'USD')} + {others(opened['totals'], 'USD')}"
        weighted = money(opened["weighted"]["USD"])
        assert lines(tile["forecast"])[::2] == [compact(weighted), fmt(weighted, places=0)]
        rest = others(opened["weighted"], "USD")
        assert tile["forecast"].tooltip.endswith(f"{fmt(weighted, 'USD')} + {rest}")
        won_usd = money(this_month["won"]["totals"].get("USD"))
        count, month = this_month["won"]["count"], this_month["period"]
        assert lines(tile["won"]) == [compact(won_usd), f"{count} deal", f"in {month}"]
        assert lines(tile["overdue"])[0] == str(len(overdue))
        assert lines(tile["stale"])[0] == str(len(stale))

        bars = screen.query_one(StageBars).rows
        assert bars == [
            (s["stage"], money(s["totals"].get("USD")), money(s["weighted"].get("USD")), s["count"])
            for s in pipeline["stages"]
            if s["stage"] not in ("won", "lost")
        ]
        months = [(p["period"], money(p["won"]["totals"].get("USD"))) for p in won["periods"]]
        assert list(screen.won_drawn) == months
        assert screen.query_one(Sparkline).data == [p["total"] for p in activity["periods"]]

    # and the figures are the book's, worked out by hand: the trashed customer, the EUR and
    # CNY deals, the future visit, the done and the trashed reminders count nowhere
    assert (pipeline["open"]["count"], usd, weighted) == (4, Decimal("12800.50"), Decimal("6080.05"))
    assert (this_month["won"]["count"], won_usd) == (1, Decimal("2500"))
    assert [p["won"]["totals"].get("USD") for p in won["periods"]][::3] == ["999.00", None, None, "1200.00"]
    assert [p["won"]["totals"].get("USD") for p in won["periods"]][-3:] == ["1200.00", None, "2500.00"]
    assert (len(overdue), sorted(c["name"] for c in stale)) == (2, ["Ada Lovelace", "Grace Hopper"])
    assert [p["total"] for p in activity["periods"]][-6:] == [2, 0, 0, 1, 2, 1]  # not the visit tomorrow
