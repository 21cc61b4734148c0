"""`tinycrm contact …`: add, list, show, edit, rm, restore, forget."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..errors import InvalidData, UsageError
from ..output import emit_json, emit_table
from ..views import show_contact
from ._common import CsvOpt, JsonOpt, emit_records, filter_words, local_text, state

app = typer.Typer(
    help="Add, find, show and change contacts (people and organisations).", no_args_is_help=True
)

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
    "id",
    "kind",
    "name",
    "org",
    "title",
    "emails",
    "phones",
    "tags",
    "tier",
    "owner",
    "birthday",
    "every",
    "notes",
    "created_at",
    "updated_at",
    "last_contacted_at",
]

OrgOpt = Annotated[str | None, typer.Option("--org", help="Organisation name.")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="person or org.")]
EmailOpt = Annotated[list[str] | None, typer.Option("--email", help="E-mail (repeatable).")]
PhoneOpt = Annotated[list[str] | None, typer.Option("--phone", help="Phone (repeatable).")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Job title.")]
BirthdayOpt = Annotated[str | None, typer.Option("--birthday", help="YYYY-MM-DD, or MM-DD without a year.")]
LunarOpt = Annotated[
    bool | None, typer.Option("--lunar/--solar", help="The birthday is a Chinese lunar date.")
]
AnniversaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--anniversary",
        help="Another yearly date, LABEL=DATE (repeatable); DATE may start with lunar: "
        "(e.g. wedding=2015-06-20, 公司成立=lunar:03-15).",
    ),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free-text notes.")]
EveryOpt = Annotated[str | None, typer.Option("--every", help="Keep-in-touch cadence: 30d, 2w, 3m, 1y.")]
OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Owner (default: you).")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="Custom field KEY=VALUE (repeatable).")]


def _anniversaries(items: list[str] | None) -> list[dict]:
    """`LABEL=DATE` or `LABEL=lunar:DATE` options as anniversary records."""
    out = []
    for item in items or []:
        label, sep, date = item.partition("=")
        if not sep or not label.strip() or not date.strip():
            raise InvalidData(f"invalid --anniversary '{item}': use LABEL=DATE, e.g. wedding=2015-06-20")
        lunar = date.strip().lower().startswith("lunar:")
        out.append(
            {"label": label.strip(), "date": date.strip()[6:] if lunar else date.strip(), "lunar": lunar}
        )
    return out


def _pairs(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidData(f"invalid --set '{item}': use KEY=VALUE")
        out[key.strip()] = value
    return out


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name (or organisation name with --kind org).")],
    org: OrgOpt = None,
    kind: KindOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    tag: TagOpt = None,
    title: TitleOpt = None,
    birthday: BirthdayOpt = None,
    lunar: LunarOpt = None,
    anniversary: AnniversaryOpt = None,
    note: NoteOpt = None,
    every: EveryOpt = None,
    owner: OwnerOpt = None,
    set_: SetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a contact; prints its id."""
    store = state(ctx).store()
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
    contact = store.add_contact(name, **fields)
    if as_json:
        emit_json(contact)
    else:
        typer.echo(contact["id"])


@app.command("list", context_settings={"ignore_unknown_options": True})
def list_(
    ctx: typer.Context,
    filter_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILTER]...", help="Filter terms, e.g. tag:vip last>30d 张."),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="name, org, created, updated, last, next, tier, owner, id; prefix - to reverse."
        ),
    ] = "name",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N contacts.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """List contacts matching a filter."""
    store = state(ctx).store()
    contacts = store.list_contacts(filter_words(filter_), sort=sort, limit=limit)
    if emit_records(contacts, as_json=as_json, as_csv=as_csv, csv_columns=CSV_COLUMNS):
        return
    for contact in contacts:
        contact["last"] = local_text(contact["last_contacted_at"], all_day=True)
        contact["emails"] = contact["emails"][:1]
    emit_table(contacts, LIST_COLUMNS)
    if sys.stdout.isatty():
        typer.echo(f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}", err=True)


@app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """One customer's whole picture: details, timeline, deals, reminders."""
    show_contact(state(ctx), ref, as_json=as_json)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    org: OrgOpt = None,
    kind: KindOpt = None,
    email: Annotated[list[str] | None, typer.Option("--email", help="Add an e-mail (repeatable).")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", help="Add a phone (repeatable).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag (repeatable).")] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--add-tag", help="Add a tag (repeatable).")] = None,
    rm_tag: Annotated[list[str] | None, typer.Option("--rm-tag", help="Remove a tag (repeatable).")] = None,
    rm_email: Annotated[
        list[str] | None, typer.Option("--rm-email", help="Remove an e-mail (repeatable).")
    ] = None,
    title: TitleOpt = None,
    birthday: BirthdayOpt = None,
    lunar: LunarOpt = None,
    anniversary: AnniversaryOpt = None,
    note: NoteOpt = None,
    every: EveryOpt = None,
    owner: OwnerOpt = None,
    tier: Annotated[str | None, typer.Option("--tier", help="Tier (A, B, C…).")] = None,
    set_: SetOpt = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", help="Remove a custom field (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change fields of a contact ("" clears a text field)."""
    store = state(ctx).store()
    contact = store.resolve(ref, include_trash=True)
    fields: dict = {}
    for key, value in (
        ("name", name),
        ("org", org),
        ("kind", kind),
        ("title", title),
        ("birthday", birthday),
        ("notes", note),
        ("every", every),
        ("owner", owner),
        ("tier", tier),
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
        **fields,
    )
    if as_json:
        emit_json(updated)
    else:
        typer.echo(f"updated {updated['id']}: {updated['name']}")


@app.command("rm")
def rm(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Move a contact to the trash (restore brings it back)."""
    store = state(ctx).store()
    contact = store.trash_contact(store.resolve(ref)["id"])
    if as_json:
        emit_json(contact)
    else:
        typer.echo(f"moved {contact['id']} ({contact['name']}) to the trash")


@app.command("restore")
def restore(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Bring a contact back from the trash."""
    store = state(ctx).store()
    contact = store.restore_contact(store.resolve(ref, include_trash=True)["id"])
    if as_json:
        emit_json(contact)
    else:
        typer.echo(f"restored {contact['id']} ({contact['name']})")


@app.command("forget")
def forget(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase a person for good, history included (privacy requests)."""
    from ..services.contacts import forget as erase
    from ..services.contacts import forget_target

    store = state(ctx).store()
    contact, ghosts = forget_target(store, ref)
    who = f"{contact['name']} (#{contact['id']})" if contact else f"'{ref}' (only in history)"
    if not yes:
        if sys.stdin.isatty() and sys.stdout.isatty():
            typer.confirm(f"Erase {who} and all its history for good? Undo cannot bring it back.",
                          abort=True)
        else:
            raise UsageError("forget erases for good and undo cannot bring it back: add --yes to confirm")
    erase(store, contact, ghosts)
    typer.echo(f"forgot {contact['id']} ({contact['name']})" if contact else f"forgot {who}")
