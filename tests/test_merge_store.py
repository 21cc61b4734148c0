"""Merging in the store: every linked record moves onto KEEP, the others go, one undo restores all."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.errors import InvalidData, NotFound
from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "crm.db", "tester", clock=lambda: NOW) as opened:
        yield opened


def _snapshot(store: Store) -> dict:
    tables = ("contact", "interaction", "deal", "deal_stage", "reminder", "contact_key")
    out = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    out["fts"] = store.conn.execute("SELECT rowid, doc FROM contact_fts ORDER BY rowid").fetchall()
    return out


def test_merge_moves_every_linked_record_and_undo_restores_exactly(store: Store) -> None:
    org = store.add_contact("企业电子", kind="org")
    dup = store.add_contact("佛山企业电子", kind="org", emails=["info@qiye.example"])
    keep = store.add_contact("Grace Hopper", emails=["grace@navy.example"], org="企业电子")
    other = store.add_contact(
        "G. Hopper", emails=["ghopper@example.com"], tags=["vip"], birthday="1906-12-09"
    )
    store.edit_contact(other["id"], org="佛山企业电子")
    store.log(other["id"], "called about COBOL", follow_up=NOW + timedelta(days=2))
    store.add_deal(other["id"], "Compiler", value="100")
    store.add_reminder(other["id"], NOW, "send the manual")
    store.set_occurrence(f"birthday:{other['id']}:2026-12-09", "done")
    before = _snapshot(store)

    merged = store.merge_contacts(
        keep["id"], [other["id"]],
        {"emails": ["grace@navy.example", "ghopper@example.com"], "tags": ["vip"], "aliases": ["G. Hopper"],
         "birthday": "1906-12-09"},
    )
    assert merged["aliases"] == ["G. Hopper"]
    assert store.resolve("ghopper@example.com")["id"] == keep["id"]
    assert store.resolve("G. Hop")["id"] == keep["id"]
    assert [i["summary"] for i in store.timeline(keep["id"])] == ["called about COBOL"]
    assert [d["title"] for d in store.list_deals(contact_id=keep["id"])] == ["Compiler"]
    assert len(store.list_reminders(contact_id=keep["id"])) == 2
    with pytest.raises(NotFound):
        store.get_contact(other["id"], include_trash=True)
    store.merge_contacts(
        org["id"], [dup["id"]], {"aliases": ["佛山企业电子"], "emails": ["info@qiye.example"]}
    )
    assert [p["name"] for p in store.members(org["id"])] == ["Grace Hopper"]

    store.undo()
    store.undo()
    assert _snapshot(store) == before


def test_merge_refuses_itself_and_nothing(store: Store) -> None:
    ada = store.add_contact("Ada")
    with pytest.raises(InvalidData, match="into itself"):
        store.merge_contacts(ada["id"], [ada["id"]], {})
    with pytest.raises(InvalidData, match="at least one"):
        store.merge_contacts(ada["id"], [], {})
