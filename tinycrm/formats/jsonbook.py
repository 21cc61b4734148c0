"""The whole book as one JSON document: what `export json` writes and `import` reads back.

    {"tinycrm": 1, "exported_at": "2026-11-30T18:00:00Z",
     "contacts": [...], "interactions": [...], "deals": [...], "reminders": [...],
     "tiers": [...], "stages": [...]}

Each list holds the records the store returns (`contact_record`, `interaction_record`,
`deal_record` with its `stages` history, `reminder_record`), ids included, so references
between them (`contact_id`, `deal_id`, `interaction_id`) survive: the importer gives the
records new ids and maps the old ones. `tinycrm` is the format's version; a reader refuses a
newer one rather than guess. Validation errors name the list and the item's 1-based position
(`deals[3]: value 'ten' is not an amount`) as `BadRow`s, so `--skip-errors` can leave out one
bad record and keep the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..errors import BadRow, InvalidData
from .dates import parse_date
from .detect import decode
from .draft import Draft

VERSION = 1
"""The version of the document this module writes; readers accept it and every older one."""
_CONTACT_EXTRA = (
    "id",
    "created_at",
    "updated_at",
    "last_contacted_at",
    "deleted_at",
    "org_id",
    "next_touch_at",
)
_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_SECTIONS = ("contacts", "interactions", "deals", "reminders", "tiers", "stages")


@dataclass
class Book:
    """A JSON book read and checked: contacts as drafts (their old id in `extra['id']`), the
    other records as plain dicts still carrying the old ids, and the items that failed."""

    contacts: list[Draft] = field(default_factory=list)
    interactions: list[dict] = field(default_factory=list)
    deals: list[dict] = field(default_factory=list)
    reminders: list[dict] = field(default_factory=list)
    tiers: list[dict] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)
    errors: list[BadRow] = field(default_factory=list)
    exported_at: str | None = None


def dump_book(
    *,
    contacts: Iterable[Mapping[str, Any]],
    interactions: Iterable[Mapping[str, Any]] = (),
    deals: Iterable[Mapping[str, Any]] = (),
    reminders: Iterable[Mapping[str, Any]] = (),
    tiers: Iterable[Mapping[str, Any]] = (),
    stages: Iterable[Mapping[str, Any]] = (),
    exported_at: str,
) -> dict:
    """The document for these records; `exported_at` is the store's clock (UTC ISO)."""
    return {
        "tinycrm": VERSION,
        "exported_at": exported_at,
        "contacts": [dict(r) for r in contacts],
        "interactions": [dict(r) for r in interactions],
        "deals": [dict(r) for r in deals],
        "reminders": [dict(r) for r in reminders],
        "tiers": [dict(r) for r in tiers],
        "stages": [dict(r) for r in stages],
    }


def write_book(book: Mapping[str, Any], out: TextIO) -> None:
    """Write the document as UTF-8 JSON (names unescaped, one record a line for diffs)."""
    head = json.dumps({"tinycrm": book["tinycrm"], "exported_at": book.get("exported_at")})
    out.write(head[:-1])
    for section in _SECTIONS:
        out.write(f',\n"{section}": [')
        for i, record in enumerate(book.get(section) or []):
            out.write(("\n " if i == 0 else ",\n ") + json.dumps(record, ensure_ascii=False, sort_keys=True))
        out.write("]")
    out.write("}\n")


class _Bad(Exception):
    pass


