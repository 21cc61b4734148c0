"""The dashboard: the headline numbers and charts of the book, from `tinycrm.reports`.

Every figure comes from `reports.dashboard`, which calls the report functions themselves
(`pipeline`, `forecast`, `activity`), read in a thread worker; this screen only lays them
out, so a number here is the one `report … --json` prints. It reloads on DataChanged, so a
deal won on the board or in a shell shows here at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
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
from ...services import team
from ...store import Store
from ..base import CrmScreen, Stamp
from ..widgets.dashboard import StageBars, TargetBars, Tile

MONTHS = 12
WEEKS = 12


@dataclass
class DashboardData:
    """One reload's figures."""

    headline: dict
    by_stage: list[dict]
    won_by_month: list[tuple[str, Decimal]]
    activity: list[dict]
    targets: dict
    """`team.attainment` of this month: the figures of `report targets --json`."""
    returning: list[dict] | None
    """My customers about to return to the pool (`team.warnings`); None without a warning rule."""
    warn_days: int
    stamp: Stamp | None = None


def _others(totals: dict[str, Decimal], main: str) -> str:
    """The amounts in currencies other than the main one, for a tooltip."""
    return ", ".join(reports.format_money(v, c) for c, v in totals.items() if c != main)


def _deals(counts: dict[str, int], main: str) -> str:
    """`2 deals` in the main currency, the amount's own; deals in others named apart (`+1 CNY`)."""
    count = counts.get(main, 0)
    text = f"{count} deal{'' if count == 1 else 's'}"
    others = " ".join(f"+{n} {cur}" for cur, n in counts.items() if cur != main)
    return f"{text} ({others})" if others else text


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round axis values from 0 to at least `top`: steps of 1, 2 or 5 × a power of ten."""
    if top <= 0:
        return [0.0]
    raw = top / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def tick_label(value: float, unit: str) -> str:
    """`200k`, `1.5M`, `0`: no trailing `.0`, the unit on every tick."""
    if value == 0:
        return "0"
    return f"{value:g}{unit}"


def _returning(store: Store, local: datetime) -> dict:
    """My customers that `due` warns about (the same `team.warnings`), and the rule's warning days."""
    rule = store.pool_rule()
    if not rule or not rule.get("warn"):
        return {"returning": None, "warn_days": 0}
    mine = team.warnings(store, now_local=local, user=store.user)
    return {"returning": mine, "warn_days": int(rule["warn"])}


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
    DashboardScreen #targets-panel { height: auto; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", tooltip="Read the figures again"),
    ]
    KEEP_WHEN_UNCHANGED = True

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
        with Vertical(id="targets-panel", classes="panel") as targets:
            targets.border_title = "Targets"
            yield TargetBars(id="target-bars")
        with Horizontal(id="charts"):
            won = PlotextPlot(id="won-chart", classes="panel")
            won.border_title = f"Won by month, last {MONTHS}"
            yield won
            empty = Static(f"No deals won in the last {MONTHS} months yet.", id="won-empty", classes="panel")
            empty.border_title = won.border_title
            empty.display = False
            yield empty
            with Vertical(id="stage-panel", classes="panel") as panel:
                panel.border_title = "Open pipeline by stage"
                yield StageBars(id="stage-bars")
                yield Static(f"Interactions per week, last {WEEKS}", id="activity-title")
                yield Sparkline([], id="activity")
        yield Footer(compact=True)

    @work(thread=True, exclusive=True, group="dashboard-load")
    def refresh_data(self) -> None:
        """Read every figure from the reports module (worker thread)."""
        stamp = self.data_stamp()
        local = self.crm.local_now()
        with self.store() as store:
            figures = reports.dashboard(store, local, months=MONTHS, weeks=WEEKS)
            targets = team.attainment(store, f"{local:%Y-%m}", now_local=local)
            returning = _returning(store, local)
        main = figures["headline"]["currency"]
        data = DashboardData(
            headline=figures["headline"],
            by_stage=figures["stages"],
            won_by_month=[
                (p["period"], p["won"]["totals"].get(main, Decimal(0))) for p in figures["won_by_month"]
            ],
            activity=[{"week": p["start"], "count": p["total"]} for p in figures["activity"]],
            targets=targets,
            **returning,
            stamp=stamp,
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(data))

    def _show_targets(self, data: DashboardData) -> None:
        """Mine and the team's won against target, and my customers about to go back to the pool."""
        me = self.crm.user
        result = data.targets
        rows = [{**p, "who": "Mine"} for p in result["people"] if p["user"] == me]
        rows += [{**t, "who": "Team"} for t in result["team"]]
        warning = ""
        if data.returning is not None:
            count = len(data.returning)
            warning = (
                f"⚠ {count} of your customers return{'s' if count == 1 else ''} to the pool within"
                f" {data.warn_days} days (tinycrm pool list)"
                if count
                else f"none of your customers returns to the pool in the next {data.warn_days} days"
            )
        panel = self.query_one("#targets-panel")
        panel.border_title = f"Targets {result['period']} · {me}"
        self.query_one(TargetBars).show(result["period"], rows, warning)

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
            _deals(pipe["counts"], main),
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
            _deals(won["counts"], main),
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
        self._show_targets(data)
        self._draw_won(data.won_by_month, main)
        self.query_one(StageBars).show(
            [
                (row["stage"], row["totals"].get(main, zero), row["weighted"].get(main, zero), row["count"])
                for row in data.by_stage
                if row["stage"] not in ("won", "lost")
            ]
        )
        self.query_one(Sparkline).data = [week["count"] for week in data.activity]
        self.shown_stamp = data.stamp

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
        empty = top == 0
        chart.display = not empty  # no won deals: no axis with made-up ticks, a sentence instead
        self.query_one("#won-empty", Static).display = empty
        if empty:
            return
        labels = [month[5:] for month, _ in months]
        plt.bar(labels, [float(total / scale) for _, total in months], marker="hd", width=0.6)
        # our own ticks: when the labels do not all fit, plotext's choice varies from run to run
        step = 1 if chart.size.width >= 3 * len(labels) + 8 else 2
        plt.xticks(list(range(1, len(labels) + 1, step)), labels[::step])
        ticks = nice_ticks(float(top / scale))
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [tick_label(t, unit) for t in ticks])
        plt.ylabel(currency)
        chart.refresh()
