"""Tier rules in the `setting` table and their application: the SQL of `tinycrm.tiers`.

The rules are one JSON setting (`tiers`), so their order is one value and no migration
is needed. Applying them is one SELECT whose CASE tries each rule's WHERE (from the one
filter compiler, `Store._contact_where`) in order, then one transaction that writes the
changed tiers, each as a history entry (so `history` shows it and `undo` takes the
whole apply back).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import tiers
from ..tiers import TierChange, TierRule
from .base import chunks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import Store

SETTING = "tiers"


def tier_rules(store: Store) -> list[TierRule]:
    """The rules in the order they are tried."""
    return tiers.from_json(store.setting(SETTING))


def save_tier_rules(store: Store, rules: Sequence[TierRule]) -> None:
    """Store the rules, every filter checked first (a bad one raises FilterError)."""
    for rule in rules:
        store._contact_where(rule.filter)
    store.set_setting(SETTING, tiers.to_json(rules))


def set_tier(store: Store, name: str, filter_text: str, *, position: int | None = None) -> list[TierRule]:
    """`tier set NAME FILTER`: add or replace a rule; returns the rules."""
    rules = tiers.set_rule(tier_rules(store), name, filter_text, position=position)
    save_tier_rules(store, rules)
    return rules


def remove_tier(store: Store, name: str) -> list[TierRule]:
    """`tier rm NAME`: drop a rule (contacts keep their tier until the next apply)."""
    rules = tiers.remove_rule(tier_rules(store), name)
    save_tier_rules(store, rules)
    return rules


def classify(
    store: Store, rules: Sequence[TierRule], contact_ids: Sequence[int] | None = None
) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """(current tier, tier by the rules) of every live contact, or of `contact_ids`."""
    whens, params = [], []
    for rule in rules:
        where, more = store._contact_where(rule.filter)
        whens.append(f"WHEN {where} THEN ?")
        params += [*more, rule.name]
    case = f"CASE {' '.join(whens)} END" if whens else "NULL"
    current: dict[int, str | None] = {}
    assigned: dict[int, str | None] = {}
    sql = f"SELECT c.id, c.tier, {case} FROM contact c WHERE c.deleted_at IS NULL"
    batches = [None] if contact_ids is None else list(chunks(contact_ids))
    for batch in batches:
        only = "" if batch is None else f" AND c.id IN ({','.join('?' * len(batch))})"
        for cid, tier, new in store.conn.execute(sql + only, [*params, *(batch or [])]):
            current[cid], assigned[cid] = tier, new
    return current, assigned


def apply_tiers(
    store: Store, *, contact_ids: Sequence[int] | None = None, dry_run: bool = False
) -> list[TierChange]:
    """`tier apply`: give every live contact (or these) the first tier it matches.

    Returns (contact, old tier, new tier) for each change. Without rules nothing changes
    (tiers set by hand stay). One transaction, one undo step; each change is a history
    entry holding only the tier, so the audit trail stays small at 100,000 contacts.
    Called with the contact's id after a write that may change its tier (a deal won, an
    interaction logged), it re-classifies that contact alone.
    """
    rules = tier_rules(store)
    if not rules:
        return []
    found = tiers.changes(*classify(store, rules, contact_ids))
    if dry_run or not found:
        return found
    with store.write("tier apply"):
        store.conn.executemany(
            "UPDATE contact SET tier = ? WHERE id = ?", [(c.new, c.contact_id) for c in found]
        )
        for change in found:
            store._log("contact", change.contact_id, "update", {"tier": change.old}, {"tier": change.new})
    return found
