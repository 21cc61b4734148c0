"""`tinycrm due --json` as a whole process, next to its floors measured in the same run.

    python bench/due_bench.py [bench/out/big.db] [--runs 20] [--kept-up]

Floors: `python -c "import sqlite3"` (the interpreter) and a 20-line sqlite3 script that runs
the due-reminders query and prints JSON. The clock is the book's (TINYCRM_NOW), TZ is UTC,
bytecode is written (PYTHONDONTWRITEBYTECODE is removed, as for an installed program) and a
warm-up run precedes the timed ones. hyperfine is used when installed, else a
`perf_counter` loop over `subprocess.run`; figures are medians in milliseconds.

`--kept-up` also times a copy of the book (bench/out/kept-up.db) as a user who keeps up
would have it: overdue reminders done, expected close dates kept current, deals moved along
within their stage limits, keep-in-touch cadences honoured. The generated book has most of
its deals, a quarter of its cadences and half of its reminders overdue, so its `due` lists
~55,000 items, and the cost is then the items' (computing, sorting and printing them), not
the start-up or the queries; the kept-up copy shows the same 100,000-contact book on an
ordinary day.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-11-22T09:00:00Z"
END_OF_DAY = "2026-11-22T23:59:59Z"
TARGET_MS = 60
RAW_SCRIPT = '''\
import json
import sqlite3
import sys

conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT r.id, r.contact_id, r.deal_id, r.text, r.due, r.every, r.source, c.name"
    " FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
    " WHERE r.done_at IS NULL AND r.due <= ? AND c.deleted_at IS NULL ORDER BY r.due",
    (sys.argv[2],),
).fetchall()
cols = ("id", "contact_id", "deal_id", "text", "due", "every", "source", "contact")
sys.stdout.write(json.dumps([dict(zip(cols, row)) for row in rows], ensure_ascii=False))
sys.stdout.write("\\n")
'''

KEPT_UP = [
    # every reminder that fell due before today was handled
    "UPDATE reminder SET done_at = :now WHERE done_at IS NULL AND due < :today",
    # expected close dates are kept current: overdue ones moved into the next 90 days
    "UPDATE deal SET close_date = date(:today, '+' || (1 + (id * 7919) % 90) || ' days')"
    " WHERE status = 'open' AND close_date < date(:today)",
    # deals move along: each entered its stage within the last 13 days
    "UPDATE deal SET stage_entered_at = strftime('%Y-%m-%dT%H:%M:%SZ', :now,"
    " '-' || ((id * 7919) % 13) || ' days') WHERE status = 'open'",
    # cadences honoured: the last contact is within the cadence, so few are due on one day
    "UPDATE contact SET last_contacted_at = strftime('%Y-%m-%dT%H:%M:%SZ', :now,"
    " '-' || ((id * 7919) % CAST(substr(every, 1, length(every) - 1) AS INTEGER)) || ' days')"
    " WHERE every LIKE '%d' AND (next_touch_at IS NULL OR next_touch_at < :today)",
    "UPDATE contact SET next_touch_at = strftime('%Y-%m-%dT%H:%M:%SZ', last_contacted_at,"
    " '+' || CAST(substr(every, 1, length(every) - 1) AS INTEGER) || ' days')"
    " WHERE every LIKE '%d' AND last_contacted_at IS NOT NULL",
]


def kept_up_copy(book: Path) -> Path:
    """A copy of the book as a user who keeps up would have it (made once)."""
    target = book.with_name("kept-up.db")
    if target.exists() and target.stat().st_mtime >= book.stat().st_mtime:
        return target
    src = sqlite3.connect(book)
    dest = sqlite3.connect(target)
    src.backup(dest)
    src.close()
    params = {"now": NOW, "today": NOW[:10] + "T00:00:00Z"}
    with dest:
        for sql in KEPT_UP:
            dest.execute(sql, {k: v for k, v in params.items() if f":{k}" in sql})
    dest.execute("ANALYZE")
    dest.close()
    return target


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")}
    env.update(TINYCRM_NOW=NOW, TZ="UTC")
    env.pop("TINYCRM_DEBUG", None)
    return env


def timed(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall milliseconds of each command, all measured in this one run."""
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            args = [hyperfine, "-N", "--warmup", "3", "--runs", str(runs), "--export-json", out.name]
            for name, cmd in commands.items():
                args += ["-n", name, subprocess.list2cmdline(cmd)]
            subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
            results = json.load(open(out.name))["results"]
        return {r["command"]: statistics.median(r["times"]) * 1000 for r in results}
    medians = {}
    for name, cmd in commands.items():
        for _ in range(3):
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - start) * 1000)
        medians[name] = statistics.median(times)
    return medians


def measure(book: Path, runs: int, label: str) -> None:
    python = sys.executable
    program = str(Path(python).parent / "tinycrm")
    env = environment()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(RAW_SCRIPT)
        raw = fh.name
    try:
        due = [program, "--db", str(book), "due", "--json"]
        items = len(json.loads(subprocess.run(due, env=env, capture_output=True, check=True).stdout))
        raw_rows = len(json.loads(subprocess.run([python, raw, str(book), END_OF_DAY], env=env,
                                                 capture_output=True, check=True).stdout))  # fmt: skip
        ms = timed(
            {
                "python -c 'import sqlite3'": [python, "-c", "import sqlite3"],
                "sqlite3 script (due reminders)": [python, raw, str(book), END_OF_DAY],
                "tinycrm due --json": due,
            },
            runs,
            env,
        )
    finally:
        os.unlink(raw)
    floor, script = ms["python -c 'import sqlite3'"], ms["sqlite3 script (due reminders)"]
    ours = ms["tinycrm due --json"]
    print(f"\n{label}: {book}  ({items} items due; the script's query returns {raw_rows} reminders)")
    print("| command | median ms | × import sqlite3 | × sqlite3 script |")
    print("|---|---:|---:|---:|")
    for name, value in ms.items():
        print(f"| {name} | {value:.1f} | {value / floor:.2f} | {value / script:.2f} |")
    verdict = "meets" if ours <= TARGET_MS and ours <= 3.5 * script else "misses"
    print(f"target: ≤ {TARGET_MS} ms and ≤ 3.5 × the script ({3.5 * script:.0f} ms): {verdict}")
    print(f"(the interpreter floor is {floor:.0f} ms here; PRODUCT.md's machine measured 11 ms for"
          f" `python -c pass`: scale by the ratios when the machine is loaded)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", default="bench/out/big.db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--kept-up", action="store_true", help="also time a kept-up copy of the book")
    args = parser.parse_args()
    if not args.book.exists():
        sys.exit(f"no book at {args.book}: python bench/generate.py {args.book}")
    measure(args.book, args.runs, "as generated")
    if args.kept_up:
        measure(kept_up_copy(args.book), args.runs, "kept up")


if __name__ == "__main__":
    main()
