"""Each report command in the process, on the generated book, next to a floor.

    python bench/report_bench.py [bench/out/big.db] [--runs 10] [--without-cover-index]
    python bench/report_bench.py BOOK --whole-process VENV/bin/tinycrm [--runs 10]

Times `tinycrm.reports.NAME(store, now)` and `NAME(store, now, by="owner")` for every
report (the figures the CLI and the TUI show), the bulk health computation of every
contact and a tier classification (dry run, three rules), as medians of `--runs` in
milliseconds after one warm-up. The floor is a plain `SELECT count(*), sum(value_minor)
FROM deal` on the same connection: what one pass over the deals costs on this machine
right now. The book's clock is the generator's (2026-11-22 09:00 UTC).

Schema 2 has the covering index the activity report needs (`interaction_at_cover`,
`interaction(at, kind, user, contact_id)`); `--without-cover-index` drops it first (on a
copy of the book!) to show what it is worth: without it every interaction in the window is a
random read of the million-row table.

`--whole-process TINYCRM` times `TINYCRM report NAME` (and `--by owner`) as whole processes
instead, next to F = `python -c "import sqlite3"` of the same virtual environment, in
interleaved rounds (each round runs F and every report once, so the load of a shared machine
falls on all alike): median wall time, least wall time and the children's CPU time, and the
median as a ratio to F's (PRODUCT.md: ≤ 5 F). Use a regular (non-editable) install: an
editable one recompiles every module on every run under PYTHONDONTWRITEBYTECODE=1.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinycrm import reports  # noqa: E402
from tinycrm.store import Store  # noqa: E402
from tinycrm.store import health as store_health  # noqa: E402
from tinycrm.store import tiers as store_tiers  # noqa: E402
from tinycrm.tiers import TierRule  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
TARGET_MS = 200
COVER_INDEX = "CREATE INDEX IF NOT EXISTS interaction_at_cover ON interaction(at, kind, user, contact_id)"
RULES = [TierRule("A", "won>=50000"), TierRule("B", "deals>=2"), TierRule("C", "deals>=1")]
NAMES = ("pipeline", "forecast", "funnel", "activity", "lifecycle", "rfm")
WHOLE_TARGET_F = 5


def median_ms(call: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median wall, least wall and median CPU time of `call` in ms, after one warm-up call.

    The CPU time (of this process) and the least wall time are what the wall time would be
    on a quiet machine when the book is in the page cache: on a 2-core machine shared with
    other work, the median wall time also counts the waits for a core.
    """
    call()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def cell(times: tuple[float, float, float], places: int = 0) -> str:
    """`median wall / least wall / CPU` in milliseconds, flagged when the least is over the target."""
    flag = " ⚠" if times[1] > TARGET_MS else ""
    return " / ".join(f"{t:.{places}f}" for t in times) + flag


def whole_process(book: Path, tinycrm: Path, runs: int) -> None:
    """Each `report NAME` (and `--by owner`) as a whole process, next to F of the same venv."""
    python = tinycrm.parent / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TINYCRM_DEBUG")}
    env.update(TINYCRM_NOW=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), TZ="UTC", TINYCRM_USER="bench")
    commands = {"F": [str(python), "-c", "import sqlite3"]}
    for name in NAMES:
        commands[name] = [str(tinycrm), "--db", str(book), "report", name]
        commands[f"{name} --by owner"] = [*commands[name], "--by", "owner"]
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):  # the first round warms the page cache
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_:
                wall[name].append(elapsed)
                cpu[name].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    f = statistics.median(wall["F"])
    f_cpu = statistics.median(cpu["F"])
    print(f"whole process, {runs} interleaved rounds; F = {f:.1f} ms wall, {f_cpu:.1f} ms CPU")
    print("| command | median / least wall / CPU ms | × F (wall) | × F (CPU) |\n|---|---:|---:|---:|")
    for name in commands:
        if name == "F":
            continue
        med, least, c = statistics.median(wall[name]), min(wall[name]), statistics.median(cpu[name])
        flag = " ⚠" if med > WHOLE_TARGET_F * f else ""
        print(f"| report {name} | {med:.0f} / {least:.0f} / {c:.0f} | {med / f:.2f}{flag} | {c / f_cpu:.2f} |")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("bench/out/big.db"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--without-cover-index", action="store_true")
    parser.add_argument("--whole-process", type=Path, metavar="TINYCRM")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no book at {args.path}: python bench/generate.py {args.path}")
    if args.whole_process:
        whole_process(args.path, args.whole_process, args.runs)
        return
    store = Store.open(args.path, "bench", clock=lambda: NOW)
    if args.without_cover_index:
        store.conn.execute("DROP INDEX IF EXISTS interaction_at_cover")
    else:
        store.conn.execute(COVER_INDEX)  # a book made before schema 2 lacks it
    floor = median_ms(lambda: store.conn.execute("SELECT count(*), sum(value_minor) FROM deal").fetchall(), args.runs)
    print(f"floor (one pass over the deals): {cell(floor, 1)} ms; covering index: {not args.without_cover_index}")
    print("| ms: median wall / least wall / CPU | whole book | by owner |\n|---|---:|---:|")
    for name in NAMES:
        report = getattr(reports, name)
        alone = median_ms(lambda report=report: report(store, NOW), args.runs)
        grouped = median_ms(lambda report=report: report(store, NOW, by="owner"), args.runs)
        print(f"| {name} | {cell(alone)} | {cell(grouped)} |")
    few = max(args.runs // 5, 1)
    print(f"| health of every contact (bulk recompute) | {cell(median_ms(lambda: store_health.health_scores(store, NOW), few))} | |")
    print(f"| health of one contact, with reasons | {cell(median_ms(lambda: store_health.contact_health(store, 4242, NOW), args.runs), 2)} | |")
    print(f"| tier classification of every contact (3 rules) | {cell(median_ms(lambda: store_tiers.classify(store, RULES), few))} | |")
    store.close()


if __name__ == "__main__":
    main()
