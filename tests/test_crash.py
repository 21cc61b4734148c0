"""A SIGKILL anywhere in a write leaves a sound book holding all of that write or none of it.

Each operation the issue names (a large import, a merge, `tier apply`, `contact forget`,
`undo` of an import, a migration) runs as the real command (`tinycrm.cli.dispatch.main`) in a
child process, which is killed after a seeded random delay within the time the operation
takes to finish (measured on the same machine, in the same run, by a run left to finish).
Afterwards `integrity_check` is ok, `foreign_key_check` is empty, the book's own `check` is
clean, and every table (all but the full-text index's own, which `check` compares with the
rows) is exactly as in the book before or exactly as in the book the finished run left.

A longer seeded run, with the tally of outcomes (`TINYCRM_CRASH_VERBOSE=1` shows each trial;
bench/README.md): `TINYCRM_CRASH_TRIALS=200 TINYCRM_CRASH_SEED=7 python -m pytest -s tests/test_crash.py`.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.dates import utc_iso
from tinycrm.store import Store
from tinycrm.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
TRIALS = int(os.environ.get("TINYCRM_CRASH_TRIALS", "4"))
SEED = os.environ.get("TINYCRM_CRASH_SEED", "tinycrm")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
NOW_TEXT = "2026-11-30T09:00:00Z"
IMPORT_ROWS = 10_000
MERGED_INTERACTIONS = 4_000
TIERED_CONTACTS = 10_000

# The child imports what the command needs first, then says "go": the random delay falls on
# the operation itself, not on the interpreter's start.
CHILD = """
import sys
sys.path.insert(0, {root!r})
from tinycrm.cli.dispatch import main
import tinycrm.commands.core, tinycrm.commands.contact, tinycrm.commands.dupes
import tinycrm.commands.tier, tinycrm.commands.transfer, tinycrm.services.transfer
sys.stderr.write("go\\n")
sys.stderr.flush()
sys.exit(main({argv!r}))
"""


def _clock() -> datetime:
    return NOW


def _people(store: Store, count: int, **extra: object) -> None:
    store.add_contacts(
        {"name": f"Person {i}", "emails": [f"p{i}@example.com"], **extra} for i in range(count)
    )


def _seed_import(book: Path) -> list[str]:
    with Store.open(book, "seed", clock=_clock) as store:
        _people(store, 300)
    sheet = book.with_name("people.csv")
    # the first 300 rows update people already in the book (matched by e-mail), the rest are new
    lines = ["Name,E-mail,Phone,Organization,Notes"]
    lines += [f"Person {i},p{i}@example.com,,Acme {i % 50},imported note {i}" for i in range(IMPORT_ROWS)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["import", str(sheet)]


def _seed_merge(book: Path) -> list[str]:
    with Store.open(book, "seed", clock=_clock) as store:
        keep = store.add_contact("Ada Lovelace", emails=["ada@example.com"], tags=["vip"])
        other = store.add_contact("Ada King", emails=["ada.king@example.com"], phones=["+44 20 7946 0001"],
                                  notes="the same person", birthday="1815-12-10")
        store.add_interactions(
            {"contact_id": other["id"] if i % 4 else keep["id"], "kind": "call",
             "at": utc_iso(NOW - timedelta(hours=i)), "summary": f"call {i} about the engine"}
            for i in range(MERGED_INTERACTIONS)
        )
        for i in range(40):
            store.add_deal(other["id"], f"Engine {i}", value=str(100 + i))
            store.add_reminder(other["id"], NOW + timedelta(days=i), f"follow up {i}")
        store.add_contact("Analytical Engines", kind="org")
        store.edit_contact(other["id"], org="Analytical Engines")
    return ["merge", "ada lovelace", "ada king", "--yes"]


def _seed_tier_apply(book: Path) -> list[str]:
    with Store.open(book, "seed", clock=_clock) as store:
        store.add_contacts(
            {"name": f"Person {i}", "emails": [f"p{i}@example.com"], "tags": ["vip"] if i % 2 else []}
            for i in range(TIERED_CONTACTS)
        )
        from tinycrm.store.tiers import set_tier

        # rules set after the contacts: nobody has a tier until `tier apply`
        set_tier(store, "A", "tag:vip")
        set_tier(store, "C", "-tag:vip")
    return ["tier", "apply"]


def _seed_forget(book: Path) -> list[str]:
    with Store.open(book, "seed", clock=_clock) as store:
        store.add_contact("Ada Lovelace", emails=["ada@example.com"])
        victim = store.add_contact("Victor Victim", emails=["victor@example.com"], notes="private")
        store.add_interactions(
            {"contact_id": victim["id"], "kind": "call", "at": utc_iso(NOW - timedelta(hours=i)),
             "summary": f"conversation {i} about the secret plan"}
            for i in range(2_000)
        )
        for i in range(300):
            store.log(victim["id"], f"conversation {i} about the secret plan")
        store.add_deal(victim["id"], "secret plan", value="100")
    return ["contact", "forget", "victor", "--yes"]


def _seed_undo(book: Path) -> list[str]:
    with Store.open(book, "seed", clock=_clock) as store:
        store.add_contact("Ada Lovelace", emails=["ada@example.com"])
        _people(store, IMPORT_ROWS)
    return ["undo"]


@dataclass(frozen=True)
class Operation:
    """One write the issue names: how its book is made and the command line that runs it."""

    name: str
    seed: Callable[[Path], list[str]]


OPERATIONS = [
    Operation("import", _seed_import),
    Operation("merge", _seed_merge),
    Operation("tier apply", _seed_tier_apply),
    Operation("forget", _seed_forget),
    Operation("undo", _seed_undo),
]


def fingerprint(db: Path) -> dict[str, str]:
    """A digest of every table's rows, but the full-text indexes' own tables (`check` compares those)."""
    conn = sqlite3.connect(db)
    virtual = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if name not in virtual and not any(name.startswith(v + "_") for v in virtual)
              and name != "sqlite_stat1"]
    digests = {}
    for table in sorted(tables):
        rows = sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
        digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    conn.close()
    return digests


def assert_sound(db: Path) -> None:
    """integrity_check ok, foreign_key_check empty, the book's own check clean."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    with Store.open(db, "checker", clock=_clock) as store:
        assert store.check() == []


