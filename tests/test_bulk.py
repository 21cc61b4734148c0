"""The bulk write path: many rows in one transaction, validated like one, undone in one step."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from tinycrm.errors import InvalidData, NotFound
from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "crm.db", "tester", clock=lambda: NOW) as opened:
        yield opened


def test_bulk_contacts_are_found_like_any_other(store: Store) -> None:
    store.add_contact("Acme", kind="org")
    ids = store.add_contacts(
        [
            {"name": "Ada Lovelace", "emails": ["Ada@Engines.example"], "org": "acme", "tags": ["vip"]},
            {"name": "张伟", "phones": ["+86 138 0000 0000"], "every": "30d"},
        ]
        + [{"name": f"Person {i}"} for i in range(12_000)]
    )
    assert len(ids) == 12_002
    assert ids == sorted(ids)
    assert ids[0] == 2
    assert store.resolve("ada@engines.example")["id"] == ids[0]
    assert store.resolve("+86 138 0000 0000")["name"] == "张伟"
    assert store.resolve("zw")["name"] == "张伟"
    assert [c["name"] for c in store.list_contacts("tag:vip")] == ["Ada Lovelace"]
    ada = store.get_contact(ids[0])
    assert ada["org_id"] == 1
    assert ada["owner"] == "tester"
    assert store.get_contact(ids[1])["next_touch_at"] == "2026-11-30T09:00:00Z"
    assert store.search("person 11999")["contacts"][0]["name"] == "Person 11999"


def test_a_bulk_import_is_one_undo_step_and_its_ids_are_not_reused(store: Store) -> None:
    ids = store.add_contacts({"name": f"P{i}"} for i in range(7_000))
    assert len(store.history()) == 2  # one row per batch of 5,000
    store.undo()
    assert store.count_contacts() == 0
    assert store.search("P1")["contacts"] == []
    with pytest.raises(NotFound):
        store.resolve("P1")
    assert store.add_contact("Ada")["id"] > ids[-1]


def test_a_bad_row_names_its_number_and_nothing_is_written(store: Store) -> None:
    rows = [{"name": "Ada"}, {"name": "Grace", "emails": ["not an e-mail"]}]
    with pytest.raises(InvalidData, match="row 2: invalid e-mail 'not an e-mail'"):
        store.add_contacts(rows)
    with pytest.raises(InvalidData, match="row 1: unknown field"):
        store.add_contacts([{"name": "Ada", "shoe_size": "9"}])
    assert store.count_contacts() == 0
    assert store.history() == []


def test_bulk_interactions_touch_their_contacts_and_undo_in_one_step(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace", every="30d")
    store.add_interactions(
        {"contact_id": ada["id"], "kind": "call", "at": f"2026-11-{day:02d}T10:00:00Z",
         "summary": f"call {day}"}
        for day in range(1, 29)
    )
    assert store.get_contact(ada["id"])["last_contacted_at"] == "2026-11-28T10:00:00Z"
    assert store.search("call")["interactions"][0]["summary"] == "call 28"
    store.undo()
    assert store.timeline(ada["id"]) == []
    assert store.get_contact(ada["id"])["last_contacted_at"] is None
    assert store.search("call")["interactions"] == []
