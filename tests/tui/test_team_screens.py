"""The team on screen: the mine / everyone / pool switch, claim and release, targets on the dashboard.

The switch is `owner:me` / `owner:none` in front of the typed filter, so every mode is
checked against the same filter run by the store; the dashboard's targets are checked
against `report targets --json` on the same book.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from pilot_helpers import NOW, fixed_clock, settle

from tinycrm.cli.dispatch import main
from tinycrm.services import team
from tinycrm.store import Store
from tinycrm.tui.app import CrmApp
from tinycrm.tui.scope import SCOPES, next_scope, scoped_filter
from tinycrm.tui.screens.contacts import ContactsScreen
from tinycrm.tui.screens.dashboard import DashboardScreen
from tinycrm.tui.widgets.contact_table import ContactTable
from tinycrm.tui.widgets.dashboard import TargetBars

SIZE = (100, 30)


def open_as(path: Path, user: str) -> Store:
    return Store.open(path, user, clock=fixed_clock)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Alice owns Ada and Grace, Bob owns Alan, Zhang and Wang are in the pool."""
    path = tmp_path / "team.db"
    with open_as(path, "alice") as s:
        ada = s.add_contact("Ada Lovelace", org="Acme Corp", tags=["vip"])["id"]
        s.add_contact("Grace Hopper", org="US Navy")
        for name in ("张伟", "赵敏"):
            team.release(s, str(s.add_contact(name)["id"]))
        s.move_deal(s.add_deal(ada, "Engine", value="2500", currency="EUR")["id"], "won")
    with open_as(path, "bob") as s:
        alan = s.add_contact("Alan Turing", org="Bletchley Park", tags=["vip"])["id"]
        s.move_deal(s.add_deal(alan, "Bombe", value="4000", currency="EUR")["id"], "won")
    return path


def names(app: CrmApp) -> list[str]:
    return [row.cells[0] for row in app.screen.query_one(ContactTable).visible_rows()]


def status(app: CrmApp) -> str:
    return str(app.screen.query_one("#contacts-status").render())


async def type_filter(pilot, text: str) -> None:
    await pilot.press("slash", "ctrl+a", "ctrl+k", *text, "enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("scope", "text", "expected"),
    [
        ("mine", "", "owner:me"),
        ("mine", "ada OR bob", "owner:me (ada OR bob)"),
        ("everyone", " tag:vip ", "tag:vip"),
        ("pool", "", "owner:none"),
        ("pool", "-张", "owner:none (-张)"),
    ],
)
def test_the_switch_puts_the_owner_term_in_front_of_the_filter(scope: str, text: str, expected: str) -> None:
    assert scoped_filter(scope, text) == expected


def test_the_switch_cycles_mine_everyone_pool() -> None:
    assert [next_scope(s) for s in SCOPES] == ["everyone", "pool", "mine"]


@pytest.mark.parametrize(
    ("presses", "rows", "label"),
    [
        (0, ["Ada Lovelace", "Alan Turing", "Grace Hopper", "张伟", "赵敏"], "Everyone"),
        (1, ["张伟", "赵敏"], "Pool (公海)"),
        (2, ["Ada Lovelace", "Grace Hopper"], "Mine (alice)"),
        (3, ["Ada Lovelace", "Alan Turing", "Grace Hopper", "张伟", "赵敏"], "Everyone"),
    ],
)
async def test_each_mode_shows_its_rows_and_says_which_mode(
    book: Path, presses: int, rows: list[str], label: str
) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(presses):
            await pilot.press("o")
            await settle(pilot)
        assert names(app) == rows
        assert status(app).startswith(label)
        assert f"{len(rows)} contacts" in status(app)


async def test_the_mode_combines_with_the_typed_filter(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "tag:vip")
        assert names(app) == ["Ada Lovelace", "Alan Turing"]
        await pilot.press("o", "o")  # → pool → mine
        await settle(pilot)
        assert names(app) == ["Ada Lovelace"]
        assert app.screen.query_one("#filter").value == "tag:vip"  # the bar keeps what was typed
        assert "filter: tag:vip" in status(app)


