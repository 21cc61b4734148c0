"""Helpers for Pilot tests: the fixed clock and waiting for workers without sleeping."""

from __future__ import annotations

from datetime import datetime, timezone

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    """The tests' clock: always 2026-03-10 09:30 UTC."""
    return NOW


async def settle(pilot, rounds: int = 50) -> None:
    """Wait until no worker is running and their results are on screen."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        running = [w for w in app.workers if w.is_running]
        if not running:
            await pilot.pause()
            return
        await app.workers.wait_for_complete(running)
    raise AssertionError("workers did not settle")
