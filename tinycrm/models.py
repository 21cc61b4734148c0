"""The records tinycrm hands around, and the JSON keys of the scripting contract — defined once.

Records are plain dicts (what `json.dumps` writes and what the TUI and the CLI read); their
shapes are TypedDicts for the type checker only, so defining them costs nothing at start-up.
The key tuples below are the contract (PRODUCT.md, "--json"): the store builds records with
exactly these keys first, in this order (tests/test_store.py checks it).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypedDict

    from typing_extensions import NotRequired  # typing's own from Python 3.11

    class Contact(TypedDict):
        id: int
        kind: str
        name: str
        org: str | None
        title: str | None
        emails: list[str]
        phones: list[str]
        tags: list[str]
        tier: str | None
        owner: str | None
        birthday: str | None
        every: str | None
        notes: str | None
        fields: dict[str, str]
        created_at: str
        updated_at: str
        last_contacted_at: str | None
        birthday_lunar: bool
        anniversaries: list[dict[str, Any]]
        addresses: list[str]
        aliases: list[str]
        org_id: int | None
        next_touch_at: str | None
        deleted_at: str | None
        labels: NotRequired[dict[str, str]]  # the type of an e-mail, phone, address; when any has one
        last: NotRequired[str]  # a cell `contact list` adds to its table

    class Interaction(TypedDict, total=False):
        id: int
        contact_id: int
        kind: str
        at: str
        summary: str
        deal_id: int | None
        user: str | None
        body: str | None
        message_id: str  # only on an e-mail recorded by `log --eml`
        contact: str
        follow_up: Reminder | None
        when: str  # a cell `log list` adds to its table

    class Deal(TypedDict, total=False):
        id: int
        contact_id: int
        title: str
        value: str
        currency: str
        stage: str
        probability: int
        status: str
        close_date: str | None
        key: bool
        owner: str | None
        lost_reason: str | None
        stage_entered_at: str
        created_at: str
        updated_at: str
        closed_at: str | None
        value_minor: int
        contact: str
        contact_org: str | None  # on the pipeline board's rows
        amount: str  # cells `deal list` adds to its table
        star: str
        stages: list[dict[str, Any]]

    class Reminder(TypedDict, total=False):
        id: int
        contact_id: int | None
        deal_id: int | None
        text: str
        due: str
        every: str | None
        source: str
        all_day: bool
        from_done: bool
        interaction_id: int | None
        anchor: str | None
        done_at: str | None
        owner: str | None
        contact: str | None
        when: str  # a cell `remind list` adds to its table

CONTACT_KEYS = (
    "id", "kind", "name", "org", "title", "emails", "phones", "tags", "tier", "owner",
    "birthday", "every", "notes", "fields", "created_at", "updated_at", "last_contacted_at",
)  # fmt: skip
INTERACTION_KEYS = ("id", "contact_id", "kind", "at", "summary", "deal_id", "user")
DEAL_KEYS = (
    "id", "contact_id", "title", "value", "currency", "stage", "probability", "status",
    "close_date", "key", "owner",
)  # fmt: skip
REMINDER_KEYS = ("id", "contact_id", "deal_id", "text", "due", "every", "source")
CONTACT_FIELDS = (
    "name", "kind", "org", "title", "emails", "phones", "addresses", "tags", "birthday",
    "birthday_lunar", "anniversaries", "every", "notes", "owner", "tier", "fields", "aliases",
)  # fmt: skip
"""What a contact is made of, as `Store.add_contact` and every reader (tinycrm.formats) name it."""
KEYS = {
    "contact": CONTACT_KEYS,
    "interaction": INTERACTION_KEYS,
    "deal": DEAL_KEYS,
    "reminder": REMINDER_KEYS,
}
INTERACTION_KINDS = ("call", "email", "meeting", "message", "visit", "note")
REMINDER_SOURCES = ("manual", "follow-up", "birthday", "anniversary", "cadence", "deal")
