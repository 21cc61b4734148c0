"""`tinycrm report …`: the figures of `tinycrm.reports` as tables, charts, JSON or CSV.

Every report is drawn the same way: one table whose rows are also the CSV (one row per
stage or period *and currency*, so no cell ever adds two currencies up), a few summary
lines, and the charts of `tinycrm.charts` under them (one per currency). `--json` is the
report itself, its Decimals exact strings as `reports.jsonable` makes them. A rate that is
None is printed `n/a`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..errors import UsageError
from ..output import emit_csv, emit_json, emit_table, is_terminal, safe, use_color
from ._common import State, echo, reads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

NA = "n/a"
Rows = list[dict]


# ---------------------------------------------------------------- shared pieces


def _window(st: State, since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """--since and --until as instants: --since reads into the past (`30d` = the last 30 days)."""
    from ..dates import parse_since, parse_when

    now = st.local_now()
    start = parse_since(since, now) if since else None
    end = parse_when(until, now).at if until else None
    return start, end


def _money(amount: Decimal, currency: str) -> str:
    """An exact amount in its currency's decimals (a weighted one rounded half up for reading)."""
    from ..money import minor_units
    from ..reports import format_money

    return format_money(amount, currency, places=minor_units(currency))


def _rate(value: Decimal | None) -> str:
    return NA if value is None else f"{value}%"


def _days(value: Decimal | None) -> str:
    return NA if value is None else f"{value} d"


def _monies(totals: dict[str, Decimal]) -> str:
    """Amounts in several currencies side by side, each on its own (never summed)."""
    return ", ".join(_money(v, cur) for cur, v in sorted(totals.items())) or "0"


def _heading(text: str) -> str:
    return f"\033[1m{text}\033[0m" if use_color() else text


def _chart_width() -> int:
    if not is_terminal():
        return 80
    import shutil  # its archive modules (bz2, lzma) are not worth importing for a pipe

    return shutil.get_terminal_size((80, 24)).columns


def _by_rows(report: dict, rows_of: Callable[[dict], Rows]) -> tuple[Rows, bool]:
    """The table rows of the whole book, or per owner (an `owner` column first) with --by owner."""
    if not report.get("by"):
        return rows_of(report), False
    rows = []
    for group in report["groups"]:
        owner = group["owner"] or "(pool)"
        rows += [{"owner": owner, **row} for row in rows_of(group)]
    return rows, True


def _show(
    report: dict,
    *,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
    rows_of: Callable[[dict], Rows],
    columns: list[tuple[str, str]],
    empty: str | None,
    summary: Callable[[dict], list[str]] = lambda r: [],
    charts: Callable[[dict, int, bool], list[tuple[str, list[str]]]] = lambda r, w, a: [],
) -> None:
    """Print a report in the form asked for; `empty` is the "nothing yet" line of an empty book."""
    if as_json and as_csv:
        raise UsageError("--json and --csv cannot be combined")
    if as_json:
        # the writer gives a Decimal the exact string `reports.jsonable` would (no copy of the report)
        emit_json(report)
        return
    rows, grouped = _by_rows(report, rows_of)
    if grouped:
        columns = [("owner", "Owner"), *columns]
    if as_csv:
        emit_csv(rows, [key for key, _ in columns])
        return
    if empty is not None:
        echo(f"nothing yet: {empty}")
        return
    emit_table(rows, columns)
    lines = summary(report)
    if lines:
        echo("")
        for line in lines:
            echo(safe(line))
    for title, chart in charts(report, _chart_width(), ascii):
        if chart:
            echo("")
            echo(_heading(title))
            for line in chart:
                echo(safe(line))


def _currencies(*totals: dict[str, Any]) -> list[str]:
    return sorted({cur for t in totals for cur in t})


# ---------------------------------------------------------------- pipeline


