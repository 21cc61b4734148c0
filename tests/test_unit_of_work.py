"""The unit of work under real concurrency and failure (issue 14): no lost update, notify once,
ids never reused, no half-written change, a busy book said in words, a foreign file untouched."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm import agenda
from tinycrm.errors import Busy, Conflict, CrmError, NotFound
from tinycrm.store import Store
from tinycrm.store import connection as store_connection

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def _clock() -> datetime:
    return NOW


def _open(db: str, user: str = "tester") -> Store:
    return Store.open(db, user, clock=_clock)


# ---------------------------------------------------------------- lost updates (real processes)


def _add_tags(db: str, prefix: str, count: int) -> None:
    store = _open(db)
    for k in range(count):
        store.edit_contact(1, add_tags=[f"{prefix}{k}"])
    store.close()


def _done_many(db: str, count: int) -> None:
    store = _open(db)
    local = NOW.astimezone(timezone.utc)
    for _ in range(count):
        agenda.mark_done(store, 1, local)
    store.close()


def _run_all(target, args_list) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=target, args=args) for args in args_list]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0


def test_two_processes_adding_tags_lose_none(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with _open(db) as store:
        store.add_contact("Ada Lovelace")
    _run_all(_add_tags, [(db, "pa", 60), (db, "pb", 60)])
    with _open(db) as store:
        tags = set(store.get_contact(1)["tags"])
    assert tags == {f"pa{k}" for k in range(60)} | {f"pb{k}" for k in range(60)}


def test_two_processes_marking_a_daily_reminder_done_move_it_once_each(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with _open(db) as store:
        store.add_contact("Ada Lovelace")
        store.add_reminder(1, NOW, "stand-up", all_day=False, every="daily")
    _run_all(_done_many, [(db, 50), (db, 50)])
    with _open(db) as store:
        due = store.get_reminder(1)["due"]
    assert due == (NOW + timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _notify(db: str, out: str) -> None:
    store = _open(db)
    items = agenda.collect(store, NOW)

    def send(mine: list) -> None:
        with open(out, "a") as fh:
            for item in mine:
                fh.write(item.key + "\n")

    agenda.notify_once(store, items, send)
    store.close()


def test_parallel_notify_runs_send_each_occurrence_once(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    out = str(tmp_path / "sent.txt")
    with _open(db) as store:
        store.add_contact("Ada Lovelace")
        store.add_reminder(1, NOW - timedelta(hours=1), "call Ada", all_day=False)
    for _ in range(3):
        _run_all(_notify, [(db, out)] * 5)
    assert Path(out).read_text().splitlines() == ["reminder:1:2026-11-30T08:00:00Z"]


def test_a_failed_send_is_released_for_the_next_run(tmp_path: Path) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Ada Lovelace")
        store.add_reminder(1, NOW - timedelta(hours=1), "call Ada", all_day=False)
        items = agenda.collect(store, NOW)

        def broken(mine: list) -> None:
            raise OSError("no network")

        with pytest.raises(OSError, match="no network"):
            agenda.notify_once(store, items, broken)
        sent: list = []
        assert agenda.notify_once(store, items, sent.extend) == items
        assert sent == items
        assert agenda.notify_once(store, items, sent.extend) == []


# ---------------------------------------------------------------- ids never reused


def test_an_undone_reminder_id_is_never_given_again_and_its_successor_is_notified(tmp_path: Path) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Ada Lovelace")
        first = store.add_reminder(1, NOW - timedelta(hours=1), "call Ada", all_day=False)
        agenda.notify_once(store, agenda.collect(store, NOW), lambda mine: None)
        store.undo()
        second = store.add_reminder(1, NOW - timedelta(hours=1), "call Ada again", all_day=False)
        assert second["id"] != first["id"]
        sent: list = []
        agenda.notify_once(store, agenda.collect(store, NOW), sent.extend)
        assert [item.text for item in sent] == ["call Ada again"]


@pytest.mark.parametrize("table", ["contact", "interaction", "deal", "reminder"])
def test_ids_of_deleted_rows_are_not_reused(tmp_path: Path, table: str) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        ada = store.add_contact("Ada Lovelace")
        makers = {
            "contact": lambda: store.add_contact("Grace Hopper")["id"],
            "interaction": lambda: store.log(ada["id"], "hello")["id"],
            "deal": lambda: store.add_deal(ada["id"], "Audit")["id"],
            "reminder": lambda: store.add_reminder(ada["id"], NOW, "x")["id"],
        }
        first = makers[table]()
        store.undo()
        assert makers[table]() > first


def test_a_version_1_book_keeps_its_ids_above_every_id_it_gave_out(tmp_path: Path) -> None:
    """Migration 2 seeds the sequences from history: an undone add's id stays taken."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    from tinycrm.store.schema import DEFAULT_STAGES, MIGRATIONS

    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.executemany("INSERT INTO stage VALUES (?, ?, ?, ?)", DEFAULT_STAGES)
    conn.execute(
        "INSERT INTO history(txid, at, user, command, tbl, row_id, op) VALUES"
        " (1, '2026-01-01T00:00:00Z', 'tester', 'remind add', 'reminder', 7, 'insert')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with _open(str(db)) as store:
        store.add_contact("Ada Lovelace")
        assert store.add_reminder(1, NOW, "x")["id"] == 8
    assert (tmp_path / "old.db.v1.bak").exists()


# ---------------------------------------------------------------- busy, half writes


def test_a_lock_held_too_long_is_a_sentence_and_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    db = str(tmp_path / "crm.db")
    _open(db).close()
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with _open(db) as store, pytest.raises(Busy, match="busy.*nothing was written"):
            store.add_contact("Ada Lovelace")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with _open(db) as store:
        assert store.count_contacts() == 0


def test_a_failure_inside_the_unit_rolls_back_everything_in_it(tmp_path: Path) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Ada Lovelace")
        def log_then_fail() -> None:
            with store.write("log"):
                store.log(1, "hello", follow_up=NOW)
                raise RuntimeError("the output could not be written")

        with pytest.raises(RuntimeError):
            log_then_fail()
        assert store.timeline(1) == []
        assert store.list_reminders() == []


def test_undo_after_forgetting_an_organisation_whose_member_was_edited_stays_usable(tmp_path: Path) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Acme", kind="org")
        store.add_contact("Ada Lovelace")
        store.edit_contact(2, org="Acme")
        assert store.get_contact(2)["org_id"] == 1
        store.forget_contact(1)
        store.undo()  # the edit: org_id goes back to NULL, no FOREIGN KEY failure
        assert store.get_contact(2)["org"] is None
        store.undo()  # the add of Ada
        with pytest.raises(NotFound):
            store.get_contact(2)


def test_undo_takes_back_only_my_own_change(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with _open(db, "alice") as alice, _open(db, "bob") as bob:
        alice.add_contact("Ada Lovelace")
        bob.add_contact("Grace Hopper")
        alice.undo()
        assert [c["name"] for c in bob.list_contacts()] == ["Grace Hopper"]


def test_undo_refuses_a_change_a_colleague_built_on(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with _open(db, "alice") as alice, _open(db, "bob") as bob:
        alice.add_contact("Ada Lovelace")
        bob.edit_contact(1, add_tags=["vip"])
        with pytest.raises(Conflict, match="bob has changed the same record"):
            alice.undo()
        assert alice.get_contact(1)["tags"] == ["vip"]


def test_a_no_op_edit_is_not_history(tmp_path: Path) -> None:
    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Ada Lovelace", tags=["vip"])
        store.edit_contact(1, tags=["vip"])
        assert len(store.history()) == 1


# ---------------------------------------------------------------- files that are not books


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _v1_book(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    from tinycrm.store.schema import MIGRATIONS

    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.close()


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda c: c.execute("CREATE TABLE invoices (id INTEGER)"), "tables tinycrm does not know"),
        (lambda c: c.execute("DROP TABLE reminder"), "missing table reminder"),
        (lambda c: c.execute("PRAGMA user_version = -1"), "not a tinycrm database"),
        (lambda c: c.execute("PRAGMA user_version = 99"), "newer tinycrm"),
    ],
)
def test_a_book_whose_schema_is_not_ours_is_refused_untouched(tmp_path: Path, prepare, message) -> None:
    db = tmp_path / "crm.db"
    _v1_book(db)
    conn = sqlite3.connect(db, isolation_level=None)
    prepare(conn)
    conn.close()
    before = _digest(db)
    with pytest.raises(CrmError, match=message):
        _open(str(db))
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db"]


def test_paths_that_cannot_be_books_are_sentences(tmp_path: Path) -> None:
    with pytest.raises(CrmError, match="not a regular file"):
        _open("/dev/null")
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "gone.db")
    with pytest.raises(CrmError, match="link to a file that does not exist"):
        _open(str(link))
    with pytest.raises(CrmError, match="is a folder"):
        _open(str(tmp_path))
    with pytest.raises(NotFound, match="no tinycrm database at"):
        Store.open(tmp_path / "typo.db", "tester", create=False)
    assert not (tmp_path / "typo.db").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only modes")
