"""PRODUCT.md's performance table, every row, in one run: met or not met, next to its floors.

    python bench/perf.py BOOK [--runs 5] [--import-rows 100000] [--no-import] [--no-tui]

Run it with the Python of a regular (non-editable) install, so that the whole-process rows
time the installed `tinycrm` entry point with its bytecode cached:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install . && /tmp/v/bin/python bench/perf.py BOOK

BOOK is made by `bench/generate.py` (100,000 contacts, 1,000,000 interactions, 50,000 deals,
20,000 reminders); it is only read: each program writes into its own copy (`cli_bench.copies`).
The floors are measured in the same run, on the same machine, interleaved with the commands
(each round runs every command once, so a shared machine's load falls on all alike): F =
`python -c "import sqlite3"`, `python -c pass`, the 20-line sqlite3 script that runs the
due-reminders query (`due_bench.RAW_SCRIPT`), `import typer`, `import textual.app`,
taskwarrior's `task next` on the book's 20,000 reminders as tasks (skipped, and said so, when
`task` is not installed), a raw `executemany` of the import's rows, one pass over the deals.
Whole-process figures are medians of `--runs` rounds after a warm-up round; in-process ones
medians of `--runs` × 4 calls (`dupes` and the import: `--runs` 1, they take seconds).

Parts (each also a script of its own, for a closer look): `cli_bench.py` (every command as a
whole process), `due_bench.py` (`due` and its floors), `run.py` (search and list in the
process), `report_bench.py` (reports), `tui_bench.py` (the TUI), `dedupe_bench.py` (precision
and recall of `dupes`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cli_bench import COMMANDS, copies  # noqa: E402
from cli_bench import timed as interleaved  # noqa: E402
from due_bench import NOW, RAW_SCRIPT, environment  # noqa: E402

END_OF_DAY = NOW[:10] + "T23:59:59Z"
MORE_COMMANDS = [  # rows of the table cli_bench does not time: "every other command … `report`"
    ("report pipeline", ["report", "pipeline"], 5, "book"),
    ("report activity", ["report", "activity"], 5, "book"),
    ("report funnel", ["report", "funnel"], 5, "book"),
    ("report rfm", ["report", "rfm"], 5, "book"),
    ("report activity --by owner", ["report", "activity", "--by", "owner"], 5, "book"),
    ("report rfm --by owner", ["report", "rfm", "--by", "owner"], 5, "book"),
]
REPORTS = ("pipeline", "forecast", "funnel", "activity", "lifecycle", "rfm")


class Table:
    """The rows printed at the end: operation, how, median, floors, ratio, target, verdict."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, operation: str, how: str, value: str, floor: str, ratio: str, target: str, met: bool | None) -> None:
        """One row; `met` None when there is nothing to compare (a floor, a skipped peer)."""
        verdict = "" if met is None else ("met" if met else "**not met**")
        self.rows.append((operation, how, value, floor, ratio, target, verdict))

    def print(self) -> None:
        """As Markdown."""
        print("| operation | how | median | floor, same run | ratio | target | |")
        print("|---|---|---:|---|---:|---|---|")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")


def median_ms(call: Callable[[], object], runs: int) -> float:
    """Median wall milliseconds of `call()` after one warm-up call."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# ---------------------------------------------------------------- taskwarrior, the peer for `due`


def taskwarrior(book: Path, folder: Path) -> dict[str, str] | None:
    """An environment whose `task` holds the book's reminders as tasks; None without taskwarrior."""
    if not shutil.which("task"):
        return None
    data = folder / "taskdata"
    rc = folder / "taskrc"
    if not (data / "pending.data").exists():
        data.mkdir(parents=True, exist_ok=True)
        rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n")
        conn = sqlite3.connect(book)
        rows = conn.execute("SELECT id, text, due, done_at, created_at FROM reminder").fetchall()
        conn.close()
        rng = random.Random(7)

        def stamp(iso: str) -> int:
            return int(datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())

        def line(row: tuple, status: str) -> str:
            rid, text, due, done_at, created = row
            a, b, c, d = rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48)
            uuid = f"{rid:08x}-{a:04x}-4{b:03x}-8{c:03x}-{d:012x}"
            text = (text or "reminder").replace('"', "'").replace("\\", "/")
            fields = [f'description:"{text}"', f'due:"{stamp(due)}"', f'entry:"{stamp(created)}"',
                      f'status:"{status}"', f'uuid:"{uuid}"']
            if status == "completed":
                fields.append(f'end:"{stamp(done_at)}"')
            return "[" + " ".join(fields) + "]\n"

        with open(data / "pending.data", "w") as pending, open(data / "completed.data", "w") as completed:
            for row in rows:
                if row[3]:
                    completed.write(line(row, "completed"))
                else:
                    pending.write(line(row, "pending"))
    env = environment()
    env.update(TASKRC=str(rc), TASKDATA=str(data))
    return env


