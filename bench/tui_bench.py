"""The TUI on a 100,000-contact book: start to first rows, each filter keystroke, memory.

    python bench/tui_bench.py [--db bench/out/big.db] [--size 100x30]

Reuses the database if it exists (bench/generate.py makes it: 100,000 contacts, 30% with
Chinese names), else generates bench/out/tui.db. Timings are wall-clock inside one process,
measured with Textual's headless `run_test` and no Pilot waits in the measured path:
a key is injected with `simulate_key` and the clock stops when the table has swapped in
the result of the text typed so far. PRODUCT.md's targets: first screen ≤ 0.5 s, each
keystroke ≤ 100 ms, memory ≤ 80 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
TYPED = ["zhang", "张", "tag:vip", "ada lov"]


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_db(path: Path) -> Path:
    """The benchmark book: reuse it, or generate it with bench/generate.py."""
    if path.exists():
        return path
    import subprocess

    print(f"generating {path} (100,000 contacts)…", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    # in a child process, so that its memory does not count against the TUI's
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), str(path)], check=True)
    return path


async def until(condition, timeout: float = 30.0) -> float:
    """Wait (polling the event loop every millisecond) until `condition()`; returns the seconds."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the table did not update")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


async def measure(db: Path, size: tuple[int, int]) -> dict:
    """Run the app headless and time what a user waits for."""
    figures: dict = {"rss_before_mb": rss_mb()}
    started = time.perf_counter()
    from tinycrm.errors import FilterError
    from tinycrm.query import parse
    from tinycrm.tui.app import CrmApp
    from tinycrm.tui.widgets.contact_table import ContactTable, Query

    figures["import_s"] = time.perf_counter() - started
    app = CrmApp(db, "bench", clock=lambda: NOW)
    started = time.perf_counter()
    async with app.run_test(size=size) as pilot:

        def table() -> ContactTable:
            return app.screen.query_one(ContactTable)

        def first_rows() -> bool:
            try:
                return bool(table().visible_rows())
            except Exception:  # noqa: BLE001 - not composed yet
                return False

        await until(first_rows)
        figures["first_rows_s"] = time.perf_counter() - started
        figures["count"] = table().count
        await pilot.pause()

        def settled(text: str) -> bool:
            """The result for `text` is on screen, or, for a malformed one (`tag:`), its error."""
            try:
                parse(text)
            except FilterError:
                error = app.screen.query_one("#filter-error")
                return error.has_class("-visible") and app.screen.query_one("#filter").value == text
            shown = table().shown
            return shown is not None and shown.filter == text.strip() and not table().busy

        keystrokes: list[float] = []
        per_text: dict[str, list[float]] = {}
        for text in TYPED:
            await pilot.press("slash", "ctrl+a", "ctrl+k")
            await until(lambda: table().shown == Query("", table().wanted.sort))
            times = []
            for i, char in enumerate(text):
                wanted = text[: i + 1]
                app.simulate_key(char)
                seconds = await until(lambda w=wanted: settled(w))
                times.append(seconds)
            per_text[text] = times
            keystrokes += times
            figures.setdefault("matches", {})[text] = table().count
        figures["keystroke_ms"] = {t: [round(s * 1000, 1) for s in v] for t, v in per_text.items()}
        figures["keystroke_median_ms"] = statistics.median(keystrokes) * 1000
        figures["keystroke_max_ms"] = max(keystrokes) * 1000

        await pilot.press("slash", "ctrl+a", "ctrl+k", "escape")
        await until(lambda: table().shown.filter == "" and not table().busy)
        start = time.perf_counter()
        table().action_last()
        await until(lambda: table().cursor_contact_id is not None and not table().busy)
        figures["jump_to_end_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        table().set_query(sort="-last")
        await until(lambda: table().shown.sort == "-last" and not table().busy)
        figures["resort_ms"] = (time.perf_counter() - start) * 1000
    figures["rss_peak_mb"] = rss_mb()
    return figures


def main() -> None:
    """Parse arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "bench/out/big.db"
    parser.add_argument("--db", type=Path, default=default if default.exists() else ROOT / "bench/out/tui.db")
    parser.add_argument("--size", default="100x30", help="terminal size, WIDTHxHEIGHT")
    args = parser.parse_args()
    db = ensure_db(args.db)
    width, height = (int(n) for n in args.size.split("x"))
    figures = asyncio.run(measure(db, (width, height)))
    print(f"database            {db} ({figures['count']:,} contacts)")
    print(f"import tinycrm.tui  {figures['import_s'] * 1000:7.0f} ms")
    print(f"start → first rows  {figures['first_rows_s'] * 1000:7.0f} ms   (target ≤ 500 ms)")
    print(f"filter keystroke    {figures['keystroke_median_ms']:7.1f} ms median, "
          f"{figures['keystroke_max_ms']:.1f} ms worst   (target ≤ 100 ms)")
    for text, times in figures["keystroke_ms"].items():
        print(f"  {text!r:<12} → {figures['matches'][text]:>6,} matches; per key ms: {times}")
    print(f"jump to row 100,000 {figures['jump_to_end_ms']:7.1f} ms")
    print(f"re-sort by last     {figures['resort_ms']:7.1f} ms")
    print(f"peak RSS            {figures['rss_peak_mb']:7.1f} MB   (target ≤ 80 MB; "
          f"{figures['rss_before_mb']:.1f} MB before importing Textual)")


if __name__ == "__main__":
    main()