def _copy(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def _env(user: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TINYCRM_NOW=NOW_TEXT, TINYCRM_USER=user, TZ="UTC", NO_COLOR="1", PYTHONPATH=str(ROOT))
    env.pop("TINYCRM_DB", None)
    return env


def start(db: Path, argv: list[str], user: str = "seed") -> subprocess.Popen[str]:
    """The command in a child process, once it has said "go"."""
    code = CHILD.format(root=str(ROOT), argv=["--db", str(db), *argv])
    child = subprocess.Popen([sys.executable, "-c", code], env=_env(user), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    assert child.stderr.readline().strip() == "go"
    return child


@dataclass
class Book:
    """The book before the operation, the book after it, and how long the operation takes here."""

    before: Path
    argv: list[str]
    expected_before: dict[str, str]
    expected_after: dict[str, str]
    seconds: float


def _prepare(folder: Path, operation: Operation) -> Book:
    folder.mkdir(parents=True, exist_ok=True)
    before = folder / "before.db"
    argv = operation.seed(before)
    assert not Path(f"{before}-wal").exists() or Path(f"{before}-wal").stat().st_size == 0
    finished = _copy(before, folder / "finished.db")
    began = time.perf_counter()
    child = start(finished, argv)
    _, err = child.communicate(timeout=300)
    seconds = time.perf_counter() - began
    assert child.returncode == 0, err
    assert_sound(finished)
    book = Book(before, argv, fingerprint(before), fingerprint(finished), seconds)
    assert book.expected_before != book.expected_after, "the operation changed nothing"
    return book


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Operation], Book]:
    """Each operation's book, made once per run."""
    made: dict[str, Book] = {}

    def get(operation: Operation) -> Book:
        if operation.name not in made:
            folder = tmp_path_factory.mktemp(operation.name.replace(" ", "-"))
            made[operation.name] = _prepare(folder, operation)
        return made[operation.name]

    return get


