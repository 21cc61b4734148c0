"""Screen switches in the TUI on a big book: how long until the new screen's frame, and its data.

    python bench/tui_switch_bench.py BOOK.db [--size 120x35] [--rounds 3]

Headless (`run_test`), keys injected with `simulate_key`. "frame" stops when the target
screen is the active one and has been laid out (what the user sees at once: its layout and
the last data it held); "data" stops when no worker is running any more and none is about
to start (its figures read and drawn). The first round is each screen's first visit (the app
imports the screens' modules in a worker once the contacts show, before the first switch);
later rounds are what a user switching back and forth waits for: a screen whose data cannot
have changed keeps it. Issue 12's target: every switch < 200 ms. The machine is shared:
`--rounds 7` or more for medians worth comparing. Open the book on a copy: the app may write
(its theme setting, and a migration on an older book).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
STEPS = [("2", "agenda"), ("3", "pipeline"), ("4", "dashboard"), ("1", "contacts")]


async def until(condition, timeout: float = 60.0) -> float:
    """Poll the event loop every millisecond until `condition()`; the seconds it took."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the screen did not settle")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


async def settled(condition, quiet: float = 0.05, timeout: float = 60.0) -> float:
    """When `condition()` started to hold for good: it then stays true for `quiet` seconds.

    A screen's load starts from a message handled a few loop turns after its frame is up
    (`CrmScreen.on_screen_resume`, after the next refresh), so "no worker running" right at
    the frame does not mean its data is in.
    """
    start = time.perf_counter()
    since: float | None = None
    while True:
        now = time.perf_counter()
        if now - start > timeout:
            raise TimeoutError("the screen did not settle")
        if condition():
            since = now if since is None else since
            if now - since >= quiet:
                return since - start
        else:
            since = None
        await asyncio.sleep(0.001)


async def measure(db: Path, size: tuple[int, int], rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(frame, data) seconds of every switch, per target screen."""
    from tinycrm.tui.app import CrmApp

    app = CrmApp(db, "bench", clock=lambda: NOW)
    out: dict[str, list[tuple[float, float]]] = {mode: [] for _, mode in STEPS}
    out["contact"] = []

    def idle() -> bool:
        # a screen starts its load once its frame is drawn (CrmScreen.settling)
        return not getattr(app.screen, "settling", False) and all(
            w.is_finished for w in app.workers if w.group not in ("watch",)
        )

    async with app.run_test(size=size) as pilot:
        await until(idle)
        await pilot.pause()
        for _ in range(rounds):
            for key, mode in STEPS:
                start = time.perf_counter()
                app.simulate_key(key)
                await until(lambda m=mode: app.current_mode == m and app.screen.is_mounted
                            and app.screen.size.area > 0)
                frame = time.perf_counter() - start
                data = frame + await settled(idle)
                out[mode].append((frame, data))
                await pilot.pause(0.3)
            # a contact's 360° view from the contacts screen
            start = time.perf_counter()
            app.simulate_key("enter")
            await until(lambda: type(app.screen).__name__ == "ContactScreen" and app.screen.is_mounted)
            frame = time.perf_counter() - start
            data = frame + await settled(idle)
            out["contact"].append((frame, data))
            await pilot.pause(0.3)
            app.simulate_key("escape")
            await until(idle)
            await pilot.pause(0.3)
    return out


def main() -> None:
    """Print a Markdown table of the switches."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--size", default="120x35")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    results = asyncio.run(measure(args.db, (width, height), args.rounds))
    print("| switch to | frame, first visit | frame, later (median) | data, first | data, later (median) |")
    print("|---|---:|---:|---:|---:|")
    for mode, times in results.items():
        later = times[1:] or times
        print(
            f"| {mode} | {times[0][0] * 1000:.0f} ms | {statistics.median(t[0] for t in later) * 1000:.0f} ms"
            f" | {times[0][1] * 1000:.0f} ms | {statistics.median(t[1] for t in later) * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
