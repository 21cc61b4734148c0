"""Logging an interaction (`tinycrm log`, the TUI's log form, `log --eml`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from ..dates import parse_when
from ..errors import InvalidData

FUTURE_SLACK = timedelta(minutes=5)  # clocks of a small team's machines differ a little

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..models import Interaction
    from ..store import Store


def interaction_time(at: str | None, now_local: datetime) -> datetime | None:
    """When it happened: a WHEN text, a bare day meaning that day at the current time."""
    if not at or not at.strip():
        return None
    when = parse_when(at, now_local)
    moment: datetime = when.at
    if when.all_day:
        moment = moment.replace(hour=now_local.hour, minute=now_local.minute)
    if moment > now_local + FUTURE_SLACK:
        # a future "interaction" is a plan: it would move last-contacted past now and hide
        # the contact from every stale view until then
        raise InvalidData(
            f"'{at}' is in the future: log what happened; for a plan use --next or `tinycrm remind add`"
        )
    return moment


def log_interaction(
    store: Store,
    contact: int | str,
    text: str,
    *,
    now_local: datetime,
    kind: str = "note",
    at: str | None = None,
    deal_id: int | None = None,
    next_when: str | None = None,
    body: str | None = None,
) -> Interaction:
    """Record an interaction with a contact (id or REF), with an optional follow-up, as one change."""
    at_dt = interaction_time(at, now_local)
    follow = parse_when(next_when, now_local) if next_when and next_when.strip() else None
    with store.write("log"):
        contact_id = contact if isinstance(contact, int) else store.resolve(contact)["id"]
        record = store.log(
            contact_id,
            text,
            kind=kind,
            at=at_dt,
            deal_id=deal_id,
            body=body,
            follow_up=follow.at if follow else None,
            follow_up_all_day=follow.all_day if follow else True,
        )
        record["contact"] = store.get_contact(contact_id)["name"]
    return record


class EmailLogged(NamedTuple):
    """What `log --eml` did: the interaction, and whether it made the contact or found it recorded."""

    record: Interaction
    contact: str
    created: bool
    already: bool


def log_email(
    store: Store, message: dict[str, Any], *, now_local: datetime, create: bool = False,
    next_when: str | None = None,
) -> EmailLogged:
    """Record a parsed e-mail with the contact of any of its addresses, once per Message-ID.

    `create` makes the sender a contact when no address matches (named by the From display
    name, else the address). A message already recorded is not recorded again."""
    from ..errors import NotFound

    follow = parse_when(next_when, now_local) if next_when and next_when.strip() else None
    message_id = message.get("message_id")
    with store.write("log"):
        if message_id:
            known = store.interaction_of_message(message_id)
            if known is not None:
                name = store.get_contact(known["contact_id"])["name"]
                return EmailLogged(known, name, created=False, already=True)
        contact = None
        for address in message["addresses"]:
            try:
                contact = store.resolve(address)
                break
            except NotFound:
                continue
        created = False
        if contact is None:
            shown = ", ".join(message["addresses"]) or "none"
            if not create or not message.get("from"):
                hint = "; --create makes the sender a contact" if message.get("from") else ""
                raise NotFound(f"no contact has any address of this message ({shown}){hint}")
            contact = store.add_contact(message.get("from_name") or message["from"],
                                        emails=[message["from"]])
            created = True
        record = store.log(
            contact["id"], message["subject"], kind="email", at=message["at"], body=message["body"],
            follow_up=follow.at if follow else None,
            follow_up_all_day=follow.all_day if follow else True,
            message_id=message_id,
        )
    return EmailLogged(record, contact["name"], created=created, already=False)