def _pipeline_rows(part: dict) -> Rows:
    rows = []
    for s in part["stages"]:
        for cur in sorted(s["totals"]) or [""]:
            rows.append({
                "stage": s["stage"], "probability": f"{s['probability']}%", "currency": cur,
                "count": s["counts"].get(cur, 0),
                "value": _money(s["totals"][cur], cur) if cur else "",
                "weighted": _money(s["weighted"][cur], cur) if cur else "",
                "avg_days": "" if s["avg_age_days"] is None and s["stage"] in ("won", "lost")
                else _days(s["avg_age_days"]),
            })  # fmt: skip
    return rows


@reads
def pipeline(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report pipeline`: where the open deals are, per stage and currency."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    report = reports.pipeline(state.store(), state.local_now(), since=start, until=end, by=by)
    total = sum(s["count"] for s in report["stages"])
    opened = report["open"]

    def summary(r: dict) -> list[str]:
        o = r["open"]
        return [
            f"open: {o['count']} deal{'s' if o['count'] != 1 else ''}, {_monies(o['totals'])}"
            f" (weighted {_monies(o['weighted'])})"
        ]

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        return [
            (
                f"Open pipeline, {cur} (solid: weighted)",
                charts.pipeline_chart(r, cur, width_cells=width, ascii=ascii),
            )
            for cur in _currencies(opened["totals"])
        ]

    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=_pipeline_rows,
        columns=[
            ("stage", "Stage"),
            ("probability", "Prob"),
            ("currency", "Cur"),
            ("count", "Deals"),
            ("value", "Value"),
            ("weighted", "Weighted"),
            ("avg_days", "Avg in stage"),
        ],
        empty=None if total else "no deals in this book or period (tinycrm deal add REF TITLE --value N)",
        summary=summary,
        charts=draw,
    )


# ---------------------------------------------------------------- forecast


def _forecast_rows(part: dict) -> Rows:
    rows = []
    cells = [(p["period"], p["won"], p["expected"], "past" if p["past"] else "") for p in part["periods"]]
    cells += [
        (key, {"count": 0, "totals": {}}, part[key], "")
        for key in ("overdue", "undated", "earlier", "later")
        if part[key]["count"]
    ]
    for label, won, expected, past in cells:
        for cur in _currencies(won["totals"], expected["totals"]) or [""]:
            rows.append({
                "period": label, "past": past, "currency": cur,
                "won_count": won["count"] if cur else 0,
                "won": _money(won["totals"].get(cur, Decimal(0)), cur) if cur else "",
                "open_count": expected["count"] if cur else 0,
                "expected": _money(expected["totals"].get(cur, Decimal(0)), cur) if cur else "",
                "weighted": _money(expected["weighted"].get(cur, Decimal(0)), cur) if cur else "",
            })  # fmt: skip
    return rows


@reads
def forecast(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    period: str,
    back: int,
    ahead: int,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report forecast`: weighted open value by expected close, next to what was won."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    report = reports.forecast(
        state.store(), state.local_now(), since=start, until=end, by=by, period=period, back=back, ahead=ahead
    )
    parts = [p["won"] for p in report["periods"]] + [p["expected"] for p in report["periods"]]
    parts += [report[k] for k in ("overdue", "undated", "earlier", "later")]
    currencies = _currencies(*(p["totals"] for p in parts))

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        return [
            (
                f"Forecast, {cur} (won in past periods, weighted expected from now on)",
                charts.forecast_chart(r, cur, width_cells=width, ascii=ascii),
            )
            for cur in currencies
        ]

    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=_forecast_rows,
        columns=[
            ("period", "Period"),
            ("past", ""),
            ("currency", "Cur"),
            ("won_count", "Won"),
            ("won", "Won value"),
            ("open_count", "Open"),
            ("expected", "Expected"),
            ("weighted", "Weighted"),
        ],
        empty=None if any(p["count"] for p in parts) else "no won or open deals (tinycrm deal add REF TITLE)",
        charts=draw,
    )


# ---------------------------------------------------------------- funnel


def _funnel_rows(part: dict) -> Rows:
    return [
        {
            "stage": s["stage"],
            "reached": s["reached"],
            "conversion": "" if s["stage"] == "won" else _rate(s["conversion"]),
        }
        for s in part["stages"]
    ]


