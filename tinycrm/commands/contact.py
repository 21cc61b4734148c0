"""`tinycrm contact …`: add, list, show, edit, rm, restore, forget."""

from __future__ import annotations

import sys

from ..cells import safe
from ..errors import InvalidData, UsageError
from ..output import emit_fields, emit_json, emit_table, pad, use_color
from ._common import (
    State,
    check_ref,
    confirm,
    echo,
    emit_records,
    filter_words,
    limit_of,
    local_text,
    reads,
    writing,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact
    from ..store import Store

TIMELINE_SHOWN = 20
LIST_COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("org", "Org"),
    ("emails", "E-mail"),
    ("tags", "Tags"),
    ("tier", "Tier"),
    ("last", "Last contact"),
]
CSV_COLUMNS = [
    "id", "kind", "name", "org", "title", "emails", "phones", "tags", "tier", "owner",
    "birthday", "every", "notes", "created_at", "updated_at", "last_contacted_at",
]


def _warn_similar(store: Store, contact: Contact) -> None:
    """A very similar name (same pinyin, a near spelling at the same organisation) only warns."""
    others = [c for c in store.name_neighbours(contact["name"], contact["org"]) if c["id"] != contact["id"]]
    if not others:  # the common case pays no import of the matcher (rapidfuzz, pypinyin)
        return
    from ..dedupe import similar_name_warning

    warning = similar_name_warning(contact["name"], contact["org"], others, kind=contact["kind"])
    if warning:
        sys.stderr.write(f"warning: {safe(warning)}\n")


def _anniversaries(items: list[str] | None) -> list[dict]:
    """`LABEL=DATE` or `LABEL=lunar:DATE` options as anniversary records."""
    out = []
    for item in items or []:
        label, sep, date = item.partition("=")
        if not sep or not label.strip() or not date.strip():
            raise InvalidData(f"invalid --anniversary '{item}': use LABEL=DATE, e.g. wedding=2015-06-20")
        lunar = date.strip().lower().startswith("lunar:")
        out.append({"label": label.strip(), "date": date.strip()[6:] if lunar else date.strip(),
                    "lunar": lunar})
    return out


