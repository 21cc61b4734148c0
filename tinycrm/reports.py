"""The numbers of the dashboard and the report commands, so that they never differ.

Pure arithmetic over the aggregates of `tinycrm.store.reports` (the SQL lives there): no Textual,
no Rich, no clock. `now` is an aware datetime whose zone is the user's: "this month",
"today" and week starts are taken in that zone. Money is exact: integer minor units from
SQLite become `Decimal` major units here, keyed by currency, never summed across
currencies and never through a float.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from .dates import local_at, utc_iso
from .errors import UsageError
from .money import minor_units
from .store import Store
from .store import reports as sql

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and dataclasses cost ~25 ms of start-up to every `report` (inspect, ast)
    from typing import Any


def _major(minor: int, currency: str) -> Decimal:
    """Integer minor units as exact major units of the currency (`123456` EUR → `1234.56`, JPY → `123456`)."""
    return Decimal(minor).scaleb(-minor_units(currency))


def _weighted(minor_x_percent: int, currency: str) -> Decimal:
    """Σ value_minor × probability as exact major units: the currency's decimals, two more when it splits."""
    places = minor_units(currency)
    exact = Decimal(minor_x_percent).scaleb(-2 - places)
    rounded = exact.quantize(Decimal(1).scaleb(-places))
    return rounded if rounded == exact else exact


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
    """The dashboard's five figures: open pipeline, forecast, won this month, overdue, stale.

    Taken from the report functions (`pipeline`'s open totals, `forecast`'s won this month),
    so that a headline figure is always the one `report pipeline` or `report forecast` shows.
    """
    return _headline(store, now, pipeline(store, now), forecast(store, now, back=0, ahead=0))


def _headline(store: Store, now: datetime, pipe: dict[str, Any], won: dict[str, Any]) -> dict[str, Any]:
    """The headline of a `pipeline` report and a `forecast` report ending with this month."""
    this_month = won["periods"][-1]
    opened = pipe["open"]
    return {
        "as_of": utc_iso(now),
        "currency": main_currency(store),
        "open_pipeline": {"count": opened["count"], "counts": _counts(pipe["stages"], closed=False),
                          "totals": opened["totals"]},
        "weighted_forecast": {"totals": opened["weighted"]},
        "won_this_month": {
            "month": this_month["period"],
            "count": this_month["won"]["count"],
            "counts": _counts(pipeline(store, now, since=month_start(now.year, now.month, now))["stages"],
                              closed=True),
            "totals": this_month["won"]["totals"],
        },
        "overdue_followups": overdue_followups(store, now),
        "stale_contacts": stale_contacts(store, now),
    }


def overdue_followups(store: Store, now: datetime) -> int:
    """Open reminders and follow-ups (stored ones, of live contacts or none) due before today."""
    return sql.open_reminders_due_before(store, start_of_day(now))


def stale_contacts(store: Store, now: datetime) -> int:
    """Live contacts past their keep-in-touch cadence: what `contact list is:stale` lists."""
    return sql.stale_contacts(store, now)


def _counts(stages: list[dict[str, Any]], *, closed: bool) -> dict[str, int]:
    """Deals per currency: of the open stages, or (`closed`) of the `won` stage."""
    out: dict[str, int] = defaultdict(int)
    for row in stages:
        if (row["stage"] == "won") if closed else row["stage"] not in ("won", "lost"):
            for cur, n in row["counts"].items():
                out[cur] += n
    return dict(sorted(out.items()))


def dashboard(store: Store, now: datetime, *, months: int = 12, weeks: int = 12) -> dict[str, Any]:
    """Every figure of the TUI dashboard, from the report functions themselves.

    `headline` (see there); `stages`, the stages of `pipeline(store, now)`; `won_by_month`,
    the periods of `forecast(store, now, back=months - 1, ahead=0)` (this month last); and
    `activity`, the periods of `activity(store, now, period="week", periods=weeks)`. So
    `report pipeline`, `report forecast --back 11 --ahead 0` and `report activity --period
    week --periods 12` (`--json`) show the very numbers the dashboard draws.
    """
    pipe = pipeline(store, now)
    won = forecast(store, now, back=max(months, 1) - 1, ahead=0)
    return {
        "headline": _headline(store, now, pipe, won),
        "stages": pipe["stages"],
        "won_by_month": won["periods"][-months:] if months > 0 else [],
        "activity": activity(store, now, period="week", periods=weeks)["periods"] if weeks > 0 else [],
    }


