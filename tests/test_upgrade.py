"""A book made by schema version 1 (tests/fixtures/v1_book.db, built by make_v1_book.py) opens
migrated, with a backup beside it; its money reads the same; its ids are never handed out again."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from schema3 import as_schema_3

from tinycrm.store import Store
from tinycrm.store.schema import SCHEMA_VERSION

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v1_book.db"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def test_a_version_1_book_opens_migrated_with_a_backup_beside_it(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    shutil.copy(FIXTURE, book)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.check() == []
        assert store.resolve("ada@example.com")["tags"] == ["vip"]
        # a tag with a word is looked up in the search document: a v1 book's holds its tags
        assert [c["name"] for c in store.list_contacts("tag:vip ada")] == ["Ada Lovelace"]
        assert store.resolve("zw")["name"] == "张伟"
        assert store.search("engine")["interactions"][0]["summary"] == "called about the engine"
        values = {d["currency"]: d["value"] for d in store.list_deals()}
        assert values == {"USD": "1234.50", "JPY": "500000", "KWD": "12.500"}
        assert store.add_reminder(1, NOW, "new")["id"] == 10  # 9 was given out, then undone
        assert store.add_contact("Grace Hopper")["id"] == 3
    backup = tmp_path / "crm.db.v1.bak"
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT count(*) FROM contact").fetchone()[0] == 2
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert digest == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()  # the fixture itself untouched


def test_a_version_2_book_gets_the_list_order_indexes_and_message_ids(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        store.log(store.add_contact("Ada Lovelace")["id"], "met at the fair")
    with sqlite3.connect(book) as conn:  # as schema 2 left it
        as_schema_3(conn)
        conn.execute("DROP INDEX deal_list_order")
        conn.execute("DROP INDEX reminder_done_due")
        conn.execute("DROP INDEX contact_next_touch_long")
        conn.execute("DROP INDEX interaction_message")
        conn.execute("DROP INDEX deal_report")
        conn.execute("DROP INDEX deal_stage_cover")
        conn.execute("CREATE INDEX deal_stage_deal ON deal_stage(deal_id)")
        conn.execute("ALTER TABLE interaction DROP COLUMN message_id")
        conn.execute("PRAGMA user_version = 2")
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"deal_list_order", "reminder_done_due", "contact_next_touch_long",
                "interaction_message"} <= names
        assert store.conn.execute("SELECT message_id FROM interaction").fetchall() == [(None,)]
        assert store.check() == []
    assert (tmp_path / "crm.db.v2.bak").exists()


def test_a_version_3_book_gets_the_covering_due_indexes(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        store.add_contact("Ada Lovelace", birthday="1815-12-10", every="7d")
    with sqlite3.connect(book) as conn:
        as_schema_3(conn)
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"contact_birthday_cover", "contact_next_touch_cover", "deal_close_cover"} <= names
        assert not {"contact_birthday_md", "contact_next_touch", "deal_close"} & names
        assert store.check() == []
    assert (tmp_path / "crm.db.v3.bak").exists()


def test_a_version_3_book_gets_each_deals_furthest_stage_from_its_history(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        ada = store.add_contact("Ada Lovelace")["id"]
        moved = store.add_deal(ada, "engine")["id"]
        for stage in ("negotiation", "qualified", "lost"):
            store.move_deal(moved, stage)
        store.add_deal(ada, "loom", stage="proposal")
    with sqlite3.connect(book) as conn:
        as_schema_3(conn)
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("SELECT reached FROM deal ORDER BY id").fetchall() == [
            ("negotiation",), ("proposal",),
        ]  # fmt: skip
        assert store.check() == []
    assert (tmp_path / "crm.db.v3.bak").exists()


def test_a_version_3_book_gets_the_labels_of_its_emails_and_phones(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        store.add_contact("Ada Lovelace", phones=["+44 20 7946 0000"])
    with sqlite3.connect(book) as conn:
        as_schema_3(conn)
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION
        (ada,) = store.list_contacts("")
        assert "labels" not in ada
        store.edit_contact(ada["id"], labels={"+44 20 7946 0000": "work"})
        assert store.get_contact(ada["id"])["labels"] == {"+44 20 7946 0000": "work"}
