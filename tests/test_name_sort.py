"""Names sort as they are spoken: a stored key per contact (`contact.name_sort`, `textindex.sort_key`),
kept by every write of a name, filled by migration 4, reported by `check` when stale, and walked
by an index so a page of 100,000 names costs a few milliseconds."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from schema3 import as_schema_3

from tinycrm.store import Store
from tinycrm.store.schema import SCHEMA_VERSION
from tinycrm.textindex import sort_key

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
NAMES = ["Zoe Zhu", "张伟", "Wendy Wu", "王芳", "Émile Zola", "ada Byron", "Eve Adams"]
SPOKEN = ["ada Byron", "Émile Zola", "Eve Adams", "王芳", "Wendy Wu", "张伟", "Zoe Zhu"]


def stored(store: Store, contact_id: int) -> tuple[str, str]:
    """A contact's name and its stored sort key, as the row holds them."""
    return store.conn.execute("SELECT name, name_sort FROM contact WHERE id = ?", (contact_id,)).fetchone()


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "crm.db", "alice", clock=lambda: NOW) as opened:
        yield opened


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("张伟", "zhang 张 wei 伟"),
        ("Ada Lovelace", "ada lovelace"),
        ("Émile Zola", "emile zola"),
        ("ÅSA Öberg", "asa oberg"),
        ("", ""),
    ],
)
def test_the_sort_key_is_pinyin_for_chinese_and_folded_latin_otherwise(name: str, key: str) -> None:
    assert sort_key(name) == key


def test_contacts_sort_by_pinyin_in_the_store_both_ways(store: Store) -> None:
    for name in NAMES:
        store.add_contact(name)
    assert [c["name"] for c in store.list_contacts(sort="name")] == SPOKEN
    assert [c["name"] for c in store.list_contacts(sort="-name")] == SPOKEN[::-1]


def test_contact_list_sort_name_orders_by_pinyin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tinycrm.cli.dispatch import main

    db = tmp_path / "crm.db"
    with Store.open(db, "alice", clock=lambda: NOW) as store:
        for name in NAMES:
            store.add_contact(name)
    capsys.readouterr()
    code = main(["--db", str(db), "contact", "list", "--sort", "name", "--csv"])
    assert code in (0, None)
    header, *lines = capsys.readouterr().out.splitlines()
    column = header.split(",").index("name")
    assert [line.split(",")[column] for line in lines] == SPOKEN


def test_adding_a_contact_stores_its_sort_key(store: Store) -> None:
    contact = store.add_contact("张伟")
    assert stored(store, contact["id"]) == ("张伟", "zhang 张 wei 伟")


def test_renaming_a_contact_and_undoing_and_redoing_keeps_the_sort_key(store: Store) -> None:
    cid = store.add_contact("Wendy Wu")["id"]
    store.edit_contact(cid, name="王芳")
    assert stored(store, cid) == ("王芳", sort_key("王芳"))
    store.undo()
    assert stored(store, cid) == ("Wendy Wu", "wendy wu")
    store.redo()
    assert stored(store, cid) == ("王芳", sort_key("王芳"))


def test_undo_of_a_change_recorded_before_migration_4_rebuilds_the_key(store: Store) -> None:
    cid = store.add_contact("Wendy Wu")["id"]
    store.edit_contact(cid, name="王芳")
    # history written by schema 3 held rows without the column
    for column in ("before", "after"):
        store.conn.execute(
            f"UPDATE history SET {column} = json_remove({column}, '$.name_sort') WHERE {column} IS NOT NULL"
        )
    store.undo()
    assert stored(store, cid) == ("Wendy Wu", "wendy wu")


def test_trash_and_restore_keep_the_sort_key(store: Store) -> None:
    cid = store.add_contact("张伟")["id"]
    store.trash_contact(cid)
    store.restore_contact(cid)
    assert stored(store, cid) == ("张伟", sort_key("张伟"))


def test_a_bulk_import_stores_every_sort_key(store: Store) -> None:
    ids = store.add_contacts([{"name": n} for n in NAMES])
    assert [stored(store, i) for i in ids] == [(n, sort_key(n)) for n in NAMES]


def test_a_merge_that_takes_the_others_name_stores_its_key(store: Store) -> None:
    keep = store.add_contact("Zhang Wei")["id"]
    other = store.add_contact("张伟")["id"]
    store.merge_contacts(keep, [other], {"name": "张伟"})
    assert stored(store, keep) == ("张伟", sort_key("张伟"))


def test_restoring_a_backup_keeps_the_sort_keys(store: Store, tmp_path: Path) -> None:
    cid = store.add_contact("张伟")["id"]
    backup = store.backup(tmp_path / "backup.db")
    store.edit_contact(cid, name="Wendy Wu")
    store.restore_from(backup)
    assert stored(store, cid) == ("张伟", sort_key("张伟"))
    assert store.check() == []


def test_check_reports_a_stale_sort_key(store: Store) -> None:
    cid = store.add_contact("张伟")["id"]
    assert store.check() == []
    store.conn.execute("UPDATE contact SET name = '王芳' WHERE id = ?", (cid,))  # behind the store's back
    assert store.check() == ["1 contacts whose stored name sort key does not match their name"]


def test_migration_4_fills_the_sort_keys_of_a_version_3_book(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        for name in NAMES:
            store.add_contact(name)
    with sqlite3.connect(book) as conn:  # as schema 3 left it
        as_schema_3(conn)
    with Store.open(book, "alice", clock=lambda: NOW) as store:
        assert store.schema_version() == SCHEMA_VERSION == 4
        assert [c["name"] for c in store.list_contacts(sort="name")] == SPOKEN
        assert store.check() == []
    assert (tmp_path / "crm.db.v3.bak").exists()


def test_a_book_above_the_old_20000_limit_sorts_by_pinyin_from_its_index(store: Store) -> None:
    # the per-query pinyin sort used to stop at 20,000 contacts and fall back to code points
    filler = [{"name": f"Zz Filler {i:05d}"} for i in range(20_001)]
    store.add_contacts([*filler, *({"name": n} for n in NAMES)])
    first = [c["name"] for c in store.list_contacts(sort="name", limit=len(SPOKEN))]
    assert first == SPOKEN  # 张伟 (zhang) among the Zs, before all 20,001 Zz: not after them
    plan = " ".join(
        row[3]
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT c.* FROM contact c WHERE c.deleted_at IS NULL"
            " ORDER BY c.name_sort, c.id LIMIT 100"
        )
    )
    assert "contact_name_sort" in plan
    assert "TEMP B-TREE" not in plan
