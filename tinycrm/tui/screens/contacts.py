"""The contacts screen: a search bar in the filter language over a virtual, sorted table.

The filter is parsed on every keystroke (pure Python, no SQL) so a malformed term is
reported at once, in one line under the bar, while the table keeps its last good result;
well-formed filters go to the table, which queries in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...cells import safe
from ...errors import CrmError, FilterError
from ...query import parse
from ..base import CrmScreen
from ..scope import DEFAULT_SCOPE, scope_label, scoped_filter
from ..widgets.contact_table import COLUMNS, SORT_CYCLE, ContactTable
from .forms import ContactForm, PickFilterScreen, SaveFilterForm

SORT_LABELS = {c.sort: c.label.lower() for c in COLUMNS if c.sort}


class ContactsScreen(CrmScreen):
    """Browse and filter every contact; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Search", key_display="/", tooltip="Type a filter"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False, tooltip="Reverse the sort order"),
        Binding("ctrl+s", "save_filter", "Save", tooltip="Save the current filter under a name"),
        Binding("f", "pick_filter", "Filters", tooltip="Recall a saved filter"),
        Binding("a", "add_contact", "Add", show=False, tooltip="Add a contact"),
        # not in the footer (no room at 80 columns): the status line names the scope and this key
        Binding("o", "cycle_scope", "Owner", show=False, tooltip="Mine, everyone's, the pool"),
        Binding("c", "claim", "Claim", show=False, tooltip="Take the customer at the cursor from the pool"),
        Binding("r", "release", "Release", show=False, tooltip="Give the customer back to the pool"),
        Binding("escape", "escape", "Clear", show=False, tooltip="Leave the search bar / clear the filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "name"
        self.scope = DEFAULT_SCOPE
        """The mine / everyone / pool scope the table shows (the app's, once it has caught up)."""

    def compose(self) -> ComposeResult:
        """Search bar, its error line, the table, a status line, the footer."""
        yield Input(
            placeholder="Filter: ada  tag:vip  last>30d  org:acme  张  (? for the language)",
            id="filter",
        )
        yield Static("", id="filter-error")
        yield ContactTable(self.crm.open_store, self.crm.tz, id="contacts")
        yield Static("", id="contacts-status")
        yield Footer(compact=True)

    @property
    def table(self) -> ContactTable:
        """The contact table."""
        return self.query_one(ContactTable)

    def on_mount(self) -> None:
        """The table has focus so that single keys work; / goes to the search bar."""
        self.table.focus()
        self.scope = self.crm.scope
        self.table.set_query(self._scoped(""), self.sort)

    def refresh_data(self) -> None:
        """Re-run the current query, keeping the cursor (or show the scope chosen elsewhere)."""
        tables = self.query(ContactTable)
        if not tables:
            return
        if self.scope != self.crm.scope:
            self.scope_changed()
        else:
            tables.first().reload()

    def scope_changed(self) -> None:
        """The switch moved (here or on another screen): the same filter within the new scope."""
        self.scope = self.crm.scope
        self._filter_changed(self.query_one("#filter", Input).value)
        self._update_status()

    def _scoped(self, text: str) -> str:
        """The bar's filter within the current scope, as the table queries it."""
        return scoped_filter(self.scope, text)

    def set_filter(self, text: str) -> None:
        """Show a filter (a recalled saved filter): into the bar, and so into the table."""
        bar = self.query_one("#filter", Input)
        bar.value = text
        self._filter_changed(text)

    # ------------------------------------------------------------ filtering

    @on(Input.Changed, "#filter")
    def on_filter_changed(self, event: Input.Changed) -> None:
        """Every keystroke: check the syntax here, query in the table's worker."""
        self._filter_changed(event.value)

    def _filter_changed(self, text: str) -> None:
        try:
            parse(text)
        except FilterError as exc:
            self._show_error(str(exc).splitlines()[0])
            return
        self.table.set_query(self._scoped(text))

    @on(Input.Submitted, "#filter")
    def on_filter_submitted(self) -> None:
        """Enter in the search bar goes down to the results."""
        self.table.focus()

    def on_contact_table_loaded(self, event: ContactTable.Loaded) -> None:
        """A result is on screen: clear the error (unless the bar has moved on), update the count."""
        if event.query.filter == self._scoped(self.query_one("#filter", Input).value):
            self._show_error("")
        self._update_status()
        self.crm.warm_up()

    def on_contact_table_failed(self, event: ContactTable.Failed) -> None:
        """A filter the parser accepted but the compiler did not (e.g. a bad date)."""
        if event.query == self.table.wanted:
            self._show_error(event.error)

    def on_contact_table_sort_changed(self, event: ContactTable.SortChanged) -> None:
        """A header click sorted the table."""
        self.sort = event.sort
        self._update_status()

    def on_contact_table_selected(self, event: ContactTable.Selected) -> None:
        """Open the chosen contact."""
        self.crm.show_contact(event.contact_id)

    def _show_error(self, message: str) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(Content(safe(message)))  # Content: a filter like "[red" is not markup
        error.set_class(bool(message), "-visible")

    def _update_status(self) -> None:
        table = self.table
        shown = table.shown
        if shown is None:
            return
        noun = "contact" if table.count == 1 else "contacts"
        arrow = "▼" if self.sort.startswith("-") else "▲"
        parts = [f"{table.count:,} {noun}", f"sorted by {SORT_LABELS[self.sort.lstrip('-')]} {arrow}"]
        typed = self.query_one("#filter", Input).value.strip()
        if typed:
            parts.append(f"filter: {typed}")
        elif table.count == 0 and self.scope == "everyone":  # a new book: say how to start
            parts = ["No contacts yet: press a to add one (or try: tinycrm demo --db demo.db)"]
        parts.insert(0, f"{scope_label(self.scope, self.crm.user)} (o: mine/all/pool)")
        self.query_one("#contacts-status", Static).update("  ·  ".join(parts))

    # ------------------------------------------------------------ actions

    def action_focus_filter(self) -> None:
        """Go to the search bar."""
        self.query_one("#filter", Input).focus()

    def action_escape(self) -> None:
        """From the bar back to the table; in the table, clear the filter."""
        bar = self.query_one("#filter", Input)
        if bar.has_focus:
            self.table.focus()
        elif bar.value:
            self.set_filter("")

    def action_cycle_sort(self) -> None:
        """Sort by the next sortable column."""
        key = self.sort.lstrip("-")
        self.sort = SORT_CYCLE[(SORT_CYCLE.index(key) + 1) % len(SORT_CYCLE)]
        self.table.set_query(sort=self.sort)
        self._update_status()

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.sort = self.sort[1:] if self.sort.startswith("-") else f"-{self.sort}"
        self.table.set_query(sort=self.sort)
        self._update_status()

    def action_cycle_scope(self) -> None:
        """Mine → everyone → pool, remembered for the session; the filter stays as typed."""
        self.crm.cycle_scope()

    def action_claim(self) -> None:
        """Claim the customer under the cursor (`contact claim`: the pool's limits apply)."""
        self._change_owner("claim")

    def action_release(self) -> None:
        """Give the customer under the cursor back to the pool (`contact release`)."""
        self._change_owner("release")

    def _change_owner(self, verb: str) -> None:
        contact_id = self.table.cursor_contact_id
        if contact_id is None:
            self.app.bell()
            return
        self._write_owner(verb, contact_id)

    @work(thread=True, group="contacts-owner")
    def _write_owner(self, verb: str, contact_id: int) -> None:
        """The same service as `contact claim` / `contact release`, in a worker (worker thread)."""
        from ...services import team

        try:
            with self.store() as store:
                if verb == "claim":
                    contact = team.claim(store, str(contact_id), now_local=self.crm.local_now())
                else:
                    contact = team.release(store, str(contact_id))
        except CrmError as exc:
            title = "Claim" if verb == "claim" else "Release"
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], title=title, severity="error")
            return
        if get_current_worker().is_cancelled:
            return
        done = "is yours now" if verb == "claim" else "is back in the pool"
        self.app.call_from_thread(self.notify, f"{contact['name']} {done}", title="Pool")
        self.app.call_from_thread(self.crm.notify_changed)

    def action_save_filter(self) -> None:
        """Ask for a name and save the current filter."""
        text = self.query_one("#filter", Input).value.strip()
        if not text:
            self.notify("Type a filter first, then save it.", severity="warning")
            return

        def saved(result: Mapping[str, Any] | None) -> None:
            if result:
                self.notify(f"saved filter '{result['name']}'", title="Filter")

        self.app.push_screen(SaveFilterForm(text), saved)

    @work(thread=True, exclusive=True, group="saved-filters")
    def action_pick_filter(self) -> None:
        """Load the saved filters (worker), then let the user pick one."""
        with self.store() as store:
            filters = store.saved_filters()

        def picked(text: str | None) -> None:
            if text is not None:
                self.set_filter(text)

        self.app.call_from_thread(self.app.push_screen, PickFilterScreen(filters), picked)

    def action_add_contact(self) -> None:
        """A new contact; its 360° screen opens once it is saved."""

        def added(record: Mapping[str, Any] | None) -> None:
            if record:
                self.crm.show_contact(record["id"])

        self.app.push_screen(ContactForm(None), added)
