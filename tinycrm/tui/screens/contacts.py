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

from ...cells import safe
from ...errors import FilterError
from ...query import parse
from ..base import CrmScreen
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
        Binding("escape", "escape", "Clear", show=False, tooltip="Leave the search bar / clear the filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "name"

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
        self.table.set_query("", self.sort)

    def refresh_data(self) -> None:
        """Re-run the current query, keeping the cursor."""
        tables = self.query(ContactTable)
        if tables:
            tables.first().reload()

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
        self.table.set_query(text)

    @on(Input.Submitted, "#filter")
    def on_filter_submitted(self) -> None:
        """Enter in the search bar goes down to the results."""
        self.table.focus()

    def on_contact_table_loaded(self, event: ContactTable.Loaded) -> None:
        """A result is on screen: clear the error (unless the bar has moved on), update the count."""
        if event.query.filter == self.query_one("#filter", Input).value:
            self._show_error("")
        self._update_status()

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
        if shown.filter.strip():
            parts.append(f"filter: {shown.filter.strip()}")
        elif table.count == 0:  # a new book: say how to start rather than show an empty grid
            parts = ["No contacts yet: press a to add one (or try: tinycrm demo --db demo.db)"]
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
