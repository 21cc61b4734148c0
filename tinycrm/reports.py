"""The numbers of the dashboard and the report commands, so that they never differ.

Pure arithmetic over the aggregates of `store_reports` (the SQL lives there): no Textual,
no Rich, no clock. `now` is an aware datetime whose zone is the user's: "this month",
"today" and week starts are taken in that zone. Money is exact: integer minor units from
SQLite become `Decimal` major units here, keyed by currency, never summed across
currencies and never through a float.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import store_reports as sql
from .dates import local_at, utc_iso
from .store import Store

CENTS = Decimal("0.01")


def _major(minor: int) -> Decimal:
    """Integer minor units as exact major units (`123456` → `Decimal('1234.56')`)."""
    return Decimal(minor).scaleb(-2)


def _weighted(minor_x_percent: int) -> Decimal:
    """Σ value_minor × probability as exact major units: 2 decimals, 4 when a cent splits."""
    exact = Decimal(minor_x_percent).scaleb(-4)
    cents = exact.quantize(CENTS)
    return cents if cents == exact else exact


def main_currency(store: Store) -> str:
    """The currency charts are drawn in: the `currency` setting, else the most used, else USD."""
    return store.setting("currency") or sql.most_used_currency(store) or "USD"


def start_of_day(now: datetime) -> datetime:
    """Local midnight of `now`'s day, in `now`'s zone."""
    return local_at(now.date(), now.tzinfo)


def month_start(year: int, month: int, now: datetime) -> datetime:
    """Local midnight of the first of a month (months may be out of 1..12: they roll over)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return local_at(date(year, month, 1), now.tzinfo)


def headline(store: Store, now: datetime) -> dict[str, Any]:
    """The dashboard's five figures: open pipeline, forecast, won this month, overdue, stale."""
    open_rows = sql.open_by_currency(store)
    this_month = month_start(now.year, now.month, now)
    next_month = month_start(now.year, now.month + 1, now)
    won_rows = sql.closed_since(store, "won", this_month, next_month)
    return {
        "as_of": utc_iso(now),
        "currency": main_currency(store),
        "open_pipeline": {
            "count": sum(r[1] for r in open_rows),
            "totals": {cur: _major(total) for cur, _, total, _ in open_rows},
        },
        "weighted_forecast": {
            "totals": {cur: _weighted(weighted) for cur, _, _, weighted in open_rows},
        },
        "won_this_month": {
            "month": f"{now.year:04d}-{now.month:02d}",
            "count": sum(r[1] for r in won_rows),
            "totals": {cur: _major(total) for cur, _, total in won_rows},
        },
        "overdue_followups": sql.open_reminders_due_before(store, start_of_day(now)),
        "stale_contacts": sql.stale_contacts(store, now),
    }


def pipeline_by_stage(store: Store, *, closed_since: datetime | None = None) -> list[dict[str, Any]]:
    """Every stage in order with its deals' count, total and weighted value, per currency.

    Open stages count open deals; `won` and `lost` count the deals closed since
    `closed_since` (all of them when None).
    """
    per_stage: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    for stage, cur, count, total, weighted in sql.deals_by_stage_currency(store, closed_since=closed_since):
        per_stage[stage].append((cur, count, total, weighted))
    out = []
    for st in store.stages():
        rows = per_stage.get(st["name"], [])
        out.append(
            {
                "stage": st["name"],
                "probability": st["probability"],
                "count": sum(r[1] for r in rows),
                "totals": {cur: _major(total) for cur, _, total, _ in rows},
                "weighted": {cur: _weighted(weighted) for cur, _, _, weighted in rows},
            }
        )
    return out


def open_totals(by_stage: list[dict[str, Any]]) -> dict[str, Any]:
    """The open pipeline summed from `pipeline_by_stage` rows: `headline`'s figures, no query."""
    count = 0
    totals: dict[str, Decimal] = defaultdict(Decimal)
    weighted: dict[str, Decimal] = defaultdict(Decimal)
    for row in by_stage:
        if row["stage"] in ("won", "lost"):
            continue
        count += row["count"]
        for cur, value in row["totals"].items():
            totals[cur] += value
        for cur, value in row["weighted"].items():
            weighted[cur] += value
    return {
        "count": count,
        "totals": dict(sorted(totals.items())),
        "weighted": dict(sorted(weighted.items())),
    }


def won_by_month(
    store: Store, now: datetime, months: int = 12, currency: str | None = None
) -> list[tuple[str, Decimal]]:
    """(`YYYY-MM`, total won) for the last `months` local months, this one last, in one currency."""
    currency = currency or main_currency(store)
    first = now.month - months + 1
    bounds = [month_start(now.year, first + i, now) for i in range(months + 1)]
    totals = dict.fromkeys(range(months), Decimal(0))
    for bucket, cur, _, total in sql.won_in_buckets(store, bounds):
        if cur == currency:
            totals[bucket] = _major(total)
    return [(f"{b.year:04d}-{b.month:02d}", totals[i]) for i, b in enumerate(bounds[:-1])]


def activity_by_week(store: Store, now: datetime, weeks: int = 12) -> list[dict[str, Any]]:
    """Interactions per local week (Monday first) for the last `weeks` weeks, this one last."""
    monday = now.date() - timedelta(days=now.weekday())
    days = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks + 1)]
    bounds = [local_at(day, now.tzinfo) for day in days]
    counts = dict(sql.interactions_in_buckets(store, bounds))
    return [{"week": days[i].isoformat(), "count": counts.get(i, 0)} for i in range(weeks)]


def format_money(amount: Decimal, currency: str | None = None, *, places: int = 2) -> str:
    """An exact amount for people: thousands separated, rounded half-up to `places`."""
    text = f"{amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"
    return f"{currency} {text}" if currency else text


def format_compact(amount: Decimal) -> str:
    """A short amount for narrow places: `950`, `12.5k`, `1.25M` (display only)."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if amount >= size:
            scaled = amount / size
            places = 2 if scaled < 10 else 1 if scaled < 100 else 0
            text = f"{scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}"
            return f"{sign}{text.rstrip('0').rstrip('.') if '.' in text else text}{suffix}"
    return f"{sign}{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)}"


def jsonable(value: Any) -> Any:
    """A report with Decimals as exact strings, for `--json`."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