def test_a_read_only_folder_is_a_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(CrmError, match="cannot create"):
        _open(str(folder / "crm.db"))


def test_a_book_on_a_network_filesystem_is_refused_unless_allowed(tmp_path: Path, monkeypatch) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/home {tmp_path} nfs4 rw 0 0\n")
    monkeypatch.setattr(store_connection, "MOUNTS", mounts)
    with pytest.raises(CrmError, match="network filesystem \\(nfs4\\).*--allow-network-fs"):
        _open(str(tmp_path / "crm.db"))
    assert not (tmp_path / "crm.db").exists()
    Store.open(tmp_path / "crm.db", "tester", allow_network_fs=True).close()


def test_an_analyzed_book_is_still_ours(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    with _open(str(db)) as store:
        store.add_contact("Ada Lovelace")
        store.conn.execute("ANALYZE")
    with _open(str(db)) as store:
        assert store.count_contacts() == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.add_reminder(1, datetime(1, 1, 1, tzinfo=timezone.utc), "x"),
        lambda s: s.add_reminder(1, datetime(9999, 12, 31, tzinfo=timezone.utc), "x"),
        lambda s: s.log(1, "x", follow_up=datetime(1, 1, 1, tzinfo=timezone.utc)),
        lambda s: s.log(1, "x", at=datetime(1899, 12, 31, tzinfo=timezone.utc)),
        lambda s: s.set_occurrence("birthday:1:2026-12-01", "snoozed", datetime(9999, 1, 1, tzinfo=timezone.utc)),  # noqa: E501
    ],
)
def test_the_store_refuses_dates_no_book_can_hold(tmp_path: Path, write) -> None:
    """Even a caller that skips the parsers (the TUI, an import) cannot poison the book."""
    from tinycrm.errors import InvalidData

    with _open(str(tmp_path / "crm.db")) as store:
        store.add_contact("Ada Lovelace")
        with pytest.raises(InvalidData, match="1900 and 2199|1900 to 2199"):
            write(store)
        assert store.list_reminders() == []
        assert store.timeline(1) == []


def test_redo_does_again_what_my_undo_took_back(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with _open(db, "alice") as alice, _open(db, "bob") as bob:
        ada = alice.add_contact("Ada Lovelace", tags=["vip"])
        alice.log(ada["id"], "called", follow_up=NOW + timedelta(days=1))
        alice.edit_contact(ada["id"], title="Countess")
        alice.undo()
        alice.undo()
        assert alice.timeline(ada["id"]) == []
        assert alice.redo()["command"] == "log Ada Lovelace"
        assert [i["summary"] for i in alice.timeline(ada["id"])] == ["called"]
        assert len(alice.list_reminders()) == 1
        assert alice.search("called")["interactions"]
        alice.redo()
        assert alice.get_contact(ada["id"])["title"] == "Countess"
        with pytest.raises(Conflict, match="nothing to redo"):
            alice.redo()
        alice.undo()
        bob.edit_contact(ada["id"], title="Lady")
        with pytest.raises(Conflict, match="bob has changed the same record"):
            alice.redo()
        assert alice.get_contact(ada["id"])["title"] == "Lady"