def pipeline_by_stage(
    store: Store, *, closed_since: datetime | None = None, owner: str | None = None, pool: bool = False
) -> list[dict[str, Any]]:
    """Every stage in order with its deals' count, total and weighted value, per currency.

    Open stages count open deals; `won` and `lost` count the deals closed since
    `closed_since` (all of them when None): `pipeline`'s stages. `owner` keeps one person's
    deals, `pool` the deals of customers in the pool (the TUI's switch).
    """
    if owner is None and not pool:
        return pipeline(store, store.now(), since=closed_since)["stages"]
    rows = sql.pipeline_rows(store, store.now(), since=closed_since, owner=owner, pool=pool)
    return _pipeline_stages(rows, store.stages())


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
    """(`YYYY-MM`, total won) for the last `months` local months, this one last, in one currency.

    The won periods of `forecast(store, now, back=months - 1, ahead=0)`.
    """
    if months < 1:
        return []
    currency = currency or main_currency(store)
    periods = forecast(store, now, back=months - 1, ahead=0)["periods"]
    return [(p["period"], p["won"]["totals"].get(currency, Decimal(0))) for p in periods]


def activity_by_week(store: Store, now: datetime, weeks: int = 12) -> list[dict[str, Any]]:
    """Interactions per local week (Monday first) for the last `weeks` weeks, this one last.

    The periods of `activity(store, now, period="week", periods=weeks)`: this week's up to now.
    """
    if weeks < 1:
        return []
    periods = activity(store, now, period="week", periods=weeks)["periods"]
    return [{"week": p["start"], "count": p["total"]} for p in periods]


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
    """A report (or a `Health`) with Decimals as exact strings, for `--json`."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "to_json"):  # a Health
        return jsonable(value.to_json())
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(type(value), "__dataclass_fields__"):  # a dataclass instance (dataclasses.is_dataclass)
        from dataclasses import asdict

        return jsonable(asdict(value))
    return value


# ---------------------------------------------------------------- the report commands
#
# Each report is `NAME(store, now, *, since=None, until=None, by=None, ...)` returning a
# plain dict: `report`, `as_of`, `since`, `until`, `by`, the figures of the whole book,
# and `groups` — the same figures per owner when `by="owner"` (else an empty list). The
# figures are computed by a pure function of the store's rows (`_NAME_body`), so a group
# and the whole book are added up by the same code. Money is `Decimal` per currency
# (`jsonable` makes exact strings of it); a rate whose denominator is zero is None
# ("n/a"), never a division by zero; an empty book gives zero counts and empty totals.

BY_VALUES = ("owner",)
PERIOD_UNITS = ("week", "month", "quarter")
TENTH = Decimal("0.1")
DAY_SECONDS = 86400
OPEN_ENDED = ("won", "lost")


def _check_by(by: str | None) -> bool:
    """Whether to group by owner; anything else than None/'owner' is a usage error."""
    if by is None:
        return False
    if by not in BY_VALUES:
        raise UsageError(f"invalid --by '{by}': use {', '.join(BY_VALUES)}")
    return True


def _check_unit(unit: str, allowed: Sequence[str] = PERIOD_UNITS) -> str:
    if unit not in allowed:
        raise UsageError(f"invalid period '{unit}': use {', '.join(allowed)}")
    return unit


def _check_window(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and since >= until:
        raise UsageError("--since must be before --until")


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, one decimal, half up; None when `whole` is zero."""
    if whole == 0:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _days(seconds: int, count: int) -> Decimal | None:
    """An average of `count` durations summing to `seconds`, in days to one decimal."""
    if count == 0:
        return None
    return (Decimal(seconds) / Decimal(count * DAY_SECONDS)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _envelope(
    name: str, now: datetime, since: datetime | None, until: datetime | None, by: str | None
) -> dict:
    return {
        "report": name,
        "as_of": utc_iso(now),
        "since": utc_iso(since) if since else None,
        "until": utc_iso(until) if until else None,
        "by": by,
    }


def _grouped(rows: Sequence[tuple], body: Any, grouped: bool) -> dict[str, Any]:
    """`body(rows)` for the whole book, and per owner (rows' first column) when grouped."""
    out = body(rows)
    groups: dict[Any, list[tuple]] = defaultdict(list)
    if grouped:
        for row in rows:
            groups[row[0]].append(row)
    out["groups"] = [
        {"owner": owner, **body(groups[owner])}
        for owner in sorted(groups, key=lambda o: (o is None, o or ""))
    ]
    return out


def _add(target: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    target[currency] = target.get(currency, Decimal(0)) + amount


# ---------------------------------------------------------------- periods


def period_start(day: date, unit: str) -> date:
    """The first day of the week (Monday), month or quarter holding `day`."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def shift_period(start: date, unit: str, count: int) -> date:
    """The start of the period `count` periods after the one starting on `start`."""
    if unit == "week":
        return start + timedelta(weeks=count)
    months = count * (3 if unit == "quarter" else 1)
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    return date(year, month + 1, 1)


def period_label(start: date, unit: str) -> str:
    """`2026-W47`, `2026-11` or `2026-Q4`."""
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"


def period_days(since: datetime, until: datetime, unit: str) -> list[date]:
    """Starts of the periods covering local [since, until), oldest first."""
    first = period_start(since.date(), unit)
    out = [first]
    while (nxt := shift_period(out[-1], unit, 1)) < until.date() or (
        nxt == until.date() and local_at(nxt, until.tzinfo) < until
    ):
        out.append(nxt)
    return out


def _bounds(days: Sequence[date], since: datetime, until: datetime) -> list[datetime]:
    """Instants cutting [since, until) at local period starts: first and last clipped."""
    tz = until.tzinfo
    inner = [local_at(d, tz) for d in days[1:]]
    return [since, *(b for b in inner if since < b < until), until]


# ---------------------------------------------------------------- pipeline


def _pipeline_stages(rows: Sequence[tuple], stages: Sequence[dict]) -> list[dict[str, Any]]:
    """Per stage: count, totals and weighted per currency, average days in the stage (open)."""
    per: dict[str, list[tuple]] = defaultdict(list)
    for _, stage, cur, count, total, weighted, seconds in rows:
        per[stage].append((cur, count, total, weighted, seconds))
    out = []
    for st in stages:
        mine = per.get(st["name"], [])
        count = sum(r[1] for r in mine)
        out.append(
            {
                "stage": st["name"],
                "probability": st["probability"],
                "count": count,
                "counts": {cur: n for cur, n, _, _, _ in mine},
                "totals": {cur: _major(total, cur) for cur, _, total, _, _ in mine},
                "weighted": {cur: _weighted(weighted, cur) for cur, _, _, weighted, _ in mine},
                "avg_age_days": None if st["name"] in OPEN_ENDED else _days(sum(r[4] for r in mine), count),
            }
        )
    return out


def pipeline(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Where the open deals are: per stage count, value, weighted value and age, per currency.

    Open stages hold the deals open now (whatever --since says); `won` and `lost` hold
    the deals closed in [since, until) — all of them without bounds. `avg_age_days` is
    the mean time open deals have spent in their current stage. `open` sums the open
    stages (the dashboard's "open pipeline" and "weighted forecast").
    """
    grouped = _check_by(by)
    _check_window(since, until)
    stages = store.stages()
    rows = sql.pipeline_rows(store, now, since=since, until=until, by_owner=grouped)

    def body(part: Sequence[tuple]) -> dict[str, Any]:
        per_stage = _pipeline_stages(part, stages)
        return {"stages": per_stage, "open": open_totals(per_stage)}

    return {**_envelope("pipeline", now, since, until, by), **_grouped(rows, body, grouped)}


# ---------------------------------------------------------------- forecast


def forecast(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    period: str = "month",
    back: int = 6,
    ahead: int = 6,
) -> dict[str, Any]:
    """Weighted open value by period of expected close, next to what was won per period.

    Periods are local months or quarters from `since` to `until` (default: `back` periods
    before the current one to `ahead` after it). Past periods show what was won in them;
    current and future ones what open deals are expected to bring (value × probability).
    Open deals whose close date has passed are `overdue`, those without one `undated`,
    those beyond the last period `later` (before the first: `earlier`): the expected parts
    always add up to the open pipeline.
    """
    grouped = _check_by(by)
    unit = _check_unit(period, ("month", "quarter"))
    _check_window(since, until)
    current = period_start(now.date(), unit)
    since = since or local_at(shift_period(current, unit, -back), now.tzinfo)
    until = until or local_at(shift_period(current, unit, ahead + 1), now.tzinfo)
    _check_window(since, until)  # one bound given, the other by default, may still cross
    days = period_days(since, until, unit)
    bounds = _bounds(days, since, until)
    won = sql.won_rows_in_buckets(store, bounds, by_owner=grouped)
    expected = sql.open_by_close_month(store, now.date().isoformat(), by_owner=grouped)
    labels = [period_label(d, unit) for d in days]
    first_month, end_month = f"{days[0]:%Y-%m}", f"{shift_period(days[-1], unit, 1):%Y-%m}"
    rows = [(grp, "won", bucket, cur, n, total, 0) for grp, bucket, cur, n, total in won]
    rows += [(grp, "open", *rest) for grp, *rest in expected]

    def where(month: str) -> str:
        """The label of the period a close month falls in, or overdue/undated/earlier/later."""
        if month in ("overdue", "undated"):
            return month
        if month < first_month:
            return "earlier"
        if month >= end_month:
            return "later"
        return period_label(period_start(date.fromisoformat(month + "-01"), unit), unit)

    def body(part: Sequence[tuple]) -> dict[str, Any]:
        periods: dict[str, dict[str, Any]] = {
            label: {"period": label, "start": day.isoformat(), "past": day < current,
                    "won": {"count": 0, "totals": {}},
                    "expected": {"count": 0, "totals": {}, "weighted": {}}}
            for label, day in zip(labels, days)
        }  # fmt: skip
        extra: dict[str, dict[str, Any]] = {
            k: {"count": 0, "totals": {}, "weighted": {}} for k in ("overdue", "undated", "earlier", "later")
        }
        for _, kind, bucket, cur, count, total, weighted in part:
            if kind == "won":
                cell = periods[labels[bucket]]["won"]
                cell["count"] += count
                _add(cell["totals"], cur, _major(total, cur))
                continue
            key = where(bucket)
            cell = extra[key] if key in extra else periods[key]["expected"]
            cell["count"] += count
            _add(cell["totals"], cur, _major(total, cur))
            _add(cell["weighted"], cur, _weighted(weighted, cur))
        return {"period": unit, "periods": list(periods.values()), **extra}

    return {**_envelope("forecast", now, since, until, by), **_grouped(rows, body, grouped)}


# ---------------------------------------------------------------- funnel


def funnel(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """How far the deals created in [since, until) got, and why the others were lost.

    A deal reached a stage when its stage history went there or further (stages in their
    configured order; every deal reached the first; a won deal reached them all).
    `conversion` is the share of those that reached a stage that reached the next (the
    last open stage's next is `won`). Win rate: won / (won + lost). Sales cycle: mean days
    from creation to won. Lost deals are ranked by reason and counted at the stage they
    were in when lost (`unknown` when their history does not say).
    """
    grouped = _check_by(by)
    _check_window(since, until)
    stages = [s for s in store.stages() if s["name"] not in OPEN_ENDED]
    position = {s["name"]: i for i, s in enumerate(stages)}
    window: dict[str, Any] = {"since": since, "until": until, "by_owner": grouped}
    rows = [(grp, "deal", *r) for grp, *r in sql.funnel_rows(store, **window)]
    rows += [(grp, "lost", *r) for grp, *r in sql.lost_rows(store, **window)]

    def body(part: Sequence[tuple]) -> dict[str, Any]:
        reached = dict.fromkeys([*position, "won"], 0)
        status = {"open": 0, "won": 0, "lost": 0}
        totals: dict[str, dict[str, Decimal]] = {"open": {}, "won": {}, "lost": {}}
        reasons: dict[str, int] = defaultdict(int)
        lost_at: dict[str, int] = defaultdict(int)
        cycle = 0
        for _, kind, *row in part:
            if kind == "lost":
                lost_from, reason, count = row
                reasons[reason or "(no reason)"] += count
                lost_at[lost_from if lost_from in position else "unknown"] += count
                continue
            st, furthest, cur, count, value, seconds = row
            status[st] += count
            _add(totals[st], cur, _major(value, cur))
            if st == "won":  # a won deal went through every stage
                for name in reached:
                    reached[name] += count
                cycle += seconds
                continue
            far = position.get(furthest, 0)  # open or lost: this far (None, unknown: the first)
            for name, pos in position.items():
                if pos <= far:
                    reached[name] += count
        names = [*position, "won"]
        return {
            "deals": sum(status.values()),
            **status,
            "totals": totals,
            "stages": [
                {
                    "stage": name,
                    "reached": reached[name],
                    "conversion": rate(reached[names[i + 1]], reached[name]) if i + 1 < len(names) else None,
                }
                for i, name in enumerate(names)
            ],  # fmt: skip
            "win_rate": rate(status["won"], status["won"] + status["lost"]),
            "avg_cycle_days": _days(cycle, status["won"]),
            "lost_reasons": [
                {"reason": r, "count": n} for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "lost_at": [
                {"stage": name, "count": lost_at[name]}
                for name in [*position, "unknown"]
                if lost_at.get(name)
            ],
        }

    return {**_envelope("funnel", now, since, until, by), **_grouped(rows, body, grouped)}


# ---------------------------------------------------------------- activity


def activity(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    period: str = "week",
    periods: int = 4,
) -> dict[str, Any]:
    """What the team did: interactions per kind and period, contacts touched, follow-ups, deal moves.

    The window defaults to the last `periods` local weeks (or months, quarters), this one
    included, up to now. `by="owner"` groups by who logged the interaction, who owns the
    follow-up and who moved the deal. A follow-up (a reminder made by `log --next`) due in
    the window is on time when done by the end of its due day (or its time), late when
    done after, overdue when still open past it, pending when not yet due.
    """
    grouped = _check_by(by)
    unit = _check_unit(period)
    _check_window(since, until)
    until = until or now
    since = since or local_at(shift_period(period_start(until.date(), unit), unit, 1 - periods), until.tzinfo)
    _check_window(since, until)
    days = period_days(since, until, unit)
    bounds = _bounds(days, since, until)
    labels = [(period_label(d, unit), d) for d in days]
    users = sql.interaction_users(store, since, until) if grouped else None
    who: dict[str, Any] = {"by_owner": grouped, "users": users}
    rows = [(grp, "i", *r) for grp, *r in sql.interaction_rows(store, bounds, **who)]
    rows += [(grp, "t", *r) for grp, *r in sql.contacts_touched(store, since, until, **who)]
    rows += [(grp, "f", *r) for grp, *r in sql.followup_rows(store, since, until, now, by_owner=grouped)]
    rows += [(grp, "m", *r) for grp, *r in sql.stage_move_rows(store, since, until, by_owner=grouped)]
    touched_all = sum(n for _, n in sql.contacts_touched(store, since, until)) if grouped else None

    def body(part: Sequence[tuple]) -> dict[str, Any]:
        per = [{"period": label, "start": day.isoformat(), "counts": {}, "total": 0} for label, day in labels]
        kinds: dict[str, int] = defaultdict(int)
        touched = 0
        follow = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}
        moved: dict[str, int] = defaultdict(int)
        for _, kind, *rest in part:
            if kind == "i":
                bucket, what, count = rest
                cell = per[bucket]
                cell["counts"][what] = cell["counts"].get(what, 0) + count
                cell["total"] += count
                kinds[what] += count
            elif kind == "t":
                touched += rest[0]
            elif kind == "f":
                for key, count in zip(follow, rest):
                    follow[key] += count
            else:
                moved[rest[0]] += rest[1]
        done = follow["on_time"] + follow["late"]
        return {
            "period": unit,
            "periods": per,
            "interactions": sum(kinds.values()),
            "kinds": dict(sorted(kinds.items())),
            "contacts_touched": touched,
            "followups": {**follow, "on_time_rate": rate(follow["on_time"], done + follow["overdue"])},
            "deals_moved": {"count": sum(moved.values()), "by_stage": dict(sorted(moved.items()))},
        }

    out = _grouped(rows, body, grouped)
    if touched_all is not None:
        out["contacts_touched"] = touched_all  # a contact two people called counts once
    return {**_envelope("activity", now, since, until, by), **out}


# ---------------------------------------------------------------- lifecycle

LIFECYCLE_STAGES = ("lead", "new", "repeat", "active", "at_risk", "churned")
AT_RISK_DAYS = 90
CHURN_DAYS = 180
LIFECYCLE_DAYS = 30


def lifecycle(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    at_risk_days: int = AT_RISK_DAYS,
    churn_days: int = CHURN_DAYS,
) -> dict[str, Any]:
    """Customers by lifecycle stage, and the period's new, first-purchase, repeat and churn figures.

    The period is [since, until), by default the last 30 days. Each live contact is in
    the first of these stages that holds:

      lead      no deal won before the end of the period
      churned   a customer with no interaction and no deal change in the last
                CHURN_DAYS (180) days
      at_risk   a customer past its keep-in-touch cadence, or with no interaction in
                the last AT_RISK_DAYS (90) days
      new       first deal won in the period
      repeat    two or more deals won
      active    one deal won, before the period

    new_customers: contacts whose first won deal is in the period (at risk or not);
    first_purchase_rate: new_customers / prospects (contacts without a won deal at the
    period's start); repeat_purchase_rate: customers with two or more won deals /
    customers; churn_rate: churned / customers. Cadence and last interaction are as of
    now (they are stored per contact); won deals as of the period's end.
    """
    grouped = _check_by(by)
    _check_window(since, until)
    if at_risk_days < 1 or churn_days < 1:
        raise UsageError("lifecycle day counts must be at least 1")
    until = until or now
    since = since or until - timedelta(days=LIFECYCLE_DAYS)
    _check_window(since, until)
    rows = sql.lifecycle_rows(
        store, since=since, until=until, now=now, by_owner=grouped,
        at_risk_before=now - timedelta(days=at_risk_days),
        churned_before=now - timedelta(days=churn_days),
    )  # fmt: skip

    def body(part: Sequence[tuple]) -> dict[str, Any]:
        stages = dict.fromkeys(LIFECYCLE_STAGES, 0)
        contacts = new = repeat = 0
        for _, stage, count, is_new, two_plus in part:
            if stage == "contacts":
                contacts += count
                continue
            stages[stage] += count
            new += is_new
            repeat += two_plus
        customers = sum(stages.values())
        stages["lead"] = contacts - customers
        prospects = stages["lead"] + new  # no won deal at the period's start
        return {
            "stages": stages,
            "contacts": contacts,
            "customers": customers,
            "new_customers": new,
            "prospects": prospects,
            "first_purchase_rate": rate(new, prospects),
            "repeat_purchase_rate": rate(repeat, customers),
            "churn_rate": rate(stages["churned"], customers),
        }

    out = {**_envelope("lifecycle", now, since, until, by), **_grouped(rows, body, grouped)}
    out["definitions"] = {"at_risk_days": at_risk_days, "churn_days": churn_days}
    return out


# ---------------------------------------------------------------- RFM

RFM_DAYS = 90
# (segment, R scores, F scores), tried in order: the usual RF grid of RFM analysis
RFM_SEGMENTS: tuple[tuple[str, str, str], ...] = (
    ("champions", "5", "45"),
    ("loyal", "34", "45"),
    ("cant_lose", "12", "5"),
    ("at_risk", "12", "34"),
    ("hibernating", "12", "12"),
    ("about_to_sleep", "3", "12"),
    ("need_attention", "3", "3"),
    ("potential_loyalists", "45", "23"),
    ("promising", "4", "1"),
    ("new_customers", "5", "1"),
)


def quintiles(values: dict[int, Any]) -> dict[int, int]:
    """A 1–5 score per key: its value's rank among all (higher is better; ties share a score)."""
    score = _value_scores(list(values.values()))
    return {key: score[value] for key, value in values.items()}


def _value_scores(values: list[Any]) -> dict[Any, int]:
    """`quintiles` per distinct value: the score every key holding that value gets."""
    ordered = sorted(values)
    n = len(ordered)
    # the first index of each value: built backwards, the lowest index of a tie is written last
    first: dict[Any, int] = dict(zip(reversed(ordered), range(n - 1, -1, -1)))
    return {value: 1 + 5 * index // n for value, index in first.items()}


_SEGMENT_OF = {
    (r, f): next(name for name, rs, fs in RFM_SEGMENTS if str(r) in rs and str(f) in fs)
    for r in range(1, 6)
    for f in range(1, 6)
}  # the grid covers all 5 × 5 cells (else this fails at import)


def rfm_segment(r: int, f: int) -> str:
    """The segment of a customer's recency and frequency scores."""
    return _SEGMENT_OF[r, f]


def rfm(
    store: Store,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    top: int = 10,
    listed: int | None = None,
) -> dict[str, Any]:
    """Customers scored by recency, frequency and money of their won deals, in segments.

    As of `until` (default now), from deals won before it. R: days since the last won
    deal; F: number of won deals; M: value won — scored 1–5 by quintile over all
    customers (M within each currency, a customer taking its best currency's score, so
    no currencies are mixed). Segments follow the usual R×F grid (`RFM_SEGMENTS`).
    `lifetime_value` is everything a customer has won, per currency. `changes` lists per
    currency the `top` customers whose won value rose or fell most between the period
    [since, until) (default the last 90 days) and the one as long before it. Each
    segment lists its customers best first (score, then name); `listed` keeps the first
    `listed` of them (its `count` is still all), None lists every one (as `--json` does).
    """
    grouped = _check_by(by)
    _check_window(since, until)
    until = until or now
    since = since or until - timedelta(days=RFM_DAYS)
    _check_window(since, until)
    # per customer: days since its last won deal, won deals, value per currency, from one
    # row per customer and currency; the names and owners only of the customers listed,
    # unless every customer is listed or grouped by owner (then with the rows)
    every_name = listed is None  # else only the listed customers' names are read, at the end
    # grouped by owner in a book whose contacts all have one owner, that is every customer's
    sole = sql.contact_owners(store) if grouped and not every_name else []
    owner_rows = every_name or grouped and len(sole) != 1  # else no contact row is read for owners
    who: dict[int, tuple[str, str | None]] = {}  # id: (name, owner)
    recency: dict[int, int] = {}
    frequency: dict[int, int] = {}
    money: dict[str, dict[int, int]] = defaultdict(dict)
    # per currency and way ("up", "down"): (−size of the change, id, before, after)
    Moves = dict[str, dict[str, list[tuple[int, int, int, int]]]]
    changed: Moves = defaultdict(lambda: {"up": [], "down": []})
    rows = sql.rfm_rows(
        store, since=since, until=until, previous=since - (until - since),
        names=every_name, owners=owner_rows,
    )  # fmt: skip
    for cid, name, owner, cur, wins, value, days, now_value, before_value in rows:
        if cid in frequency:
            frequency[cid] += wins
            if days < recency[cid]:
                recency[cid] = days
        else:
            frequency[cid], recency[cid] = wins, days
            if owner_rows:
                who[cid] = (name, owner)
        money[cur][cid] = value
        if now_value > before_value:
            changed[cur]["up"].append((before_value - now_value, cid, before_value, now_value))
        elif now_value < before_value:
            changed[cur]["down"].append((now_value - before_value, cid, before_value, now_value))
    # scores per distinct value (a few hundred), not per customer: `quintiles` without its dicts
    r_of = _value_scores([-days for days in recency.values()])
    f_of = _value_scores(list(frequency.values()))
    m_score = dict.fromkeys(frequency, 0)
    for values in money.values():
        m_of = _value_scores(list(values.values()))
        for cid, value in values.items():
            if m_of[value] > m_score[cid]:
                m_score[cid] = m_of[value]
    segment_of: dict[int, str] = {}
    rank: dict[int, int] = {}  # −(R + F + M): best first
    for cid, days in recency.items():
        r, f = r_of[-days], f_of[frequency[cid]]
        segment_of[cid] = _SEGMENT_OF[r, f]
        rank[cid] = -(r + f + m_score[cid])
    currencies = sorted(money)

    def firsts(items: list[Any], keys: list[int], count: int | None, id_of: Any) -> list[Any]:
        """The items with the `count` smallest keys; of those tied at the edge, the first by name.

        Without the names at hand, SQLite sorts the tied ones by name (there may be a
        thousand), so that Python makes the strings of the listed customers only.
        """
        if count is None or len(items) <= count:
            return items
        edge = sorted(keys)[count - 1]
        sure = [item for item, key in zip(items, keys) if key < edge]
        tied = {id_of(item): item for item, key in zip(items, keys) if key == edge}
        need = count - len(sure)
        if every_name:
            return sure + sorted(tied.values(), key=lambda item: (who[id_of(item)][0], id_of(item)))[:need]
        return sure + [tied[cid] for cid in sql.first_by_name(store, list(tied), need)]

    def candidates(ids: list[int]) -> tuple[dict[str, list[int]], dict[str, int], Moves]:
        """A part's segment members and risers and fallers to list (all of them, or the first few)."""
        members: dict[str, list[int]] = {name: [] for name, _, _ in RFM_SEGMENTS}
        for cid in ids:
            members[segment_of[cid]].append(cid)
        mine = set(ids) if len(ids) != len(frequency) else None
        moves: Moves = {}
        for cur in currencies:
            ways = {way: [c for c in found if mine is None or c[1] in mine]
                    for way, found in changed.get(cur, {}).items()}  # fmt: skip
            if any(ways.values()):
                moves[cur] = {way: firsts(found, [c[0] for c in found], top, itemgetter(1))
                              for way, found in ways.items()}  # fmt: skip
        chosen = {name: firsts(m, list(map(rank.__getitem__, m)), listed, int) for name, m in members.items()}
        return chosen, {name: len(m) for name, m in members.items()}, moves

    parts: list[tuple[Any, list[int]]] = [(None, list(frequency))]
    if grouped:
        owned: dict[str | None, list[int]] = defaultdict(list)
        if owner_rows:
            for cid in frequency:
                owned[who[cid][1]].append(cid)
        elif frequency:
            owned[sole[0]] = list(frequency)
        parts += [(owner, owned[owner]) for owner in sorted(owned, key=lambda o: (o is None, o or ""))]
    picked: list[tuple[Any, ...]] = []
    for owner, ids in parts:  # one owner holding every customer has the whole book's lists
        whole = bool(picked) and len(ids) == len(frequency)
        picked.append((owner, ids, *(picked[0][2:] if whole else candidates(ids))))
    if not every_name:
        wanted = {cid for _, _, chosen, _, _ in picked for ids in chosen.values() for cid in ids}
        wanted |= {c[1] for *_, moves in picked for ways in moves.values()
                   for way in ways.values() for c in way}  # fmt: skip
        who = sql.customer_names(store, sorted(wanted))
    records: dict[int, dict[str, Any]] = {}
    # `_major` without its look-up per value: (currency, its customers' values, its exponent)
    scales = [(cur, money[cur], -minor_units(cur)) for cur in currencies]

    def record(cid: int) -> dict[str, Any]:
        """A customer as the report lists it, made once however many lists it is in."""
        if cid not in records:
            r, f, m = r_of[-recency[cid]], f_of[frequency[cid]], m_score[cid]
            name, owner = who[cid]
            records[cid] = {
                "id": cid, "name": name, "owner": owner, "recency_days": recency[cid],
                "frequency": frequency[cid], "lifetime_value": {
                    cur: Decimal(values[cid]).scaleb(exp) for cur, values, exp in scales if cid in values},
                "r": r, "f": f, "m": m, "score": f"{r}{f}{m}", "segment": segment_of[cid],
            }  # fmt: skip
        return records[cid]

    def body(
        ids: list[int], chosen: dict[str, list[int]], counts: dict[str, int], moves: Moves
    ) -> dict[str, Any]:
        segments = [
            {"segment": name, "count": counts[name],
             "customers": [record(c) for c in sorted(m, key=lambda c: (rank[c], who[c][0], c))[:listed]]}
            for name, m in chosen.items()
        ]  # fmt: skip
        changes = {
            cur: {
                way: [_move((0, who[c][0], c, before, after), cur) for _, c, before, after
                      in sorted(found, key=lambda m: (m[0], who[m[1]][0], m[1]))[:top]]
                for way, found in ways.items()
            }
            for cur, ways in moves.items()
        }  # fmt: skip
        return {"customers": len(ids), "segments": segments, "changes": changes}

    (_, everyone, *lists), *groups = picked
    out = body(everyone, *lists)
    out["groups"] = [{"owner": owner, **body(ids, *rest)} for owner, ids, *rest in groups]
    return {**_envelope("rfm", now, since, until, by), **out}


def _move(move: tuple[int, str, int, int, int], cur: str) -> dict[str, Any]:
    """A customer whose won value changed, as the report lists it (exact money only here)."""
    _, name, cid, before, after = move
    return {
        "id": cid,
        "name": name,
        "previous": _major(before, cur),
        "current": _major(after, cur),
        "change": _major(after - before, cur),
    }


# ---------------------------------------------------------------- health
# the score is pure (tinycrm.health); reading and storing it is the store's (tinycrm.store.health)
