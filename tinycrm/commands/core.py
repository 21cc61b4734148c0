"""The top-level verbs: log, timeline, search, history, undo."""

from __future__ import annotations

import sys

from ..cells import safe
from ..errors import InvalidData, NotFound, UsageError
from ..output import emit_json, emit_table
from ._common import State, check_id, check_ref, echo, local_text, page, reads, writing


def log(
    state: State,
    *,
    ref: str | None,
    text: str | None,
    kind: str,
    at: str | None,
    deal: int | None,
    next_: str | None,
    eml: str | None,
    create: bool,
    as_json: bool,
) -> None:
    """`log`: record an interaction with a contact; --next adds a follow-up."""
    if eml is not None:
        if ref is not None or text is not None:
            raise UsageError("--eml takes no REF or TEXT: the contact is found by address")
        _log_eml(state, eml, next_, create, as_json)
        return
    if create:
        raise UsageError("--create goes with --eml (it makes the sender of a message a contact)")
    if ref is None or text is None:
        raise UsageError("log needs REF and TEXT (or --eml FILE)")
    log_interaction(state, ref, text, kind=kind, at=at, deal=deal, next_when=next_, as_json=as_json)


def log_interaction(
    st: State,
    ref: str,
    text: str,
    *,
    kind: str = "note",
    at: str | None = None,
    deal: int | None = None,
    next_when: str | None = None,
    as_json: bool = False,
) -> int:
    """`log REF TEXT`: record an interaction, optionally with a follow-up."""
    from ..services.interactions import log_interaction as log

    store = st.store()
    with writing(store, "log"):
        record = log(
            store, check_ref(ref), text, now_local=st.local_now(), kind=kind, at=at,
            deal_id=check_id(deal, "deal"), next_when=next_when,
        )
        if as_json:
            emit_json(record)
            return 0
        line = f"logged {record['id']}: {kind} with {safe(record['contact'])}"
        follow_up = record["follow_up"]
        if follow_up:
            line += f"; follow up {local_text(follow_up['due'], all_day=follow_up['all_day'])}"
        sys.stdout.write(line + "\n")
    return 0


def _log_eml(st: State, source: str, next_when: str | None, create: bool, as_json: bool) -> None:
    from ..io.email import parse_message
    from ..services.interactions import log_email

    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(source, "rb") as fh:  # noqa: PTH123 - pathlib is not on log's start-up path
                data = fh.read()
        except OSError as exc:
            raise InvalidData(f"cannot read {source}: {exc.strerror}") from None
    message = parse_message(data)
    store = st.store()
    with writing(store, "log"):
        done = log_email(store, message, now_local=st.local_now(), create=create, next_when=next_when)
        record = done.record
        if as_json:
            emit_json({**record, "contact": done.contact, "created": done.created,
                       "already": done.already})
        elif done.already:
            echo(f"already recorded as {record['id']}: email with {safe(done.contact)}: "
                 f"{safe(record['summary'])}")
        else:
            made = f" (new contact {record['contact_id']})" if done.created else ""
            echo(f"logged {record['id']}: email with {safe(done.contact)}{made}: "
                 f"{safe(message['subject'])}")


@reads
def timeline(state: State, *, ref: str | None, since: str | None, limit: int, as_json: bool) -> None:
    """`timeline`: interactions, newest first."""
    store = state.store()
    contact_id = store.resolve(check_ref(ref), include_trash=True)["id"] if ref else None
    since_dt = None
    if since:
        from ..dates import parse_since

        since_dt = parse_since(since, state.local_now())
    items = store.timeline(contact_id, since=since_dt, limit=page(limit))
    if as_json:
        emit_json(items)
        return
    for item in items:
        item["when"] = local_text(item["at"])
    emit_table(items, [("when", "When"), ("contact", "Contact"), ("kind", "Kind"),
                       ("summary", "Summary"), ("user", "By")])


@reads
def search(state: State, *, text: list[str], limit: int, as_json: bool) -> None:
    """`search`: contacts, deals and interactions matching words."""
    found = state.store().search(" ".join(text), limit=page(limit))
    if as_json:
        emit_json(found)
        return
    if not any(found.values()):
        raise NotFound(f"nothing found for '{' '.join(text)}'")
    if found["contacts"]:
        emit_table(found["contacts"], [("id", "ID"), ("name", "Name"), ("org", "Org"), ("emails", "E-mail")],
                   title="Contacts")
    if found["deals"]:
        emit_table(found["deals"], [("id", "ID"), ("title", "Deal"), ("contact", "Contact"),
                                    ("stage", "Stage"), ("status", "Status")], title="Deals")
    if found["interactions"]:
        for item in found["interactions"]:
            item["when"] = local_text(item["at"])
        emit_table(found["interactions"], [("when", "When"), ("contact", "Contact"), ("kind", "Kind"),
                                           ("summary", "Summary")], title="Interactions")


@reads
def history(state: State, *, ref: str | None, limit: int, as_json: bool) -> None:
    """`history`: what changed, who changed it and when, newest first."""
    from .. import wording
    from ..dates import local_tz
    from ..output import is_terminal

    store = state.store()
    contact_id = store.resolve(check_ref(ref), include_trash=True)["id"] if ref else None
    items = store.history(contact_id, limit=page(limit))
    contact_ids, deal_ids = wording.wanted_names(items)
    names = {"contacts": store.names_of("contact", contact_ids), "deals": store.names_of("deal", deal_ids)}
    tz = local_tz()
    if as_json:
        emit_json(wording.describe_json(items, **names, tz=tz))
        return
    changes = wording.describe(items, **names, tz=tz)
    if not changes:
        return
    import shutil  # only for a table on a terminal: ~6 ms `log` need not pay

    width = shutil.get_terminal_size().columns if is_terminal() else 10_000
    sys.stdout.write(wording.format_history_table(changes, width, tz=tz, today=state.local_now().date()))


def redo(state: State, *, as_json: bool) -> None:
    """`redo`: do again what the acting user's last undo took back."""
    store = state.store()
    with writing(store, "redo"):
        result = store.redo()
        if as_json:
            emit_json(result)
        else:
            echo(safe(f"redid '{result['command']}' ({result['changes']} change"
                      f"{'s' if result['changes'] != 1 else ''})"))


def undo(state: State, *, as_json: bool) -> None:
    """`undo`: take back the acting user's last change."""
    store = state.store()
    with writing(store, "undo"):
        result = store.undo()
        if as_json:
            emit_json(result)
        else:
            echo(f"undid '{result['command']}' by {result['user']} ({result['changes']} change"
                 f"{'s' if result['changes'] != 1 else ''})")
