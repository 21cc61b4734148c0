"""Horizontal bar charts as lines of text, for the report commands.

Pure: numbers in, strings out; no Rich, no terminal queries (the caller passes the width
and says whether Unicode is welcome). A bar is drawn in eighths of a cell with Unicode
blocks, or with `#` in plain ASCII (`ascii=True`, for pipes and dumb terminals). A bar
may carry a part (the weighted share of a stage's value, say), drawn solid over a light
remainder. The chart is a picture: exact figures are printed next to it by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from .cells import pad, width

EIGHTHS = " ▏▎▍▌▋▊▉█"
LIGHT = "░"
Number = int | Decimal | Fraction


def _cells(value: Number, top: Number, cells: int) -> Fraction:
    """How many cells (in exact fractions) `value` takes when `top` fills `cells`."""
    if top <= 0 or value <= 0:
        return Fraction(0)
    return min(Fraction(cells), Fraction(cells) * Fraction(value) / Fraction(top))


def bar(value: Number, top: Number, cells: int, *, part: Number | None = None, ascii: bool = False) -> str:
    """One bar `cells` wide at most: `value` against `top`, its `part` solid, the rest light."""
    size = _cells(value, top, cells)
    if part is None:
        if ascii:
            return "#" * round(size)
        whole, eighths = divmod(round(size * 8), 8)
        return "█" * whole + (EIGHTHS[eighths] if eighths else "")
    solid = round(min(_cells(part, top, cells), size))
    rest = max(round(size) - solid, 0)
    return ("#" * solid + "-" * rest) if ascii else ("█" * solid + LIGHT * rest)


def bars(
    rows: Sequence[tuple[str, Number, str]],
    *,
    width_cells: int = 80,
    ascii: bool = False,
    parts: Sequence[Number] | None = None,
) -> list[str]:
    """Rows of (label, value, value text) as aligned lines fitting `width_cells`.

    The label column is as wide as the widest label (CJK counted double), the value texts
    are right-aligned after the bars, and the longest bar takes what is left (at least 10
    cells). Values must not be negative; all zeros give empty bars, never a division by zero.
    """
    if not rows:
        return []
    label_w = max(width(label) for label, _, _ in rows)
    text_w = max(width(text) for _, _, text in rows)
    cells = max(width_cells - label_w - text_w - 4, 10)
    top = max(value for _, value, _ in rows)
    lines = []
    for i, (label, value, text) in enumerate(rows):
        drawn = bar(value, top, cells, part=parts[i] if parts is not None else None, ascii=ascii)
        right = " " * (text_w - width(text)) + text
        lines.append(f"{pad(label, label_w)}  {pad(drawn, cells)}  {right}".rstrip())
    return lines


# ---------------------------------------------------------------- the reports' charts
#
# Each takes a report as `tinycrm.reports` returns it and draws its picture in one
# currency (a chart never adds currencies up); the CLI prints these under the figures.


def _money(amount: Decimal, currency: str) -> str:
    from .reports import format_money

    return format_money(amount, currency, places=0)


def pipeline_chart(report: dict, currency: str, *, width_cells: int = 80, ascii: bool = False) -> list[str]:
    """Open stages: the stage's total value, its weighted part solid."""
    zero = Decimal(0)
    stages = [s for s in report["stages"] if s["stage"] not in ("won", "lost")]
    rows = [
        (s["stage"], s["totals"].get(currency, zero), _money(s["totals"].get(currency, zero), currency))
        for s in stages
    ]
    parts = [s["weighted"].get(currency, zero) for s in stages]
    return bars(rows, width_cells=width_cells, ascii=ascii, parts=parts)


def funnel_chart(report: dict, *, width_cells: int = 80, ascii: bool = False) -> list[str]:
    """Deals that reached each stage, with the conversion to the next."""
    rows = []
    for s in report["stages"]:
        conversion = f" → {s['conversion']}%" if s["conversion"] is not None else ""
        rows.append((s["stage"], s["reached"], f"{s['reached']}{conversion}"))
    return bars(rows, width_cells=width_cells, ascii=ascii)


def segments_chart(report: dict, *, width_cells: int = 80, ascii: bool = False) -> list[str]:
    """Customers per RFM segment (empty segments left out)."""
    rows = [(s["segment"], s["count"], str(s["count"])) for s in report["segments"] if s["count"]]
    return bars(rows, width_cells=width_cells, ascii=ascii)


def forecast_chart(report: dict, currency: str, *, width_cells: int = 80, ascii: bool = False) -> list[str]:
    """Per period: won (past periods) or weighted expected value (this one and later)."""
    zero = Decimal(0)
    rows = []
    for p in report["periods"]:
        value = (
            p["won"]["totals"].get(currency, zero)
            if p["past"]
            else p["expected"]["weighted"].get(currency, zero)
        )
        rows.append((p["period"], value, ("won " if p["past"] else "exp ") + _money(value, currency)))
    return bars(rows, width_cells=width_cells, ascii=ascii)
