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

from tinycrm import reports, store_tiers  # noqa: E402
from tinycrm.store import Store  # noqa: E402
from tinycrm.tiers import TierRule  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
TARGET_MS = 200
COVER_INDEX = "CREATE INDEX IF NOT EXISTS interaction_at_cover ON interaction(at, kind, user, contact_id)"
RULES = [TierRule("A", "won>=50000"), TierRule("B", "deals>=2"), TierRule("C", "deals>=1")]


def median_ms(call: Callable[[], object], runs: int) -> float:
    """Median wall time of `call` in milliseconds, after one warm-up call."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


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
    print(f"floor: one pass over the deals {floor:.1f} ms; covering index: {args.with_cover_index}")
    print("| report | median ms | by owner, ms | target ms |\n|---|---:|---:|---:|")
    for name in ("pipeline", "forecast", "funnel", "activity", "lifecycle", "rfm"):
        report = getattr(reports, name)
        alone = median_ms(lambda report=report: report(store, NOW), args.runs)
        grouped = median_ms(lambda report=report: report(store, NOW, by="owner"), args.runs)
        flag = " ⚠" if max(alone, grouped) > TARGET_MS else ""
        print(f"| {name} | {alone:.1f}{flag} | {grouped:.1f} | {TARGET_MS} |")
    health = median_ms(lambda: reports.health_scores(store, NOW), max(args.runs // 5, 1))
    print(f"| health of every contact (bulk, for the stored column) | {health:.1f} | | |")
    one = median_ms(lambda: reports.contact_health(store, 4242, NOW), args.runs)
    print(f"| health of one contact | {one:.2f} | | |")
    tiers = median_ms(lambda: store_tiers.classify(store, RULES), max(args.runs // 5, 1))
    print(f"| tier classification of every contact (3 rules) | {tiers:.1f} | | |")
    store.close()


if __name__ == "__main__":
    main()
