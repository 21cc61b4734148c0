"""A stand-in for CrmApp that shows one screen, for the agenda, pipeline and dashboard tests.

It keeps the contract screens rely on (`open_store`, `now`, `local_now`, `show_contact`,
`notify_changed`) and nothing else, so those tests do not depend on the whole app; it also
runs async tests without an async pytest plugin.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from datetime import datetime, timezone
from pathlib import Path

from textual.app import App

from tinycrm.store import Store
from tinycrm.tui.base import CrmScreen
from tinycrm.tui.messages import DataChanged

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)
"""A Tuesday morning; local time is UTC in these tests."""


def clock() -> datetime:
    """The fixed clock of these tests."""
    return NOW


class ScreenApp(App):
    """The CrmApp contract in miniature, showing one screen."""

    def __init__(self, db: Path, screen: type[CrmScreen], now: Callable[[], datetime] = clock) -> None:
        super().__init__()
        self.db_path, self.user, self.clock = db, "tester", now
        self.screen_type = screen
        self.contacts_shown: list[int] = []

    def open_store(self) -> Store:
        return Store.open(self.db_path, self.user, clock=self.clock)

    def now(self) -> datetime:
        return self.clock()

    def local_now(self) -> datetime:
        return self.clock().astimezone(timezone.utc)

    def show_contact(self, contact_id: int) -> None:
        self.contacts_shown.append(contact_id)

    def notify_changed(self, external: bool = False) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, CrmScreen):
                screen.post_message(DataChanged(external=external))

    def on_mount(self) -> None:
        self.push_screen(self.screen_type())


def sync(test: Callable[..., Coroutine]) -> Callable[..., None]:
    """Run an async test in its own event loop (no pytest async plugin is installed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot) -> None:
    """Wait for every worker and for what they posted to be shown."""
    for _ in range(20):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return
