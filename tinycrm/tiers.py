"""Tiers (A/B/C…) by rules: the pure part — rule lists, first match, what changed.

A rule is a tier name and a filter of the filter language. Rules are tried in order and a
contact gets the first tier whose filter it matches, or no tier when none does (rules
govern every contact: a tier set by hand is replaced by `tier apply`). Storage and the
matching itself (SQL) are in `store_tiers`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .errors import InvalidData, NotFound

_NAME_RE = re.compile(r"^[^\s:\"'()]{1,32}$")


@dataclass(frozen=True)
class TierRule:
    """One rule: contacts matching `filter` get tier `name`."""

    name: str
    filter: str


class TierChange(NamedTuple):
    """A contact whose tier `apply` changes."""

    contact_id: int
    old: str | None
    new: str | None


def check_name(name: str) -> str:
    """A tier name usable in `tier:NAME` filters: one word, no quotes, colons or parentheses."""
    name = (name or "").strip()
    if not _NAME_RE.match(name) or name.upper() in ("OR", "AND"):
        raise InvalidData(f"invalid tier name '{name}': one word of at most 32 characters, like A or gold")
    return name


def set_rule(
    rules: Sequence[TierRule], name: str, filter_text: str, *, position: int | None = None
) -> list[TierRule]:
    """The rules with `name` set to `filter_text`: replaced where it was, else added last.

    `position` (1-based) moves the rule there; past the end means last.
    """
    name = check_name(name)
    if not (filter_text or "").strip():
        raise InvalidData(f"tier {name} needs a filter (a contact matching it gets the tier)")
    rule = TierRule(name, filter_text.strip())
    out = list(rules)
    at = next((i for i, r in enumerate(out) if r.name.lower() == name.lower()), None)
    if at is None:
        at = len(out)
        out.append(rule)
    else:
        out[at] = rule
    if position is not None:
        if position < 1:
            raise InvalidData("a tier position starts at 1")
        out.insert(min(position - 1, len(out) - 1), out.pop(at))
    return out


def remove_rule(rules: Sequence[TierRule], name: str) -> list[TierRule]:
    """The rules without `name`; NotFound when there is no such tier."""
    out = [r for r in rules if r.name.lower() != (name or "").strip().lower()]
    if len(out) == len(rules):
        raise NotFound(f"no tier named '{name}'")
    return out


def first_match(matches: Iterable[bool], rules: Sequence[TierRule]) -> str | None:
    """The tier of the first rule matched (`matches` in rule order), or None."""
    return next((rule.name for rule, hit in zip(rules, matches) if hit), None)


def changes(current: Mapping[int, str | None], assigned: Mapping[int, str | None]) -> list[TierChange]:
    """Contacts whose assigned tier differs from their current one, by id."""
    return [
        TierChange(cid, current.get(cid), tier)
        for cid, tier in sorted(assigned.items())
        if current.get(cid) != tier
    ]


def to_json(rules: Sequence[TierRule]) -> str:
    """The rules as the stored setting (a JSON array, in order)."""
    return json.dumps([{"name": r.name, "filter": r.filter} for r in rules], ensure_ascii=False)


def from_json(text: str | None) -> list[TierRule]:
    """The rules from the stored setting (none when unset)."""
    if not text:
        return []
    return [TierRule(item["name"], item["filter"]) for item in json.loads(text)]
