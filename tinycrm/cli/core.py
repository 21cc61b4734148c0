"""The top-level verbs: log, timeline, search, history, undo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InvalidData, NotFound, UsageError
from ..output import emit_json, emit_table
from ..views import log_interaction
from ._common import JsonOpt, local_text, state

KINDS = "call, email, meeting, message, visit, note"


def log(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(help="The contact: id, e-mail, phone or part of the name.")
    ] = None,
    text: Annotated[str | None, typer.Argument(help="What happened.")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help=f"One of {KINDS}.")] = "note",
    at: Annotated[str | None, typer.Option("--at", help="When it happened (WHEN; default now).")] = None,
    deal: Annotated[int | None, typer.Option("--deal", help="The deal it belongs to.")] = None,
    next_: Annotated[
        str | None, typer.Option("--next", help="Add a follow-up reminder (WHEN: fri, +3d…).")
    ] = None,
    eml: Annotated[
        str | None,
        typer.Option("--eml", help="Record an e-mail message (RFC 822 file, or - for stdin)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record an interaction with a contact; --next adds a follow-up."""
    st = state(ctx)
    if eml is not None:
        if ref is not None or text is not None:
            raise UsageError("--eml takes no REF or TEXT: the contact is found by address")
        _log_eml(st, eml, next_, as_json)
        return
    if ref is None or text is None:
        raise UsageError("log needs REF and TEXT (or --eml FILE)")
    log_interaction(st, ref, text, kind=kind, at=at, deal=deal, next_when=next_, as_json=as_json)


def _log_eml(st, source: str, next_when: str | None, as_json: bool) -> None:
    from ..dates import parse_when
    from ..io.email import parse_message

    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InvalidData(f"cannot read {source}: {exc.strerror}") from None
    message = parse_message(data)
    store = st.store()
    contact = None
    for address in message["addresses"]:
        try:
            contact = store.resolve(address)
            break
        except NotFound:
            continue
    if contact is None:
        shown = ", ".join(message["addresses"]) or "none"
        raise NotFound(f"no contact has any address of this message ({shown})")
    follow = parse_when(next_when, st.local_now()) if next_when else None
    record = store.log(
        contact["id"],
        message["subject"],
        kind="email",
        at=message["at"],
        body=message["body"],
        follow_up=follow.at if follow else None,
        follow_up_all_day=follow.all_day if follow else True,
    )
    if as_json:
        emit_json(record)
    else:
        typer.echo(f"logged {record['id']}: email with {contact['name']}: {message['subject']}")


def timeline(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help="Only this contact.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this WHEN on: 30d (ago), 2026-01-01, monday.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N interactions.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Interactions, newest first."""
    st = state(ctx)
    store = st.store()
    contact_id = store.resolve(ref, include_trash=True)["id"] if ref else None
    since_dt = None
    if since:
        from ..dates import parse_since

        since_dt = parse_since(since, st.local_now())
    items = store.timeline(contact_id, since=since_dt, limit=limit)
    if as_json:
        emit_json(items)
        return
    for item in items:
        item["when"] = local_text(item["at"])
    emit_table(
        items,
        [("when", "When"), ("contact", "Contact"), ("kind", "Kind"), ("summary", "Summary"), ("user", "By")],
    )


def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(help="Words to find (CJK substrings, pinyin initials).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N of each kind.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Find contacts, deals and interactions."""
    found = state(ctx).store().search(" ".join(text), limit=limit)
    if as_json:
        emit_json(found)
        return
    if not any(found.values()):
        raise NotFound(f"nothing found for '{' '.join(text)}'")
    if found["contacts"]:
        emit_table(
            found["contacts"],
            [("id", "ID"), ("name", "Name"), ("org", "Org"), ("emails", "E-mail")],
            title="Contacts",
        )
    if found["deals"]:
        emit_table(
            found["deals"],
            [
                ("id", "ID"),
                ("title", "Deal"),
                ("contact", "Contact"),
                ("stage", "Stage"),
                ("status", "Status"),
            ],
            title="Deals",
        )
    if found["interactions"]:
        for item in found["interactions"]:
            item["when"] = local_text(item["at"])
        emit_table(
            found["interactions"],
            [("when", "When"), ("contact", "Contact"), ("kind", "Kind"), ("summary", "Summary")],
            title="Interactions",
        )


def history(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help="Only changes about this contact.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N changes.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """What changed, who changed it and when, newest first."""
    store = state(ctx).store()
    contact_id = store.resolve(ref, include_trash=True)["id"] if ref else None
    items = store.history(contact_id, limit=limit)
    if as_json:
        emit_json(items)
        return
    for item in items:
        item["when"] = local_text(item["at"])
        item["what"] = f"{item['op']} {item['table']} {item['row_id']}"
        item["detail"] = ", ".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in item["changes"].items())[:80]
        item["state"] = "undone" if item["undone_at"] else ""
    emit_table(
        items,
        [
            ("txid", "#"),
            ("when", "When"),
            ("user", "By"),
            ("command", "Command"),
            ("what", "Change"),
            ("detail", "Detail"),
            ("state", ""),
        ],
    )


def undo(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Take back the last change, whatever command made it."""
    result = state(ctx).store().undo()
    if as_json:
        emit_json(result)
    else:
        typer.echo(
            f"undid '{result['command']}' by {result['user']} ({result['changes']} change"
            f"{'s' if result['changes'] != 1 else ''})"
        )


def register(app: typer.Typer) -> None:
    """Add the top-level verbs to the root app."""
    app.command("log")(log)
    app.command("timeline")(timeline)
    app.command("search")(search)
    app.command("history")(history)
    app.command("undo")(undo)
