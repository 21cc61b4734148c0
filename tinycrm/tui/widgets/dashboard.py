"""The dashboard's pieces: a headline tile and a hand-drawn pipeline-by-stage bar chart.

Both only draw numbers they are given (from `tinycrm.reports`); neither computes one.
"""

from __future__ import annotations

from decimal import Decimal

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Digits, Static

from ...charts import bar
from ...reports import format_compact

MUTED = "$foreground-muted"
"""Secondary text: the theme's muted foreground (never `dim`, which halves the contrast)."""


class Tile(Vertical):
    """One headline figure: big digits and two lines of detail, titled on its border."""

    DEFAULT_CSS = """
    Tile {
        height: 7;
        width: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        padding: 0 1;
    }
    Tile Digits { width: auto; color: $accent; }
    Tile.alert Digits { color: $error; }
    Tile .detail { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, title: str, short: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title, self.short = title, short
        self.border_title = title
        self.digits = Digits("")
        self.lines = (Static("", classes="detail"), Static("", classes="detail"))

    def compose(self) -> ComposeResult:
        """Digits above two detail lines."""
        yield self.digits
        yield from self.lines

    def on_resize(self, event: events.Resize) -> None:
        """The short title when the long one would be cut."""
        self.border_title = self.title if len(self.title) + 4 <= event.size.width else self.short

    def show(self, value: str, first: str, second: str = "", *, alert: bool = False,
             tooltip: str | None = None) -> None:  # fmt: skip
        """Show a figure (already formatted) and its detail."""
        self.digits.update(value)
        self.lines[0].update(first)
        self.lines[1].update(second)
        self.set_class(alert, "alert")
        self.tooltip = tooltip


class StageBars(Widget):
    """Open pipeline by stage: █ the weighted part of each stage's total, ░ the rest."""

    DEFAULT_CSS = """
    StageBars { height: auto; text-wrap: nowrap; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, Decimal, Decimal, int]] = []

    def show(self, rows: list[tuple[str, Decimal, Decimal, int]]) -> None:
        """Rows of (stage, total, weighted, count), in one currency."""
        self.rows = rows
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        """One line per stage and a legend."""
        return len(self.rows) + 2 if self.rows else 1

    def render(self) -> Content:
        """Name, bar and total per stage, scaled to the largest total."""
        if not self.rows:
            return Content.styled("no open deals", MUTED)
        width = self.content_size.width
        name_w = max(len(r[0]) for r in self.rows) + 1
        value_w = max(len(format_compact(r[1])) for r in self.rows) + 1
        count_w = max(len(str(r[3])) for r in self.rows) + 1
        bar_w = max(width - name_w - value_w - count_w - 1, 4)
        top = max((r[1] for r in self.rows), default=Decimal(0)) or Decimal(1)
        lines = []
        for stage, total, weighted, count in self.rows:
            full = int((total / top * bar_w).to_integral_value())
            solid = min(int((weighted / top * bar_w).to_integral_value()), full)
            lines.append(
                Content.assemble(
                    stage.capitalize().ljust(name_w),
                    ("█" * solid, "$accent"),
                    ("░" * (full - solid), "$accent 60%"),
                    " " * (bar_w - full + 1),
                    (format_compact(total).rjust(value_w - 1), "bold"),
                    (str(count).rjust(count_w), MUTED),
                )
            )
        lines.append(Content(""))
        lines.append(
            Content.assemble(("█", "$accent"), (" weighted  ", MUTED), ("░", "$accent 60%"), (" rest", MUTED))
        )
        return Content("\n").join(lines)


class TargetBars(Widget):
    """Won against target, mine and the team's, per currency: figures as `report targets` gives them."""

    DEFAULT_CSS = """
    TargetBars { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[dict] = []
        """(who, currency, won, target, percent) rows, amounts as formatted text."""
        self.period = ""
        self.warning = ""

    def show(self, period: str, rows: list[dict], warning: str = "") -> None:
        """Rows of `who`, `currency`, `won`, `target` (None: no target), `percent` (None: no target)."""
        self.period, self.rows, self.warning = period, rows, warning
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        """One line per row (or the 'no targets' line) and the pool warning."""
        return max(len(self.rows), 1) + (1 if self.warning else 0)

    def render(self) -> Content:
        """Who, currency, won of target, attainment and a bar that fills at 100%."""
        lines: list[Content] = []
        if not any(r["target"] for r in self.rows):
            period = self.period or "this month"
            hint = f"no targets set for {period} (tinycrm target set USER PERIOD AMOUNT)"
            lines.append(Content.styled(hint, "dim"))
        else:
            who_w = max(len(r["who"]) for r in self.rows) + 1
            money_w = max(len(r["won"]) for r in self.rows)
            target_w = max(len(r["target"] or "") for r in self.rows)
            figures_w = who_w + 4 + money_w + 4 + target_w + 8
            bar_w = max(self.content_size.width - figures_w - 1, 4)
            for r in self.rows:
                head = [r["who"].ljust(who_w), (r["currency"].ljust(4), "dim"), r["won"].rjust(money_w)]
                if r["target"] is None:
                    lines.append(Content.assemble(*head, ("  no target", "dim")))
                    continue
                percent = r["percent"] or 0
                solid = bar(min(percent, 100), 100, bar_w)
                lines.append(
                    Content.assemble(
                        *head,
                        (" of ", "dim"),
                        r["target"].rjust(target_w),
                        (f"{percent:6.1f}% ", "bold"),
                        (solid, "$success" if percent >= 100 else "$accent"),
                        ("░" * max(bar_w - len(solid), 0), "$accent 40%"),
                    )
                )
        if self.warning:
            lines.append(Content.styled(self.warning, "$warning"))
        return Content("\n").join(lines)
