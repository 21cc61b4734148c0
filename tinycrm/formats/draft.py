"""The draft every reader yields: one contact as a file described it, not yet stored.

A draft carries the keyword arguments `Store.add_contact` takes (see `contact_fields`), plus
what the import needs to match and report: the vCard `uid`, a `source_id` (a vdir's file
name, a CRM's record id), the `line` it started on and the `warnings` raised while reading
it. Values a reader could not place (an "e-mail" that is not one, a phone cell holding a
word, bytes invalid in their charset) are already moved into `fields` or `notes`, with a
warning: a draft never carries a value the store would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..dates import parse_duration
from ..errors import InvalidData
from ..models import CONTACT_FIELDS

# the store's own acceptance rules (tinycrm/store.py `_EMAIL_RE`, `_PHONE_RE`), so a draft
# never carries a value `add_contact` would refuse
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"\+?[\s().\-/]*(?:\d[\s().\-/]*){5,}")
"""Used with `fullmatch`: the store's phone characters, with at least five digits."""
_SPACES = re.compile(r"\s+")
_ASCII_NON_DIGITS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isdigit()))

CONTACT_KEYS = CONTACT_FIELDS  # the names Store.add_contact takes (tinycrm.models)


class _Empty(Mapping):
    """An immutable, hashable empty mapping: the shared default of a draft's mapping fields."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"


_NO_FIELDS: Mapping[str, Any] = _Empty()


@dataclass(slots=True)
class Draft:
    """One contact read from a file; `contact_fields()` is what `Store.add_contact` takes.

    The list and mapping fields start as shared empty tuples/mappings and become lists/dicts
    on the first `add_*`/`set_field` call: a sheet of 100,000 rows then allocates one object a
    row instead of eleven. Readers change a draft only through its methods.
    """

    name: str = ""
    line: int = 0
    kind: str = "person"
    org: str | None = None
    title: str | None = None
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    addresses: Sequence[str] = ()
    tags: Sequence[str] = ()
    birthday: str | None = None
    birthday_lunar: bool = False
    anniversaries: Sequence[dict] = ()
    every: str | None = None
    notes: str | None = None
    owner: str | None = None
    tier: str | None = None
    fields: Mapping[str, Any] = _NO_FIELDS
    aliases: Sequence[str] = ()
    uid: str | None = None
    source_id: str | None = None
    labels: Mapping[str, str] = _NO_FIELDS
    """The type or label of an e-mail, phone or address, keyed by that value (`work`, `mobile`)."""
    extra: Mapping[str, Any] = _NO_FIELDS
    """What only one format carries (a JSON book's id and timestamps); not contact fields."""
    warnings: Sequence[str] = ()

    def contact_fields(self) -> dict[str, Any]:
        """The keyword arguments of `Store.add_contact` (name included), empty ones left out."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        for key in CONTACT_KEYS[2:]:
            value = getattr(self, key)
            if value:
                out[key] = (
                    dict(value) if key == "fields" else list(value) if isinstance(value, tuple) else value
                )
        return out

    def match_keys(self) -> MatchKeys:
        """The keys an import matches existing contacts by, strongest first (see `MatchKeys`)."""
        emails, phones = self.emails, self.phones
        has_strong = bool(self.uid or self.source_id or emails or phones)
        if len(phones) == 1:  # one of each is what most rows of a sheet have
            phone = phone_match_key(phones[0])
            phone_keys: tuple[str, ...] = (phone,) if phone else ()
        else:
            phone_keys = tuple(dict.fromkeys(k for k in map(phone_match_key, phones) if k))
        if len(emails) == 1:
            email_keys: tuple[str, ...] = (emails[0].casefold(),)
        else:
            email_keys = tuple(dict.fromkeys(e.casefold() for e in emails))
        return MatchKeys(
            self.uid,
            self.source_id,
            email_keys,
            phone_keys,
            None if has_strong else (_fold(self.name), _fold(self.org or "")),
        )

    def warn(self, message: str) -> None:
        """Record a value kept aside, so `--dry-run` and the import summary can show it."""
        if isinstance(self.warnings, list):
            self.warnings.append(message)
        else:
            self.warnings = [message]

    def set_field(self, key: str, value: Any) -> None:
        """Set a custom field; a key already taken gets ` 2`, ` 3`… so no value is lost."""
        if not isinstance(self.fields, dict):
            self.fields = {}
        put_field(self.fields, key, value)

    def keep_aside(self, key: str, value: str, why: str) -> None:
        """Put a value the store would refuse into a custom field, never dropping it."""
        self.set_field(key, value)
        self.warn(f"{why}: kept in field '{key}'")

    def set_label(self, value: str, label: str) -> None:
        """Remember the type or label (`work`, `mobile`) an e-mail, phone or address had."""
        if not isinstance(self.labels, dict):
            self.labels = {}
        self.labels[value] = label

    def set_extra(self, key: str, value: Any) -> None:
        """Keep something only this format carries (a JSON book's id, created_at…)."""
        if not isinstance(self.extra, dict):
            self.extra = {}
        self.extra[key] = value

    def add_email(self, value: str, label: str | None = None) -> None:
        """Add an e-mail if it is one; otherwise keep it aside with a warning."""
        value = value.strip()
        if value[:7].lower() == "mailto:":
            value = value[7:]
        if not value:
            return
        if EMAIL_RE.match(value):
            self.emails = _added(self.emails, value)
            if label:
                self.set_label(value, label)
        else:
            self.keep_aside(f"email {label}" if label else "email", value, f"'{value}' is not an e-mail")

    def add_phone(self, value: str, label: str | None = None) -> None:
        """Add a phone if it is one; otherwise keep it aside with a warning."""
        value = value.strip()
        if not value:
            return
        if PHONE_RE.fullmatch(value):
            self.phones = _added(self.phones, value)
            if label:
                self.set_label(value, label)
        elif EMAIL_RE.match(value):
            # macOS Contacts lets an address be typed into a phone field; as an e-mail it still finds them
            self.add_email(value, label)
            self.warn(f"'{value}' is an e-mail address in a phone field: kept as an e-mail")
        else:
            self.keep_aside(f"phone {label}" if label else "phone", value, f"'{value}' is not a phone number")

    def add_address(self, value: str, label: str | None = None) -> None:
        """Add an address (one line of text), with its label."""
        value = value.strip()
        if value:
            self.addresses = _added(self.addresses, value)
            if label:
                self.set_label(value, label)

    def add_tag(self, value: str) -> None:
        """Add a tag; the store allows no spaces in one, so they become dashes."""
        tag = _SPACES.sub("-", value.strip()).lstrip("#")
        if tag:
            self.tags = _added(self.tags, tag)

    def add_alias(self, value: str) -> None:
        """Add a name the contact is also known by."""
        if value.strip():
            self.aliases = _added(self.aliases, value.strip())

    def add_anniversary(self, label: str, day: str, lunar: bool = False) -> None:
        """Add a yearly date (`YYYY-MM-DD` or `--MM-DD`) under a label."""
        item = {"label": label, "date": day, "lunar": lunar}
        self.anniversaries = _added(self.anniversaries, item)

    def set_every(self, value: str) -> None:
        """Set the keep-in-touch cadence if the store can read it (`30d`, `2w`), else keep it aside."""
        value = value.strip()
        if not value:
            return
        try:
            parse_duration(value)
        except InvalidData:
            self.keep_aside("every", value, f"'{value}' is not a duration")
            return
        self.every = value

    def add_note(self, text: str) -> None:
        """Append a paragraph to the notes."""
        text = text.strip()
        if text:
            self.notes = f"{self.notes}\n\n{text}" if self.notes else text


def _added(values: Sequence, value: Any) -> list:
    """`values` as a list with `value` appended unless already there."""
    if isinstance(values, list):
        if value not in values:
            values.append(value)
        return values
    return [*values, value] if value not in values else list(values)


class MatchKeys(NamedTuple):
    """What makes a draft the same person as a stored contact, strongest first.

    `uid` (a vCard UID, compared exactly), `source_id` (a vdir file name or another CRM's
    record id, exactly), any of `emails` (case-folded), any of `phones` (`phone_match_key`),
    and only for a draft that has none of those, `name_org`: the case-folded, space-collapsed
    name and organisation together.
    """

    uid: str | None
    source_id: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    name_org: tuple[str, str] | None


def phone_match_key(phone: str) -> str:
    """The digits that identify a phone across writings: the last nine, or all if fewer.

    `+1 202 555 0100`, `(202) 555-0100` and `2025550100` share `025550100`; `+86 138 0013 8000`
    and `138 0013 8000` share `800138000`. Nine digits keep national numbers of different
    countries apart in practice while ignoring country codes and trunk prefixes (`0`, `00`).
    """
    if phone.isascii():  # the common case: one pass in C instead of a generator over characters
        digits = phone.translate(_ASCII_NON_DIGITS)
    else:
        digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-9:] if len(digits) >= 5 else ""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def put_field(fields: dict[str, Any], key: str, value: str) -> None:
    """Set a custom field; a key already taken gets ` 2`, ` 3`… so no value is lost."""
    if key not in fields:
        fields[key] = value
        return
    if fields[key] == value:
        return
    n = 2
    while f"{key} {n}" in fields:
        if fields[f"{key} {n}"] == value:
            return
        n += 1
    fields[f"{key} {n}"] = value


def finish(draft: Draft) -> None:
    """Give a draft with no name one (organisation, e-mail, phone), or raise if it has nothing.

    Raises ValueError with the reason; readers turn it into a `BadRow` with the line.
    """
    if draft.name:
        return
    if draft.org:
        draft.name, draft.org, draft.kind = draft.org, None, "org"
    elif draft.emails:
        draft.name = draft.emails[0]
    elif draft.phones:
        draft.name = draft.phones[0]
    elif draft.fields or draft.notes:
        for key in ("email", "phone", "nickname"):
            if draft.fields.get(key):
                draft.name = str(draft.fields[key])
                break
        else:
            raise ValueError("no name, organisation, e-mail or phone")
    else:
        raise ValueError("no name, organisation, e-mail or phone")
    draft.warn(f"no name: kept under '{draft.name}'")
