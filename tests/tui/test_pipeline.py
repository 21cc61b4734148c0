"""The pipeline board: move deals across stages with keys and the mouse, win and lose them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.tui.crm_harness import NOW, ScreenApp, clock, settle
from tinycrm.store import Store
from tinycrm.tui.screens.dialogs import ConfirmScreen
from tinycrm.tui.screens.forms import BoardDealForm
from tinycrm.tui.screens.pipeline import LostReasonScreen, PipelineScreen
from tinycrm.tui.widgets.board import ColumnHeader, DealCard


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Store.open(path, "tester", clock=clock) as s:
        ada = s.add_contact("Ada Lovelace", org="Acme Corp")["id"]
        zhang = s.add_contact("张伟", org="佛山企业电子有限公司")["id"]
        s.add_deal(ada, "Analytical engine", value="12000", stage="lead", close_date="2026-03-01", key=True)
        s.add_deal(zhang, "ERP 系统升级", value="8000.50", stage="lead", close_date="2026-04-01")
        s.add_deal(ada, "Difference engine", value="3000", stage="proposal")
        s.add_deal(zhang, "年度维保合同", value="500", currency="CNY", stage="negotiation")
    return path


def store_of(db: Path) -> Store:
    return Store.open(db, "tester", clock=clock)


def counts(screen: PipelineScreen) -> dict[str, int]:
    return {c.data.stage: c.data.count for c in screen.board.columns}


async def test_board_has_a_column_per_stage_with_count_total_and_weighted(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        assert [c.data.stage for c in screen.board.columns] == [
            "lead", "qualified", "proposal", "negotiation", "won", "lost",
        ]  # fmt: skip
        assert counts(screen) == {
            "lead": 2, "qualified": 0, "proposal": 1, "negotiation": 1, "won": 0, "lost": 0,
        }  # fmt: skip
        lead = screen.board.columns[0].header.render().plain
        assert "Lead 10%" in lead
        assert "2 · 20,001" in lead  # 12000 + 8000.50, whole units, main currency unnamed
        assert "≈ 2,000" in lead  # 10% of 20000.50
        nego = screen.board.columns[3].header.render().plain
        assert "1 · 500 CNY" in nego  # not the main currency: named
        assert "CNY 500.00" in screen.board.columns[3].header.tooltip
        summary = str(screen.query_one("#pipeline-summary").render())
        assert "4 open" in summary


async def test_key_deals_stand_out(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        cards = app.screen.board.columns[0].cards
        assert cards[0].has_class("key")
        assert cards[0].render().plain.startswith("★ Analytical engine")
        assert not cards[1].has_class("key")
        assert cards[0].has_class("-selected")


async def test_shift_right_moves_the_selected_deal_and_the_counts_follow(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        deal_id = screen.board.selected_id
        await pilot.press("shift+right")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "qualified"
            assert s.history(limit=1)[0]["command"].startswith("deal move")
        assert counts(screen)["lead"] == 1
        assert counts(screen)["qualified"] == 1
        assert screen.board.selected_id == deal_id  # the selection follows the deal
        assert screen.board.col == 1
        await pilot.press("greater_than_sign")
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "negotiation"
        await pilot.press("less_than_sign")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "proposal"
        assert counts(screen) == {
            "lead": 1, "qualified": 0, "proposal": 2, "negotiation": 1, "won": 0, "lost": 0,
        }  # fmt: skip


async def test_a_move_is_undone_by_the_store_undo(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("shift+right")
        await settle(pilot)
    with store_of(db) as s:
        s.undo()
        assert s.get_deal(deal_id)["stage"] == "lead"


async def test_moving_left_from_the_first_stage_does_nothing(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("shift+left")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "lead"


async def test_arrows_and_hjkl_move_the_selection(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        board = app.screen.board
        await pilot.press("down")
        assert board.selected["title"] == "ERP 系统升级"
        await pilot.press("k")
        assert board.selected["title"] == "Analytical engine"
        await pilot.press("right")
        assert board.selected is None
        assert board.selected_stage == "qualified"
        await pilot.press("l")
        assert board.selected["title"] == "Difference engine"
        await pilot.press("l", "l", "l", "l")
        assert board.selected_stage == "lost"
        await pilot.press("h", "left")
        assert board.selected_stage == "negotiation"
        assert "年度维保合同" in str(app.screen.query_one("#deal-line").render())


async def test_w_marks_the_deal_won(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # w asks, as x does
        await pilot.press("y")
        await settle(pilot)
        with store_of(db) as s:
            deal = s.get_deal(deal_id)
        assert (deal["status"], deal["stage"]) == ("won", "won")
        assert "won" in str(app.screen.query_one("#deal-line").render())
        assert counts(app.screen)["won"] == 1
        assert app.screen.board.selected_stage == "won"
        # back from won reopens it in the last open stage
        await pilot.press("shift+left")
        await settle(pilot)
        with store_of(db) as s:
            deal = s.get_deal(deal_id)
        assert (deal["status"], deal["stage"]) == ("open", "negotiation")


async def test_x_asks_for_a_reason_and_marks_the_deal_lost(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, LostReasonScreen)
        await pilot.press(*"too expensive", "enter")
        await settle(pilot)
        with store_of(db) as s:
            deal = s.get_deal(deal_id)
        assert (deal["status"], deal["lost_reason"]) == ("lost", "too expensive")
        assert counts(app.screen)["lost"] == 1
        assert "reason: too expensive" in str(app.screen.query_one("#deal-line").render())


async def test_escape_in_the_lost_dialog_changes_nothing(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("p", "escape")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["status"] == "open"


async def test_lost_without_a_reason_is_allowed(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("x", "enter")
        await settle(pilot)
        with store_of(db) as s:
            deal = s.get_deal(deal_id)
        assert (deal["status"], deal["lost_reason"]) == ("lost", None)


async def test_enter_opens_the_deals_contact(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        with store_of(db) as s:
            assert app.contacts_shown == [s.resolve("张伟")["id"]]


async def test_click_selects_a_card_and_a_header_click_moves_it(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        board = app.screen.board
        target = board.columns[2].cards[0]
        assert isinstance(target, DealCard)
        await pilot.click(target)
        assert board.selected["title"] == "Difference engine"
        header = board.columns[1].header
        assert isinstance(header, ColumnHeader)
        await pilot.click(header)
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(target.deal_id)["stage"] == "qualified"
        assert board.selected_id == target.deal_id


async def test_changes_from_elsewhere_show_on_data_changed(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        with store_of(db) as s:
            s.add_deal(s.resolve("Ada")["id"], "Jacquard loom", value=100, stage="qualified")
        app.notify_changed(external=True)
        await settle(pilot)
        assert counts(app.screen)["qualified"] == 1


async def test_a_long_column_shows_twenty_cards_and_counts_the_rest(db: Path) -> None:
    with store_of(db) as s:
        ada = s.resolve("Ada")["id"]
        with s.write("many"):
            for n in range(60):
                s.add_deal(ada, f"Deal {n}", value=10, stage="qualified")
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        column = app.screen.board.columns[1]
        assert column.data.count == 60
        assert len(column.cards) == 20
        assert str(column.more.render()) == "+40 more"
        await pilot.press("right", "end")
        assert app.screen.board.row == 19


async def test_closed_columns_show_the_last_thirty_days(db: Path, tmp_path: Path) -> None:
    then = NOW - timedelta(days=45)
    with Store.open(db, "tester", clock=lambda: then) as s:
        s.move_deal(s.list_deals("stage:proposal")[0]["id"], "won")
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert counts(app.screen)["won"] == 0


async def test_in_the_app_3_shows_the_board_and_4_the_dashboard(db: Path) -> None:
    from tinycrm.tui.app import CrmApp
    from tinycrm.tui.screens.agenda import AgendaScreen
    from tinycrm.tui.screens.dashboard import DashboardScreen

    app = CrmApp(db, "tester", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        deal_id = app.screen.board.selected_id
        await pilot.press("shift+right")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "qualified"
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one("#tile-open").lines[0].render().plain == "3 deals (+1 CNY)"
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("3", "u")  # the app's undo names the move, asks, takes it back; the board follows
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["stage"] == "lead"
        assert counts(app.screen)["lead"] == 2
        await pilot.press("enter")  # the deal's contact, on T1's 360° screen
        await settle(pilot)
        assert type(app.screen).__name__ == "ContactScreen"


async def test_w_answered_no_leaves_the_deal_open(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        deal_id = app.screen.board.selected_id
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        with store_of(db) as s:
            assert s.get_deal(deal_id)["status"] == "open"


async def test_a_adds_a_deal_from_the_board_in_the_selected_stage(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")  # the proposal column
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, BoardDealForm)
        await pilot.press(*"zw", "tab", *"小程序开发", "tab", *"1500", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        with store_of(db) as s:
            deal = s.list_deals("小程序开发")[0]
            zhang = s.resolve("张伟")["id"]
        assert (deal["stage"], deal["value"], deal["contact_id"]) == ("proposal", "1500.00", zhang)
        assert counts(app.screen)["proposal"] == 2
        assert app.screen.board.selected["title"] == "小程序开发"


async def test_a_deal_for_an_unknown_contact_is_an_error_line_in_the_form(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"nobody-at-all", "tab", *"Audit", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardDealForm)
        assert "nobody-at-all" in str(app.screen.query_one("#form-error").render())


async def test_other_currencies_in_a_header_are_named_not_counted(db: Path) -> None:
    with store_of(db) as s:
        s.add_deal(s.resolve("Ada")["id"], "Support", value="100", stage="negotiation")
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        nego = app.screen.board.columns[3].header.render().plain
        assert "+CNY" in nego
        assert "+1" not in nego


async def test_below_80_columns_empty_won_and_lost_make_room_and_totals_stay(db: Path) -> None:
    app = ScreenApp(db, PipelineScreen)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        board = app.screen.board
        closed = [c for c in board.columns if c.data.closed]
        assert closed
        assert all(not c.display or c.region.width == 0 for c in closed)
        for column in board.columns[:4]:
            assert column.region.width >= 14
        lead = board.columns[0].header.render().plain
        assert "20" in lead.splitlines()[1]  # the total (20,001 or 20k), not only the count
        await pilot.press("right", "right", "right", "right")
        assert board.selected_stage == "negotiation"  # the hidden columns are skipped