def _differences(found: dict[str, str], book: Book) -> str:
    """Which tables are as before, as after, or neither: where a half write shows."""
    def state(table: str, digest: str) -> str:
        if digest == book.expected_before.get(table):
            return "before"
        return "after" if digest == book.expected_after.get(table) else "neither"

    changed = {t for t in found if book.expected_before.get(t) != book.expected_after.get(t)}
    return ", ".join(f"{table}: {state(table, digest)}" for table, digest in found.items()
                     if table in changed or digest != book.expected_before.get(table))


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name.replace(" ", "-"))
def test_a_killed_operation_leaves_the_book_before_or_the_book_after(
    tmp_path: Path, books: Callable[[Operation], Book], operation: Operation
) -> None:
    book = books(operation)
    rng = random.Random(f"{SEED}-{operation.name}")
    tally = {"none": 0, "all": 0}
    for trial in range(TRIALS):
        db = _copy(book.before, tmp_path / f"trial-{trial}.db")
        child = start(db, book.argv)
        delay = rng.uniform(0.0, 1.2 * book.seconds)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.stderr is not None
        child.stderr.close()
        found = fingerprint(db)
        assert found in (book.expected_before, book.expected_after), (
            f"trial {trial}: half a write ({_differences(found, book)})"
        )
        assert_sound(db)
        outcome = "all" if found == book.expected_after else "none"
        tally[outcome] += 1
        if os.environ.get("TINYCRM_CRASH_VERBOSE"):
            print(f"{operation.name} trial {trial}: killed after {delay:.2f} s: {outcome}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"\n{operation.name}: {TRIALS} kills within {1.2 * book.seconds:.2f} s: {tally}")
    if TRIALS >= 40:  # a long run must have cut the operation short, and let it finish, many times
        assert tally["none"], tally
        assert tally["all"], tally


def _old_book(db: Path, contacts: int) -> None:
    from tinycrm.store.schema import DEFAULT_STAGES, MIGRATIONS

    conn = sqlite3.connect(db, isolation_level=None)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.executemany("INSERT INTO stage VALUES (?, ?, ?, ?)", DEFAULT_STAGES)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO contact(name, created_at, updated_at) VALUES (?, '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z')",
        [(f"Old {i}",) for i in range(contacts)],
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_killed_migration_leaves_the_old_book_or_the_new_one(tmp_path: Path) -> None:
    template = tmp_path / "old.db"
    _old_book(template, 50_000)
    old = fingerprint(template)
    # the book a migration left to finish gives: what `check` says of it is what it must say after a kill
    # (this hand-made book has no search index for its rows; migration 2 does not build one)
    finished = _copy(template, tmp_path / "finished.db")
    with Store.open(finished, "checker", clock=_clock) as store:
        expected_problems = store.check()
    assert all("index" in problem for problem in expected_problems), expected_problems
    rng = random.Random(f"{SEED}-migration")
    for trial in range(TRIALS):
        db = _copy(template, tmp_path / f"old-{trial}.db")
        child = start(db, ["check"])  # any command opens the book, and opening migrates it
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.stderr is not None
        child.stderr.close()
        raw = sqlite3.connect(db)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        raw.close()
        assert version in (1, SCHEMA_VERSION)  # every step in one transaction
        if version == 1:
            assert fingerprint(db) == old, f"trial {trial}: a version-1 book changed by a cut-short migration"
        with Store.open(db, "checker", clock=_clock) as store:  # finishes the migration if it was cut short
            assert store.schema_version() == SCHEMA_VERSION
            assert store.count_contacts() == 50_000
            assert store.check() == expected_problems
