"""`dedupe.find_pairs` as it was before blocks were scored per group of names (main at dfe3ad4).

A frozen copy, kept as the reference the faster blocking must match pair for pair, score for
score, reason for reason: every record's blocks as strings, each candidate pair of records
scored on its own with `dedupe._score_pair`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from tinycrm import dedupe
from tinycrm.dedupe import (
    DEFAULT_MIN_SCORE,
    FUZZY_MIN,
    Pair,
    _entry,
    _name_parts,
    _names_alike,
    _phone_keys,
    _score_pair,
    org_key,
)
from tinycrm.normalize import email_key

Record = dict[str, Any]


def record_blocks(record: Record, region: str | None) -> list[str]:
    """The block keys of a record: strings (their hash is cached), parts joined by \\x1f."""
    kind = record.get("kind") or "person"
    name = record.get("name") or ""
    blocks = ["e\x1f" + email_key(e) for e in record.get("emails") or () if e]
    blocks += ["p\x1f" + k for k in _phone_keys(record.get("phones") or (), region)]
    if kind == "org":
        org = org_key(name)
        if org:
            blocks.append("o\x1f" + org)
        return blocks
    spelled, tokens = _name_parts(name)[4:]
    org = org_key(record.get("org"))
    if org:
        blocks.append(f"n\x1f{org}\x1f{spelled}")
        # Each word with the first letters, and again with the last letters, of the others: a
        # typo in one word keeps the other word's blocks (unless it hits both ends), and a
        # common first name at a big firm does not make one huge block.
        if len(tokens) > 1:
            for x, t in enumerate(tokens):
                others = [o for y, o in enumerate(tokens) if y != x]
                blocks.append(f"t\x1f{org}\x1f{t}\x1f<{''.join(o[0] for o in others)}")
                blocks.append(f"t\x1f{org}\x1f{t}\x1f>{''.join(o[-1] for o in others)}")
    elif spelled:
        blocks.append("n\x1f\x1f" + spelled)
    return blocks


def candidate_pairs(records: Sequence[Record], region: str | None) -> set[tuple[int, int]]:
    """Index pairs that share a block; oversized blocks give only their identical names."""
    first: dict[str, int] = {}
    shared: dict[str, list[int]] = {}  # only the keys seen twice get a list
    for i, record in enumerate(records):
        for key in record_blocks(record, region):
            j = first.setdefault(key, i)
            if j != i:
                members = shared.get(key)
                if members is None:
                    shared[key] = [j, i]
                elif members[-1] != i:
                    members.append(i)
    # A pair that shares an e-mail or a phone comes from that block, unless the block is too
    # big to pair in full (then only a star): its members stay paired through the name blocks.
    crowded = {i for key, members in shared.items()
               if key[0] in ("e", "p") and len(members) > dedupe.BLOCK_MAX for i in members}
    weak = min(FUZZY_MIN, 90)
    pairs: set[tuple[int, int]] = set()
    for key, members in shared.items():
        if key[0] in ("e", "p"):
            if len(members) > dedupe.BLOCK_MAX:  # one shared address: a star joins them all
                pairs.update((members[0], j) for j in members[1:])
            else:
                for x, i in enumerate(members):
                    pairs.update((i, j) for j in members[x + 1:])
            continue
        if len(members) > dedupe.BLOCK_MAX:
            same: dict[str, list[int]] = defaultdict(list)
            for i in members:
                same[_name_parts(records[i].get("name") or "")[1]].append(i)
            for group in same.values():
                if 1 < len(group) <= dedupe.BLOCK_MAX:
                    for x, i in enumerate(group):
                        pairs.update((i, j) for j in group[x + 1:])
            continue
        # A name block: one firm and one word of the name. Pairs of names that are not alike
        # can only score through an e-mail or a phone, and those blocks pair them already, so
        # each pair of distinct names is judged once instead of each pair of records.
        by_name: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_name[records[i].get("name") or ""].append(i)
        kind = "org" if key[0] == "o" else "person"
        names = list(by_name)
        for x, u in enumerate(names):
            for v in names[x:]:
                alike = _names_alike(kind, u, v)[0] >= weak
                mu, mv = by_name[u], by_name[v]
                for y, i in enumerate(mu):
                    for j in mu[y + 1:] if u == v else mv:
                        if alike or i in crowded or j in crowded:
                            pairs.add((i, j) if i < j else (j, i))
    return pairs


def find_pairs(records: Iterable[Record], *, min_score: int = DEFAULT_MIN_SCORE,
               region: str | None = None) -> list[Pair]:
    """Every pair of records scoring at least `min_score`, compared within blocks only."""
    # Hundreds of thousands of small objects and none of them cyclic: the collector's full
    # passes over a growing heap would double the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        ordered = sorted(records, key=lambda r: r["id"])
        candidates = candidate_pairs(ordered, region)
        # Only the records in some pair (a few percent) are worked out in full.
        entries = {i: _entry(ordered[i], region) for i in {i for pair in candidates for i in pair}}
        found = []
        for i, j in candidates:  # i < j, and ids ascend with the index
            a, b = entries[i], entries[j]
            score, reasons = _score_pair(a, b)
            if score >= min_score:
                found.append(Pair(entries[i].id, entries[j].id, score, reasons))
    finally:
        if collecting:
            gc.enable()
    found.sort(key=lambda p: (p.a, p.b))
    return found
