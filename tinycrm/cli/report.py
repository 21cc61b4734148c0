"""`tinycrm report …`: pipeline, forecast, funnel, activity, lifecycle, rfm, targets."""

import inspect
from typing import Annotated

import typer

from ..commands import report as run
from ..reports import lifecycle as _lifecycle
from ._common import CsvOpt, JsonOpt, runs

app = typer.Typer(
    help="Numbers and terminal charts: pipeline, forecast, funnel, activity, lifecycle, rfm, targets.",
    no_args_is_help=True,
)

SinceOpt = Annotated[
    str | None,
    typer.Option("--since", metavar="WHEN", help="From this WHEN on: 30d (ago), 2026-01-01, monday."),
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="WHEN", help="Up to this WHEN (default: now).")
]
ByOpt = Annotated[str | None, typer.Option("--by", metavar="owner", help="Also per owner: --by owner.")]
AsciiOpt = Annotated[bool, typer.Option("--ascii", help="Draw the charts with # (no Unicode blocks).")]


def _stages_help() -> str:
    """The lifecycle report's help: its docstring, with the stage table kept as written."""
    paragraphs = inspect.cleandoc(_lifecycle.__doc__ or "").split("\n\n")
    kept = [f"\b\n{p}" if p.startswith(" ") else p for p in paragraphs]
    return "\n\n".join([*kept, "Example: tinycrm report lifecycle --at-risk-days 60"])


@app.command("pipeline")
@runs(run.pipeline)
def pipeline(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """Open deals per stage and currency: count, value, weighted value, days in the stage.

    Won and lost count the deals closed since --since (all without it).

    Example: tinycrm report pipeline --since 90d --by owner
    """


@app.command("forecast", short_help="Weighted open value by close period, and what was won")
@runs(run.forecast)
def forecast(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    period: Annotated[str, typer.Option("--period", help="month or quarter.")] = "month",
    back: Annotated[int, typer.Option("--back", min=0, max=120, help="Past periods shown.")] = 6,
    ahead: Annotated[int, typer.Option("--ahead", min=0, max=120, help="Future periods shown.")] = 6,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """Weighted open value by expected close period, next to what was won per period.

    Example: tinycrm report forecast --period quarter --ahead 4
    """


@app.command("funnel")
@runs(run.funnel)
def funnel(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """How far the deals created in the period got: conversion, win rate, lost reasons.

    Example: tinycrm report funnel --since 2026-01-01 --until 2026-07-01
    """


@app.command("activity")
@runs(run.activity)
def activity(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    period: Annotated[str, typer.Option("--period", help="week, month or quarter.")] = "week",
    periods: Annotated[
        int, typer.Option("--periods", min=1, max=520, help="How many periods back (without --since).")
    ] = 4,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """What was done: interactions per period and kind, follow-ups kept, deals moved.

    Example: tinycrm report activity --period month --periods 6 --by owner
    """


@app.command("lifecycle", help=_stages_help(),
             short_help="Customers by stage: lead, new, repeat, at risk, churned")
@runs(run.lifecycle)
def lifecycle(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    at_risk_days: Annotated[
        int, typer.Option("--at-risk-days", min=1, max=36500, help="Days without an interaction: at risk.")
    ] = 90,
    churn_days: Annotated[
        int, typer.Option("--churn-days", min=1, max=36500, help="Days without any activity: churned.")
    ] = 180,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """Customers by lifecycle stage (the stages are defined in the help)."""


@app.command("rfm", short_help="Customers scored by recency, frequency and money")
@runs(run.rfm)
def rfm(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    top: Annotated[
        int,
        typer.Option("--top", min=1, max=1000, help="Customers listed whose won value rose or fell most."),
    ] = 10,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Customers named per segment (default 3; --json: every one)."),
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """Customers scored by recency, frequency and money of their won deals, in segments.

    The table names each segment's first three customers (best score first, then by name)
    and how many more; --json lists every customer with its scores and lifetime value,
    or the first --limit N of each segment.

    Example: tinycrm report rfm --since 90d --top 5

    Example: tinycrm report rfm --json --limit 10
    """


@app.command("targets", short_help="Won value against each person's target")
@runs(run.targets)
def targets(
    ctx: typer.Context,
    period: Annotated[
        str | None, typer.Option("--period", help="2026-12, 2026-Q4 or 2026 (default: this month).")
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    ascii: AsciiOpt = False,
) -> None:
    """Won value against target per person and currency, and the team's total.

    Example: tinycrm report targets --period 2026-Q4
    """
