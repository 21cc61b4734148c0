"""What every screen shares: a store per worker thread and a hook to reload its data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from textual.screen import Screen

from ..store import Store
from .messages import DataChanged

if TYPE_CHECKING:
    from .app import CrmApp


class CrmScreen(Screen):
    """A screen that reads the database in thread workers and reloads on DataChanged."""

    @property
    def crm(self) -> CrmApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A fresh connection for the calling worker thread (never on the event loop)."""
        store = self.crm.open_store()
        try:
            yield store
        finally:
            store.close()

    def refresh_data(self) -> object:  # object: overrides are @work methods returning their Worker
        """Reload what the screen shows (start a worker); screens override this."""
        return None

    def scope_changed(self) -> None:
        """The mine / everyone / pool switch moved: screens that show owned records reload."""

    def on_data_changed(self, message: DataChanged) -> None:
        """Another screen or another process changed the data: reload."""
        self.refresh_data()

    def on_screen_resume(self) -> None:
        """Coming back to a screen shows current data."""
        self.refresh_data()
