"""The bulk write path and `tinycrm import`, each next to its floor measured in the same run.

    python bench/bulk_bench.py inprocess [--rows 100000] [--book BIG.db] [--profile]
    python bench/bulk_bench.py process [--rows 100000] [--runs 3] [--bin VENV/bin]

`inprocess`: `Store.add_contacts` of ROWS contacts (30% Chinese names, one e-mail and one
phone each) into an empty book and, with `--book`, into a copy of that book (the 100,000-contact
book of bench/generate.py); the floor is a raw `executemany` of the same rows into a bare
table of the same file. `process`: whole-process `tinycrm import big.csv` (a fresh empty book
each run) against F (`python -c "import sqlite3"`) and against the raw floor, a script that
reads the same CSV with `csv.reader` and `executemany`s its rows into a bare table, all from
the same virtual environment (`--bin`, a regular non-editable install), in the same rounds.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Dennis", "Frances"]
_LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Ritchie"]


def rows(count: int) -> list[tuple[str, str, str]]:
    """(name, e-mail, phone) of `count` contacts, 30% with Chinese names, every key distinct."""
    out = []
    for i in range(count):
        if i % 10 < 3:
            name = _SURNAMES[i % 20] + _GIVEN[(i // 20) % 24] + _GIVEN[(i // 480) % 24]
        else:
            name = f"{_FIRST[i % 10]} {_LAST[(i // 10) % 9]} {i}"
        out.append((name, f"p{i}@example.com", f"+1 202 {200 + i // 10000:03d} {i % 10000:04d}"))
    return out


def floor_insert(conn: sqlite3.Connection, data: list[tuple[str, str, str]]) -> tuple[float, float]:
    """Seconds (wall, CPU) for a raw executemany of the rows into a bare table, in one transaction."""
    conn.execute("DROP TABLE IF EXISTS floor")
    conn.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT)")
    start, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO floor (name, email, phone) VALUES (?, ?, ?)", data)
    conn.execute("COMMIT")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.execute("DROP TABLE floor")
    return seconds, cpu


def inprocess(args: argparse.Namespace) -> None:
    """Rows per second of Store.add_contacts into an empty book (and a copy of --book)."""
    from tinycrm.store import Store

    data = rows(args.rows)
    drafts = [{"name": n, "emails": [e], "phones": [p]} for n, e, p in data]
    work = Path(tempfile.mkdtemp(prefix="bulk-bench-"))
    targets = [("empty book", None)]
    if args.book:
        targets.append((f"{Path(args.book).name} copy", Path(args.book)))
    try:
        for label, source in targets:
            path = work / "book.db"
            for leftover in work.iterdir():
                leftover.unlink()
            if source is not None:
                shutil.copyfile(source, path)
            with Store.open(path, "bench", clock=lambda: NOW) as store:
                before = store.count_contacts()
                start, cpu = time.perf_counter(), time.process_time()
                if args.profile:
                    import cProfile
                    import pstats

                    profile = cProfile.Profile()
                    profile.runcall(store.add_contacts, drafts)
                    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
                else:
                    store.add_contacts(drafts)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                assert store.count_contacts() == before + args.rows
            conn = sqlite3.connect(path, isolation_level=None)
            floor, floor_cpu = floor_insert(conn, data)
            conn.close()
            print(
                f"| add_contacts, {args.rows:,} into the {label} ({before:,}) | {args.rows / seconds:,.0f} rows/s"
                f" ({seconds:.2f} s; CPU {cpu:.2f} s) | {args.rows / floor:,.0f} rows/s ({floor:.3f} s;"
                f" CPU {floor_cpu:.3f} s) | {seconds / floor:.1f}× (CPU {cpu / floor_cpu:.1f}×) |"
            )
    finally:
        shutil.rmtree(work)


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


FLOOR_SCRIPT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT)")
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO contact (name, email, phone) VALUES (?, ?, ?)", reader)
    conn.execute("COMMIT")
conn.close()
"""


def process(args: argparse.Namespace) -> None:
    """Whole-process `tinycrm import` of a CSV against F and the csv + executemany floor."""
    binary = Path(args.bin)
    python, tinycrm = binary / "python", binary / "tinycrm"
    work = Path(tempfile.mkdtemp(prefix="bulk-bench-"))
    try:
        sheet = work / "big.csv"
        with sheet.open("w", encoding="utf-8", newline="") as out:
            out.write("name,email,phone\r\n")
            out.writelines(f"{n},{e},{p}\r\n" for n, e, p in rows(args.rows))
        floor_py = work / "floor.py"
        floor_py.write_text(FLOOR_SCRIPT)
        env = {"PATH": "/usr/bin:/bin", "TINYCRM_USER": "bench", "TINYCRM_NOW": "2026-11-30T09:00:00Z",
               "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        commands = {
            "F": lambda db: [str(python), "-c", "import sqlite3"],
            "floor": lambda db: [str(python), str(floor_py), str(sheet), str(db)],
            "import": lambda db: [str(tinycrm), "--db", str(db), "import", str(sheet)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(args.runs + 1):  # the first round warms the caches and is not counted
            for name, command in commands.items():
                db = work / f"{name}.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                start, used = time.perf_counter(), _children_cpu()
                done = subprocess.run(command(db), env=env, capture_output=True, text=True)
                seconds, used = time.perf_counter() - start, _children_cpu() - used
                if done.returncode:
                    sys.exit(f"{name} failed: {done.stderr}")
                if round_:
                    times[name].append(seconds)
                    cpu[name].append(used)
        f, floor, imp = (statistics.median(times[k]) for k in ("F", "floor", "import"))
        cf, cfloor, cimp = (statistics.median(cpu[k]) for k in ("F", "floor", "import"))
        print("| process | wall ms | × F | CPU ms (user + sys) | |")
        print("|---|---:|---:|---:|---|")
        print(f"| F = python -c 'import sqlite3' | {f * 1000:.0f} | 1.0 | {cf * 1000:.0f} | |")
        print(f"| floor: csv.reader + executemany, {args.rows:,} rows | {floor * 1000:.0f} | {floor / f:.1f} |"
              f" {cfloor * 1000:.0f} | {args.rows / floor:,.0f} rows/s |")
        print(f"| `tinycrm import big.csv` | {imp * 1000:.0f} | {imp / f:.1f} | {cimp * 1000:.0f} |"
              f" {args.rows / imp:,.0f} rows/s; {imp / floor:.1f}× the floor (CPU {cimp / cfloor:.1f}×) |")
    finally:
        shutil.rmtree(work)


def main() -> None:
    """Parse the arguments and run one of the two measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("inprocess", "process"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--book")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin", default=str(Path(sys.executable).parent))
    args = parser.parse_args()
    inprocess(args) if args.what == "inprocess" else process(args)


if __name__ == "__main__":
    main()
