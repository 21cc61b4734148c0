"""`contact forget` honours a privacy request: no byte of the person stays in the file or its WAL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.errors import NotFound
from tinycrm.services.contacts import forget, forget_target
from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
# words as the full-text index keeps them (one token each), and whole values as the rows do
SECRETS = ("zebulon", "quartermaine", "secret.example", "7946 0123", "swordfish", "xylophone")


def _bytes(db: Path) -> bytes:
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _leaks(db: Path) -> list[str]:
    blob = _bytes(db)
    return [s for s in SECRETS if s.encode() in blob or s.lower().encode() in blob.lower()]


def _book(db: Path) -> Store:
    store = Store.open(db, "tester", clock=lambda: NOW)
    store.add_contact("Ada Lovelace", emails=["ada@example.com"])
    for i in range(30):
        store.log(1, f"ordinary call {i}")
    zeb = store.add_contact(
        "Zebulon Quartermaine", emails=["zebulon@secret.example"], phones=["+44 20 7946 0123"],
        notes="password hint swordfish-melody",
    )
    for i in range(20):
        store.log(zeb["id"], f"talked about xylophone-garden {i}", follow_up=NOW + timedelta(days=i))
    store.add_deal(zeb["id"], "xylophone-garden deal", value="100")
    store.edit_contact(zeb["id"], add_tags=["secretive"])
    return store


def test_after_forget_no_byte_of_the_person_remains(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    with _book(db) as store:
        assert _leaks(db)  # the scan finds them while they are there
        contact, ghosts = forget_target(store, "zebulon")
        forget(store, contact, ghosts)
        assert store.count_contacts() == 1
        assert store.search("xylophone")["interactions"] == []
    assert _leaks(db) == []


def test_a_person_who_lives_only_in_history_can_still_be_forgotten(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    with Store.open(db, "tester", clock=lambda: NOW) as store:
        store.add_contact("Zebulon Quartermaine", emails=["zebulon@secret.example"],
                          notes="swordfish-melody")
        store.undo()
        with pytest.raises(NotFound):
            store.resolve("zebulon")
        assert _leaks(db)  # history still holds the name
        contact, ghosts = forget_target(store, "zebulon@secret.example")
        assert contact is None
        assert ghosts == [1]
        forget(store, contact, ghosts)
        assert store.history() == []
        with pytest.raises(NotFound):
            forget_target(store, "zebulon")
    assert _leaks(db) == []
