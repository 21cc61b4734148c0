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
        running = [w for w in app.workers if not w.is_finished]
        if not running and not getattr(app.screen, "settling", False):
            await pilot.pause()
            return
        await app.workers.wait_for_complete(running)
    raise AssertionError("workers did not settle")


async def open_contact(app, pilot, contact_id: int):
    """The app with one contact's 360° screen open and loaded."""
    from tinycrm.tui.screens.contact import ContactScreen

    await settle(pilot)
    app.show_contact(contact_id)
    await settle(pilot)
    assert isinstance(app.screen, ContactScreen)
    return app.screen


def column(screen, table_id: str, index: int) -> list[str]:
    """The text of one column of a table on the screen."""
    from textual.widgets import DataTable

    table = screen.query_one(f"#{table_id}", DataTable)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]
