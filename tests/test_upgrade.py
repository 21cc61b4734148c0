"""A book made by schema version 1 (tests/fixtures/v1_book.db, built by make_v1_book.py) opens
migrated, with a backup beside it; its money reads the same; its ids are never handed out again."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

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
