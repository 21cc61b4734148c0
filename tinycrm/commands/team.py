"""`tinycrm pool …`, `target set`, `share`: a small team on one host (`tinycrm.services.team`)."""

from __future__ import annotations

from ..errors import UsageError
from ..output import emit_json, emit_table, safe
from ._common import State, echo, local_text, reads, writing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def rule_words(rule: dict[str, Any] | None) -> str:
    """The pool's rule as a sentence a colleague reads."""
    if not rule:
        return "no pool rule: customers stay with their owners until released"
    parts = []
    tiers = rule.get("tiers") or {}
    per_tier = ", ".join(f"tier {t}: {_days(int(d))}" for t, d in sorted(tiers.items()))
    if rule.get("days"):
        parts.append(
            f"a customer whose owner logs nothing with them for {_days(int(rule['days']))}"
            + (f" ({per_tier})" if per_tier else "")
            + " returns to the pool"
        )
    elif per_tier:
        parts.append(f"idle customers of these tiers return to the pool: {per_tier}")
    else:
        parts.append("no customer returns to the pool by itself (no --days)")
    if rule.get("warn"):
        parts.append(f"their owner is warned {_days(int(rule['warn']))} before")
    if rule.get("cooldown"):
        parts.append(f"the previous owner may claim them again after {_days(int(rule['cooldown']))}")
    if rule.get("max_claims"):
        parts.append(f"nobody claims more than {rule['max_claims']} a day")
    return "; ".join(parts)


def _say_rule(current: dict[str, Any] | None, as_json: bool) -> None:
    if as_json:
        emit_json(current)
    else:
        echo(safe(rule_words(current)))


def rule(
    state: State,
    *,
    days: int | None,
    tier: str | None,
    warn: int | None,
    cooldown: int | None,
    max_claims: int | None,
    off: bool,
    as_json: bool,
) -> None:
    """`pool rule`: change the pool's rule (only what is given) and say it in words."""
    from ..services.team import set_rule

    store = state.store()
    given = any(v is not None for v in (days, tier, warn, cooldown, max_claims))
    if off and given:
        raise UsageError("--off takes no other option")
    if not given and not off:
        _say_rule(store.pool_rule(), as_json)
        return
    with writing(store, "pool rule"):
        new = set_rule(
            store, days=days, tier=tier, warn=warn, cooldown=cooldown, max_claims=max_claims, off=off
        )
        _say_rule(new, as_json)


@reads
def list_(state: State, *, as_json: bool) -> None:
    """`pool list`: customers without an owner, and those about to return to the pool."""
    from ..services.team import warnings

    store = state.store()
    pool = store.pool()
    coming = warnings(store, now_local=state.local_now())
    if as_json:
        emit_json({"pool": pool, "warnings": coming})
        return
    if pool:
        emit_table(
            [{**c, "last": local_text(c["last_contacted_at"], all_day=True)} for c in pool],
            [("id", "ID"), ("name", "Name"), ("org", "Org"), ("tier", "Tier"), ("last", "Last contact")],
            title=f"The pool ({len(pool)})",
        )
    else:
        echo("the pool is empty: every customer has an owner")
    if coming:
        echo("")
        emit_table(
            [{**w, "returns": local_text(w["returns_at"], all_day=True)} for w in coming],
            [("id", "ID"), ("name", "Name"), ("owner", "Owner"), ("returns", "Returns on")],
            title="Returning to the pool soon",
        )


def apply(state: State, *, as_json: bool) -> None:
    """`pool apply`: return every customer idle past the rule to the pool."""
    from ..services.team import apply_rule

    store = state.store()
    with writing(store, "pool return"):
        moved = apply_rule(store, now_local=state.local_now())
        if as_json:
            emit_json(moved)
        elif not moved:
            echo("nobody returns to the pool today")
        else:
            for row in moved:
                echo(
                    safe(
                        f"{row['name']} (#{row['id']}) back in the pool: {row['owner']} logged nothing for"
                        f" {_days(row['limit'])}"
                    )
                )


def target(state: State, *, user: str, period: str, amount: str, currency: str | None, as_json: bool) -> None:
    """`target set USER PERIOD AMOUNT`: a sales target in one currency."""
    from ..services.team import set_target

    store = state.store()
    with writing(store, f"target set {user} {period}"):
        result = set_target(store, user, period, amount, currency, now_local=state.local_now())
        if as_json:
            emit_json(result)
        else:
            amount = f"{result['currency']} {result['target']}"
            echo(safe(f"target for {result['user']} in {result['period']}: {amount}"))


@reads
def share(state: State, *, group: str | None, off: bool, as_json: bool) -> None:
    """`share --group G` / `share --off`: make the book usable by a Unix group, or owner-only again."""
    from ..store.sharing import share as set_modes

    if (group is None) == (not off):
        raise UsageError("say --group GROUP to share the book, or --off to make it yours alone")
    result = set_modes(state.store().path, None if off else group)
    if as_json:
        emit_json(result)
    elif off:
        echo(f"the book is yours alone again: files {result['mode']}, folder {result['folder_mode']}")
    else:
        echo(
            f"shared with group {group}: files {result['mode']}, folder {result['folder_mode']}"
            f" ({len(result['files'])} paths)"
        )
