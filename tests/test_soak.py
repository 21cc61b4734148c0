"""Cron, the TUI and several CLI writers on one book at once: nothing lost, nothing locked, sent once.

On one file, in separate processes, at the same time:

- WRITERS processes, each running its share of command lines through the real dispatcher
  (`tinycrm.cli.dispatch.main`, as the console script does, without a new interpreter per
  command): `contact add`, `log` (on its own customer and on one all writers share),
  `remind add … today`, `deal add`, `contact edit --add-tag` (also on the shared customer);
- two cron-like loops of `due --notify` (two, so that runs overlap as a slow cron's do), the
  notifications going to standard output, which each loop appends to its own file;
- a TUI-like reader paging through the contacts with the TUI's own `fetch_rows` on one open
  connection, as the contact table's worker does, and reading the shared customer's timeline.

Then: every write a writer was told succeeded is in the book; no command and no read met
"database is locked" (or any error); every reminder due today was notified exactly once, and
no notification line was sent twice. `TINYCRM_SOAK_OPS` sets the writers' total (default 1,500;
the whole run is a few thousand operations); bench/README.md gives a longer run.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from tinycrm.store import Store

WRITERS = 3
OPS = int(os.environ.get("TINYCRM_SOAK_OPS", "1500"))
NOW_TEXT = "2026-11-30T09:00:00Z"
SHARED = "shared@soak.example"


def _environment(db: str, user: str) -> None:
    os.environ.update(TINYCRM_DB=db, TINYCRM_NOW=NOW_TEXT, TINYCRM_USER=user, TZ="UTC", NO_COLOR="1")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TINYCRM_DEBUG"):  # notifications go to stdout
        os.environ.pop(name, None)


def cli(argv: list[str]) -> tuple[int, str, str]:
    """One command line through the dispatcher: its exit code, stdout and stderr."""
    from tinycrm.cli.dispatch import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def writer(db: str, number: int, count: int, journal: str) -> None:
    """Run `count` writes; journal each one the command said it made, and each failure."""
    _environment(db, f"writer{number}")
    mine = f"w{number}@soak.example"
    lines: list[dict[str, Any]] = []

    def run(argv: list[str], record: dict[str, Any]) -> None:
        code, out, err = cli(argv)
        if code != 0 or err:
            lines.append({"error": argv, "code": code, "stderr": err})
        else:
            lines.append({**record, "out": out.strip()})

    customer = f"Writer {number} Customer"
    run(["contact", "add", customer, "--email", mine], {"contact": customer})
    for i in range(count - 1):
        step, shared = i % 5, i % 10 >= 5
        ref = SHARED if shared else mine
        if step == 0:
            name = f"Soak W{number} Person {i}"
            run(["contact", "add", name, "--email", f"w{number}p{i}@soak.example"], {"contact": name})
        elif step == 1:
            text = f"w{number} call {i}"
            run(["log", ref, text], {"interaction": text})
        elif step == 2:
            text = f"w{number} reminder {i}"
            run(["remind", "add", ref, "today", text], {"reminder": text})
        elif step == 3:
            title = f"w{number} deal {i}"
            run(["deal", "add", ref, title, "--value", "100"], {"deal": title})
        else:
            tag = f"w{number}t{i}"
            run(["contact", "edit", ref, "--add-tag", tag], {"tag": tag, "ref": ref})
    Path(journal).write_text("\n".join(json.dumps(line) for line in lines) + "\n")


def notifier(db: str, number: int, stop: Any, sent: str, journal: str) -> None:
    """`due --notify` as cron runs it, again and again until told to stop."""
    _environment(db, "cron")
    errors, runs = [], 0
    with open(sent, "a", encoding="utf-8") as out:
        while True:
            stopping = stop.is_set()
            code, text, err = cli(["due", "--notify"])
            runs += 1
            out.write(text)
            out.flush()
            if code != 0 or err:
                errors.append({"code": code, "stderr": err})
            if stopping:
                break
            time.sleep(0.05 * number)
    Path(journal).write_text(json.dumps({"runs": runs, "errors": errors}))


def reader(db: str, stop: Any, journal: str) -> None:
    """Page through the contacts as the TUI's table worker does, on one open connection."""
    from datetime import timezone

    from tinycrm.tui.widgets.contact_table import Query, fetch_rows

    _environment(db, "viewer")
    errors, pages = [], 0
    store = Store.open(db, "viewer")
    query = Query("", "name")
    page = 0
    while not stop.is_set():
        try:
            rows = fetch_rows(store, query, page, timezone.utc)
            page = page + 1 if rows else 0
            shared = store.resolve(SHARED)
            store.timeline(shared["id"], limit=20)
            store.list_contacts("soak", limit=20)
            pages += 1
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(f"{type(exc).__name__}: {exc}")
    store.close()
    Path(journal).write_text(json.dumps({"pages": pages, "errors": errors}))


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def test_cron_tui_and_cli_writers_at_once_lose_nothing_lock_nobody_and_notify_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "crm.db")
    # the children set their own environment; this process's is put back after the test
    # (left set, NO_COLOR made every later Textual snapshot in this worker monochrome)
    for name in ("TINYCRM_DB", "TINYCRM_NOW", "TINYCRM_USER", "TZ", "NO_COLOR", "DISPLAY",
                 "WAYLAND_DISPLAY", "TINYCRM_DEBUG"):
        monkeypatch.setenv(name, "")  # remembers what was there (or that nothing was)
        monkeypatch.delenv(name)
    _environment(db, "setup")
    assert cli(["contact", "add", "Shared Customer", "--email", SHARED])[0] == 0
    assert cli(["remind", "add", "shared", "today", "standing reminder"])[0] == 0

    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    started = time.monotonic()
    writers = [ctx.Process(target=writer, args=(db, n, OPS // WRITERS, str(tmp_path / f"writer{n}.jsonl")))
               for n in range(WRITERS)]
    loops = [ctx.Process(target=notifier, args=(db, n + 1, stop, str(tmp_path / f"sent{n}.txt"),
                                                str(tmp_path / f"cron{n}.json"))) for n in range(2)]
    viewer = ctx.Process(target=reader, args=(db, stop, str(tmp_path / "reader.json")))
    for proc in [*loops, viewer, *writers]:
        proc.start()
    for proc in writers:
        proc.join(600)
        assert proc.exitcode == 0
    stop.set()  # each cron loop runs once more after the last write, so every reminder gets its turn
    for proc in [*loops, viewer]:
        proc.join(120)
        assert proc.exitcode == 0
    seconds = time.monotonic() - started

    journal = [line for n in range(WRITERS) for line in _read(tmp_path / f"writer{n}.jsonl")]
    crons = [json.loads((tmp_path / f"cron{n}.json").read_text()) for n in range(2)]
    viewed = json.loads((tmp_path / "reader.json").read_text())
    assert [line for line in journal if "error" in line] == []
    assert [error for cron in crons for error in cron["errors"]] == []
    assert viewed["errors"] == []
    assert viewed["pages"] > 0

    # no lost write: everything a writer was told it wrote is in the book
    with Store.open(db, "checker") as store:
        assert store.check() == []
        names = {c["name"] for c in store.list_contacts("")}
        summaries = Counter(s for (s,) in store.conn.execute("SELECT summary FROM interaction"))
        texts = Counter(t for (t,) in store.conn.execute("SELECT text FROM reminder"))
        titles = Counter(t for (t,) in store.conn.execute("SELECT title FROM deal"))
        tags = {t for c in store.list_contacts("") for t in c["tags"]}
    for line in journal:
        kind = next(k for k in ("contact", "interaction", "reminder", "deal", "tag") if k in line)
        value = line[kind]
        found = {"contact": value in names, "interaction": summaries[value] == 1,
                 "reminder": texts[value] == 1, "deal": titles[value] == 1, "tag": value in tags}[kind]
        assert found, f"a reported {kind} is not in the book: {line}"

    # every notification sent once: each reminder due today is in exactly one notification line
    sent = [line for n in range(2) for line in (tmp_path / f"sent{n}.txt").read_text().splitlines()
            if line.startswith("- ")]
    twice = [line for line, times in Counter(sent).items() if times > 1]
    assert twice == []
    reminders = [line["reminder"] for line in journal if "reminder" in line] + ["standing reminder"]
    for text in reminders:
        assert sum(f"  {text} (" in line for line in sent) == 1, f"'{text}' not notified exactly once"

    operations = len(journal) + sum(cron["runs"] for cron in crons) + viewed["pages"]
    print(f"\nsoak: {len(journal)} writes, {sum(c['runs'] for c in crons)} notify runs, "
          f"{viewed['pages']} reader rounds = {operations} operations in {seconds:.1f} s")
    assert operations >= OPS
