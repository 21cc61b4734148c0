"""The dashboard: the headline numbers and charts of the book, from `tinycrm.reports`.

Every figure comes from `reports.dashboard`, which calls the report functions themselves
(`pipeline`, `forecast`, `activity`), read in a thread worker; this screen only lays them
out, so a number here is the one `report … --json` prints. It reloads on DataChanged, so a
deal won on the board or in a shell shows here at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Sparkline, Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from ... import reports
from ..base import CrmScreen
from ..widgets.dashboard import StageBars, Tile

MONTHS = 12
WEEKS = 12


@dataclass
class DashboardData:
    """One reload's figures."""

    headline: dict
    by_stage: list[dict]
    won_by_month: list[tuple[str, Decimal]]
    activity: list[dict]


def _others(totals: dict[str, Decimal], main: str) -> str:
    """The amounts in currencies other than the main one, for a tooltip."""
    return ", ".join(reports.format_money(v, c) for c, v in totals.items() if c != main)


def _deals(count: int) -> str:
    """`1 deal`, `2 deals`."""
    return f"{count} deal{'' if count == 1 else 's'}"


class DashboardScreen(CrmScreen):
    """Five headline tiles, won by month, the open pipeline by stage and weekly activity."""

    DEFAULT_CSS = """
    DashboardScreen #dash-summary {
        height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    DashboardScreen #tiles { height: 7; }
    DashboardScreen #charts { height: 1fr; }
    DashboardScreen .panel {
        border: round $panel-lighten-2; border-title-color: $text-muted; padding: 0 1; width: 1fr;
    }
    DashboardScreen #won-chart { padding: 0; }
    DashboardScreen #activity-title { color: $text-muted; margin-top: 1; }
    DashboardScreen #activity { height: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", tooltip="Read the figures again"),
    ]
    won_drawn: tuple[tuple[str, Decimal], ...] = ()
    """The months and exact totals the won-by-month bars stand for (the bars are floats)."""

    class Loaded(Message):
        """A reload's figures, from the worker."""

        def __init__(self, data: DashboardData) -> None:
            super().__init__()
            self.data = data

    def compose(self) -> ComposeResult:
        """Summary line, tiles, charts, footer."""
        yield Static("Dashboard", id="dash-summary")
        with Horizontal(id="tiles"):
            yield Tile("Open pipeline", "Pipeline", id="tile-open")
            yield Tile("Weighted forecast", "Forecast", id="tile-forecast")
            yield Tile("Won this month", "Won", id="tile-won")
            yield Tile("Overdue follow-ups", "Overdue", id="tile-overdue")
            yield Tile("Stale contacts", "Stale", id="tile-stale")
        with Horizontal(id="charts"):
            won = PlotextPlot(id="won-chart", classes="panel")
            won.border_title = f"Won by month, last {MONTHS}"
            yield won
            with Vertical(id="stage-panel", classes="panel") as panel:
                panel.border_title = "Open pipeline by stage"
                yield StageBars(id="stage-bars")
                yield Static(f"Interactions per week, last {WEEKS}", id="activity-title")
                yield Sparkline([], id="activity")
        yield Footer()

    @work(thread=True, exclusive=True, group="dashboard-load")
    def refresh_data(self) -> None:
        """Read every figure from the reports module (worker thread)."""
        local = self.crm.local_now()
        with self.store() as store:
            figures = reports.dashboard(store, local, months=MONTHS, weeks=WEEKS)
        main = figures["headline"]["currency"]
        data = DashboardData(
            headline=figures["headline"],
            by_stage=figures["stages"],
            won_by_month=[
                (p["period"], p["won"]["totals"].get(main, Decimal(0))) for p in figures["won_by_month"]
            ],
            activity=[{"week": p["start"], "count": p["total"]} for p in figures["activity"]],
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(data))

    def action_reload(self) -> None:
        """Read the figures again."""
        self.refresh_data()

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        """Lay out the figures."""
        data = message.data
        head = data.headline
        main = head["currency"]
        zero = Decimal(0)
        money = reports.format_money

        pipe = head["open_pipeline"]
        open_total = pipe["totals"].get(main, zero)
        others = _others(pipe["totals"], main)
        self._tile("#tile-open").show(
            reports.format_compact(open_total),
            _deals(pipe["count"]),
            money(open_total, places=0),
            tooltip=money(open_total, main) + (f" + {others}" if others else ""),
        )
        forecast = head["weighted_forecast"]["totals"]
        weighted = forecast.get(main, zero)
        others = _others(forecast, main)
        self._tile("#tile-forecast").show(
            reports.format_compact(weighted),
            "weighted",
            money(weighted, places=0),
            tooltip="Σ value × probability: " + money(weighted, main) + (f" + {others}" if others else ""),
        )
        won = head["won_this_month"]
        won_total = won["totals"].get(main, zero)
        others = _others(won["totals"], main)
        self._tile("#tile-won").show(
            reports.format_compact(won_total),
            _deals(won["count"]),
            f"in {won['month']}",
            tooltip=money(won_total, main) + (f" + {others}" if others else ""),
        )
        overdue = head["overdue_followups"]
        self._tile("#tile-overdue").show(
            str(overdue), "follow-ups", "before today", alert=overdue > 0,
            tooltip="Open reminders and follow-ups due before today",
        )  # fmt: skip
        stale = head["stale_contacts"]
        self._tile("#tile-stale").show(
            str(stale), "past their", "cadence", alert=stale > 0,
            tooltip="Contacts past their keep-in-touch cadence: filter is:stale",
        )  # fmt: skip

        self.query_one("#dash-summary", Static).update(
            f"Dashboard · amounts in {main} · as of {head['as_of'][:10]}"
        )
        self._draw_won(data.won_by_month, main)
        self.query_one(StageBars).show(
            [
                (row["stage"], row["totals"].get(main, zero), row["weighted"].get(main, zero), row["count"])
                for row in data.by_stage
                if row["stage"] not in ("won", "lost")
            ]
        )
        self.query_one(Sparkline).data = [week["count"] for week in data.activity]

    def _tile(self, selector: str) -> Tile:
        return self.query_one(selector, Tile)

    def _draw_won(self, months: list[tuple[str, Decimal]], currency: str) -> None:
        """A bar per month in a readable unit (a picture: the exact figures are in the report)."""
        self.won_drawn = tuple(months)
        chart = self.query_one("#won-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        top = max((total for _, total in months), default=Decimal(0))
        scale, unit = next(
            ((size, name) for size, name in ((10**9, "B"), (10**6, "M"), (10**3, "k")) if top >= 10 * size),
            (1, ""),
        )
        labels = [month[5:] for month, _ in months]
        plt.bar(labels, [float(total / scale) for _, total in months], marker="hd", width=0.6)
        plt.ylabel(f"{unit} {currency}".strip())
        chart.refresh()
