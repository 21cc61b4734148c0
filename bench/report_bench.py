"""Each report command in the process, on the generated book, next to a floor.

    python bench/report_bench.py [bench/out/big.db] [--runs 10] [--without-cover-index]
    python bench/report_bench.py BOOK --whole-process VENV/bin/tinycrm [--runs 10] [--before OLD/bin/tinycrm OLD_BOOK]
        [--all-modes]

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
`--all-modes` times every output mode too (`--json`, `--csv`, `--by owner` with each) and
`report targets`.
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


MODES = ("", "--json", "--csv", "--by owner", "--by owner --json", "--by owner --csv")


def whole_process(programs: list[tuple[str, Path, Path]], runs: int, all_modes: bool = False) -> None:
    """Each `report NAME` (and `--by owner`) as a whole process, next to F of the same venv.

    `programs` are (label, console script, book): another installation (`--before`) is
    timed in the same rounds on its own book, next to its own F.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TINYCRM_DEBUG")}
    env.update(TINYCRM_NOW=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), TZ="UTC", TINYCRM_USER="bench")
    commands: dict[tuple[str, str], list[str]] = {}
    for label, tinycrm, book in programs:
        commands[label, "F"] = [str(tinycrm.parent / "python"), "-c", "import sqlite3"]
        commands[label, "deal show 1 (start-up, for reference)"] = [str(tinycrm), "--db", str(book), "deal", "show", "1"]
        modes = MODES if all_modes else ("", "--by owner")
        for name in (*NAMES, "targets") if all_modes else NAMES:
            for mode in modes if name != "targets" else [m for m in modes if "--by" not in m]:
                command = f"report {name} {mode}".strip()
                commands[label, command] = [str(tinycrm), "--db", str(book), *command.split()]
    wall: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    cpu: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    for round_ in range(runs + 1):  # the first round warms the page cache
        for key, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_:
                wall[key].append(elapsed)
                cpu[key].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    print(f"whole process, {runs} interleaved rounds; median / least wall / CPU (ms), and medians ÷ F's")
    print("| program | command | ms | × F (wall) | × F (CPU) |\n|---|---|---:|---:|---:|")
    for label, _, _ in programs:
        f, f_cpu = statistics.median(wall[label, "F"]), statistics.median(cpu[label, "F"])
        for (who, name), times in wall.items():
            if who != label:
                continue
            med, least, c = statistics.median(times), min(times), statistics.median(cpu[who, name])
            flag = " ⚠" if name != "F" and med > WHOLE_TARGET_F * f else ""
            print(f"| {label} | {name} | {med:.0f} / {least:.0f} / {c:.0f} | {med / f:.2f}{flag} | {c / f_cpu:.2f} |")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("bench/out/big.db"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--without-cover-index", action="store_true")
    parser.add_argument("--whole-process", type=Path, metavar="TINYCRM")
    parser.add_argument("--before", type=Path, nargs=2, metavar=("TINYCRM", "BOOK"))
    parser.add_argument("--all-modes", action="store_true")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no book at {args.path}: python bench/generate.py {args.path}")
    if args.whole_process:
        programs = [("after", args.whole_process, args.path)]
        if args.before:
            programs.insert(0, ("before", *args.before))
        whole_process(programs, args.runs, args.all_modes)
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