@reads
def funnel(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report funnel`: how far the deals got, and why the others were lost."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    report = reports.funnel(state.store(), state.local_now(), since=start, until=end, by=by)

    def summary(r: dict) -> list[str]:
        lines = [
            f"deals: {r['deals']} ({r['open']} open, {r['won']} won, {r['lost']} lost)",
            f"win rate: {_rate(r['win_rate'])}   sales cycle: {_days(r['avg_cycle_days'])}",
        ]
        for status in ("won", "lost", "open"):
            if r["totals"][status]:
                lines.append(f"{status}: {_monies(r['totals'][status])}")
        if r["lost_reasons"]:
            lines.append(
                "lost because: " + ", ".join(f"{x['reason']} ({x['count']})" for x in r["lost_reasons"])
            )
        if r["lost_at"]:
            lines.append("lost at: " + ", ".join(f"{x['stage']} ({x['count']})" for x in r["lost_at"]))
        return lines

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        return [
            (
                "Deals reaching each stage (→ conversion to the next)",
                charts.funnel_chart(r, width_cells=width, ascii=ascii),
            )
        ]

    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=_funnel_rows,
        columns=[("stage", "Stage"), ("reached", "Reached"), ("conversion", "To next")],
        empty=None if report["deals"] else "no deals created in this book or period",
        summary=summary,
        charts=draw,
    )


# ---------------------------------------------------------------- activity


@reads
def activity(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    period: str,
    periods: int,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report activity`: interactions per period and kind, follow-ups kept, deals moved."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    report = reports.activity(
        state.store(), state.local_now(), since=start, until=end, by=by, period=period, periods=periods
    )
    kinds = sorted(report["kinds"])

    def rows_of(part: dict) -> Rows:
        return [
            {"period": p["period"], "total": p["total"], **{k: p["counts"].get(k, 0) for k in kinds}}
            for p in part["periods"]
        ]

    def summary(r: dict) -> list[str]:
        f = r["followups"]
        moved = r["deals_moved"]
        stages = ", ".join(f"{k} {v}" for k, v in moved["by_stage"].items())
        return [
            f"interactions: {r['interactions']}   contacts touched: {r['contacts_touched']}",
            f"follow-ups: {f['on_time']} on time, {f['late']} late, {f['overdue']} overdue, {f['pending']}"
            f" pending (on time: {_rate(f['on_time_rate'])})",
            f"deals moved: {moved['count']}" + (f" ({stages})" if stages else ""),
        ]

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        rows = [(p["period"], p["total"], str(p["total"])) for p in r["periods"]]
        return [("Interactions per " + r["period"], charts.bars(rows, width_cells=width, ascii=ascii))]

    f = report["followups"]
    busy = (
        report["interactions"]
        or report["deals_moved"]["count"]
        or any(f[k] for k in ("on_time", "late", "overdue", "pending"))
    )
    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=rows_of,
        columns=[("period", "Period"), ("total", "Total"), *[(k, k) for k in kinds]],
        empty=None
        if busy
        else "no interactions, follow-ups or deal moves in this period (tinycrm log REF TEXT)",
        summary=summary,
        charts=draw,
    )


# ---------------------------------------------------------------- lifecycle


