"""`tinycrm dupes` and `merge`: likely duplicates in words, and folding them into one contact.

`tinycrm.dedupe` finds the groups and plans the merge (pure); `Store.merge_contacts` moves
the interactions, deals and reminders and deletes the others, as one undo step.
"""

from __future__ import annotations

import sys

from ..cells import safe
from ..errors import Conflict, UsageError
from ..output import emit_json
from ._common import State, check_ref, confirm, echo, reads, writing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dedupe import Plan
    from ..store import Store


def _region(store: Store) -> str | None:
    """The region national phone numbers belong to (the `region` setting, else the locale)."""
    from ..normalize import default_region

    return default_region(store.setting("region"))


@reads
def dupes(state: State, *, min_score: int | None, as_json: bool) -> None:
    """`dupes`: groups of contacts that are likely one customer, strongest first, with why."""
    from ..dedupe import DEFAULT_MIN_SCORE, find_groups

    store = state.store()
    records = store.list_contacts(sort="id")
    names = {r["id"]: r["name"] for r in records}
    score = DEFAULT_MIN_SCORE if min_score is None else min_score
    groups = find_groups(records, min_score=score, region=_region(store))
    if as_json:
        emit_json([{**g.to_json(), "names": [names[i] for i in g.ids]} for g in groups])
        return
    if not groups:
        echo(f"no likely duplicates (score {score} or more)")
        return
    for n, group in enumerate(groups):
        if n:
            echo("")
        who = " · ".join(f"#{i} {safe(names[i])}" for i in group.ids)
        echo(f"{who}  (score {group.score})")
        echo(f"  {safe('; '.join(group.reasons))}")
        echo(f"  merge with: tinycrm merge {' '.join(str(i) for i in group.ids)}")


def _plan(store: Store, keep_ref: str, other_refs: list[str]) -> Plan:
    """The merge plan of the contacts named (KEEP first); a contact named twice is refused."""
    from ..dedupe import merge_plan

    keep = store.resolve(check_ref(keep_ref))
    others = [store.resolve(check_ref(ref)) for ref in other_refs]
    return merge_plan(keep, others, region=_region(store))


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
    with writing(store, "merge"):
        plan = _plan(store, str(shown.keep_id), [str(i) for i in shown.other_ids])
        if plan.steps != shown.steps:  # someone edited them while the question was open
            raise Conflict("the contacts changed while you were asked; run merge again")
        kept = store.merge_contacts(plan.keep_id, list(plan.other_ids), plan.fields)
        if as_json:
            emit_json({"contact": kept, "merged": list(plan.other_ids), "steps": list(plan.steps)})
        else:
            gone = ", ".join(f"#{i}" for i in plan.other_ids)
            echo(f"merged {gone} into #{kept['id']} {safe(kept['name'])}")
