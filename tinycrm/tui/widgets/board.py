"""The pipeline board: one column per stage, deal cards, and a keyboard/mouse selection.

A view only: it is handed the columns to show (`Board.show`) and tells its screen what the
user picked or asked for through its own messages; the screen does the reading and the
writing. Cards are reused between reloads, so a reload after a move does not rebuild the
whole board (and the selection follows the deal to its new column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ...cells import safe
from ...reports import format_compact, format_money

CLOSED_STAGES = ("won", "lost")
NARROW = 100
"""Boards narrower than this fold the won and lost columns to their headers."""
TINY = 80
"""Boards narrower than this hide an empty won or lost column: the open stages need the room."""

MUTED = "$foreground-muted"
"""Secondary text: the theme's muted foreground (never `dim`, which halves the contrast)."""


@dataclass
class ColumnData:
    """What one column shows: its stage's figures (from reports) and its first deals."""

    stage: str
    probability: int
    count: int
    totals: dict[str, Decimal]
    weighted: dict[str, Decimal]
    deals: Sequence[Mapping[str, Any]] = field(default_factory=list)
    closed_days: int | None = None
    """For won/lost: the column counts deals closed in the last this many days."""
    currency: str | None = None
    """The book's main currency, shown without its code."""

    @property
    def closed(self) -> bool:
        """Won and lost columns hold closed deals."""
        return self.stage in CLOSED_STAGES

    @property
    def more(self) -> int:
        """Deals in the stage that are not shown as cards."""
        return max(self.count - len(self.deals), 0)


def _money(amounts: dict[str, Decimal], width: int, main: str | None) -> str:
    """The main currency's amount in the room there is (exact whole units, else compact).

    Other currencies are named, not summed (`+EUR`, `+EUR,CNY`; a bare `+1` read as one more
    deal): the header's tooltip and the summary line give their amounts.
    """
    if not amounts:
        return "0"
    cur = main if main in amounts else next(iter(amounts))
    value = amounts[cur]
    code = "" if cur == main else f" {cur}"
    others = [c for c in amounts if c != cur]
    more = f" +{','.join(others)}" if others else ""
    if len(others) > 2:
        more = f" +{len(others)} currencies"
    exact = format_money(value, places=0) + code + more
    if len(exact) <= width:
        return exact
    return format_compact(value) + code + more


def _exact(amounts: dict[str, Decimal]) -> str:
    """Every currency's amount, exact, for tooltips."""
    return " + ".join(format_money(v, c) for c, v in amounts.items()) or "0"


