"""The TUI's Duplicates screen on a big book: from pressing 5 to the groups on screen.

    python bench/tui_dupes_bench.py --db COPY-OF-big.db [--size 120x35]

Run it with the interpreter of a regular (non-editable) install so it measures what users
run. It opens the app headless (Textual's `run_test`), waits for the first contacts, then
presses 5 and times: the screen saying it is looking, and the groups shown. While the
groups are being looked for it measures how responsive the event loop stays: the longest
gap between ticks of a 10 ms timer, and how long `?` takes to open the help. F, the time of
`python -c "import sqlite3"` with the same interpreter, is measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def floor_f(runs: int = 7) -> float:
    """Median seconds of `python -c "import sqlite3"`, whole process, this interpreter."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlite3"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def until(condition, timeout: float = 600.0) -> float:
    """Wait, polling every millisecond, until `condition()`; returns the seconds."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


async def measure(db: Path, size: tuple[int, int]) -> dict:
    """Open the app, press 5, time what the user waits for."""
    from tinycrm.tui.app import CrmApp
    from tinycrm.tui.screens.dupes import DupesScreen
    from tinycrm.tui.widgets.contact_table import ContactTable

    figures: dict = {}
    app = CrmApp(db, "bench", clock=lambda: NOW)
    async with app.run_test(size=size) as pilot:

        def first_rows() -> bool:
            try:
                return bool(app.screen.query_one(ContactTable).visible_rows())
            except Exception:  # noqa: BLE001 - not composed yet
                return False

        await until(first_rows)
        await pilot.pause()
        gaps: list[float] = []
        scanning = True

        async def ticker() -> None:
            last = time.perf_counter()
            while scanning:
                await asyncio.sleep(0.01)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        cpu = resource.getrusage(resource.RUSAGE_SELF)
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        tick = asyncio.create_task(ticker())
        start = time.perf_counter()
        app.simulate_key("5")
        await until(lambda: isinstance(app.screen, DupesScreen))
        figures["screen_s"] = time.perf_counter() - start
        screen = app.screen
        await asyncio.sleep(1.0)  # well into the look-up
        key = time.perf_counter()
        app.simulate_key("question_mark")
        await until(lambda: type(app.screen).__name__ == "HelpScreen")
        figures["help_key_ms"] = (time.perf_counter() - key) * 1000
        app.simulate_key("escape")
        await until(lambda: screen.version is not None and app.screen is screen)
        figures["groups_s"] = time.perf_counter() - start
        scanning = False
        await tick
        after = resource.getrusage(resource.RUSAGE_SELF)
        figures["cpu_s"] = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
        done = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures["child_cpu_s"] = (done.ru_utime + done.ru_stime) - (child.ru_utime + child.ru_stime)
        figures["child_rss_mb"] = done.ru_maxrss / 1024
        figures["groups"] = len(screen.groups.rows)
        figures["contacts"] = screen.contacts
        figures["scan_seconds_on_screen"] = screen.seconds
        figures["max_gap_ms"] = max(gaps) * 1000
        figures["p99_gap_ms"] = sorted(gaps)[int(len(gaps) * 0.99)] * 1000
        start = time.perf_counter()
        app.simulate_key("enter")
        await until(lambda: type(app.screen).__name__ == "CompareScreen" and app.screen.table is not None)
        figures["side_by_side_ms"] = (time.perf_counter() - start) * 1000
    figures["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    """Parse arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a copy of the book (the app may write)")
    parser.add_argument("--size", default="120x35", help="terminal size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    f_before = floor_f()
    figures = asyncio.run(measure(args.db, (width, height)))
    f_after = floor_f()
    f = (f_before + f_after) / 2
    print(f"F (python -c 'import sqlite3')   {f * 1000:8.1f} ms  (before {f_before * 1000:.1f}, after "
          f"{f_after * 1000:.1f})")
    print(f"contacts / groups                {figures['contacts']:,} / {figures['groups']:,}")
    print(f"5 → screen says 'Looking…'       {figures['screen_s'] * 1000:8.1f} ms")
    print(f"5 → groups shown                 {figures['groups_s']:8.2f} s  ({figures['groups_s'] / f:.0f} F)")
    print(f"CPU meanwhile: TUI / child       {figures['cpu_s']:8.2f} s / {figures['child_cpu_s']:.2f} s")
    print(f"child process peak memory        {figures['child_rss_mb']:8.0f} MB")
    print(f"? answered during the look-up    {figures['help_key_ms']:8.1f} ms")
    print(f"event loop gap, max / p99        {figures['max_gap_ms']:8.1f} / {figures['p99_gap_ms']:.1f} ms")
    print(f"Enter → side by side             {figures['side_by_side_ms']:8.1f} ms")
    print(f"TUI process peak memory          {figures['rss_peak_mb']:8.0f} MB")


if __name__ == "__main__":
    main()
