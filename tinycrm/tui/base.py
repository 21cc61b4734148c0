"""What every screen shares: a store per worker thread and a hook to reload its data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.screen import Screen

from ..store import Store
from .messages import DataChanged

if TYPE_CHECKING:
    from .app import CrmApp


Stamp = tuple[int, str, str]
"""What a screen's data depends on: the file's version, the local minute, the owner scope."""


class CrmScreen(Screen):
    """A screen that reads the database in thread workers and reloads on DataChanged."""

    KEEP_WHEN_UNCHANGED: ClassVar[bool] = False
    """Shown again, keep the data on screen when nothing it depends on moved (see `data_stamp`).

    The agenda, the board and the dashboard opt in: their reload reads the whole book
    (hundreds of milliseconds to seconds on 100,000 contacts), and switching back and forth
    between screens changes nothing."""

    shown_stamp: Stamp | None = None
    """The stamp of the data on screen; a screen that opts in sets it when its data arrives."""
    _resume_pending = False

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

    def data_stamp(self) -> Stamp:
        """The stamp of the data about to be read (worker thread: the file's version is SQLite's)."""
        local = self.crm.local_now()
        return (self.crm.file_version(), f"{local:%Y-%m-%d %H:%M}", self.crm.scope)

    def on_screen_resume(self) -> None:
        """Coming back to a screen shows current data, once its frame is drawn.

        The load starts after the next refresh: a worker started at once competes for the
        interpreter with the layout of the frame the user waits for.
        """
        if self._resume_pending or self._loading():
            return  # a mode's first visit resumes its screen twice: one load is enough
        self._resume_pending = True
        self.call_after_refresh(self._resumed)

    def _resumed(self) -> None:
        self._resume_pending = False
        if self.KEEP_WHEN_UNCHANGED and self.shown_stamp is not None:
            self._reload_if_changed(self.shown_stamp)
        else:
            self.refresh_data()

    @property
    def settling(self) -> bool:
        """Whether a load is scheduled or running: its data is not on screen yet (tests, benchmarks)."""
        return self._resume_pending or self._loading()

    def _loading(self) -> bool:
        """Whether this screen's load is running now."""
        return any(
            w.node is self and w.name == "refresh_data" and not (w.is_finished or w.is_cancelled)
            for w in self.app.workers
        )

    @work(thread=True, exclusive=True, group="resume-check", exit_on_error=False)
    def _reload_if_changed(self, shown: Stamp) -> None:
        """Reload only when the file, the minute or the scope moved since the data on screen (worker)."""
        if self.data_stamp() != shown:
            self.app.call_from_thread(self.refresh_data)