# ---------------------------------------------------------------- whole process


def whole_process(book: Path, runs: int, table: Table, folder: Path) -> float:
    """Every command and its floors as whole processes; returns F (ms)."""
    python = sys.executable
    program = str(Path(python).parent / "tinycrm")
    env = environment()
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    books = copies(book, "perf")
    raw = folder / "due_script.py"
    raw.write_text(RAW_SCRIPT)
    commands: dict[str, list[str]] = {
        "F": [python, "-c", "import sqlite3"],
        "pass": [python, "-c", "pass"],
        "script": [python, str(raw), str(books["kept"]), END_OF_DAY],
        "typer": [python, "-c", "import typer"],
    }
    rows = COMMANDS + MORE_COMMANDS
    for name, argv, _, kind in rows:
        commands[name] = [program, "--db", str(books[kind]), *argv]
    task_env = taskwarrior(book, folder)
    ms = interleaved(commands, runs, env)
    if task_env:
        task_ms = median_ms(lambda: subprocess.run(["task", "next"], env=task_env, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL, check=False), runs)
    f = ms["F"]
    floors = f"F {f:.1f} ms; `-c pass` {ms['pass']:.1f}; sqlite3 due script {ms['script']:.1f}; `import typer` {ms['typer']:.1f}"
    table.add("F = `python -c \"import sqlite3\"`", "whole process", f"{f:.1f} ms", floors, "1.00", "", None)
    for name, _, target, kind in rows:
        value = ms[name]
        book_note = " (kept-up book)" if kind == "kept" else ""
        table.add(f"`{name}`{book_note}", "whole process", f"{value:.1f} ms", "F",
                  f"{value / f:.2f} F", f"≤ {target} F", value / f <= target)
    due = ms["due --json"]
    if task_env:
        table.add("`due --json` vs taskwarrior `task next` (20,000 tasks)", "whole process", f"{due:.1f} ms",
                  f"`task next` {task_ms:.1f} ms", f"{due / task_ms:.2f} × task", "≤ 0.5 × task", due <= 0.5 * task_ms)
    else:
        table.add("`due --json` vs taskwarrior `task next`", "whole process", "", "task not installed", "", "≤ 0.5 × task",
                  None)
    for suffix in ("", "-wal", "-shm"):
        for kind in ("book", "kept"):
            Path(f"{book.with_name(f'perf-{kind}.db')}{suffix}").unlink(missing_ok=True)
    return f


# ---------------------------------------------------------------- import


def import_rows(rows: int, folder: Path) -> tuple[Path, list[tuple[str, str, str]]]:
    """A CSV of `rows` new people (30% Chinese names), each with an e-mail and a phone."""
    rng = random.Random(11)
    family, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    people = []
    for i in range(rows):
        if i % 10 < 3:
            name = rng.choice(family) + rng.choice(given) + rng.choice(given)
        else:
            name = f"{rng.choice(['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'])} Importee{i}"
        people.append((name, f"importee{i}@example.org", f"+1 202 555 {i % 10000:04d}"))
    path = folder / f"import-{rows}.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Name,E-mail,Phone\n")
        fh.writelines(f"{n},{e},{p}\n" for n, e, p in people)
    return path, people


