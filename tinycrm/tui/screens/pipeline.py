"""The pipeline board: deals by stage, moved with keys or the mouse, won or lost with a reason.

Reads happen in a thread worker and come back as a `Loaded` message; moves go through
`Store.move_deal` (so they land in history and `tinycrm undo` takes them back) and then
`notify_changed`, whose reload makes the card follow its deal to the new column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from ... import reports
from ...cells import safe
from ...errors import CrmError
from ...store import reports as store_reports
from ..base import CrmScreen, Stamp
from ..scope import scope_label
from ..widgets.board import Board, ColumnData, deal_line

CARDS_PER_COLUMN = 20
"""At most this many cards per column; the rest is counted as "+K more". Each card is a widget
that Textual restyles on every switch to the board: 6 × 50 cards made that switch take 0.5–1 s."""

CLOSED_DAYS = 30
"""Won and lost columns show the deals closed in the last this many days."""

LOST_REASONS = ["price", "went with a competitor", "no budget", "timing", "no response", "project cancelled"]


class LostReasonScreen(ModalScreen[str | None]):
    """Asks why a deal was lost; the reason is optional but offered (None: cancelled)."""

    DEFAULT_CSS = """
    LostReasonScreen { align: center middle; }
    LostReasonScreen > Vertical {
        width: 60; max-width: 90%; height: auto;
        border: thick $error 60%; background: $surface; padding: 1 2;
    }
    LostReasonScreen Label.hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.deal_title = title

    def compose(self) -> ComposeResult:
        """A question, an input with suggestions, and the keys."""
        with Vertical():
            yield Label(Content(f"Mark “{safe(self.deal_title)}” as lost"))
            yield Input(
                placeholder="reason (optional): price, competitor, timing…",
                suggester=SuggestFromList(LOST_REASONS, case_sensitive=False),
                id="reason",
            )
            yield Label("Enter: mark lost · Esc: cancel", classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Leave the deal as it was."""
        self.dismiss(None)


@dataclass
class BoardData:
    """Everything one reload of the board shows."""

    columns: list[ColumnData]
    summary: dict
    """`reports.open_totals` of the columns: the same figures as the dashboard's."""
    today: date
    scope: str
    """Mine / everyone / pool: whose deals these are."""
    stamp: Stamp | None = None


class PipelineScreen(CrmScreen):
    """One column per stage; each header with its count, total and weighted value."""

    KEEP_WHEN_UNCHANGED = True

    DEFAULT_CSS = """
    PipelineScreen #pipeline-summary, PipelineScreen #deal-line {
        height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PipelineScreen #pipeline-summary { background: $panel; }
    PipelineScreen #deal-line { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+right,greater_than_sign", "advance(1)", "Next", key_display=">",
                tooltip="Move the deal to the next stage"),
        Binding("shift+left,less_than_sign", "advance(-1)", "Prev", key_display="<",
                tooltip="Move the deal back a stage (from won or lost: reopen it)"),
        Binding("w", "won", "Won", tooltip="Mark the deal won (asks first)"),
        Binding("x", "lost", "Lost", tooltip="Mark the deal lost, with a reason"),
        Binding("a", "add_deal", "Add", tooltip="Add a deal in the selected stage"),
        Binding("enter", "open_contact", "Contact", tooltip="Open the deal's contact"),
        Binding("o", "cycle_scope", "Owner", show=False,
                tooltip="My deals, everyone's, or the pool's customers'"),
    ]

    class Loaded(Message):
        """A reload's data, from the worker."""

        def __init__(self, data: BoardData) -> None:
            super().__init__()
            self.data = data

    def __init__(self) -> None:
        super().__init__()
        self._follow: int | None = None
        self._stages: list[str] = []

    def compose(self) -> ComposeResult:
        """Summary line, the board, the selected deal in full, the footer."""
        yield Static("Pipeline", id="pipeline-summary")
        yield Board(id="board")
        yield Static("", id="deal-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The board takes the keys."""
        self.query_one(Board).focus()

    @property
    def board(self) -> Board:
        """The board widget."""
        return self.query_one(Board)

    # ------------------------------------------------------------ reading

    @work(thread=True, exclusive=True, group="pipeline-load")
    def refresh_data(self) -> None:
        """Read the stages' figures and first cards (worker thread)."""
        stamp = self.data_stamp()
        now = self.crm.now()
        local = self.crm.local_now()
        since = now - timedelta(days=CLOSED_DAYS)
        scope = self.crm.scope
        owner, pool = (self.crm.user if scope == "mine" else None), scope == "pool"
        with self.store() as store:
            figures = reports.pipeline_by_stage(store, closed_since=since, owner=owner, pool=pool)
            currency = reports.main_currency(store)
            columns = []
            for fig in figures:
                closed = fig["stage"] in ("won", "lost")
                columns.append(
                    ColumnData(
                        stage=fig["stage"],
                        probability=fig["probability"],
                        count=fig["count"],
                        totals=fig["totals"],
                        weighted=fig["weighted"],
                        deals=store_reports.board_deals(
                            store, fig["stage"], closed_since=since, limit=CARDS_PER_COLUMN,
                            owner=owner, pool=pool,
                        ),
                        closed_days=CLOSED_DAYS if closed else None,
                        currency=currency,
                    )
                )
        if not get_current_worker().is_cancelled:
            summary = reports.open_totals(figures)
            self.post_message(self.Loaded(BoardData(columns, summary, local.date(), scope, stamp)))

    async def on_pipeline_screen_loaded(self, message: Loaded) -> None:
        """Show a reload, keeping the selection on the deal just moved."""
        data = message.data
        self._stages = [c.stage for c in data.columns]
        follow, self._follow = self._follow, None
        await self.board.show(data.columns, data.today, follow=follow)
        summary = self._summary(data.summary, scope_label(data.scope, self.crm.user))
        self.query_one("#pipeline-summary", Static).update(Content(safe(summary)))
        self.shown_stamp = data.stamp

    def scope_changed(self) -> None:
        """The mine / everyone / pool switch moved: show those deals."""
        self.refresh_data()

    def action_cycle_scope(self) -> None:
        """Mine → everyone → pool, remembered for the session (the contacts screen follows)."""
        self.crm.cycle_scope()

    @staticmethod
    def _summary(pipe: dict, whose: str = "Everyone") -> str:
        """The pipeline in one line, from the same figures as the dashboard."""
        totals = " + ".join(reports.format_money(v, c, places=0) for c, v in pipe["totals"].items())
        weighted = " + ".join(reports.format_money(v, c, places=0) for c, v in pipe["weighted"].items())
        parts = [f"Pipeline · {whose} (o) · {pipe['count']} open"]
        if totals:
            parts += [totals, f"weighted {weighted}"]
        return " · ".join(parts)

    def on_board_selected(self, message: Board.Selected) -> None:
        """The selected deal in full under the board (cards are narrow)."""
        line = Content(safe(deal_line(message.deal))) if message.deal else ""
        self.query_one("#deal-line", Static).update(line)

    # ------------------------------------------------------------ moving deals

    def _open_stages(self) -> list[str]:
        return [s for s in self._stages if s not in ("won", "lost")]

    def action_advance(self, step: int) -> None:
        """Move the selected deal to the next or previous open stage (back from won/lost reopens)."""
        deal = self.board.selected
        if deal is None:
            self.app.bell()
            return
        stages = self._open_stages()
        if deal["status"] != "open":
            if step < 0 and stages:
                self._move(deal, stages[-1])
            else:
                self.notify("The deal is closed; < reopens it", severity="warning")
            return
        index = stages.index(deal["stage"]) + step if deal["stage"] in stages else -1
        if index < 0:
            self.app.bell()
        elif index >= len(stages):
            self.notify("Last open stage: w marks it won, x lost", severity="information")
        else:
            self._move(deal, stages[index])

    def action_won(self) -> None:
        """Mark the selected deal won, after asking (as x asks before lost)."""
        deal = self.board.selected
        if deal is None:
            self.app.bell()
        elif deal["status"] == "won":
            self.notify("Already won", severity="warning")
        else:
            from .dialogs import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._move(deal, "won")

            self.app.push_screen(
                ConfirmScreen(f"Mark “{safe(deal['title'])}” as won?", safe(deal_line(deal)), yes="Won"),
                answered,
            )

    def action_add_deal(self) -> None:
        """A new deal for any contact, in the selected column's stage (an open one)."""
        from .forms import BoardDealForm

        stages = self._open_stages()
        if not stages:
            self.app.bell()
            return
        stage = self.board.selected_stage
        first = stage if stage in stages else stages[0]

        def added(record: Mapping[str, Any] | None) -> None:
            if record:
                self._follow = record["id"]

        self.app.push_screen(BoardDealForm([first, *[s for s in stages if s != first]]), added)

    def action_lost(self) -> None:
        """Mark the selected deal lost, asking for a reason first."""
        deal = self.board.selected
        if deal is None:
            self.app.bell()
            return
        self._ask_lost(deal)

    def _ask_lost(self, deal: Mapping[str, Any]) -> None:
        def done(reason: str | None) -> None:
            if reason is not None:
                self._move(deal, "lost", reason=reason)

        self.app.push_screen(LostReasonScreen(deal["title"]), done)

    def on_board_move_requested(self, message: Board.MoveRequested) -> None:
        """A column header was clicked with a deal selected: move it there."""
        if message.stage == "lost":
            self._ask_lost(message.deal)
        else:
            self._move(message.deal, message.stage)

    def _move(self, deal: Mapping[str, Any], stage: str, reason: str | None = None) -> None:
        self._follow = deal["id"]
        self._write_move(deal["id"], deal["title"], stage, reason)

    @work(thread=True, group="pipeline-write")
    def _write_move(self, deal_id: int, title: str, stage: str, reason: str | None) -> None:
        """Store.move_deal in a worker, then tell every screen (worker thread)."""
        try:
            with self.store() as store:
                store.move_deal(deal_id, stage, reason=reason)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        verb = {"won": "Won", "lost": "Lost"}.get(stage, f"Moved to {stage}")
        self.app.call_from_thread(self.notify, f"{verb}: {title}")
        self.app.call_from_thread(self.crm.notify_changed)

    # ------------------------------------------------------------ leaving

    def action_open_contact(self) -> None:
        """Open the selected deal's contact."""
        deal = self.board.selected
        if deal is None:
            self.app.bell()
        else:
            self.crm.show_contact(deal["contact_id"])