async def test_the_mode_is_remembered_across_screens(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")  # pool
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.scope = "mine"  # as if switched on another screen
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert names(app) == ["Ada Lovelace", "Grace Hopper"]
        assert status(app).startswith("Mine (alice)")


async def test_a_customer_is_claimed_from_the_pool_view(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")  # pool: 张伟, 赵敏
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert names(app) == ["赵敏"]
        assert any("张伟 is yours now" in n.message for n in app._notifications)
    with open_as(book, "alice") as s:
        assert s.resolve("张伟")["owner"] == "alice"
        newest = s.owner_changes(s.resolve("张伟")["id"], since=NOW - timedelta(minutes=1))[0]
        assert (newest["user"], newest["before"], newest["after"]) == ("alice", None, "alice")
        assert newest["command"].startswith("contact claim")


async def test_a_customer_is_released_from_the_mine_view(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o", "o")  # mine: Ada, Grace
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert names(app) == ["Grace Hopper"]
    with open_as(book, "alice") as s:
        assert s.resolve("Ada")["owner"] is None


@pytest.mark.parametrize(
    ("rule", "setup", "words"),
    [
        ({"max_claims": 1}, "claim 赵敏", "the most the pool allows (1)"),
        ({"cooldown": 7}, "", "you gave 张伟 back on 2026-03-10; you may claim them again from 2026-03-17"),
    ],
)
async def test_claim_limits_are_shown_in_words(book: Path, rule: dict, setup: str, words: str) -> None:
    with open_as(book, "alice") as s:
        team.set_rule(s, **rule)
        if setup:  # (the book's 张伟 was released by alice today: the cool-down applies as it is)
            team.claim(s, "赵敏", now_local=NOW)
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert names(app)[0] == "张伟"
        await pilot.press("c")
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert words in errors[0]
        assert "Traceback" not in errors[0]
    with open_as(book, "alice") as s:
        assert s.resolve("张伟")["owner"] is None


async def test_claiming_someone_elses_customer_is_refused_in_words(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "alan")
        await pilot.press("c")
        await settle(pilot)
        (error,) = [n.message for n in app._notifications if n.severity == "error"]
        assert error == "Alan Turing belongs to bob: only a customer in the pool can be claimed"


# ---------------------------------------------------------------- the dashboard's targets


def report_targets(book: Path, user: str, capsys: pytest.CaptureFixture[str]) -> dict:
    """`tinycrm report targets --json` on the same book, at the same moment."""
    capsys.readouterr()
    code = main(["--db", str(book), "--user", user, "report", "targets", "--json"])
    assert code in (0, None)
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def _cli_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINYCRM_NOW", NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))
    monkeypatch.setenv("TZ", "UTC")


def bars_of(app) -> TargetBars:
    return app.screen.query_one(TargetBars)


@pytest.mark.usefixtures("_cli_now")
async def test_dashboard_targets_equal_report_targets(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_as(book, "alice") as s:
        team.set_target(s, "alice", "2026-03", "10000", "EUR", now_local=NOW)
        team.set_target(s, "bob", "2026-03", "5000", "EUR", now_local=NOW)
    report = report_targets(book, "alice", capsys)
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        rows = bars_of(app).rows
        (mine,) = [p for p in report["people"] if p["user"] == "alice"]
        (team_eur,) = report["team"]
        shown = [(r["who"], r["currency"], r["won"], r["target"], r["percent"]) for r in rows]
        assert shown == [
            ("Mine", "EUR", mine["won"], mine["target"], mine["percent"]),
            ("Team", "EUR", team_eur["won"], team_eur["target"], team_eur["percent"]),
        ]
        assert shown[0][2:] == ("2500.00", "10000.00", 25.0)  # by hand: 2500 / 10000
        assert shown[1][2:] == ("6500.00", "15000.00", 43.3)  # by hand: 6500 / 15000
        text = bars_of(app).render().plain
        assert "25.0%" in text
        assert "43.3%" in text
        assert "█" in text


async def test_the_dashboard_says_when_no_targets_are_set(book: Path) -> None:
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert "no targets set for 2026-03" in bars_of(app).render().plain


async def test_the_dashboard_counts_my_customers_about_to_return_to_the_pool(book: Path) -> None:
    with open_as(book, "alice") as s:
        team.set_rule(s, days=5, warn=10)  # everyone's customers are idle since NOW: back in 5 days
        expected = team.warnings(s, now_local=NOW, user="alice")
    assert len(expected) == 2  # Ada and Grace; Bob's Alan is not counted
    app = CrmApp(book, "alice", clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert bars_of(app).warning.startswith("⚠ 2 of your customers return to the pool within 10 days")


# ---------------------------------------------------------------- the pipeline's switch


async def test_the_pipeline_switch_shows_my_deals_everyones_and_the_pools(book: Path) -> None:
    from tinycrm.tui.screens.pipeline import PipelineScreen

    with open_as(book, "alice") as s:
        s.add_deal(s.resolve("Grace")["id"], "Compiler", value="900", stage="lead")
        pooled = s.add_deal(s.resolve("Ada")["id"], "Mill", value="700", stage="lead")["id"]
        team.release(s, "Ada")  # Ada goes back to the pool with alice's open deal
    with open_as(book, "bob") as s:
        s.add_deal(s.resolve("Alan")["id"], "Enigma", value="300", stage="lead")
    app = CrmApp(book, "alice", clock=fixed_clock)
    seen = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        for _ in range(3):
            summary = str(app.screen.query_one("#pipeline-summary").render())
            lead = [card.deal["title"] for card in app.screen.board.columns[0].cards]
            seen[summary.split(" · ")[1].removesuffix(" (o)")] = (sorted(lead), summary)
            await pilot.press("o")
            await settle(pilot)
        assert app.scope == "everyone"  # round the cycle: everyone → pool → mine → everyone
    assert seen["Everyone"][0] == ["Compiler", "Enigma", "Mill"]
    assert seen["Pool (公海)"][0] == ["Mill"]  # the deals of customers in the pool
    assert seen["Mine (alice)"][0] == ["Compiler", "Mill"]  # alice still owns the Mill deal
    assert "3 open" in seen["Everyone"][1]
    assert "1 open" in seen["Pool (公海)"][1]
    with open_as(book, "alice") as s:
        assert s.get_deal(pooled)["owner"] == "alice"


async def test_the_cool_down_after_the_rule_took_a_customer_says_so(book: Path) -> None:
    with open_as(book, "alice") as s:
        team.set_rule(s, days=1, cooldown=7)
    later = NOW + timedelta(days=3)
    with Store.open(book, "cron", clock=lambda: later) as s:
        moved = team.apply_rule(s, now_local=later)
    assert "Ada Lovelace" in [m["name"] for m in moved]
    app = CrmApp(book, "alice", clock=lambda: later)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "ada")
        await pilot.press("c")
        await settle(pilot)
        (error,) = [n.message for n in app._notifications if n.severity == "error"]
        assert error.startswith("Ada Lovelace returned to the pool from you on 2026-03-13;")
