"""`tinycrm dupes` and `merge`: likely duplicates in words, and folding them into one contact.

`tinycrm.services.dedupe` finds the groups and merges (the TUI's Duplicates screen calls the
same functions); `Store.merge_contacts` moves the interactions, deals and reminders and
deletes the others, as one undo step.
"""

from __future__ import annotations

import sys

from ..cells import safe
from ..errors import UsageError
from ..output import emit_json
from ._common import State, check_ref, confirm, echo, reads, writing

TYPE_CHECKING = False
if TYPE_CHECKING:

    from ..dedupe import Plan
    from ..store import Store


@reads
def dupes(state: State, *, min_score: int | None, as_json: bool) -> None:
    """`dupes`: groups of contacts that are likely one customer, strongest first, with why."""
    # The collector stays off until the groups are printed and dropped: re-enabled any
    # earlier, its first pass would walk the million objects of 100,000 contacts' groups.
    from ..gcpause import paused_gc

    with paused_gc():
        _dupes(state, min_score=min_score, as_json=as_json)


def _dupes(state: State, *, min_score: int | None, as_json: bool) -> None:
    from ..services.dedupe import find_duplicates

    found = find_duplicates(state.store(), min_score=min_score)
    groups, score = found.groups, found.min_score
    names = {i: name for i, (name, _) in found.people.items()}
    if as_json:
        emit_json([{**g.to_json(), "names": [names[i] for i in g.ids]} for g in groups])
        return
    if not groups:
        echo(f"no likely duplicates (score {score} or more)")
        return
    lines = []
    for n, group in enumerate(groups):
        if n:
            lines.append("")
        who = " · ".join(f"#{i} {safe(names[i])}" for i in group.ids)
        lines.append(f"{who}  (score {group.score})")
        lines.append(f"  {safe('; '.join(group.reasons))}")
        lines.append(f"  merge with: tinycrm merge {' '.join(str(i) for i in group.ids)}")
    echo("\n".join(lines))  # one write, not 60,000


def _plan(store: Store, keep_ref: str, other_refs: list[str]) -> Plan:
    """The merge plan of the contacts named (KEEP first); a contact named twice is refused."""
    from ..services.dedupe import plan_merge

    keep = store.resolve(check_ref(keep_ref))
    others = [store.resolve(check_ref(ref)) for ref in other_refs]
    return plan_merge(store, keep, others)


def merge(state: State, *, keep: str, others: list[str], yes: bool, as_json: bool) -> None:
    """`merge`: fold OTHER… into KEEP (KEEP wins each clash, nothing is lost), one undo step."""
    store = state.store()
    shown = _plan(store, keep, others)
    if not yes:
        if sys.stdin.isatty() and sys.stdout.isatty():
            for step in shown.steps:
                echo(f"  {safe(step)}")
            confirm(f"Merge {len(shown.other_ids)} into #{shown.keep_id}? `tinycrm undo` takes it back.")
        else:
            raise UsageError("merge deletes the others once their records are moved: add --yes to confirm")
    from ..services.dedupe import merge as merge_contacts

    with writing(store, "merge"):
        # planned again inside the write: refused if someone edited them while the question was open
        kept = merge_contacts(store, shown.keep_id, list(shown.other_ids), shown.steps)
        if as_json:
            emit_json({"contact": kept, "merged": list(shown.other_ids), "steps": list(shown.steps)})
        else:
            gone = ", ".join(f"#{i}" for i in shown.other_ids)
            echo(f"merged {gone} into #{kept['id']} {safe(kept['name'])}")
