"""Each report command in the process, on the generated book, next to a floor.

    python bench/report_bench.py [bench/out/big.db] [--runs 10] [--with-cover-index]

Times `tinycrm.reports.NAME(store, now)` and `NAME(store, now, by="owner")` for every
report (the figures the CLI and the TUI show), the bulk health computation of every
contact and a tier classification (dry run, three rules), as medians of `--runs` in
milliseconds after one warm-up. The floor is a plain `SELECT count(*), sum(value_minor)
FROM deal` on the same connection: what one pass over the deals costs on this machine
right now. The book's clock is the generator's (2026-11-22 09:00 UTC).

`--with-cover-index` first creates the covering index the activity report needs
(`interaction(at, kind, user, contact_id)`, proposed as a migration): without it every
interaction in the window is a random read of the million-row table.
"""

from __future__ import annotations

import argparse
import statistics
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


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("bench/out/big.db"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--with-cover-index", action="store_true")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no book at {args.path}: python bench/generate.py {args.path}")
    store = Store.open(args.path, "bench", clock=lambda: NOW)
    if args.with_cover_index:
        store.conn.execute(COVER_INDEX)
    else:
        store.conn.execute("DROP INDEX IF EXISTS interaction_at_cover")
    floor = median_ms(lambda: store.conn.execute("SELECT count(*), sum(value_minor) FROM deal").fetchall(), args.runs)
    print(f"floor (one pass over the deals): {cell(floor, 1)} ms; covering index: {args.with_cover_index}")
    print("| ms: median wall / least wall / CPU | whole book | by owner |\n|---|---:|---:|")
    for name in ("pipeline", "forecast", "funnel", "activity", "lifecycle", "rfm"):
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