def _pairs(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidData(f"invalid --set '{item}': use KEY=VALUE")
        out[key.strip()] = value
    return out


def add(
    state: State,
    *,
    name: str,
    org: str | None,
    kind: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    tag: list[str] | None,
    title: str | None,
    birthday: str | None,
    lunar: bool | None,
    anniversary: list[str] | None,
    note: str | None,
    every: str | None,
    owner: str | None,
    tier: str | None,
    set_: list[str] | None,
    allow_duplicate: bool,
    as_json: bool,
) -> None:
    """`contact add`: create a contact; prints its id (a very similar name only warns)."""
    store = state.store()
    fields = {
        "org": org,
        "kind": kind or "person",
        "emails": email or [],
        "phones": phone or [],
        "tags": tag or [],
        "title": title,
        "birthday": birthday,
        "birthday_lunar": lunar,
        "anniversaries": _anniversaries(anniversary),
        "notes": note,
        "every": every,
        "fields": _pairs(set_),
    }
    if owner:
        fields["owner"] = owner
    if tier:
        fields["tier"] = tier
    with writing(store, f"contact add {name}"):
        contact = store.add_contact(name, allow_duplicate=allow_duplicate, **fields)
        _warn_similar(store, contact)
        if as_json:
            emit_json(contact)
        else:
            echo(contact["id"])


@reads
def list_(
    state: State,
    *,
    filter_: list[str] | None,
    sort: str,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """`contact list`: contacts matching a filter."""
    store = state.store()
    contacts = store.list_contacts(filter_words(filter_), sort=sort, limit=limit_of(limit))
    if emit_records(contacts, as_json=as_json, as_csv=as_csv, csv_columns=CSV_COLUMNS):
        return
    for contact in contacts:
        contact["last"] = local_text(contact["last_contacted_at"], all_day=True)
        contact["emails"] = contact["emails"][:1]
    emit_table(contacts, LIST_COLUMNS)
    if sys.stdout.isatty():
        sys.stderr.write(f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}\n")


def _heading(text: str) -> str:
    return f"\033[1m{text}\033[0m" if use_color() else text


def contact_picture(st: State, contact: Contact, *, limit: int | None = TIMELINE_SHOWN) -> dict[str, Any]:
    """A contact with its interactions, deals, open reminders and (an organisation's) people."""
    from ..services.contacts import picture

    return picture(st.store(), contact, limit=limit)


@reads
def show(state: State, *, ref: str, as_json: bool) -> None:
    """`contact show REF`: one customer's whole picture."""
    show_contact(state, ref, as_json=as_json)


def _health(st: State, contact: Contact) -> dict[str, Any] | None:
    """The contact's health score with its reasons (None in the trash: health is for live contacts)."""
    from ..store.health import contact_health

    if contact["deleted_at"]:
        return None
    found = contact_health(st.store(), contact["id"], st.local_now())
    return {"score": found.score, "reasons": [dict(r) for r in found.reasons]}


def show_contact(st: State, ref: str, *, as_json: bool = False) -> int:
    """`contact show REF`: one customer's whole picture."""
    contact = st.store().resolve(check_ref(ref), include_trash=True)
    picture = contact_picture(st, contact, limit=None if as_json else TIMELINE_SHOWN)
    health = _health(st, contact)
    picture["health"] = health
    if as_json:
        emit_json(picture)
        return 0
    out = sys.stdout
    head = f"{safe(contact['name'])}  (#{contact['id']}, {contact['kind']}"
    head += ", in the trash)" if contact["deleted_at"] else ")"
    out.write(_heading(head) + "\n")
    from ..wording import birthday_words

    bday = birthday_words(contact["birthday"], contact["birthday_lunar"]) if contact["birthday"] else None
    last = local_text(contact["last_contacted_at"])
    emit_fields(
        [
            ("org", contact["org"]),
            ("title", contact["title"]),
            ("e-mail", contact["emails"]),
            ("phone", contact["phones"]),
            ("address", contact["addresses"]),
            ("tags", contact["tags"]),
            ("tier", contact["tier"]),
            ("owner", contact["owner"]),
            ("birthday", bday),
            ("anniversaries", [f"{a['label']} {birthday_words(a['date'], a['lunar'])}"
                               for a in contact["anniversaries"]]),
            ("keep in touch", f"every {contact['every']}" if contact["every"] else None),
            ("next touch", local_text(contact["next_touch_at"], all_day=True) if contact["every"] else None),
            ("last contact", last or "never"),
            ("aka", contact["aliases"]),
            *[(k, v) for k, v in contact["fields"].items()],
            ("notes", contact["notes"]),
        ]
    )
    if health is not None:
        out.write("\n" + _heading(f"Health {health['score']}/100") + "\n")
        for reason in health["reasons"]:
            points = f"{reason['points']:>2}/{reason['of']:<2}"
            out.write(f"  {pad(reason['factor'], 9)}  {points}  {safe(reason['why'])}\n")
    people = picture.get("people")
    if people:
        out.write("\n" + _heading(f"People ({len(people)})") + "\n")
        for person in people:
            title = f"  {person['title']}" if person["title"] else ""
            out.write(safe(f"  #{person['id']}  {person['name']}{title}") + "\n")
    interactions = picture["interactions"]
    total = picture["interaction_count"]
    out.write("\n" + _heading(f"Timeline ({len(interactions)} of {total})") + "\n")
    if not interactions:
        out.write("  no interactions yet\n")
    for item in interactions:
        deal = f"  [deal {item['deal_id']}]" if item["deal_id"] else ""
        out.write(safe(
            f"  {local_text(item['at'])}  {pad(item['kind'], 7)}  {item['summary']}{deal}"
            f"  ({item['user']})"
        ) + "\n")
    deals = picture["deals"]
    out.write("\n" + _heading(f"Deals ({len(deals)})") + "\n")
    if not deals:
        out.write("  no deals\n")
    for deal in deals:
        star = "  ★ key" if deal["key"] else ""
        close = f"  close {deal['close_date']}" if deal["close_date"] else ""
        reason = f" ({deal['lost_reason']})" if deal["lost_reason"] else ""
        out.write(safe(
            f"  #{deal['id']}  {deal['title']}  {deal['value']} {deal['currency']}"
            f"  {deal['stage']} {deal['probability']}%  {deal['status']}{reason}{close}{star}"
        ) + "\n")
    reminders = picture["reminders"]
    out.write("\n" + _heading(f"Reminders ({len(reminders)})") + "\n")
    if not reminders:
        out.write("  none open\n")
    for rem in reminders:
        every = f"  (every {rem['every']})" if rem["every"] else ""
        due = local_text(rem["due"], all_day=rem["all_day"])
        out.write(safe(f"  #{rem['id']}  {due}  {rem['text']}{every}") + "\n")
    return 0


def edit(
    state: State,
    *,
    ref: str,
    name: str | None,
    org: str | None,
    kind: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    tag: list[str] | None,
    add_tag: list[str] | None,
    rm_tag: list[str] | None,
    rm_email: list[str] | None,
    title: str | None,
    birthday: str | None,
    lunar: bool | None,
    anniversary: list[str] | None,
    note: str | None,
    every: str | None,
    owner: str | None,
    tier: str | None,
    set_: list[str] | None,
    unset: list[str] | None,
    allow_duplicate: bool,
    as_json: bool,
) -> None:
    """`contact edit`: change fields ("" clears a text field); reads and writes in one transaction."""
    store = state.store()
    contact = store.resolve(check_ref(ref), include_trash=True)
    with writing(store, f"contact edit {contact['name']}"):
        contact = store.get_contact(contact["id"], include_trash=True)  # as it is inside the lock
        fields: dict = {}
        for key, value in (
            ("name", name), ("org", org), ("kind", kind), ("title", title), ("birthday", birthday),
            ("notes", note), ("every", every), ("owner", owner), ("tier", tier),
        ):
            if value is not None:
                fields[key] = value
        if lunar is not None:
            fields["birthday_lunar"] = lunar
        if anniversary:  # added to the ones it has; a label given again replaces its date
            new = _anniversaries(anniversary)
            labels = {a["label"] for a in new}
            fields["anniversaries"] = [a for a in contact["anniversaries"] if a["label"] not in labels] + new
        if rm_email:
            drop = {e.strip().lower() for e in rm_email}
            fields["emails"] = [e for e in contact["emails"] if e.lower() not in drop]
        updated = store.edit_contact(
            contact["id"],
            add_tags=[*(tag or []), *(add_tag or [])],
            rm_tags=rm_tag or [],
            add_emails=email or [],
            add_phones=phone or [],
            set_fields=_pairs(set_),
            unset_fields=unset or [],
            allow_duplicate=allow_duplicate,
            **fields,
        )
        if as_json:
            emit_json(updated)
        else:
            echo(safe(f"updated {updated['id']}: {updated['name']}"))


def rm(state: State, *, ref: str, as_json: bool) -> None:
    """`contact rm`: move a contact to the trash."""
    store = state.store()
    found = store.resolve(check_ref(ref))
    with writing(store, f"contact rm {found['name']}"):
        contact = store.trash_contact(found["id"])
        if as_json:
            emit_json(contact)
        else:
            echo(safe(f"moved {contact['id']} ({contact['name']}) to the trash"))


def restore(state: State, *, ref: str, as_json: bool) -> None:
    """`contact restore`: bring a contact back from the trash."""
    store = state.store()
    found = store.resolve(check_ref(ref), include_trash=True)
    with writing(store, f"contact restore {found['name']}"):
        contact = store.restore_contact(found["id"])
        if as_json:
            emit_json(contact)
        else:
            echo(safe(f"restored {contact['id']} ({contact['name']})"))


def forget(state: State, *, ref: str, yes: bool) -> None:
    """`contact forget`: erase a person for good, history included."""
    from ..services.contacts import forget as erase
    from ..services.contacts import forget_target

    store = state.store()
    contact, ghosts = forget_target(store, check_ref(ref))
    who = f"{contact['name']} (#{contact['id']})" if contact else f"'{ref}' (found only in history)"
    if not yes:
        if sys.stdin.isatty() and sys.stdout.isatty():
            confirm(f"Erase {who} and all its history for good? Undo cannot bring it back.")
        else:
            raise UsageError("forget erases for good and undo cannot bring it back: add --yes to confirm")
    # not inside `writing`: the erasure commits, then truncates the WAL that still holds the
    # old pages; a retry after a failed print finds nobody, so the exit code cannot mislead
    erase(store, contact, ghosts)
    echo(safe(f"forgot {contact['id']} ({contact['name']})" if contact else f"forgot {who}"))


# ---------------------------------------------------------------- a small team: claim, release, reassign


def claim(state: State, *, ref: str, as_json: bool) -> None:
    """`contact claim REF`: take a customer from the pool, in history as a change of owner."""
    from ..services.team import claim as take

    store = state.store()
    with writing(store, "contact claim"):
        contact = take(store, check_ref(ref), now_local=state.local_now())
        if as_json:
            emit_json(contact)
        else:
            echo(safe(f"{contact['name']} (#{contact['id']}) is yours now ({contact['owner']})"))


def release(state: State, *, ref: str, as_json: bool) -> None:
    """`contact release REF`: give one of my customers back to the pool."""
    from ..services.team import release as give_back

    store = state.store()
    with writing(store, "contact release"):
        contact = give_back(store, check_ref(ref))
        if as_json:
            emit_json(contact)
        else:
            echo(safe(f"{contact['name']} (#{contact['id']}) is back in the pool"))


def reassign(
    state: State, *, filter_: list[str] | None, from_: str | None, to: str | None, as_json: bool
) -> None:
    """`contact reassign --from U --to V [FILTER…]`: hand a colleague's customers over, one undo step."""
    from ..services.team import reassign as hand_over

    if not from_ or not to:
        raise UsageError("contact reassign needs --from USER and --to USER")
    store = state.store()
    with writing(store, f"contact reassign {from_} → {to}"):
        moved = hand_over(store, from_, to, filter_words(filter_))
        if as_json:
            emit_json(moved)
            return
        if not moved["contacts"]:
            echo(safe(f"{from_} has no customers{' matching that filter' if filter_ else ''}: nothing moved"))
            return
        for cid, name in zip(moved["contacts"], moved["names"]):
            echo(safe(f"#{cid}  {name}"))
        n, d, r = len(moved["contacts"]), len(moved["deals"]), len(moved["reminders"])
        echo(safe(f"moved {n} customer{'s' if n != 1 else ''}, {d} open deal{'s' if d != 1 else ''} and"
             f" {r} reminder{'s' if r != 1 else ''} from {from_} to {to}"))