@reads
def lifecycle(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    at_risk_days: int,
    churn_days: int,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report lifecycle`: customers by stage (lead, new, repeat, active, at risk, churned)."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    report = reports.lifecycle(
        state.store(),
        state.local_now(),
        since=start,
        until=end,
        by=by,
        at_risk_days=at_risk_days,
        churn_days=churn_days,
    )

    def rows_of(part: dict) -> Rows:
        return [{"stage": k, "contacts": v} for k, v in part["stages"].items()]

    def summary(r: dict) -> list[str]:
        return [
            f"contacts: {r['contacts']}   customers: {r['customers']}   new customers: {r['new_customers']}"
            f"   prospects: {r['prospects']}",
            f"first purchase: {_rate(r['first_purchase_rate'])}   repeat purchase:"
            f" {_rate(r['repeat_purchase_rate'])}   churn: {_rate(r['churn_rate'])}",
            f"(at risk after {r['definitions']['at_risk_days']} days without an interaction,"
            f" churned after {r['definitions']['churn_days']})",
        ]

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        rows = [(k, v, str(v)) for k, v in r["stages"].items()]
        return [("Contacts per lifecycle stage", charts.bars(rows, width_cells=width, ascii=ascii))]

    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=rows_of,
        columns=[("stage", "Stage"), ("contacts", "Contacts")],
        empty=None if report["contacts"] else "no contacts in this book (tinycrm contact add NAME)",
        summary=summary,
        charts=draw,
    )


# ---------------------------------------------------------------- RFM

RFM_NAMES_SHOWN = 3


@reads
def rfm(
    state: State,
    *,
    since: str | None,
    until: str | None,
    by: str | None,
    top: int,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
    ascii: bool,
) -> None:
    """`report rfm`: customers scored by recency, frequency and money, in segments."""
    from .. import charts, reports

    start, end = _window(state, since, until)
    # a table names a segment's first few customers ("and N more"); --json lists them all
    listed = limit if limit is not None else None if as_json else RFM_NAMES_SHOWN
    report = reports.rfm(
        state.store(), state.local_now(), since=start, until=end, by=by, top=top, listed=listed
    )

    def rows_of(part: dict) -> Rows:
        rows = []
        for s in part["segments"]:
            names = [c["name"] for c in s["customers"][:listed]]
            more = s["count"] - len(names)
            rows.append(
                {
                    "segment": s["segment"],
                    "customers": s["count"],
                    "who": ", ".join(names) + (f" and {more} more" if more > 0 else ""),
                }
            )
        return rows

    def summary(r: dict) -> list[str]:
        lines = [f"customers with a won deal: {r['customers']}"]
        for cur, moves in r["changes"].items():
            for way, word in (("up", "rose"), ("down", "fell")):
                if moves[way]:
                    lines.append(f"won value {word} most ({cur}, this period against the one before):")
                    lines += [
                        f"  {m['name']}  {_money(m['previous'], cur)} → {_money(m['current'], cur)}"
                        for m in moves[way]
                    ]
        return lines

    def draw(r: dict, width: int, ascii: bool) -> list[tuple[str, list[str]]]:
        return [("Customers per segment", charts.segments_chart(r, width_cells=width, ascii=ascii))]

    _show(
        report,
        as_json=as_json,
        as_csv=as_csv,
        ascii=ascii,
        rows_of=rows_of,
        columns=[("segment", "Segment"), ("customers", "Customers"), ("who", "Who")],
        empty=None if report["customers"] else "no customer has won a deal yet (tinycrm deal won ID)",
        summary=summary,
        charts=draw,
    )


# ---------------------------------------------------------------- targets


@reads
def targets(state: State, *, period: str | None, as_json: bool, as_csv: bool, ascii: bool) -> None:
    """`report targets`: won value against target per person and currency, and the team's total."""
    from ..charts import bar
    from ..services.team import attainment

    now = state.local_now()
    result = attainment(state.store(), period or f"{now:%Y-%m}", now_local=now)
    if as_json and as_csv:
        raise UsageError("--json and --csv cannot be combined")
    if as_json:
        emit_json(result)
        return
    rows = [{**p, "who": p["user"] or "(pool)"} for p in result["people"]]
    rows += [{**t, "who": "team", "deals": ""} for t in result["team"]]
    for row in rows:
        row["percent_text"] = NA if row["percent"] is None else f"{row['percent']}%"
        row["bar"] = (
            bar(min(row["percent"] or 0, 100), 100, 20, ascii=ascii) if row["percent"] is not None else ""
        )
    columns = [
        ("who", "Who"),
        ("currency", "Cur"),
        ("deals", "Deals"),
        ("won", "Won"),
        ("target", "Target"),
        ("percent_text", "Attained"),
    ]
    if as_csv:
        emit_csv(rows, [k for k, _ in columns])
        return
    if not result["people"]:
        echo(
            f"nothing yet: no targets and no won deals in {result['period']}"
            " (tinycrm target set USER PERIOD AMOUNT)"
        )
        return
    emit_table(rows, [*columns, ("bar", "")], title=f"Targets {result['period']}")
