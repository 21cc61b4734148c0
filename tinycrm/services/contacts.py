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
