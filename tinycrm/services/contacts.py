"""A customer's whole picture: details, timeline, deals, reminders and, for an organisation, its people."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact
    from ..store import Store

TIMELINE_SHOWN = 20


def picture(store: Store, contact: Contact, *, limit: int | None = TIMELINE_SHOWN) -> dict[str, Any]:
    """A contact with its newest interactions (all when `limit` is None), deals, open reminders, people."""
    cid = contact["id"]
    result: dict[str, Any] = dict(contact)
    result["interactions"] = store.timeline(cid, limit=limit)
    result["interaction_count"] = (
        store.count_interactions(cid) if limit is not None else len(result["interactions"])
    )
    result["deals"] = store.list_deals(contact_id=cid)
    result["reminders"] = store.list_reminders(contact_id=cid)
    if contact["kind"] == "org":
        result["people"] = store.members(cid)
    return result


def forget_target(store: Store, ref: str) -> tuple[Contact | None, list[int]]:
    """Who `contact forget REF` would erase: a contact (trash included), else people left only in history.

    A person whose creation was undone no longer answers to a REF, but history still holds
    their name and e-mails: a privacy request must reach them too.
    """
    from ..errors import NotFound

    try:
        return store.resolve(ref, include_trash=True), []
    except NotFound:
        ghosts = store.forgotten_matches(ref)
        if not ghosts:
            raise
        return None, ghosts


def forget(store: Store, contact: Contact | None, ghosts: list[int]) -> None:
    """Erase for good what `forget_target` found; undo cannot bring it back."""
    if contact is not None:
        store.forget_contact(contact["id"])
    if ghosts:
        store.forget_history(ghosts)
