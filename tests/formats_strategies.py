"""Hypothesis strategies for contact records as the store returns them (shared by the format tests)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from tinycrm.dates import BIRTH_YEARS

text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
notes = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\r\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    ),
    max_size=60,
).map(str.strip)
emails = st.lists(
    st.from_regex(r"[a-z0-9._%+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True), max_size=3, unique=True
)
phones = st.lists(st.from_regex(r"\+?[0-9]{3,4}( [0-9]{3,4}){1,3}", fullmatch=True), max_size=3, unique=True)
# 1604 is Apple's "no year", read back as none: real dates start later
dates = st.dates(  # the years the store keeps: a reader sets any other aside
    min_value=date(BIRTH_YEARS[0], 1, 1), max_value=date(BIRTH_YEARS[1], 12, 31)
)
day = dates.map(lambda d: d.isoformat()) | dates.map(lambda d: f"--{d.month:02d}-{d.day:02d}")
tags = st.lists(
    st.from_regex(r"[A-Za-z0-9\u4e00-\u9fff_-]{1,8}", fullmatch=True), max_size=3, unique_by=str.lower
)
fields = st.dictionaries(st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), text, max_size=3)
anniversaries = st.lists(
    st.fixed_dictionaries(
        {
            "label": st.from_regex(r"[a-z][a-z ]{0,10}[a-z]", fullmatch=True),
            "date": day,
            "lunar": st.booleans(),
        }
    ),
    max_size=2,
    unique_by=lambda a: a["label"],
)


@st.composite
def records(draw: st.DrawFn) -> dict:
    """One contact record (`contact_record` shape) with every field the formats must carry."""
    kind = draw(st.sampled_from(["person", "person", "org"]))
    return {
        "id": draw(st.integers(1, 10**6)),
        "kind": kind,
        "name": draw(text),
        "org": None if kind == "org" else draw(st.none() | text),
        "title": draw(st.none() | text),
        "emails": draw(emails),
        "phones": draw(phones),
        "addresses": draw(st.lists(text.map(lambda t: " ".join(t.split())), max_size=2, unique=True)),
        "tags": draw(tags),
        "birthday": draw(st.none() | day),
        "birthday_lunar": False,
        "anniversaries": draw(anniversaries),
        "every": draw(st.none() | st.sampled_from(["30d", "2w", "3m"])),
        "notes": draw(notes) or None,
        "owner": draw(st.none() | st.from_regex(r"[a-z]{1,8}", fullmatch=True)),
        "tier": draw(st.none() | st.sampled_from(["A", "B", "C"])),
        "fields": draw(fields),
        "aliases": draw(st.lists(text, max_size=2, unique=True)),
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-02T00:00:00Z",
    }


CONTACT_KEYS = (
    "name",
    "kind",
    "org",
    "title",
    "emails",
    "phones",
    "addresses",
    "tags",
    "birthday",
    "birthday_lunar",
    "anniversaries",
    "every",
    "notes",
    "owner",
    "tier",
    "fields",
    "aliases",
)


def plain(value: object) -> object:
    """Empty and missing alike; tuples as lists, mappings as dicts."""
    if not value and value != 0:
        return None
    return (
        list(value) if isinstance(value, (tuple, list)) else dict(value) if hasattr(value, "keys") else value
    )


def same_contact(draft: object, record: dict) -> None:
    """Assert a draft read back carries every field of the record written."""
    for key in CONTACT_KEYS:
        assert plain(getattr(draft, key)) == plain(record.get(key)), key
