"""`tinycrm demo`'s sample book: realistic, deterministic for a seed, and one undoable change."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tinycrm import demo, reports
from tinycrm.dates import parse_utc
from tinycrm.store import Store

NOW = datetime(2026, 5, 14, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
UTC_NOW = NOW.astimezone(timezone.utc)


def _open(path) -> Store:
    return Store.open(path, "tester", clock=lambda: UTC_NOW)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    store = _open(tmp_path_factory.mktemp("demo") / "t.db")
    made = demo.fill(store, now=NOW, contacts=120, seed=7)
    yield store, made
    store.close()


def _snapshot(store: Store) -> list:
    return [
        store.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        for table in ("contact", "interaction", "deal", "reminder", "deal_stage")
    ]


def test_fill_reports_what_it_made(book) -> None:
    store, made = book
    assert made["contacts"] == 120 == store.count_contacts()
    assert made["orgs"] == store.count_contacts("kind:org") >= 2
    assert made["interactions"] == store.conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    assert made["interactions"] > 500
    assert made["deals"] == len(store.list_deals()) > 30
    assert made["reminders"] == len(store.list_reminders()) >= 6


def test_every_stage_has_deals_and_lost_ones_have_reasons(book) -> None:
    store, _ = book
    deals = store.list_deals()
    assert {d["stage"] for d in deals} == {s["name"] for s in store.stages()}
    lost = [d for d in deals if d["status"] == "lost"]
    assert all(d["lost_reason"] for d in lost)
    assert any(d["key"] for d in deals)
    assert all(d["status"] == "won" for d in deals if d["stage"] == "won")


def test_a_third_of_the_people_have_chinese_names_and_companies(book) -> None:
    store, _ = book
    people = store.list_contacts("kind:person")
    chinese = [c for c in people if "\u4e00" <= c["name"][0] <= "\u9fff"]
    assert 0.25 <= len(chinese) / len(people) <= 0.35
    names = {c["name"] for c in chinese}
    assert {"张伟", "王芳", "李娜", "刘洋"} <= names
    assert store.count_contacts("佛山") >= 1
    assert any(c["name"] == "张伟" for c in store.list_contacts("zw"))  # pinyin initials


def test_the_book_has_a_past(book) -> None:
    store, _ = book
    first = store.conn.execute("SELECT min(at), max(at) FROM interaction").fetchone()
    assert parse_utc(first[0]) < UTC_NOW - timedelta(days=300)
    assert parse_utc(first[1]) <= UTC_NOW
    won = reports.won_by_month(store, NOW, months=12)
    assert sum(1 for _, total in won if total) >= 3  # wins spread over the year


def test_something_is_due_today_and_something_overdue(book) -> None:
    store, _ = book
    today = NOW.date()
    dues = [parse_utc(r["due"]).astimezone(NOW.tzinfo).date() for r in store.list_reminders()]
    assert today in dues
    assert any(d < today for d in dues)
    assert reports.headline(store, NOW)["overdue_followups"] > 0
    assert reports.headline(store, NOW)["stale_contacts"] > 0
    assert store.count_contacts("tag:vip") > 0


def test_fill_is_deterministic_for_a_seed(tmp_path) -> None:
    a, b, c = _open(tmp_path / "a.db"), _open(tmp_path / "b.db"), _open(tmp_path / "c.db")
    assert demo.fill(a, now=NOW, contacts=40, seed=3) == demo.fill(b, now=NOW, contacts=40, seed=3)
    demo.fill(c, now=NOW, contacts=40, seed=4)
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a) != _snapshot(c)


def test_fill_is_one_change_that_undo_takes_back(tmp_path) -> None:
    store = _open(tmp_path / "t.db")
    demo.fill(store, now=NOW, contacts=30)
    assert store.now() == UTC_NOW  # the clock is given back
    assert store.conn.execute("SELECT count(DISTINCT txid) FROM history").fetchone()[0] == 1
    store.undo()
    assert store.count_contacts() == 0
    assert store.list_deals() == []


def test_fill_refuses_a_naive_now(tmp_path) -> None:
    with pytest.raises(ValueError, match="naive"):
        demo.fill(_open(tmp_path / "t.db"), now=datetime(2026, 5, 14))


def test_the_demo_book_is_made_aside_so_the_lock_is_held_only_for_the_copy(tmp_path):
    """A writer waiting at most a second gets in while a demo book is being made."""
    import sqlite3
    import subprocess
    import sys
    import time

    book = tmp_path / "crm.db"
    Store.open(book, "tester").close()
    child = subprocess.Popen([sys.executable, "-m", "tinycrm", "--db", str(book), "demo", "--no-tui",
                              "--contacts", "2000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)  # the demo is being made now (it takes several seconds)
    conn = sqlite3.connect(book, timeout=1.0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the demo held the lock
    conn.execute("ROLLBACK")
    conn.close()
    assert child.wait(120) == 0, child.stderr.read()
    assert not list(tmp_path.glob(".crm.db.demo-*"))