class ColumnHeader(Widget):
    """A stage's name, deal count, total and weighted value."""

    DEFAULT_CSS = """
    ColumnHeader {
        height: 3;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class Clicked(Message):
        """The header of a stage was clicked."""

        def __init__(self, stage: str) -> None:
            super().__init__()
            self.stage = stage

    def __init__(self, data: ColumnData) -> None:
        super().__init__()
        self.data = data

    def set_data(self, data: ColumnData) -> None:
        """Show new figures; the tooltip carries them exactly, in every currency."""
        self.data = data
        tip = f"{data.count} deals · total {_exact(data.totals)}"
        if not data.closed:
            tip += f" · weighted {_exact(data.weighted)}"
        self.tooltip = tip
        self.refresh()

    def render(self) -> Content:
        """Name; count and total; weighted value (or closed period), fitted to the width."""
        data = self.data
        width = max(self.content_size.width, 4)
        name = data.stage.capitalize()
        extra = f"{data.closed_days}d" if data.closed else f"{data.probability}%"
        if data.closed and not data.closed_days:
            extra = ""
        if extra and len(name) + 1 + len(extra) <= width:
            first = Content.assemble((name, "bold"), " ", (extra, MUTED))
        else:
            first = Content.styled(name, "bold")
        count = str(data.count)
        for sep in (" · ", "·"):  # narrow columns keep the total: it matters more than the weighted
            total = _money(data.totals, width - len(count) - len(sep), data.currency)
            if len(count) + len(sep) + len(total) <= width:
                second = Content.assemble((count, "bold"), (sep, MUTED), total)
                third_text = None
                break
        else:
            second = Content.styled(count, "bold")
            third_text = _money(data.totals, width, data.currency)
        if not data.closed and third_text is None:
            third = Content.styled("≈ " + _money(data.weighted, width - 2, data.currency), MUTED)
        else:
            third = Content(third_text or "")
        return Content("\n").join([first, second, third])

    def on_click(self, event: events.Click) -> None:
        """Tell the board; it may move the selected deal here."""
        event.stop()
        self.post_message(self.Clicked(self.data.stage))


class DealCard(Widget):
    """One deal: title (★ when key), contact, value and close date."""

    DEFAULT_CSS = """
    DealCard {
        height: 3;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DealCard.key { border-left: outer $warning; padding-left: 0; }
    DealCard.-selected { background: $accent 45%; }
    DealCard:hover { background: $accent 20%; }
    """

    class Clicked(Message):
        """A card was clicked."""

        def __init__(self, card: DealCard) -> None:
            super().__init__()
            self.card = card

    def __init__(self, deal: Mapping[str, Any], today: date, currency: str | None = None) -> None:
        super().__init__()
        self.set_deal(deal, today, currency)

    @property
    def deal_id(self) -> int:
        """The deal this card shows."""
        return self.deal["id"]

    def set_deal(self, deal: Mapping[str, Any], today: date, currency: str | None = None) -> None:
        """Show another deal (cards are reused between reloads)."""
        self.deal = deal
        self.today = today
        self.currency = currency
        self.set_class(bool(deal["key"]), "key")
        self.tooltip = deal_line(deal)
        self.refresh()

    def render(self) -> Content:
        """Title, contact, then value and close date."""
        deal = self.deal
        title = ("★ " if deal["key"] else "") + deal["title"]
        money = format_compact(Decimal(deal["value"]))
        if deal["currency"] != self.currency:
            money += f" {deal['currency']}"
        closed = deal["status"] != "open" and deal["closed_at"]
        when = deal["closed_at"][:10] if closed else deal["close_date"]
        line3 = Content(money)
        if when:
            late = deal["status"] == "open" and when < self.today.isoformat()
            sep = " · " if len(money) + 8 <= self.content_size.width else " "
            line3 = Content.assemble(money, (sep, MUTED), (when[5:], "bold $text-error" if late else MUTED))
        return Content("\n").join(
            [Content.styled(safe(title), "bold"), Content.styled(safe(deal.get("contact") or ""), MUTED),
             line3]
        )

    def on_click(self, event: events.Click) -> None:
        """Select this card."""
        event.stop()
        self.post_message(self.Clicked(self))


def deal_line(deal: Mapping[str, Any]) -> str:
    """The whole of a deal in one line, for the status line and tooltips."""
    parts = [("★ " if deal["key"] else "") + deal["title"], deal.get("contact") or ""]
    if deal.get("contact_org"):
        parts[-1] += f" ({deal['contact_org']})"
    parts.append(format_money(Decimal(deal["value"]), deal["currency"]))
    if deal["status"] == "open":
        parts.append(f"{deal['stage']} {deal['probability']}%")
        if deal["close_date"]:
            parts.append(f"close {deal['close_date']}")
    else:
        parts.append(f"{deal['status']} {(deal['closed_at'] or '')[:10]}")
        if deal.get("lost_reason"):
            parts.append(f"reason: {deal['lost_reason']}")
    return " · ".join(p for p in parts if p)


class StageColumn(Vertical):
    """A header, the cards of one stage, and how many more there are."""

    DEFAULT_CSS = """
    StageColumn {
        width: 3fr;
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0;
    }
    StageColumn.closed { width: 2fr; }
    StageColumn.-active { border: round $accent; }
    StageColumn > ColumnHeader { border-bottom: solid $panel-lighten-2; height: 4; }
    StageColumn > VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    StageColumn .more { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, data: ColumnData) -> None:
        super().__init__(classes="closed" if data.closed else "")
        self.data = data
        self.header = ColumnHeader(data)
        self.cards_box = VerticalScroll(can_focus=False)
        self.more = Static("", classes="more")
        self.cards: list[DealCard] = []

    def compose(self) -> ComposeResult:
        """Header above a scrolling list of cards."""
        yield self.header
        with self.cards_box:
            yield self.more

    def update(self, data: ColumnData, today: date) -> None:
        """Show new data, reusing the cards already mounted."""
        self.data = data
        self.header.set_data(data)
        kept = self.cards[: len(data.deals)]
        for card, deal in zip(kept, data.deals):
            card.set_deal(deal, today, data.currency)
        new = [DealCard(deal, today, data.currency) for deal in data.deals[len(kept) :]]
        gone = self.cards[len(data.deals) :]
        if gone:
            self.cards_box.remove_children(gone)
        if new:
            self.cards_box.mount_all(new, before=self.more)
        self.cards = kept + new
        self.more.update(f"+{data.more} more" if data.more else "")
        self.more.display = bool(data.more) or not data.deals
        self.set_class(data.closed and not data.count, "-empty")
        if not data.deals:
            self.more.update("no deals")


class Board(Horizontal, can_focus=True):
    """Columns of deal cards with one selected card (or an empty column) at a time."""

    DEFAULT_CSS = """
    Board { height: 1fr; }
    Board.-narrow StageColumn.closed { width: 11; }
    Board.-narrow StageColumn.closed > VerticalScroll { display: none; }
    Board.-tiny StageColumn.closed.-empty { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "column(-1)", "Prev column", show=False),
        Binding("right,l", "column(1)", "Next column", show=False),
        Binding("up,k", "card(-1)", "Prev card", show=False),
        Binding("down,j", "card(1)", "Next card", show=False),
        Binding("home", "card(-10000)", "First card", show=False),
        Binding("end", "card(10000)", "Last card", show=False),
    ]

    class Selected(Message):
        """The selection moved to another deal (None: an empty column)."""

        def __init__(self, deal: Mapping[str, Any] | None, stage: str | None) -> None:
            super().__init__()
            self.deal = deal
            self.stage = stage

    class MoveRequested(Message):
        """The user pointed a deal at a stage (a column header clicked while it was selected)."""

        def __init__(self, deal: Mapping[str, Any], stage: str) -> None:
            super().__init__()
            self.deal = deal
            self.stage = stage

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[StageColumn] = []
        self.col = 0
        self.row = 0

    # ------------------------------------------------------------ what is shown

    async def show(self, columns: list[ColumnData], today: date, follow: int | None = None) -> None:
        """Show these columns; keep the selection on `follow` (or the selected deal) if present."""
        follow = follow if follow is not None else self.selected_id
        if [c.stage for c in columns] != [c.data.stage for c in self.columns]:
            await self.remove_children()
            self.columns = [StageColumn(data) for data in columns]
            await self.mount_all(self.columns)
        for column, data in zip(self.columns, columns):
            column.update(data, today)
        where = self.find(follow) if follow is not None else None
        if where is not None:
            self.col, self.row = where
        self._select(self.col, self.row)

    def find(self, deal_id: int) -> tuple[int, int] | None:
        """The (column, row) of a deal's card, if it is shown."""
        for c, column in enumerate(self.columns):
            for r, deal in enumerate(column.data.deals):
                if deal["id"] == deal_id:
                    return c, r
        return None

    @property
    def selected(self) -> Mapping[str, Any] | None:
        """The selected deal's record, or None on an empty column."""
        if not self.columns:
            return None
        deals = self.columns[self.col].data.deals
        return deals[self.row] if 0 <= self.row < len(deals) else None

    @property
    def selected_id(self) -> int | None:
        """The selected deal's id."""
        deal = self.selected
        return deal["id"] if deal else None

    @property
    def selected_stage(self) -> str | None:
        """The stage of the column the selection is in."""
        return self.columns[self.col].data.stage if self.columns else None

    def _select(self, col: int, row: int) -> None:
        """Move the highlight, keep it in view and tell the screen."""
        if not self.columns:
            return
        self.col = max(0, min(col, len(self.columns) - 1))
        column = self.columns[self.col]
        self.row = max(0, min(row, len(column.cards) - 1)) if column.cards else 0
        for c, other in enumerate(self.columns):
            other.set_class(c == self.col, "-active")
            for r, card in enumerate(other.cards):
                card.set_class(c == self.col and r == self.row, "-selected")
        if column.cards:
            card = column.cards[self.row]
            self.call_after_refresh(card.scroll_visible, animate=False)
        self.post_message(self.Selected(self.selected, column.data.stage))

    def on_resize(self, event: events.Resize) -> None:
        """Below 100 columns won and lost fold to their headers; below 80 an empty one goes."""
        self.set_class(event.size.width < NARROW, "-narrow")
        self.set_class(event.size.width < TINY, "-tiny")

    def _shown(self, col: int) -> bool:
        column = self.columns[col]
        return not (self.has_class("-tiny") and column.has_class("-empty"))

    # ------------------------------------------------------------ keys and mouse

    def action_column(self, step: int) -> None:
        """Go to the column on the left or right (skipping hidden ones), at about the same height."""
        col = self.col + step
        while 0 <= col < len(self.columns) and not self._shown(col):
            col += step
        if 0 <= col < len(self.columns):
            self._select(col, self.row)

    def action_card(self, step: int) -> None:
        """Go up or down the current column."""
        self._select(self.col, self.row + step)

    def on_deal_card_clicked(self, message: DealCard.Clicked) -> None:
        """A click selects the card (and gives the board the keyboard)."""
        message.stop()
        where = self.find(message.card.deal_id)
        if where is not None:
            self._select(*where)
        self.focus()

    def on_column_header_clicked(self, message: ColumnHeader.Clicked) -> None:
        """A click on another column's header moves the selected deal there."""
        message.stop()
        self.focus()
        deal = self.selected
        if deal is not None and deal["stage"] != message.stage:
            self.post_message(self.MoveRequested(deal, message.stage))
        elif deal is None:
            stages = [c.data.stage for c in self.columns]
            self._select(stages.index(message.stage), 0)