def _str(rec: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = rec.get(key)
    if value is None or value == "":
        if required:
            raise _Bad(f"'{key}' is missing")
        return None
    if not isinstance(value, str):
        raise _Bad(f"'{key}' must be text, not {type(value).__name__}")
    return value


def _int(rec: Mapping[str, Any], key: str, *, required: bool = False) -> int | None:
    value = rec.get(key)
    if value is None:
        if required:
            raise _Bad(f"'{key}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"'{key}' must be a whole number, not {json.dumps(value)[:40]}")
    return value


def _list(rec: Mapping[str, Any], key: str, kind: type = str) -> list:
    value = rec.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        raise _Bad(f"'{key}' must be a list of {'text' if kind is str else 'objects'}")
    return value


def _contact(rec: Mapping[str, Any]) -> Draft:
    name = _str(rec, "name", required=True)
    draft = Draft(name=name.strip() if name else "")
    kind = rec.get("kind") or "person"
    if kind not in ("person", "org"):
        raise _Bad(f"kind '{kind}' is not person or org")
    draft.kind = kind
    draft.org = _str(rec, "org")
    draft.title = _str(rec, "title")
    for email in _list(rec, "emails"):
        draft.add_email(email)
    for phone in _list(rec, "phones"):
        draft.add_phone(phone)
    for adr in _list(rec, "addresses"):
        draft.add_address(adr)
    for tag in _list(rec, "tags"):
        draft.add_tag(tag)
    for alias in _list(rec, "aliases"):
        draft.add_alias(alias)
    birthday = _str(rec, "birthday")
    draft.birthday_lunar = bool(rec.get("birthday_lunar"))
    if birthday:
        try:
            draft.birthday = parse_date(birthday)
        except ValueError:
            draft.keep_aside("birthday", birthday, f"'{birthday}' is not a date")
    for item in _list(rec, "anniversaries", dict):
        label, day = item.get("label"), item.get("date")
        if not isinstance(label, str) or not label.strip() or not isinstance(day, str):
            raise _Bad("an anniversary needs a 'label' and a 'date'")
        try:
            parsed = parse_date(day)
        except ValueError:
            raise _Bad(f"anniversary '{label}': '{day}' is not a date") from None
        if parsed:
            draft.add_anniversary(label, parsed, bool(item.get("lunar")))
    for key in ("notes", "owner", "tier"):
        setattr(draft, key, _str(rec, key))
    draft.set_every(_str(rec, "every") or "")
    fields = rec.get("fields") or {}
    if not isinstance(fields, dict):
        raise _Bad("'fields' must be an object")
    for key, value in fields.items():
        if not str(key).strip():
            raise _Bad("a custom field needs a name")
        draft.set_field(str(key), value)
    labels = rec.get("labels") or {}
    if not isinstance(labels, dict):
        raise _Bad("'labels' must be an object")
    for value, label in labels.items():
        draft.set_label(str(value), str(label))
    draft.uid = _str(rec, "uid")
    draft.source_id = _str(rec, "source_id")
    _int(rec, "id", required=True)
    for key in _CONTACT_EXTRA:
        if rec.get(key) is not None:
            draft.set_extra(key, rec[key])
    return draft


def _interaction(rec: Mapping[str, Any], contacts: set[int], deals: set[int]) -> dict:
    _int(rec, "id", required=True)
    contact = _int(rec, "contact_id", required=True)
    if contact not in contacts:
        raise _Bad(f"contact_id {contact} is not a contact of this book")
    deal = _int(rec, "deal_id")
    if deal is not None and deal not in deals:
        raise _Bad(f"deal_id {deal} is not a deal of this book")
    _str(rec, "at", required=True)
    _str(rec, "summary", required=True)
    _str(rec, "kind")
    _str(rec, "message_id")
    return dict(rec)


def _deal(rec: Mapping[str, Any], contacts: set[int]) -> dict:
    _int(rec, "id", required=True)
    contact = _int(rec, "contact_id", required=True)
    if contact not in contacts:
        raise _Bad(f"contact_id {contact} is not a contact of this book")
    _str(rec, "title", required=True)
    value = rec.get("value", "0")
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not _AMOUNT.fullmatch(str(value)):
        raise _Bad(f'value {json.dumps(value)} is not an amount (use a decimal string such as "1250.50")')
    currency = _str(rec, "currency") or "USD"
    if not _CURRENCY.fullmatch(currency):
        raise _Bad(f"currency '{currency}' is not a three-letter code")
    _str(rec, "stage", required=True)
    status = rec.get("status") or "open"
    if status not in ("open", "won", "lost"):
        raise _Bad(f"status '{status}' is not open, won or lost")
    for item in _list(rec, "stages", dict):
        if not isinstance(item.get("stage"), str) or not isinstance(item.get("entered_at"), str):
            raise _Bad("each stage history item needs 'stage' and 'entered_at'")
    return dict(rec)


def _reminder(rec: Mapping[str, Any], contacts: set[int], deals: set[int]) -> dict:
    _int(rec, "id", required=True)
    contact = _int(rec, "contact_id")
    if contact is not None and contact not in contacts:
        raise _Bad(f"contact_id {contact} is not a contact of this book")
    deal = _int(rec, "deal_id")
    if deal is not None and deal not in deals:
        raise _Bad(f"deal_id {deal} is not a deal of this book")
    _str(rec, "text", required=True)
    _str(rec, "due", required=True)
    return dict(rec)


def _named(rec: Mapping[str, Any]) -> dict:
    _str(rec, "name", required=True)
    return dict(rec)


def read_book(data: bytes | str) -> Book:
    """A JSON book checked record by record. Raises InvalidData when the document itself is
    not one (not JSON, not an object, no `tinycrm` version, a newer version); a bad record is
    put in `errors` with its list and position, and the others are kept."""
    text = decode(data).text if isinstance(data, bytes) else data.lstrip("\ufeff")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" at line {line}" if line else ""
        raise InvalidData(f"not a JSON document{where}: {getattr(exc, 'msg', exc)}") from None
    if not isinstance(doc, dict) or "tinycrm" not in doc:
        raise InvalidData('not a tinycrm book: expected an object with "tinycrm": 1')
    version = doc["tinycrm"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidData(f"not a tinycrm book: version {json.dumps(version)[:20]}")
    if version > VERSION:
        raise InvalidData(f"this book was written by a newer tinycrm (format {version}); upgrade to read it")
    book = Book(exported_at=doc.get("exported_at") if isinstance(doc.get("exported_at"), str) else None)
    for section in _SECTIONS:
        if not isinstance(doc.get(section, []), list):
            raise InvalidData(f"'{section}' must be a list")

    def each(section: str, check: Any, into: list) -> None:
        for i, rec in enumerate(doc.get(section, []), 1):
            try:
                if not isinstance(rec, dict):
                    raise _Bad("must be an object")
                item = check(rec)
                if isinstance(item, Draft):
                    item.line = i
                into.append(item)
            except _Bad as exc:
                raw = json.dumps(rec, ensure_ascii=False)[:2000]
                book.errors.append(BadRow(i, str(exc), raw, where=f"{section}[{i}]"))

    seen: set[int] = set()

    def contact(rec: Mapping[str, Any]) -> Draft:
        draft = _contact(rec)
        if draft.extra["id"] in seen:
            raise _Bad(f"id {draft.extra['id']} is given twice")
        seen.add(draft.extra["id"])
        return draft

    each("contacts", contact, book.contacts)
    contact_ids = {d.extra["id"] for d in book.contacts}
    each("deals", lambda r: _deal(r, contact_ids), book.deals)
    deal_ids = {d["id"] for d in book.deals}
    each("interactions", lambda r: _interaction(r, contact_ids, deal_ids), book.interactions)
    each("reminders", lambda r: _reminder(r, contact_ids, deal_ids), book.reminders)
    each("tiers", _named, book.tiers)
    each("stages", _named, book.stages)
    return book
