"""`check` grows with the book, not with its square: on a 1,000,000-interaction book it once looked
up every interaction's search entry by an UNINDEXED column, a full scan of the index per
interaction, and never finished. Counted in SQLite VM steps (a progress handler), never in time."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tinycrm.store import Store
from tinycrm.store.interactions import search_key

NOW = datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc)


def book_with(tmp_path: Path, interactions: int) -> Path:
    """A book of one contact and `interactions` logged notes, each in the search index."""
    path = tmp_path / f"b{interactions}.db"
    store = Store.open(path, "tester", clock=lambda: NOW)
    cid = store.add_contact("Ada Lovelace")["id"]
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        rows = [
            (i, cid, f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z") for i in range(1, interactions + 1)
        ]
        conn.executemany(
            "INSERT INTO interaction (id, contact_id, kind, at, summary, created_at)"
            " VALUES (?, ?, 'note', ?, 'hello', ?3)",
            rows,
        )
        conn.executemany(
            "INSERT INTO interaction_fts (rowid, doc, interaction_id) VALUES (?, 'hello', ?)",
            [(search_key(at, i), i) for i, _, at in rows],
        )
        conn.execute("UPDATE contact SET last_contacted_at = (SELECT MAX(at) FROM interaction)")
    conn.close()
    return path


def steps_of_check(path: Path) -> tuple[int, list[str]]:
    """SQLite VM steps (in thousands) that `check` takes, and what it says."""
    store = Store.open(path, "tester", clock=lambda: NOW)
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    store.conn.set_progress_handler(tick, 1000)
    try:
        problems = store.check()
    finally:
        store.conn.set_progress_handler(None, 1000)
        store.close()
    return counted[0], problems


def test_check_work_grows_linearly_with_interactions(tmp_path: Path) -> None:
    small, small_problems = steps_of_check(book_with(tmp_path, 1_000))
    large, large_problems = steps_of_check(book_with(tmp_path, 4_000))
    assert small_problems == large_problems == []
    # four times the interactions: ~4× the work when linear, ~16× when each one scans the index
    assert large < 8 * small, (small, large)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("DELETE FROM interaction_fts WHERE interaction_id = 7",
         "1 interactions missing from the search index"),
        ("INSERT INTO interaction_fts (rowid, doc, interaction_id) VALUES (1, 'x', 999999)",
         "1 search entries of interactions that no longer exist"),
    ],
)
def test_check_still_finds_search_entries_out_of_step(tmp_path: Path, damage: str, problem: str) -> None:
    path = book_with(tmp_path, 20)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(damage)
    conn.close()
    assert steps_of_check(path)[1] == [problem]