def import_bench(rows: int, f: float, table: Table, folder: Path) -> None:
    """`import` of a CSV into an empty book: whole process and in the process, next to `executemany`."""
    sheet, people = import_rows(rows, folder)
    env = environment()
    program = str(Path(sys.executable).parent / "tinycrm")
    fresh = folder / "import-whole.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([program, "--db", str(fresh), "import", str(sheet)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    whole = time.perf_counter() - start

    from tinycrm.cli.dispatch import main

    inproc = folder / "import-in.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{inproc}{suffix}").unlink(missing_ok=True)
    os.environ.update(TINYCRM_NOW=NOW, TZ="UTC")
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            start = time.perf_counter()
            main(["--db", str(inproc), "import", str(sheet)])
            inside = time.perf_counter() - start
        finally:
            sys.stdout = saved
    bare = sqlite3.connect(folder / "floor.db")
    bare.execute("DROP TABLE IF EXISTS t")
    bare.execute("CREATE TABLE t (name TEXT, email TEXT, phone TEXT)")
    start = time.perf_counter()
    with bare:
        bare.executemany("INSERT INTO t VALUES (?, ?, ?)", people)
    floor = time.perf_counter() - start
    bare.close()
    table.add(f"`import` of a {rows:,}-row CSV", "whole process", f"{whole:.2f} s",
              f"`executemany` {floor:.2f} s", f"{whole * 1000 / f:.0f} F", "≤ 1 s", whole <= 1.0)
    table.add(f"`import` of a {rows:,}-row CSV", "in process", f"{rows / inside:,.0f} rows/s",
              f"`executemany` {rows / floor:,.0f} rows/s", f"{floor / inside:.3f} × floor", "≥ 250,000 rows/s",
              rows / inside >= 250_000)
    for path in (fresh, inproc, folder / "floor.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- in the process


def in_process(book: Path, runs: int, f: float, table: Table) -> None:
    """Search, lists, stale views and reports, called in the process; `dupes` as a whole process."""
    from run import cases

    from tinycrm import reports
    from tinycrm.store import Store

    now = datetime.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    work = book.with_name("perf-inproc.db")
    src, dest = sqlite3.connect(book), sqlite3.connect(work)
    src.backup(dest)
    src.close()
    dest.execute("DROP TABLE IF EXISTS sqlite_stat1")
    dest.close()
    store = Store.open(work, "bench", clock=lambda: now)
    contacts = store.count_contacts()
    point = median_ms(lambda: store.conn.execute("SELECT id FROM contact WHERE id = 4242").fetchall(), runs * 4)
    for label, call, target in cases(store):
        value = median_ms(call, runs * 4)  # type: ignore[arg-type]
        table.add(label, "in process", f"{value:.2f} ms", f"a primary-key SELECT {point:.3f} ms",
                  f"{value / point:.0f} × floor", f"≤ {target} ms", value <= target)
    deals = median_ms(lambda: store.conn.execute("SELECT count(*), sum(value_minor) FROM deal").fetchall(), runs)
    for name in REPORTS:
        report = getattr(reports, name)
        value = median_ms(lambda report=report: report(store, now), runs)
        table.add(f"report {name}", "in process", f"{value:.0f} ms", f"one pass over the deals {deals:.1f} ms",
                  f"{value / deals:.0f} × floor", "≤ 200 ms", value <= 200)
    store.close()
    env = environment()
    program = str(Path(sys.executable).parent / "tinycrm")
    start = time.perf_counter()
    subprocess.run([program, "--db", str(work), "dupes", "--json"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dupes = time.perf_counter() - start
    table.add(f"`dupes` on {contacts:,} contacts", "whole process, 1 run", f"{dupes:.1f} s", "F",
              f"{dupes * 1000 / f:.0f} F", "≤ 5 s", dupes <= 5)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


def tui(book: Path, runs: int, table: Table) -> None:
    """The TUI's start, keystrokes and memory (bench/tui_bench.py, in a child: its own peak RSS)."""
    env = environment()
    python = sys.executable
    textual = median_ms(lambda: subprocess.run([python, "-c", "import textual.app"], env=env, check=True), runs)
    code = (f"import sys, json, asyncio; sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]\n"
            "import tui_bench\n"
            f"print(json.dumps(asyncio.run(tui_bench.measure(__import__('pathlib').Path({str(book)!r}), (100, 30)))))")
    out = subprocess.run([python, "-c", code], env=env, check=True, capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    first = figures["first_rows_s"] * 1000
    table.add("TUI: start to the first screen of contacts", "in process (headless)", f"{first:.0f} ms",
              f"`import textual.app` {textual:.0f} ms (whole process)", f"{first / textual:.2f} × floor", "≤ 500 ms",
              first <= 500)
    worst = figures["keystroke_max_ms"]
    table.add("TUI: each filter keystroke", "in process (headless)",
              f"{figures['keystroke_median_ms']:.1f} ms (worst {worst:.1f})", "", "", "≤ 100 ms", worst <= 100)
    table.add("TUI: memory", "peak RSS", f"{figures['rss_peak_mb']:.0f} MB",
              f"{figures['rss_before_mb']:.0f} MB before Textual", "", "≤ 80 MB", figures["rss_peak_mb"] <= 80)


def main() -> None:
    """Measure every row, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--no-import", action="store_true", help="skip the import rows (they take a minute)")
    parser.add_argument("--no-tui", action="store_true", help="skip the TUI rows")
    args = parser.parse_args()
    if not args.book.exists():
        sys.exit(f"no book at {args.book}: python bench/generate.py {args.book}")
    table = Table()
    started = time.perf_counter()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tinycrm-perf-") as tmp:
        folder = Path(tmp)
        f = whole_process(args.book, args.runs, table, folder)
        in_process(args.book, args.runs, f, table)
        if not args.no_tui:
            tui(args.book, args.runs, table)
        if not args.no_import:
            import_bench(args.import_rows, f, table, folder)
    table.print()
    print(f"\n{args.runs} runs; load {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"{time.perf_counter() - started:.0f} s in all; {sys.executable}")
    if not shutil.which("task"):
        print("task not installed: the taskwarrior row is skipped")


if __name__ == "__main__":
    main()
