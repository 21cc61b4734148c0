"""A small team on one host: my customers, the shared pool (公海), hand-over and targets.

Owner scopes are a convenience between people who trust each other, not security: anyone
who can open the file can read it. Every move of a customer is a change in history.

The pool's rule: a customer whose owner has logged nothing with them for `days` days (or
the days of their tier) returns to the pool, and `due` warns `warn` days before; the owner
who gave a customer back (or lost it to the rule) may not claim it again for `cooldown`
days; nobody claims more than `max_claims` customers a day.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .. import validate
from ..dates import local_at, parse_utc, utc_iso
from ..errors import Conflict, InvalidData
from ..money import format_amount, parse_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact
    from ..store import Store

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|[Qq]([1-4])))?$")


def claim(store: Store, ref: str, *, now_local: datetime) -> Contact:
    """Take a customer from the pool, within the rule's cool-down and daily claim limit."""
    rule = store.pool_rule() or {}
    with store.write("contact claim") as unit:
        contact = store.resolve(ref)
        unit.name(f"contact claim {contact['name']}")
        if contact["owner"] == store.user:
            raise Conflict(f"{contact['name']} is already yours")
        if contact["owner"]:
            raise Conflict(
                f"{contact['name']} belongs to {contact['owner']}: only a customer in the pool can be claimed"
            )
        cooldown = int(rule.get("cooldown") or 0)
        if cooldown:
            for change in store.owner_changes(contact["id"], since=now_local - timedelta(days=cooldown)):
                back = parse_utc(change["at"]) + timedelta(days=cooldown)
                if change["before"] == store.user and change["after"] is None and back > now_local:
                    how = (  # the rule took it back, or the user gave it back
                        f"{contact['name']} returned to the pool from you"
                        if (change["command"] or "").startswith("pool return")
                        else f"you gave {contact['name']} back"
                    )
                    raise Conflict(
                        f"{how} on {change['at'][:10]}; you may claim them again"
                        f" from {back.astimezone(now_local.tzinfo):%Y-%m-%d} (cool-down {cooldown} days)"
                    )
        limit = rule.get("max_claims")
        if limit:
            midnight = local_at(now_local.date(), now_local.tzinfo)
            today = store.owner_changes(since=midnight, user=store.user, command="contact claim")
            if len(today) >= int(limit):
                raise Conflict(
                    f"you have claimed {len(today)} customers today, the most the pool allows ({limit})"
                )
        return store.set_owner(contact["id"], store.user, unit.command)


def release(store: Store, ref: str) -> Contact:
    """Give one of my customers back to the pool."""
    with store.write("contact release") as unit:
        contact = store.resolve(ref)
        unit.name(f"contact release {contact['name']}")
        if contact["owner"] != store.user:
            who = contact["owner"] or "nobody (it is in the pool)"
            raise Conflict(f"{contact['name']} belongs to {who}, not to you ({store.user})")
        return store.set_owner(contact["id"], None, unit.command)


def set_rule(
    store: Store,
    *,
    days: int | None = None,
    tier: str | None = None,
    warn: int | None = None,
    cooldown: int | None = None,
    max_claims: int | None = None,
    off: bool = False,
) -> dict[str, Any] | None:
    """Change the pool's rule (only what is given); `--tier T --days N` sets that tier's days."""
    if off:
        store.set_pool_rule(None)
        return None
    for name, value in (("days", days), ("warn", warn), ("cooldown", cooldown), ("max-claims", max_claims)):
        if value is not None and not 0 <= value <= 3650:
            raise InvalidData(f"--{name} must be from 0 to 3650")
    rule = store.pool_rule() or {}
    if tier is not None:
        if days is None:
            raise InvalidData("--tier needs --days: how many idle days return that tier's customers")
        rule.setdefault("tiers", {})[tier] = days
    elif days is not None:
        rule["days"] = days
    for key, value in (("warn", warn), ("cooldown", cooldown), ("max_claims", max_claims)):
        if value is not None:
            rule[key] = value
    store.set_pool_rule(rule)
    return rule


def _limit(rule: dict[str, Any], tier: str | None) -> int | None:
    tiers = rule.get("tiers") or {}
    if tier and tier in tiers:
        return int(tiers[tier])
    return int(rule["days"]) if rule.get("days") else None


def _idle(store: Store, rule: dict[str, Any], now_local: datetime, ahead: int) -> list[dict[str, Any]]:
    """Owned customers idle past their limit `ahead` days from now, with that limit and the day they go."""
    limits = [int(d) for d in (rule.get("tiers") or {}).values()]
    if rule.get("days"):
        limits.append(int(rule["days"]))
    if not limits:
        return []
    horizon = now_local + timedelta(days=ahead)
    out = []
    for row in store.idle_owned(utc_iso(horizon - timedelta(days=min(limits)))):
        limit = _limit(rule, row["tier"])
        if limit is None:
            continue
        since = parse_utc(row["since"])
        goes = since + timedelta(days=limit)
        if goes <= horizon:
            out.append({**row, "limit": limit, "returns_at": utc_iso(goes)})
    return out


