"""The JSON book: what `export json` writes, read back whole, checked record by record."""

from __future__ import annotations

import io
import json

import pytest
from formats_strategies import records, same_contact
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm.errors import CrmError, InvalidData
from tinycrm.formats.jsonbook import VERSION, dump_book, read_book, write_book

CONTACT = {
    "id": 1,
    "kind": "person",
    "name": "张伟",
    "org": "佛山企业电子有限公司",
    "title": "经理",
    "emails": ["zw@example.cn"],
    "phones": ["+86 138 0013 8000"],
    "tags": ["vip"],
    "tier": "A",
    "owner": "sam",
    "birthday": "--03-22",
    "every": "30d",
    "notes": "老客户",
    "fields": {"shoe size": "42"},
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
    "last_contacted_at": None,
    "birthday_lunar": True,
    "anniversaries": [{"label": "wedding", "date": "2010-05-01", "lunar": False}],
    "addresses": ["广州市天河区 1 号"],
    "aliases": ["小张"],
    "org_id": None,
    "next_touch_at": None,
    "deleted_at": None,
    "uid": "uid-1",
    "labels": {"zw@example.cn": "work"},
}
ORG = {
    "id": 2,
    "kind": "org",
    "name": "佛山企业电子有限公司",
    "emails": [],
    "phones": [],
    "tags": [],
    "fields": {},
}
DEAL = {
    "id": 5,
    "contact_id": 1,
    "title": "Website",
    "value": "1250.50",
    "currency": "CNY",
    "stage": "proposal",
    "probability": 50,
    "status": "open",
    "close_date": "2026-12-01",
    "key": True,
    "owner": "sam",
    "lost_reason": None,
    "stage_entered_at": "2026-01-03T00:00:00Z",
    "stages": [
        {"stage": "lead", "entered_at": "2026-01-01T00:00:00Z", "user": "sam"},
        {"stage": "proposal", "entered_at": "2026-01-03T00:00:00Z", "user": "sam"},
    ],
}
INTERACTION = {
    "id": 9,
    "contact_id": 1,
    "kind": "call",
    "at": "2026-01-02T10:00:00Z",
    "summary": "called",
    "deal_id": 5,
    "user": "sam",
    "body": None,
}
REMINDER = {
    "id": 3,
    "contact_id": 1,
    "deal_id": None,
    "text": "send quote",
    "due": "2026-02-01",
    "every": None,
    "source": "manual",
    "all_day": True,
}


def book(**over: object) -> dict:
    doc = dump_book(
        contacts=[CONTACT, ORG],
        interactions=[INTERACTION],
        deals=[DEAL],
        reminders=[REMINDER],
        tiers=[{"name": "A", "filter": "won>=10000"}],
        stages=[{"name": "lead", "probability": 10}],
        exported_at="2026-11-30T18:00:00Z",
    )
    doc.update(over)
    return doc


def written(doc: dict) -> str:
    out = io.StringIO()
    write_book(doc, out)
    return out.getvalue()


def test_book_round_trips_every_record() -> None:
    text = written(book())
    assert json.loads(text)["tinycrm"] == VERSION
    back = read_book(text.encode("utf-8"))
    assert back.errors == []
    zhang, org = back.contacts
    for key in (
        "name",
        "kind",
        "org",
        "title",
        "birthday",
        "birthday_lunar",
        "every",
        "notes",
        "owner",
        "tier",
        "uid",
    ):
        assert getattr(zhang, key) == CONTACT[key], key
    for key in ("emails", "phones", "tags", "addresses", "aliases", "anniversaries"):
        assert list(getattr(zhang, key)) == CONTACT[key], key
    assert dict(zhang.fields) == CONTACT["fields"]
    assert dict(zhang.labels) == CONTACT["labels"]
    assert zhang.extra["id"] == 1
    assert zhang.extra["created_at"] == "2026-01-01T00:00:00Z"
    assert org.kind == "org"
    assert back.deals == [DEAL]
    assert back.interactions == [INTERACTION]
    assert back.reminders == [REMINDER]
    assert back.tiers == [{"name": "A", "filter": "won>=10000"}]
    assert back.exported_at == "2026-11-30T18:00:00Z"


@pytest.mark.parametrize(
    ("section", "record", "message"),
    [
        ("contacts", {"id": 3}, "contacts[3]: 'name' is missing"),
        ("contacts", {"id": 3, "name": "X", "kind": "robot"}, "contacts[3]: kind 'robot'"),
        ("contacts", {"id": 1, "name": "Twice"}, "contacts[3]: id 1 is given twice"),
        ("contacts", {"id": "3", "name": "X"}, "contacts[3]: 'id' must be a whole number"),
        ("contacts", {"id": 3, "name": "X", "emails": "a@b.c"}, "contacts[3]: 'emails' must be a list"),
        ("deals", {**DEAL, "id": 6, "value": "ten"}, 'deals[2]: value "ten" is not an amount'),
        ("deals", {**DEAL, "id": 6, "value": 10.5}, "deals[2]: value 10.5 is not an amount"),
        ("deals", {**DEAL, "id": 6, "contact_id": 99}, "deals[2]: contact_id 99 is not a contact"),
        ("deals", {**DEAL, "id": 6, "status": "maybe"}, "deals[2]: status 'maybe'"),
        ("interactions", {**INTERACTION, "id": 10, "summary": None}, "interactions[2]: 'summary' is missing"),
        ("reminders", "not an object", "reminders[2]: must be an object"),
    ],
)
def test_bad_records_are_reported_with_their_position(section: str, record: object, message: str) -> None:
    doc = book()
    doc[section] = [*doc[section], record]
    back = read_book(written(doc))
    assert len(back.errors) == 1
    assert str(back.errors[0]).startswith(message)
    assert back.errors[0].raw  # what --rejects writes
    assert len(getattr(back, section)) == len(book()[section])  # the good ones kept


def test_bad_email_in_a_contact_is_kept_aside_not_fatal() -> None:
    doc = book(contacts=[{**CONTACT, "emails": ["zw@example.cn", "not-an-email"]}, ORG])
    back = read_book(written(doc))
    assert back.errors == []
    assert back.contacts[0].fields["email"] == "not-an-email"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a JSON document"),
        ("{", "not a JSON document at line 1"),
        ("[]", "not a tinycrm book"),
        ('{"contacts": []}', "not a tinycrm book"),
        ('{"tinycrm": "1"}', "not a tinycrm book"),
        ('{"tinycrm": 2}', "newer tinycrm"),
        ('{"tinycrm": 1, "contacts": {}}', "'contacts' must be a list"),
    ],
)
def test_documents_that_are_not_books_are_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidData, match=message):
        read_book(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_only_crm_errors(data: bytes) -> None:
    try:
        read_book(data)
    except CrmError:
        pass


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["contacts", "deals", "interactions", "reminders", "tiers", "stages", "exported_at"]),
        _json,
        max_size=4,
    )
)
def test_random_books_give_only_crm_errors(body: dict) -> None:
    try:
        read_book(json.dumps({"tinycrm": 1, **body}))
    except CrmError:
        pass


@settings(max_examples=150, deadline=None)
@given(record=records())
def test_json_round_trip_keeps_every_field(record: dict) -> None:
    doc = dump_book(contacts=[record], exported_at="2026-11-30T00:00:00Z")
    out = io.StringIO()
    write_book(doc, out)
    back = read_book(out.getvalue().encode("utf-8"))
    assert back.errors == []
    same_contact(back.contacts[0], record)
