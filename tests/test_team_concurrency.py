"""Three users' CLI processes and a cron job applying the pool's rule, all on one book at once.

alice, bob and carol each run a seeded sequence of real `python -m tinycrm` processes (log,
claim, release, deal add/move, remind add/done) while a cron loop runs `due` (which
returns idle customers to the pool) and `pool apply --json`, each run a day later than the
last (TINYCRM_NOW steps), so customers keep going back to the pool while others claim them.
Afterwards:

- every write a process reported (exit 0 and the id it printed with --json) is in the book,
  exactly as often as it was reported;
- no process said "database is locked" or printed a traceback; every failure is one
  `error:` line with exit 1 (a claim of someone else's customer, say);
- `tinycrm check` finds the book sound;
- every change of owner follows from the one before it (nobody's claim or release was
  overwritten), every pool return moved an owned customer to the pool exactly once, and
  every move `pool apply` reported is in history.

The default run (40 operations per user) takes ~30-50 s on two busy cores. A longer run:
`TINYCRM_TEAM_OPS=300 TINYCRM_TEAM_SEED=7 pytest -q -p no:xdist tests/test_team_concurrency.py`
(300 writes per user, ~4-6 minutes here).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.services import team
from tinycrm.store import Store

BASE = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
USERS = ("alice", "bob", "carol")
OPS = int(os.environ.get("TINYCRM_TEAM_OPS", "40"))
SEED = int(os.environ.get("TINYCRM_TEAM_SEED", "13"))
CONTACTS = 24
STAGES = ("qualified", "proposal", "negotiation", "won", "lost")
KINDS = ("log", "log", "claim", "release", "deal add", "deal move", "remind add", "remind done")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Run:
    """What one process was asked and what it answered."""

    user: str
    argv: list[str]
    code: int
    out: str
    err: str


@dataclass
class Log:
    """Every process of the test, and the writes that reported success."""

    runs: list[Run] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, run: Run) -> None:
        with self.lock:
            self.runs.append(run)


def tinycrm(db: Path, user: str, now: datetime, *args: str) -> Run:
    env = {**os.environ, "TINYCRM_DB": str(db), "TINYCRM_USER": user, "TINYCRM_NOW": stamp(now), "TZ": "UTC"}
    env.pop("TINYCRM_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tinycrm", *args], env=env, capture_output=True, text=True, timeout=120
    )
    return Run(user, list(args), proc.returncode, proc.stdout, proc.stderr)


def user_session(db: Path, user: str, rng: random.Random, log: Log) -> None:
    """A few dozen (or hundred) writes as one person, each its own process."""
    deals: list[int] = []
    reminders: list[int] = []
    for n in range(OPS):
        ref = str(rng.randint(1, CONTACTS))
        kind = rng.choice(KINDS)
        if kind == "deal move" and not deals:
            kind = "deal add"
        if kind == "remind done" and not reminders:
            kind = "remind add"
        if kind == "log":
            args = ["log", ref, f"{user} call {n}", "--json"]
        elif kind == "claim":
            args = ["contact", "claim", ref, "--json"]
        elif kind == "release":
            args = ["contact", "release", ref, "--json"]
        elif kind == "deal add":
            value = str(rng.randint(1, 99) * 100)
            args = ["deal", "add", ref, f"{user} deal {n}", "--value", value, "--json"]
        elif kind == "deal move":
            args = ["deal", "move", str(rng.choice(deals)), rng.choice(STAGES), "--json"]
        elif kind == "remind add":
            args = ["remind", "add", ref, "+3d", f"{user} reminder {n}", "--json"]
        else:
            args = ["remind", "done", str(reminders.pop(rng.randrange(len(reminders))))]
        run = tinycrm(db, user, BASE, *args)
        log.add(run)
        if run.code == 0 and kind == "deal add":
            deals.append(json.loads(run.out)["id"])
        if run.code == 0 and kind == "remind add":
            reminders.append(json.loads(run.out)["id"])


def cron(db: Path, done: threading.Event, log: Log) -> None:
    """`due` and `pool apply` as cron runs them, a day later each time, until the users stop."""
    day = 0
    while not done.is_set() or day < 4:
        now = BASE + timedelta(days=day)
        log.add(tinycrm(db, "cron", now, "due", "--json"))
        log.add(tinycrm(db, "cron", now + timedelta(hours=1), "pool", "apply", "--json"))
        day += 1


def ok(log: Log, user: str, *prefix: str) -> list[Run]:
    return [r for r in log.runs if r.user == user and r.code == 0 and r.argv[: len(prefix)] == list(prefix)]


def history(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crowd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Log]:
    """The whole concurrent run, once for all the checks below."""
    path = tmp_path_factory.mktemp("crowd") / "team.db"
    with Store.open(path, "setup", clock=lambda: BASE - timedelta(days=60)) as store:
        for n in range(CONTACTS):
            store.add_contact(f"Customer {n:02d}", owner=(*USERS, None)[n % 4])
        team.set_rule(store, days=30, warn=5)
    log = Log()
    done = threading.Event()
    rng = random.Random(SEED)
    users = [
        threading.Thread(target=user_session, args=(path, u, random.Random(rng.random()), log)) for u in USERS
    ]
    cron_thread = threading.Thread(target=cron, args=(path, done, log))
    cron_thread.start()
    for thread in users:
        thread.start()
    for thread in users:
        thread.join()
    done.set()
    cron_thread.join()
    return path, log


def test_no_process_meets_a_locked_database_or_a_traceback(crowd: tuple[Path, Log]) -> None:
    _, log = crowd
    assert len(log.runs) >= len(USERS) * OPS
    for run in log.runs:
        assert "database is locked" not in run.err, run
        assert "Traceback" not in run.err, run
        assert run.code in (0, 1), run
        if run.code:
            assert run.err.startswith("error: "), run
            assert run.err.count("\n") == 1, run


def test_every_reported_write_is_in_the_book(crowd: tuple[Path, Log]) -> None:
    db, log = crowd
    for user in USERS:
        for run in ok(log, user, "log"):
            record = json.loads(run.out)
            row = history(db, "SELECT contact_id, summary, user FROM interaction WHERE id = ?", record["id"])
            assert row == [(int(run.argv[1]), run.argv[2], user)]
        for run in ok(log, user, "deal", "add"):
            record = json.loads(run.out)
            assert history(db, "SELECT contact_id, title FROM deal WHERE id = ?", record["id"]) == [
                (int(run.argv[2]), run.argv[3])
            ]
        moves = Counter((int(r.argv[2]), r.argv[3]) for r in ok(log, user, "deal", "move"))
        recorded = Counter(
            (row[0], row[1])
            for row in history(
                db,
                "SELECT json_extract(after, '$.deal_id'), json_extract(after, '$.stage') FROM history"
                " WHERE tbl = 'deal_stage' AND op = 'insert' AND user = ?"
                " AND (command LIKE 'deal move %' OR command LIKE 'deal won %'"
                " OR command LIKE 'deal lost %')",
                user,
            )
        )
        assert recorded == moves, user
        for run in ok(log, user, "remind", "add"):
            record = json.loads(run.out)
            assert history(db, "SELECT text, owner FROM reminder WHERE id = ?", record["id"]) == [
                (run.argv[4], user)
            ]
        for run in ok(log, user, "remind", "done"):
            (done_at,) = history(db, "SELECT done_at FROM reminder WHERE id = ?", int(run.argv[2]))[0]
            assert done_at is not None
        for verb in ("claim", "release"):
            reported = Counter(int(r.argv[2]) for r in ok(log, user, "contact", verb))
            in_history = Counter(
                row[0]
                for row in history(
                    db,
                    "SELECT row_id FROM history WHERE tbl = 'contact' AND user = ? AND command LIKE ?",
                    user,
                    f"contact {verb} %",
                )
            )
            assert in_history == reported, (user, verb)


def test_the_book_is_sound_afterwards(crowd: tuple[Path, Log]) -> None:
    db, _ = crowd
    run = tinycrm(db, "alice", BASE, "check", "--json")
    assert run.code == 0, run
    assert json.loads(run.out) == {"sound": True, "problems": []}


def test_every_pool_move_is_in_history_once_and_owners_follow_each_other(crowd: tuple[Path, Log]) -> None:
    db, log = crowd
    changes = history(
        db,
        "SELECT row_id, command, json_extract(before, '$.owner'), json_extract(after, '$.owner') FROM history"
        " WHERE tbl = 'contact' AND op = 'update'"
        " AND json_extract(before, '$.owner') IS NOT json_extract(after, '$.owner') ORDER BY id",
    )
    owner = {n + 1: (*USERS, None)[n % 4] for n in range(CONTACTS)}
    returns: Counter[tuple[int, str]] = Counter()
    for contact, command, before, after in changes:
        assert before == owner[contact], (contact, command)  # nobody's change was lost or overwritten
        if command.startswith("pool return"):
            assert before is not None
            assert after is None
            returns[(contact, before)] += 1
        owner[contact] = after
    current = dict(history(db, "SELECT id, owner FROM contact"))
    assert current == owner
    assert returns, "the cron never returned anyone: the test did not test the pool"
    applied = [r for r in log.runs if r.argv[:2] == ["pool", "apply"] and r.code == 0]
    reported = Counter((m["id"], m["owner"]) for r in applied for m in json.loads(r.out))
    assert not reported - returns  # every move `pool apply` said it made is in history
