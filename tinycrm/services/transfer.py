"""`import` and `export`: moving contacts in and out, as one change, never duplicating anyone.

An import reads drafts (`tinycrm.formats`), matches each against the book and against the
rows of the same file before it — by vCard UID, source id, e-mail, phone, and only for a
record with none of those by name and organisation — and then creates, updates (merges what
the book lacks), or skips it. Everything happens in one unit of work: all rows or none (a
bad row aborts with its line), or with `skip_errors` the good ones and a list of the rest;
`dry_run` does the whole import and rolls it back, so what it reports is exactly what would
happen; the whole import is one `undo` step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import BadRow, InvalidData, UsageError
from ..formats.draft import Draft, MatchKeys, phone_match_key
from ..gcpause import paused_gc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..store import Store

DUPLICATE_POLICIES = ("merge", "skip", "new")
_LISTS = ("emails", "phones", "addresses", "tags", "aliases", "anniversaries", "sources")
_SCALARS = ("kind", "org", "title", "birthday", "birthday_lunar", "every", "tier", "uid")


@dataclass
class Outcome:
    """What the import did (or, in a dry run, would do) with one record."""

    line: int
    action: str  # create, update, skip, reject
    name: str
    why: str = ""
    contact_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The outcome as `--json` prints it."""
        return {"line": self.line, "action": self.action, "name": self.name, "why": self.why,
                "contact_id": self.contact_id}


