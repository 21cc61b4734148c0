"""A stand-in for CrmApp that shows one screen, for the agenda, pipeline and dashboard tests.

It keeps the contract screens rely on (`open_store`, `now`, `local_now`, `show_contact`,
`notify_changed`, `file_version`) and nothing else, so those tests do not depend on the whole app. The
clock and `settle` are the ones of `pilot_helpers`; async tests run through conftest's hook.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from pilot_helpers import NOW, settle
from pilot_helpers import fixed_clock as clock
from textual.app import App

from tinycrm.store import Store
from tinycrm.tui.app import CrmApp
from tinycrm.tui.base import CrmScreen
from tinycrm.tui.messages import DataChanged

__all__ = ["NOW", "ScreenApp", "clock", "settle"]


class ScreenApp(App):
    """The CrmApp contract in miniature, showing one screen."""

    def __init__(self, db: Path, screen: type[CrmScreen], now: Callable[[], datetime] = clock) -> None:
        super().__init__()
        self.db_path, self.user, self.clock = db, "tester", now
        self.screen_type = screen
        self.contacts_shown: list[int] = []
        self.scope = "everyone"
        self._watcher: Store | None = None
        self._watcher_lock = threading.Lock()
        self._warmed = False

    cycle_scope = CrmApp.cycle_scope  # the app's own switch, on this harness's screens
    file_version = CrmApp.file_version  # and its watch on the file, for "changed since shown?"
    _version = CrmApp._version
    on_unmount = CrmApp.on_unmount

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
