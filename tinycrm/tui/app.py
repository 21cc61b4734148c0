"""The Textual application: modes for the four screens, undo, theme, and watching the file.

Every read and write goes through `Store` on a connection opened in a worker thread
(`open_store`); the event loop never touches SQLite. Other processes (cron, the CLI)
write to the same file, so the app asks SQLite every couple of seconds — and whenever the
terminal regains focus — whether the file changed (`PRAGMA data_version` on one
long-lived read connection, a few microseconds) and tells the visible screens to reload.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..cells import safe
from ..dates import local_tz, utc_now
from ..errors import CrmError
from ..store import Store
from .base import CrmScreen
from .commands import ContactCommands, NavigationCommands
from .messages import DataChanged
from .scope import DEFAULT_SCOPE, next_scope

SCREEN_KEYS = Binding.Group("Screens", compact=True)
"""1-5 share one footer entry: five labels do not fit an 80-column footer."""

THEME_SETTING = "tui.theme"
"""The setting `tui.theme:USER` remembers each user's theme across restarts."""

POLL_SECONDS = 2.0
"""How often the file is checked for changes made by other processes."""

SCREENS: dict[str, tuple[str, str, str]] = {
    # mode: (module under tinycrm.tui.screens, class, title)
    "contacts": ("contacts", "ContactsScreen", "Contacts"),
    "agenda": ("agenda", "AgendaScreen", "Agenda"),
    "pipeline": ("pipeline", "PipelineScreen", "Pipeline"),
    "dashboard": ("dashboard", "DashboardScreen", "Dashboard"),
    "dupes": ("dupes", "DupesScreen", "Duplicates"),
}