@dataclass
class ImportResult:
    """Every record's outcome, the records left out (`--rejects`), and the counts."""

    outcomes: list[Outcome] = field(default_factory=list)
    rejects: list[BadRow] = field(default_factory=list)
    dry_run: bool = False
    extra: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many records were created, updated, skipped and rejected (plus linked records)."""
        out = {"create": 0, "update": 0, "skip": 0, "reject": 0}
        for item in self.outcomes:
            out[item.action] += 1
        return {**out, **self.extra}


class _Rollback(Exception):
    """Ends a dry run: the unit of work rolls back everything it did."""


def read_source(source: str, *, data: bytes | None, format: str | None,
                mapping: dict[str, str] | None) -> Iterator[Draft | BadRow]:
    """The drafts of a file, a vdir or stdin (`-`, with its bytes in `data`)."""
    from .. import formats

    if format is not None and format not in formats.FORMATS:
        raise UsageError(f"unknown format '{format}': use {', '.join(formats.FORMATS)}")
    if source == "-":
        return formats.read_contacts(data or b"", format=format, mapping=mapping)
    path = Path(source).expanduser()
    if not path.exists():
        raise InvalidData(f"no file or folder at {path}")
    return formats.read_path(path, format=format, mapping=mapping)


class _Matcher:
    """The book's look-up keys and the file's own rows so far, for one import."""

    def __init__(self, store: Store) -> None:
        index = store.match_index()
        self.keys: dict[str, dict[str, Any]] = {
            "uid": dict(index["uid"]),
            "source": dict(index["source"]),
            "email": dict(index["email"]),
            "phone": {phone_match_key(k): v for k, v in index["phone"].items() if phone_match_key(k)},
            "name_org": dict(index["name_org"]),
        }

    def find(self, keys: MatchKeys) -> tuple[Any, str] | None:
        """The first contact (id) or earlier row (("row", n)) a draft with these keys is, and why."""
        found = self.keys
        if keys.uid and keys.uid in found["uid"]:
            return found["uid"][keys.uid], "same vCard UID"
        if keys.source_id and keys.source_id in found["source"]:
            return found["source"][keys.source_id], "same source id"
        for email in keys.emails:
            if email and email in found["email"]:
                return found["email"][email], f"same e-mail {email}"
        for phone in keys.phones:
            if phone and phone in found["phone"]:
                return found["phone"][phone], "same phone"
        if keys.name_org is not None and (name_org := "\n".join(keys.name_org)) in found["name_org"]:
            return found["name_org"][name_org], "same name and organisation"
        return None

    def remember(self, keys: MatchKeys, target: Any) -> None:
        """Later rows of the file with these keys match `target` (an id or ("row", n))."""
        found = self.keys
        if keys.uid:
            found["uid"].setdefault(keys.uid, target)
        if keys.source_id:
            found["source"].setdefault(keys.source_id, target)
        for email in keys.emails:
            if email:
                found["email"].setdefault(email, target)
        for phone in keys.phones:
            if phone:
                found["phone"].setdefault(phone, target)
        if keys.name_org is not None:
            found["name_org"].setdefault("\n".join(keys.name_org), target)


def _fields(draft: Draft) -> dict[str, Any]:
    out = draft.contact_fields()
    if draft.uid:
        out["uid"] = draft.uid
    if draft.source_id:
        out["sources"] = [draft.source_id]
    if draft.labels:
        out["labels"] = dict(draft.labels)
    return out


def merged(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """What a stored (or earlier) contact gains from an incoming record: only what it lacks.

    Lists are unioned, empty scalars filled, custom fields added under free keys, notes
    appended, another name kept as an alias; nothing the book holds is overwritten. Returns the
    changed fields only.
    """
    changes: dict[str, Any] = {}
    for key in _LISTS:
        have = list(current.get(key) or [])
        more = [v for v in incoming.get(key) or [] if v not in have]
        if key in ("emails", "aliases", "tags"):
            low = {str(v).casefold() for v in have}
            more = [v for v in more if str(v).casefold() not in low]
        if more:
            changes[key] = have + more
    # another name for the same person (two cards sharing a number) is kept as an alias, as `merge` does
    name = (incoming.get("name") or "").strip()
    aliases = changes.get("aliases") or list(current.get("aliases") or [])
    known = {str(v).casefold() for v in (current.get("name"), *aliases) if v}
    standing_in = (*(incoming.get("emails") or ()), *(incoming.get("phones") or ()))  # a card with no name
    if name and name.casefold() not in known and name not in standing_in:
        changes["aliases"] = [*aliases, name]
    for key in _SCALARS:
        if incoming.get(key) and not current.get(key):
            changes[key] = incoming[key]
    fields_now = dict(current.get("fields") or {})
    added = {k: v for k, v in (incoming.get("fields") or {}).items() if fields_now.get(k) != v}
    if added:
        for key, value in added.items():
            name, n = key, 2
            while name in fields_now and fields_now[name] != value:
                name, n = f"{key} {n}", n + 1
            fields_now[name] = value
        changes["fields"] = fields_now
    labels = {**(incoming.get("labels") or {}), **(current.get("labels") or {})}
    if labels != (current.get("labels") or {}):
        changes["labels"] = labels
    notes, more_notes = current.get("notes") or "", incoming.get("notes") or ""
    if more_notes and more_notes not in notes:
        changes["notes"] = f"{notes}\n\n{more_notes}" if notes else more_notes
    return changes


def import_contacts(
    store: Store,
    items: Iterable[Draft | BadRow],
    *,
    on_duplicate: str = "merge",
    skip_errors: bool = False,
    dry_run: bool = False,
    label: str = "import",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import drafts as one change (see the module's docstring); `progress(n)` every 1,000 records."""
    if on_duplicate not in DUPLICATE_POLICIES:
        raise UsageError(f"invalid --on-duplicate '{on_duplicate}': use {', '.join(DUPLICATE_POLICIES)}")
    result = ImportResult(dry_run=dry_run)
    try:
        with store.write(label, named=True), paused_gc():  # a few objects a row, no cycles
            _import(store, items, result, on_duplicate, skip_errors, progress)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _import(
    store: Store,
    items: Iterable[Draft | BadRow],
    result: ImportResult,
    on_duplicate: str,
    skip_errors: bool,
    progress: Callable[[int], None] | None,
) -> None:
    matcher = _Matcher(store)
    creates: list[dict[str, Any]] = []
    create_outcomes: list[Outcome] = []
    updates: dict[int, dict[str, Any]] = {}
    update_outcomes: dict[int, list[Outcome]] = {}
    merges: list[tuple[int, Draft, dict[str, Any], int, str]] = []  # rows matching a stored contact
    for count, item in enumerate(items, 1):
        if progress is not None and count % 1000 == 0:
            progress(count)
        if isinstance(item, BadRow):
            if not skip_errors:
                raise item
            result.rejects.append(item)
            result.outcomes.append(Outcome(item.line, "reject", "", item.reason))
            continue
        incoming = _fields(item)
        keys = item.match_keys()
        hit = None if on_duplicate == "new" else matcher.find(keys)
        if hit is None:
            outcome = Outcome(item.line, "create", item.name, "; ".join(item.warnings))
            matcher.remember(keys, ("row", len(creates)))
            creates.append(incoming)
            create_outcomes.append(outcome)
        elif isinstance(hit[0], tuple):  # an earlier row of this file: one contact, merged
            row = hit[0][1]
            creates[row].update(merged(creates[row], incoming))
            why = f"{hit[1]} as line {create_outcomes[row].line}; merged"
            outcome = Outcome(item.line, "skip", item.name, why)
        elif on_duplicate == "skip":
            outcome = Outcome(item.line, "skip", item.name, f"{hit[1]} as #{hit[0]}", hit[0])
        else:  # merged below, once the contacts it matched are read in one go
            merges.append((len(result.outcomes), item, incoming, hit[0], hit[1]))
            outcome = Outcome(item.line, "update", item.name, "", hit[0])
        result.outcomes.append(outcome)
    stored = store.contacts_by_id({m[3] for m in merges})
    for position, item, incoming, contact_id, why in merges:
        current = updates.get(contact_id) or stored[contact_id]
        changes = merged(current, incoming)
        if changes:
            current.update(changes)
            updates[contact_id] = current
            outcome = Outcome(item.line, "update", item.name,
                              f"{why} as #{contact_id}: adds {', '.join(sorted(changes))}", contact_id)
            update_outcomes.setdefault(contact_id, []).append(outcome)
        else:
            why = f"{why} as #{contact_id}; nothing new"
            outcome = Outcome(item.line, "skip", item.name, why, contact_id)
        result.outcomes[position] = outcome

    def reject(index: int, error: InvalidData) -> None:
        outcome = create_outcomes[index]
        reason = str(error).split(": ", 1)[-1]
        result.rejects.append(BadRow(outcome.line, reason))
        outcome.action, outcome.why = "reject", reason

    where = [f"line {o.line}" for o in create_outcomes]
    ids = store.add_contacts(creates, command="import", where=where, on_error=reject if skip_errors else None)
    for outcome, new_id in zip(create_outcomes, ids):
        outcome.contact_id = new_id
    for contact_id, current in updates.items():
        changes = {k: current[k] for k in (*_LISTS, *_SCALARS, "fields", "notes", "labels") if k in current}
        try:
            store.edit_contact(contact_id, **{k: v for k, v in changes.items() if v is not None})
        except InvalidData as exc:
            if not skip_errors:
                line = update_outcomes[contact_id][0].line
                raise InvalidData(f"line {line}: {exc}") from None
            for outcome in update_outcomes[contact_id]:
                outcome.action, outcome.why = "reject", str(exc)
                result.rejects.append(BadRow(outcome.line, str(exc)))