def apply_rule(store: Store, *, now_local: datetime) -> list[dict[str, Any]]:
    """Return every customer idle past its limit to the pool (run by `due` and cron); what moved."""
    rule = store.pool_rule()
    if not rule:
        return []
    moved = []
    with store.write("pool return", named=True):
        for row in _idle(store, rule, now_local, 0):
            why = f"pool return {row['name']} (idle {row['limit']} days, was {row['owner']})"
            store.set_owner(row["id"], None, why)
            moved.append(row)
    return moved


def warnings(store: Store, *, now_local: datetime, user: str | None = None) -> list[dict[str, Any]]:
    """Customers that return to the pool within the rule's warning days (of `user`, or everyone's)."""
    rule = store.pool_rule()
    if not rule or not rule.get("warn"):
        return []
    rows = _idle(store, rule, now_local, int(rule["warn"]))
    return [r for r in rows if user is None or r["owner"] == user]


def reassign(store: Store, old: str, new: str, filter_text: str = "") -> dict[str, Any]:
    """Hand `old`'s customers (matching the filter) and their open deals and reminders to `new`."""
    if not new.strip() or old == new:
        raise InvalidData("--to must name another person")
    with store.write(f"contact reassign {old} → {new}", named=True):
        contacts = [c for c in store.list_contacts(filter_text) if c["owner"] == old]
        moved = store.reassign(old, new, [c["id"] for c in contacts], f"contact reassign {old} → {new}")
    return {"from": old, "to": new, **moved, "names": [c["name"] for c in contacts]}


def period_bounds(period: str, now_local: datetime) -> tuple[datetime, datetime]:
    """`2026-12`, `2026-Q4` or `2026` as [start, end) in the user's time zone."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise InvalidData(
            f"invalid period '{period}': use a month (2026-12), a quarter (2026-Q4) or a year (2026)"
        )
    year = int(match.group(1))
    if not 1900 <= year <= 2199:
        raise InvalidData(f"invalid period '{period}': use a year from 1900 to 2199")
    if match.group(2):
        first, months = int(match.group(2)), 1
    elif match.group(3):
        first, months = 3 * int(match.group(3)) - 2, 3
    else:
        first, months = 1, 12
    last = first + months
    tz = now_local.tzinfo
    start = datetime(year, first, 1, tzinfo=tz)
    end = datetime(year + (last - 1) // 12, (last - 1) % 12 + 1, 1, tzinfo=tz)
    return start, end


def canonical_period(period: str, now_local: datetime) -> str:
    """A period as it is stored: `2026-12`, `2026-Q4`, `2026`."""
    period_bounds(period, now_local)
    return period.strip().upper()


def set_target(
    store: Store, user: str, period: str, amount: str, currency: str | None, *, now_local: datetime
) -> dict[str, Any]:
    """A sales target: won value `amount` in `currency` for `user` in `period`."""
    code = validate.currency(currency or store.setting("currency", "USD") or "USD")
    key = canonical_period(period, now_local)
    minor = parse_amount(amount, code)
    store.set_target(user, key, code, minor)
    return {"user": user, "period": key, "currency": code, "target": format_amount(minor, code)}


def attainment(store: Store, period: str, *, now_local: datetime) -> dict[str, Any]:
    """Won value against target per person and currency in a period, and the team's total."""
    key = canonical_period(period, now_local)
    start, end = period_bounds(key, now_local)
    won = {
        (owner, cur): (count, value)
        for owner, cur, count, value in store.won_by_owner(utc_iso(start), utc_iso(end))
    }
    targets = {(t["user"], t["currency"]): t["amount_minor"] for t in store.targets(key)}
    rows: list[dict[str, Any]] = []
    for owner, cur in sorted(set(won) | set(targets)):
        count, value = won.get((owner, cur), (0, 0))
        target = targets.get((owner, cur))
        rows.append({
            "user": owner or None, "currency": cur, "deals": count, "won": format_amount(value, cur),
            "target": format_amount(target, cur) if target is not None else None,
            "percent": round(100 * value / target, 1) if target else None,
            "won_minor": value, "target_minor": target,
        })
    team: dict[str, dict[str, int]] = {}
    for row in rows:
        total = team.setdefault(row["currency"], {"won": 0, "target": 0})
        total["won"] += row["won_minor"]
        total["target"] += row["target_minor"] or 0
    return {
        "period": key, "start": utc_iso(start), "end": utc_iso(end), "people": rows,
        "team": [
            {"currency": cur, "won": format_amount(t["won"], cur),
             "target": format_amount(t["target"], cur) if t["target"] else None,
             "percent": round(100 * t["won"] / t["target"], 1) if t["target"] else None}
            for cur, t in sorted(team.items())
        ],
    }
