"""Reliability promises of PRODUCT.md: crashes mid-write, many writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tinycrm.store import Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tinycrm.store import Store
    store = Store.open({db!r}, "writer")
    contact = store.add_contact("Crash Test", emails=["crash@example.com"])
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        store.log(contact["id"], f"write {{i}}", kind="call", follow_up=store.now())
    """
)


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.update(TINYCRM_DB=str(tmp_path / "crm.db"), TINYCRM_USER="tester", NO_COLOR="1",
               PYTHONPATH=str(ROOT), TZ="UTC")
    env.pop("TINYCRM_NOW", None)
    return env


def test_a_killed_writer_leaves_a_whole_file_with_whole_writes(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(root=str(ROOT), db=str(db))],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    # let it commit a few hundred writes, then kill it wherever it is
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=30) as conn:
            if conn.execute("SELECT count(*) FROM interaction").fetchone()[0] >= 200:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    interactions = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    reminders = conn.execute("SELECT count(*) FROM reminder").fetchone()[0]
    indexed = conn.execute("SELECT count(*) FROM interaction_fts").fetchone()[0]
    logged = conn.execute(
        "SELECT count(*) FROM history WHERE tbl = 'interaction' AND op = 'insert'"
    ).fetchone()[0]
    assert interactions >= 200
    # every write is all or nothing: each interaction has its follow-up, index entry and history
    assert interactions == reminders == indexed == logged
    conn.close()


def test_many_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    with Store.open(db, "setup") as store:
        contact_id = store.add_contact("Busy Person")["id"]

    def write(worker: int) -> None:
        store = Store.open(db, f"user{worker}")
        try:
            for i in range(25):
                store.log(contact_id, f"worker {worker} write {i}")
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    with Store.open(db, "check") as store:
        assert store.count_interactions(contact_id) == 100


def test_cli_processes_writing_at_once_get_no_locked_error(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-m", "tinycrm", "contact", "add", "Shared Person"],
                   env=env, check=True, capture_output=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c",
             "import sys\nfrom tinycrm.cli import main\n"
             f"for i in range(10):\n    assert main(['log', 'shared', 'p{n} ' + str(i)]) == 0"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in err
    with Store.open(tmp_path / "crm.db", "check") as store:
        assert store.count_interactions(1) == 40


def test_a_lock_held_too_long_reaches_the_user_as_one_error_line_exit_1_and_nothing_written(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-m", "tinycrm", "contact", "add", "Ada Lovelace"],
                   env=env, check=True, capture_output=True)
    holder = sqlite3.connect(tmp_path / "crm.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        # the real command line in a real process, with the busy timeout cut from 30 s to 0.5 s
        code = ("import sys\nfrom tinycrm.store import connection\nconnection.BUSY_TIMEOUT_S = 0.5\n"
                "from tinycrm.cli import main\nsys.exit(main(['contact', 'add', 'Grace Hopper']))")
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("error: the book ")
    assert "is busy" in done.stderr
    assert "nothing was written" in done.stderr
    with Store.open(tmp_path / "crm.db", "check") as store:
        assert [c["name"] for c in store.list_contacts()] == ["Ada Lovelace"]
