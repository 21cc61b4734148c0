"""In-process timings of the hot queries on the generated book (see bench/generate.py).

    python bench/run.py bench/out/big.db

Each figure is the median of repeated runs of one store call, next to PRODUCT.md's target.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinycrm.store import Store  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def timed(fn, runs: int = 20) -> tuple[float, object]:
    """Median milliseconds of `fn()` and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def cases(store: Store) -> list[tuple[str, object, float]]:
    """(label, call, target ms) of each in-process operation PRODUCT.md's performance table times."""
    return [
        ("contact list 'zhang' (latin, limit 50)", lambda: store.list_contacts("zhang", limit=50), 5),
        ("contact list '张伟' (2-char CJK, limit 50)", lambda: store.list_contacts("张伟", limit=50), 5),
        ("contact list '伟' (1-char CJK, limit 50)", lambda: store.list_contacts("伟", limit=50), 5),
        ("contact list 'zw' (pinyin initials, limit 50)", lambda: store.list_contacts("zw", limit=50), 5),
        ("contact list 'tag:vip lovelace' (limit 50)", lambda: store.list_contacts("tag:vip lovelace", limit=50), 5),
        ("count_contacts('ada')", lambda: store.count_contacts("ada"), 5),
        ("search 'invoice' (newest 20 interactions + contacts + deals)", lambda: store.search("invoice"), 20),
        ("search '合同' (CJK, newest 20)", lambda: store.search("合同"), 20),
        ("stale view: is:stale, limit 50, sort next", lambda: store.list_contacts("is:stale", sort="next", limit=50), 1),
        ("last-contacted view: sort -last, limit 50", lambda: store.list_contacts("", sort="-last", limit=50), 1),
        ("first page of all contacts (limit 50)", lambda: store.list_contacts("", limit=50), 5),
        ("resolve 'Olga Backus' part ('backus')", lambda: _safe(store.resolve, "backus"), 5),
        ("resolve id 4242", lambda: store.resolve("4242"), 1),
    ]


def main() -> None:
    """Print a markdown table of timings."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/big.db")
    store = Store.open(path, "bench", clock=lambda: NOW)
    print(f"| operation ({store.count_contacts()} contacts) | median ms | target ms | rows |")
    print("|---|---:|---:|---:|")
    for label, fn, target in cases(store):
        ms, result = timed(fn)
        rows = len(result) if isinstance(result, list) else (
            sum(len(v) for v in result.values()) if isinstance(result, dict) and "contacts" in result else 1)
        flag = "" if ms <= target else " ⚠"
        print(f"| {label} | {ms:.2f}{flag} | {target} | {rows} |")
    store.close()


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - ambiguity is a valid outcome here
        return exc


if __name__ == "__main__":
    main()
