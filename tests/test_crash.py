"""A SIGKILL anywhere in a write leaves a sound book holding all of that write or none of it.

Each trial starts a child that runs one long operation (a 20,000-row import, forget, undo of
an import, the migration of an older book) and kills it after a seeded random delay; then
`integrity_check`, `foreign_key_check` and the book's own `check` must be clean, and the
operation must be all there or not there at all. A longer seeded run:
`TINYCRM_CRASH_TRIALS=200 python -m pytest tests/test_crash.py`.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tinycrm.store import Store

ROOT = Path(__file__).resolve().parent.parent
TRIALS = int(os.environ.get("TINYCRM_CRASH_TRIALS", "4"))
IMPORT_ROWS = 20_000

PRELUDE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tinycrm.store import Store
"""
OPERATIONS = {
    "import": """
store = Store.open(DB, "child")
print("go", flush=True)
store.add_contacts({"name": f"Imported {i}", "emails": [f"i{i}@example.com"]} for i in range(ROWS))
""",
    "forget": """
store = Store.open(DB, "child")
print("go", flush=True)
store.forget_contact(2)
""",
    "undo": """
store = Store.open(DB, "seed")
print("go", flush=True)
store.undo()
""",
}


def _seed_book(db: Path, operation: str) -> None:
    with Store.open(db, "seed") as store:
        store.add_contact("Ada Lovelace", emails=["ada@example.com"])
        victim = store.add_contact("Victor Victim", emails=["victor@example.com"], notes="private")
        for i in range(300):
            store.log(victim["id"], f"conversation {i} about the secret plan")
        if operation == "undo":
            store.add_contacts({"name": f"Imported {i}"} for i in range(IMPORT_ROWS))


def _run_and_kill(db: Path, operation: str, delay: float) -> int | None:
    code = PRELUDE + f"DB = {str(db)!r}\nROWS = {IMPORT_ROWS}\n" + textwrap.dedent(OPERATIONS[operation])
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "go"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    return child.wait()


def _sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    with Store.open(db, "checker") as store:
        assert store.check() == []


def _counts(db: Path) -> tuple[int, int]:
    with Store.open(db, "checker") as store:
        return store.count_contacts(), store.conn.execute("SELECT count(*) FROM interaction").fetchone()[0]


@pytest.mark.parametrize("operation", ["import", "forget", "undo"])
def test_a_killed_operation_is_all_or_nothing(tmp_path: Path, operation: str) -> None:
    rng = random.Random(f"crash-{operation}")
    outcomes = set()
    for trial in range(TRIALS):
        db = tmp_path / f"{operation}-{trial}.db"
        _seed_book(db, operation)
        before = _counts(db)
        _run_and_kill(db, operation, rng.uniform(0.0, 1.5))
        _sound(db)
        after = _counts(db)
        done = {
            "import": (before[0] + IMPORT_ROWS, before[1]),
            "forget": (before[0] - 1, before[1] - 300),
            "undo": (before[0] - IMPORT_ROWS, before[1]),
        }[operation]
        assert after in (before, done), f"trial {trial}: half a write ({before} → {after})"
        outcomes.add(after == done)
    assert outcomes  # at least one trial ran


def test_a_killed_migration_leaves_the_old_book_or_the_new_one(tmp_path: Path) -> None:
    from tinycrm.store.schema import DEFAULT_STAGES, MIGRATIONS, SCHEMA_VERSION

    rng = random.Random("crash-migration")
    for trial in range(TRIALS):
        db = tmp_path / f"old-{trial}.db"
        conn = sqlite3.connect(db, isolation_level=None)
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.executemany("INSERT INTO stage VALUES (?, ?, ?, ?)", DEFAULT_STAGES)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO contact(name, created_at, updated_at) VALUES (?, '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:00:00Z')",
            [(f"Old {i}",) for i in range(50_000)],
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA user_version = 1")
        conn.close()
        code = PRELUDE + f"print('go', flush=True)\nStore.open({str(db)!r}, 'child')\n"
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        raw = sqlite3.connect(db)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA user_version").fetchone()[0] in (1, SCHEMA_VERSION)
        assert raw.execute("SELECT count(*) FROM contact").fetchone()[0] == 50_000
        raw.close()
        with Store.open(db, "checker") as store:  # finishes the migration if it was cut short
            assert store.schema_version() == SCHEMA_VERSION
            assert store.count_contacts() == 50_000
