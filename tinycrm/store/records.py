"""Rows as records: the one mapping from columns to the contract's JSON keys (tinycrm.models)."""

from __future__ import annotations

from ..lazy import json
from ..money import format_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact, Deal, Interaction, Reminder


def _json(text: str) -> Any:
    """Decode a JSON column; the common values skip the decoder (lists of 50 rows).

    Empty ones, and a list of printable strings with nothing escaped (no backslash), as
    `json.dumps` writes it: then every `"` delimits, so splitting at `", "` gives its items
    exactly; anything else (other spacing, a control character) goes to the decoder.
    """
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if len(text) > 3 and text[:2] == '["' and text[-2:] == '"]' and "\\" not in text and text.isprintable():
        inner = text[2:-2]
        items = inner.split('", "')
        if inner.count('"') == 2 * len(items) - 2:  # the separators' quotes, and no other
            return items
    return json.loads(text)


def contact_record(row: dict[str, Any]) -> Contact:
    """A contact row as its JSON-contract record."""
    rec: dict[str, Any] = {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "org": row["org"],
        "title": row["title"],
        "emails": _json(row["emails"]),
        "phones": _json(row["phones"]),
        "tags": _json(row["tags"]),
        "tier": row["tier"],
        "owner": row["owner"],
        "birthday": row["birthday"],
        "every": row["every"],
        "notes": row["notes"],
        "fields": _json(row["fields"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "last_contacted_at": row["last_contacted_at"],
        "birthday_lunar": bool(row["birthday_lunar"]),
        "anniversaries": _json(row["anniversaries"]),
        "addresses": _json(row["addresses"]),
        "aliases": _json(row["aliases"]),
        "org_id": row["org_id"],
        "next_touch_at": row["next_touch_at"],
        "deleted_at": row["deleted_at"],
    }
    labels = row.get("labels")
    if labels and labels != "{}":  # the type of an e-mail, phone or address (`work`, `cell`)
        rec["labels"] = json.loads(labels)
    return rec  # type: ignore[return-value]


def interaction_record(row: dict[str, Any]) -> Interaction:
    """An interaction row as its JSON-contract record."""
    rec: dict[str, Any] = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "kind": row["kind"],
        "at": row["at"],
        "summary": row["summary"],
        "deal_id": row["deal_id"],
        "user": row["user"],
        "body": row["body"],
    }
    if row.get("message_id"):  # recorded from an e-mail (`log --eml`): kept so it is recorded once
        rec["message_id"] = row["message_id"]
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec  # type: ignore[return-value]


def deal_record(row: dict[str, Any]) -> Deal:
    """A deal row as its JSON-contract record; `value` is an exact decimal string."""
    rec: dict[str, Any] = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "title": row["title"],
        "value": format_amount(row["value_minor"], row["currency"]),
        "currency": row["currency"],
        "stage": row["stage"],
        "probability": row["probability"],
        "status": row["status"],
        "close_date": row["close_date"],
        "key": bool(row["key"]),
        "owner": row["owner"],
        "lost_reason": row["lost_reason"],
        "stage_entered_at": row["stage_entered_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "closed_at": row["closed_at"],
        "value_minor": row["value_minor"],
    }
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec  # type: ignore[return-value]


def reminder_record(row: dict[str, Any]) -> Reminder:
    """A stored reminder row as its JSON-contract record."""
    rec: dict[str, Any] = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "deal_id": row["deal_id"],
        "text": row["text"],
        "due": row["due"],
        "every": row["every"],
        "source": row["source"],
        "all_day": bool(row["all_day"]),
        "from_done": bool(row["from_done"]),
        "interaction_id": row["interaction_id"],
        "anchor": row["anchor"],
        "done_at": row["done_at"],
        "owner": row["owner"],
    }
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec  # type: ignore[return-value]


