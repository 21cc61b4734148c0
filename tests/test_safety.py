"""backup, restore and check: consistent, checked, said in words."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tinycrm.errors import CrmError, InvalidData, SchemaTooNew
from tinycrm.services.safety import backup_book, check_book, restore_book
from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "crm.db", "tester", clock=lambda: NOW) as opened:
        opened.add_contact("Ada Lovelace", emails=["ada@example.com"])
        opened.log(1, "called")
        yield opened


def test_a_backup_is_a_whole_book_0600_and_old_ones_rotate(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    made = []
    for minute in range(4):
        moment = NOW.replace(minute=minute)
        made.append(backup_book(store, str(folder), now=moment, keep=2))
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["crm-20261130-090200.db", "crm-20261130-090300.db"]
    assert made[-1]["contacts"] == 1
    assert oct((folder / files[-1]).stat().st_mode & 0o777) == "0o600"
    with Store.open(folder / files[-1], "tester") as copy:
        assert copy.resolve("ada")["name"] == "Ada Lovelace"


def test_restore_brings_back_the_backup_and_keeps_the_replaced_book(store: Store, tmp_path: Path) -> None:
    saved = backup_book(store, str(tmp_path / "saved.db"), now=NOW)
    store.add_contact("Grace Hopper")
    result = restore_book(store, saved["path"], now=NOW)
    assert [c["name"] for c in store.list_contacts()] == ["Ada Lovelace"]
    with Store.open(result["kept"], "tester") as kept:
        assert kept.count_contacts() == 2
    assert check_book(store) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"not a database at all" * 100), "not a tinycrm"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "not a tinycrm"),
        (lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 99"), "newer tinycrm"),
    ],
)
def test_restore_refuses_what_is_not_a_book_and_changes_nothing(
    store: Store, tmp_path: Path, make, message
) -> None:
    bad = tmp_path / "bad.db"
    make(bad)
    with pytest.raises((InvalidData, SchemaTooNew, CrmError), match=message):
        restore_book(store, str(bad), now=NOW)
    assert store.count_contacts() == 1
    assert not list(tmp_path.glob("*before-restore*"))


def test_check_finds_what_is_out_of_step_in_words(store: Store) -> None:
    assert check_book(store) == []
    store.conn.execute("DELETE FROM contact_fts")
    store.conn.execute("UPDATE contact SET last_contacted_at = NULL")
    store.conn.execute(
        "INSERT INTO reminder(text, due, created_at, updated_at) VALUES ('x', '1-01-01T00:00:00Z', 'x', 'x')"
    )
    problems = check_book(store)
    assert "1 contacts missing from the search index" in problems
    assert "1 contacts whose stored last-contacted time does not match their interactions" in problems
    assert "1 reminders with an unreadable due date" in problems


def test_under_umask_022_the_book_its_wal_and_shm_and_its_backups_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "crm.db"
        with Store.open(db, "tester", clock=lambda: NOW) as store:
            store.add_contact("Ada Lovelace")  # a write: the -wal and -shm exist while the book is open
            files = [db, db.with_name("crm.db-wal"), db.with_name("crm.db-shm")]
            folder = tmp_path / "backups"
            folder.mkdir()
            files.append(Path(backup_book(store, str(tmp_path / "named.db"), now=NOW)["path"]))
            files.append(Path(backup_book(store, str(folder), now=NOW, keep=2)["path"]))
            modes = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files}
    finally:
        os.umask(old)
    assert modes == {path.name: "0o600" for path in files}