class MissingScreen(CrmScreen):
    """Stands in for a screen whose module is not installed yet, instead of crashing."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.missing_title = title

    def compose(self):
        """A one-line explanation and the footer."""
        yield Static(f"The {self.missing_title} screen is not available in this build.", classes="missing")
        yield Footer(compact=True)


def screen_factory(mode: str) -> Callable[[], Screen]:
    """A MODES entry that imports its screen module only when the mode is first shown."""
    module_name, class_name, title = SCREENS[mode]

    def make() -> Screen:
        try:
            module = importlib.import_module(f"tinycrm.tui.screens.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tinycrm.tui.screens.{module_name}":
                raise
            return styled_now(MissingScreen(title))
        return styled_now(getattr(module, class_name)())

    return make


def styled_now(screen: Screen) -> Screen:
    """Mark a new mode screen as styled by the current stylesheet, which it is as it mounts.

    Textual counts stylesheet updates and gives a new screen the count -1, so a mode's first
    visit re-parsed every stylesheet (without its cache) and restyled every widget of the
    screen being left — twice (`App._init_mode`, then `App.switch_mode`): ~100 ms of the
    dashboard's first frame. A theme change later still moves the app's count past the
    screen's, and the switch refreshes as before.
    """
    from textual._context import active_app

    screen._css_update_count = active_app.get()._css_update_count
    return screen


class CrmApp(App):
    """tinycrm's full-screen interface on one database file."""

    TITLE = "tinycrm"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast as plain text: its message carries names, subjects and filters, not markup.

        `markup` is ignored on purpose: Screen.notify passes True by default.
        """
        super().notify(safe(message), title=safe(title), severity=severity, timeout=timeout, markup=False)
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {mode: screen_factory(mode) for mode in SCREENS}
    DEFAULT_MODE = "contacts"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Below 100 columns the footer drops its palette hint so that `q Quit` always shows."""
    # not App.COMMANDS: Textual's own Keys/Theme/Screenshot would double ours (NavigationCommands)
    COMMANDS = {NavigationCommands, ContactCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('contacts')", "Contacts", tooltip="The contact list", group=SCREEN_KEYS),
        Binding(
            "2", "switch_mode('agenda')", "Agenda", tooltip="Overdue, today and upcoming", group=SCREEN_KEYS
        ),
        Binding("3", "switch_mode('pipeline')", "Pipeline", tooltip="Deals by stage", group=SCREEN_KEYS),
        Binding(
            "4", "switch_mode('dashboard')", "Dashboard", tooltip="The headline numbers", group=SCREEN_KEYS
        ),
        Binding("5", "switch_mode('dupes')", "Duplicates", tooltip="Likely duplicates, side by side, merge",
                group=SCREEN_KEYS),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Keys and the filter language"),
        Binding("u", "undo", "Undo", tooltip="Take back your own last change (names it and asks first)"),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False, tooltip="Dark or light"),
        Binding("q", "quit", "Quit", tooltip="Leave tinycrm"),
    ]

    def __init__(
        self,
        db_path: str | Path,
        user: str,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.user = user
        self.clock = clock or utc_now
        self.tz = local_tz()
        self._watcher: Store | None = None
        self._watcher_lock = threading.Lock()
        self._seen_version: int | None = None
        self.scope = DEFAULT_SCOPE
        """Mine / everyone / pool: chosen on any screen, remembered for the session."""
        self._theme_restored = False
        self._warmed = False

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, its text colours raised to WCAG AA (see `theme.readable`)."""
        from .theme import readable

        variables = readable(super().get_css_variables())
        self.theme_variables = variables
        return variables

    # ------------------------------------------------------------ the contract with screens

    def open_store(self) -> Store:
        """A new connection for the calling worker thread; the caller closes it."""
        return Store.open(self.db_path, self.user, clock=self.clock)

    def now(self) -> datetime:
        """Now in UTC, from the injected clock."""
        return self.clock()

    def local_now(self) -> datetime:
        """Now in the user's time zone, from the injected clock."""
        return self.now().astimezone(self.tz)

    def file_version(self) -> int:
        """A counter that moves on every commit to the file, ours too (worker thread only)."""
        return self._version()

    def show_contact(self, contact_id: int) -> None:
        """Open a contact's 360° screen on top of the current one."""
        from .screens.contact import ContactScreen

        self.push_screen(ContactScreen(contact_id))

    def warm_up(self) -> None:
        """Once the first screen shows its data, import the other screens in a worker (once).

        Importing a screen (the dashboard's charts, the 360° view's tables) cost up to
        ~100 ms of its first frame; in the idle time after start-up it costs the user nothing.
        """
        if not self._warmed:
            self._warmed = True
            self._import_screens()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _import_screens(self) -> None:
        """Import every screen module (worker thread; a module not installed is skipped)."""
        for module_name in [*(module for module, _, _ in SCREENS.values()), "contact"]:
            try:
                importlib.import_module(f"tinycrm.tui.screens.{module_name}")
            except ModuleNotFoundError:
                continue

    def notify_changed(self, external: bool = False) -> None:
        """Tell the screens of the current stack to reload (the others reload on resume)."""
        for screen in self.screen_stack:
            if isinstance(screen, CrmScreen):
                screen.post_message(DataChanged(external=external))
        if not external:
            self._rebaseline()

    def cycle_scope(self) -> str:
        """Move the mine → everyone → pool switch on; the screens of the stack follow at once."""
        self.scope = next_scope(self.scope)
        for screen in self.screen_stack:
            if isinstance(screen, CrmScreen):
                screen.scope_changed()
        return self.scope

    def show_filter(self, text: str) -> None:
        """Switch to the contacts screen showing a filter (a saved filter recalled)."""
        self.switch_mode("contacts")
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.call_after_refresh(lambda: self._apply_filter(text))

    def _apply_filter(self, text: str) -> None:
        from .screens.contacts import ContactsScreen

        screen = self.screen_stack[0]
        if isinstance(screen, ContactsScreen):
            screen.set_filter(text)

    # ------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        """Put back the user's theme; start watching the file for changes by other processes."""
        self._restore_theme()
        self._poll()
        self.set_interval(POLL_SECONDS, self._poll)

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False)
    def _restore_theme(self) -> None:
        """The theme this user chose last time (worker thread)."""
        name = None
        try:
            with self.open_store() as store:
                name = store.setting(f"{THEME_SETTING}:{self.user}")
        finally:  # a book that cannot be read still lets the user pick a theme
            self.call_from_thread(self._apply_theme, name)

    def _apply_theme(self, name: str | None) -> None:
        if name and name in self.available_themes and name != self.theme:
            self.theme = name
        self._theme_restored = True

    def watch_theme(self, name: str) -> None:
        """Remember a theme chosen with ctrl+t or the palette's theme picker."""
        if self._theme_restored:
            self._save_theme(name)

    @work(thread=True, exclusive=True, group="theme-save", exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        """A setting, not a change: it is not in history and `u` does not undo it (worker thread)."""
        with self.open_store() as store:
            store.set_setting(f"{THEME_SETTING}:{self.user}", name)
        self.call_from_thread(self._rebaseline)  # our own write: no reload of every screen

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Coming back to the terminal is when a user expects fresh data."""
        self._poll()

    def on_unmount(self) -> None:
        """Close the watcher's connection."""
        with self._watcher_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None

    def _version(self) -> int:
        """The file's data_version, on the one long-lived watcher connection (worker thread)."""
        with self._watcher_lock:
            if self._watcher is None:
                self._watcher = self.open_store()
            return self._watcher.data_version()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _poll(self) -> None:
        """Has another connection committed since the last look? Then reload (worker thread)."""
        version = self._version()
        if self._seen_version is not None and version != self._seen_version:
            self.call_from_thread(self.notify_changed, True)
        self._seen_version = version

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _rebaseline(self) -> None:
        """After our own write the screens reload anyway: do not count it as external."""
        self._seen_version = self._version()

    # ------------------------------------------------------------ actions

    def action_help(self) -> None:
        """Show the keys of every screen and the filter language."""
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_undo(self) -> None:
        """Name the acting user's last change and, once confirmed, take it back (`tinycrm undo`)."""
        self._undo_preview()

    @work(thread=True, exclusive=True, group="undo")
    def _undo_preview(self) -> None:
        """Find the change `u` would take back (worker thread)."""
        from .undo import last_own_change

        try:
            with self.open_store() as store:
                rows = last_own_change(store)
        except CrmError as exc:
            self.call_from_thread(self.notify, str(exc).splitlines()[0], title="Undo", severity="error")
            return
        if rows is None:
            self.call_from_thread(self.notify, f"nothing to undo (of yours, {self.user})",
                                  title="Undo", severity="warning")
            return
        self.call_from_thread(self._ask_undo, rows)

    def _ask_undo(self, rows: list[dict]) -> None:
        """Ask before taking back the change, naming it and what it touched."""
        from ..dates import format_local
        from .screens.dialogs import ConfirmScreen
        from .undo import command_words, describe

        first = rows[0]
        detail = "\n".join([f"Your change of {format_local(first['at'], self.tz)}:", *describe(rows)])

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(first["txid"])

        question = f"Undo “{command_words(first['command'])}”?"
        self.push_screen(ConfirmScreen(question, detail, yes="Undo"), answered)

    @work(thread=True, exclusive=True, group="undo")
    def _undo(self, txid: int) -> None:
        """Take back the change the user agreed to, and only that one (worker thread)."""
        from .undo import command_words, last_own_change

        try:
            with self.open_store() as store:
                rows = last_own_change(store)
                if rows is None or rows[0]["txid"] != txid:
                    # another of the user's own windows or shells changed something meanwhile
                    self.call_from_thread(self.notify, "Your last change is a newer one now: press u again",
                                          title="Undo", severity="warning")
                    return
                result = store.undo()
        except CrmError as exc:
            self.call_from_thread(self.notify, str(exc).splitlines()[0], title="Undo", severity="error")
            return
        self.call_from_thread(self.notify, f"Undone: {command_words(result['command'])}", title="Undo")
        self.call_from_thread(self.notify_changed)

    def action_redo(self) -> None:
        """Do again what your last undo took back (`tinycrm redo`); in the palette."""
        self._redo()

    @work(thread=True, exclusive=True, group="undo")
    def _redo(self) -> None:
        """Store.redo in a worker; its refusal (someone built on it since) is the toast."""
        from .undo import command_words

        try:
            with self.open_store() as store:
                result = store.redo()
        except CrmError as exc:
            self.call_from_thread(self.notify, str(exc).splitlines()[0], title="Redo", severity="warning")
            return
        self.call_from_thread(self.notify, f"Redone: {command_words(result['command'])}", title="Redo")
        self.call_from_thread(self.notify_changed)
