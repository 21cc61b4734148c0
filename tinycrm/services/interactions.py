"""Logging an interaction (`tinycrm log`, the TUI's log form, `log --eml`)."""

from __future__ import annotations

from datetime import datetime, timedelta

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
