"""Likely duplicates and merging them: one path for `tinycrm dupes`/`merge` and the TUI's Duplicates screen.

`tinycrm.dedupe` scores and plans (pure); here the store is read for it, and a merge is
re-planned inside its write so that what the user agreed to is what happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Conflict
from ..gcpause import paused_gc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dedupe import Group, Plan
    from ..models import Contact
    from ..store import Store


def region(store: Store) -> str | None:
    """The region national phone numbers belong to (the `region` setting, else the locale)."""
    from ..normalize import default_region

    return default_region(store.setting("region"))


@dataclass(frozen=True)
class Found:
    """The duplicate groups of a book, strongest first, and who is in them."""

    groups: list[Group]
    people: dict[int, tuple[str, str | None]]
    """Name and organisation of each contact in a group (and only those)."""
    contacts: int
    """How many live contacts were looked at."""
    min_score: int


def find_duplicates(store: Store, *, min_score: int | None = None) -> Found:
    """Every group of likely duplicates among the live contacts (seconds on 100,000: run it off the UI)."""
    from ..dedupe import DEFAULT_MIN_SCORE, find_row_groups

    # Hundreds of thousands of records, none cyclic: a full collection over them would hold
    # the GIL for most of a second, a freeze the TUI's event loop would feel.
    with paused_gc():
        rows = store.dedupe_records()
        score = DEFAULT_MIN_SCORE if min_score is None else min_score
        groups = find_row_groups(rows, min_score=score, region=region(store))
        grouped = {i for g in groups for i in g.ids}
        people = {row[0]: (row[2], row[3]) for row in rows if row[0] in grouped}
        return Found(groups, people, len(rows), score)


def plan_merge(store: Store, keep: Contact, others: list[Contact]) -> Plan:
    """What KEEP becomes when the others are folded into it (KEEP wins each clash, nothing is lost)."""
    from ..dedupe import merge_plan

    return merge_plan(keep, others, region=region(store))


@dataclass(frozen=True)
class Linked:
    """How many records hang on a contact: what a merge moves."""

    interactions: int
    deals: int
    reminders: int

    def words(self) -> str:
        """`3 interactions, 1 deal, no reminders`."""
        parts = []
        for count, noun in ((self.interactions, "interaction"), (self.deals, "deal"),
                            (self.reminders, "reminder")):
            parts.append(f"{count or 'no'} {noun}{'' if count == 1 else 's'}")
        return ", ".join(parts)


def linked(store: Store, contact_id: int) -> Linked:
    """The interactions, deals and reminders (done ones too) of one contact, counted."""
    return Linked(
        store.count_interactions(contact_id),
        len(store.list_deals(contact_id=contact_id)),
        len(store.list_reminders(contact_id=contact_id, include_done=True)),
    )


def merge(store: Store, keep_id: int, other_ids: list[int], agreed: tuple[str, ...] | None = None) -> Contact:
    """Fold the others into KEEP as one undo step; refused when the plan changed since it was shown.

    `agreed` is the plan's steps as the user saw them (None: no question was asked). The plan
    is made again inside the write: if someone edited the contacts meanwhile, nothing happens.
    """
    with store.write("merge"):
        keep = store.get_contact(keep_id)
        others = [store.get_contact(i) for i in other_ids]
        plan = plan_merge(store, keep, others)
        if agreed is not None and plan.steps != agreed:
            raise Conflict("the contacts changed while you were asked; run merge again")
        return store.merge_contacts(plan.keep_id, list(plan.other_ids), plan.fields)


@dataclass(frozen=True)
class Match:
    """A contact already in the book that the one being typed is likely to be, and why."""

    contact: Contact
    why: str

    def words(self) -> str:
        """`Grace Hopper <grace@navy.mil> (#12) — same e-mail`."""
        contact = self.contact
        mail = f" <{contact['emails'][0]}>" if contact["emails"] else ""
        return f"{contact['name']}{mail} (#{contact['id']}) — {self.why}"


def likely_match(
    store: Store, *, name: str, org: str | None, emails: list[str], phones: list[str],
    kind: str = "person", other_than: int | None = None,
) -> Match | None:
    """The contact `contact add` would refuse (same e-mail or phone) or warn about (a very similar name).

    The same look-ups as the refusal and the warning: the store's e-mail/phone keys, then
    its name neighbours scored by `dedupe.similar_names`. Text half typed is no error here.
    """
    from ..errors import CrmError

    probes: list[tuple[list[str], list[str]]] = [([e], []) for e in emails if "@" in e]
    probes += [([], [p]) for p in phones]
    for probe_emails, probe_phones in probes:
        try:  # one half-typed phone must not hide the e-mail that matches
            hits = store.duplicates_of(probe_emails, probe_phones, other_than=other_than)
        except CrmError:
            continue
        if hits:
            what, _value, contact_id, _name = hits[0]
            return Match(store.get_contact(contact_id), f"same {what}")
    name = " ".join(name.split())
    if not name:
        return None
    try:
        neighbours = [c for c in store.name_neighbours(name, org) if c["id"] != other_than]
    except CrmError:
        return None
    if not neighbours:
        return None
    from ..dedupe import similar_names

    similar = similar_names(name, org, neighbours, kind=kind, ignore_id=other_than)
    if not similar:
        return None
    record, why = similar[0]
    return Match(store.get_contact(int(record["id"])), why)


@dataclass(frozen=True)
class Listed:
    """What a screen needs of `find_duplicates`, small enough to come back from another process."""

    groups: list[tuple[tuple[int, ...], int, tuple[str, ...]]]
    """Each group's ids, score and reasons (not its pairs: hundreds of thousands of objects to unpickle)."""
    people: dict[int, tuple[str, str | None]]
    """Name and organisation of each contact in a group (and only those)."""
    contacts: int
    min_score: int


def list_duplicates(path: str, user: str, *, min_score: int | None = None) -> Listed:
    """`find_duplicates` on the book at `path`, for a child process to run.

    On 100,000 contacts the look-up is seconds of pure Python over hundreds of megabytes of
    records; in the TUI's own process it would hold the GIL (and the memory) the event loop
    needs, so the TUI runs this in a child and gets back only the groups and their names.
    """
    from ..store import Store

    with Store.open(path, user, create=False) as store:
        found = find_duplicates(store, min_score=min_score)
    groups = [(g.ids, g.score, g.reasons) for g in found.groups]
    return Listed(groups, found.people, found.contacts, found.min_score)