def import_book(store: Store, data: bytes, *, on_duplicate: str = "merge", skip_errors: bool = False,
                dry_run: bool = False) -> ImportResult:
    """A JSON book: its contacts as above, and the interactions, deals (with their stage history)
    and reminders of the contacts this import creates (a contact already in the book keeps its own)."""
    from ..formats.jsonbook import read_book
    from ..money import parse_amount

    book = read_book(data)
    result = ImportResult(dry_run=dry_run)
    try:
        with store.write("import", named=True):
            _import(store, [*book.contacts, *book.errors], result, on_duplicate, skip_errors, None)
            # one outcome per draft, in order: the book's old contact ids → the new ones
            old_ids = [d.extra.get("id") for d in book.contacts]
            new_of = {
                old: o.contact_id
                for old, o in zip(old_ids, result.outcomes)
                if o.action == "create" and o.contact_id is not None
            }
            deals = [d for d in book.deals if d["contact_id"] in new_of]
            rows = []
            for deal in deals:
                currency = deal.get("currency") or "USD"
                rows.append({
                    "contact_id": new_of[deal["contact_id"]], "title": deal["title"],
                    "value_minor": parse_amount(str(deal.get("value") or "0"), currency),
                    "currency": currency, "stage": deal["stage"], "probability": deal.get("probability") or 0,
                    "status": deal.get("status") or "open", "close_date": deal.get("close_date"),
                    "lost_reason": deal.get("lost_reason"), "key": 1 if deal.get("key") else 0,
                    "owner": deal.get("owner"),
                    "stage_entered_at": deal.get("stage_entered_at") or deal.get("created_at"),
                    "created_at": deal.get("created_at"), "updated_at": deal.get("updated_at"),
                    "closed_at": deal.get("closed_at"),
                })
            deal_ids = store.add_rows("deal", rows)
            deal_of = {d["id"]: new for d, new in zip(deals, deal_ids)}
            store.add_rows("deal_stage", [
                {"deal_id": deal_of[d["id"]], "stage": s["stage"], "entered_at": s["entered_at"],
                 "user": s.get("user")}
                for d in deals for s in d.get("stages") or []
            ])
            interactions = [i for i in book.interactions if i["contact_id"] in new_of]
            added = store.add_interactions([  # an e-mail the book holds is left out
                {**i, "contact_id": new_of[i["contact_id"]], "deal_id": deal_of.get(i.get("deal_id"))}
                for i in interactions
            ])
            reminders = [r for r in book.reminders if r.get("contact_id") in new_of]
            store.add_rows("reminder", [
                {"contact_id": new_of[r["contact_id"]], "deal_id": deal_of.get(r.get("deal_id")),
                 "text": r["text"], "due": r["due"], "anchor": r.get("anchor") or r["due"],
                 "all_day": 1 if r.get("all_day", True) else 0, "every": r.get("every"),
                 "from_done": 1 if r.get("from_done") else 0, "source": r.get("source") or "manual",
                 "done_at": r.get("done_at"), "owner": r.get("owner"),
                 "created_at": r.get("created_at") or r["due"], "updated_at": r.get("updated_at") or r["due"]}
                for r in reminders
            ])
            result.extra = {
                "deals": len(deals), "interactions": len(added), "reminders": len(reminders),
            }
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def export_records(store: Store, filter_text: str = "") -> list[dict[str, Any]]:
    """The contacts a filter selects, with their vCard UID and source ids (for every format)."""
    contacts: list[dict[str, Any]] = [dict(c) for c in store.list_contacts(filter_text, sort="id")]
    extra = store.uid_and_sources(c["id"] for c in contacts)
    for contact in contacts:
        uid, sources = extra.get(contact["id"], (None, []))
        contact["uid"], contact["sources"] = uid, sources
    return contacts


def export_book(store: Store, filter_text: str, *, now: datetime) -> dict[str, Any]:
    """The JSON book of the selected contacts: with their interactions, deals, stage history, reminders."""
    from ..dates import utc_iso
    from ..formats.jsonbook import dump_book

    contacts = export_records(store, filter_text)
    ids = {c["id"] for c in contacts}
    deals = []
    for contact in contacts:
        for deal in store.list_deals(contact_id=contact["id"]):
            whole = store.get_deal(deal["id"])
            deals.append({k: v for k, v in whole.items() if k not in ("contact", "value_minor")})
    interactions = [
        {k: v for k, v in i.items() if k != "contact"} for cid in sorted(ids) for i in store.timeline(cid)
    ]
    reminders = [
        {k: v for k, v in r.items() if k != "contact"}
        for r in store.list_reminders(include_done=True) if r["contact_id"] in ids
    ]
    return dump_book(
        contacts=contacts, interactions=interactions, deals=deals, reminders=reminders,
        stages=store.stages(), exported_at=utc_iso(now),
    )
