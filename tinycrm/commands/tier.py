"""`tinycrm tier …`: A/B/C classification by rules (`tinycrm.tiers`, stored by `tinycrm.store.tiers`)."""

from __future__ import annotations

from ..output import emit_json, emit_table, safe
from ._common import State, echo, filter_words, reads, writing

APPLY_SHOWN = 20


def _rules_json(rules: list) -> list[dict]:
    return [{"position": i, "name": r.name, "filter": r.filter} for i, r in enumerate(rules, 1)]


def _print_rules(rules: list) -> None:
    if not rules:
        echo('no tier rules yet (tinycrm tier set A "won>=50000 OR deals>=5")')
        return
    emit_table(_rules_json(rules), [("position", "#"), ("name", "Tier"), ("filter", "Filter")])


def set_(state: State, *, name: str, filter_: list[str], position: int | None, as_json: bool) -> None:
    """`tier set NAME FILTER`: add or replace a rule (the filter is checked before it is kept)."""
    from ..store.tiers import set_tier

    store = state.store()
    with writing(store, f"tier set {name}"):
        rules = set_tier(store, name, filter_words(filter_), position=position)
        if as_json:
            emit_json(_rules_json(rules))
        else:
            _print_rules(rules)


@reads
def list_(state: State, *, as_json: bool) -> None:
    """`tier list`: the rules in the order they are tried."""
    from ..store.tiers import tier_rules

    rules = tier_rules(state.store())
    if as_json:
        emit_json(_rules_json(rules))
    else:
        _print_rules(rules)


def rm(state: State, *, name: str, as_json: bool) -> None:
    """`tier rm NAME`: drop a rule; contacts keep their tier until the next `tier apply`."""
    from ..store.tiers import remove_tier

    store = state.store()
    with writing(store, f"tier rm {name}"):
        rules = remove_tier(store, name)
        if as_json:
            emit_json(_rules_json(rules))
        else:
            echo(f"removed tier {safe(name)}; contacts keep their tier until `tinycrm tier apply`")


def apply(state: State, *, dry_run: bool, as_json: bool) -> None:
    """`tier apply`: give every contact the first tier it matches (one undo step)."""
    from ..store.tiers import apply_tiers, tier_rules

    store = state.store()
    with writing(store, "tier apply"):
        if not tier_rules(store):
            if as_json:
                emit_json([])
            else:
                echo('no tier rules yet: nothing to apply (tinycrm tier set A "won>=50000 OR deals>=5")')
            return
        changes = apply_tiers(store, dry_run=dry_run)
        if as_json:
            emit_json([{"contact_id": c.contact_id, "old": c.old, "new": c.new} for c in changes])
            return
        verb = "would change" if dry_run else "changed"
        if not changes:
            echo("every contact already has its tier: nothing to change")
            return
        rows = []
        for change in changes[:APPLY_SHOWN]:
            contact = store.get_contact(change.contact_id)
            rows.append(
                {
                    "id": change.contact_id,
                    "name": contact["name"],
                    "old": change.old or "-",
                    "new": change.new or "-",
                }
            )
        emit_table(rows, [("id", "ID"), ("name", "Name"), ("old", "Was"), ("new", "Now")])
        more = len(changes) - len(rows)
        echo(
            f"{verb} {len(changes)} contact{'s' if len(changes) != 1 else ''}"
            + (f" ({more} not listed)" if more else "")
            + ("" if dry_run else "; `tinycrm undo` takes it back")
        )
