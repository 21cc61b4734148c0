"""A virtual table of contacts: its height is the match count, rows are paged from SQLite.

A DataTable holding 100,000 rows takes ~10 s to open; this widget draws only the lines
on screen (Textual's Line API) and fetches the pages of rows those lines need, in thread
workers, into a small cache. A new filter or sort runs one query (count + the first
page); while it runs the table keeps showing the last good result, and keystrokes that
arrive meanwhile collapse into one follow-up query, so typing never queues up work.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...cells import safe
from ...dates import format_local, parse_utc
from ...errors import CrmError
from ...store import Store

if TYPE_CHECKING:
    from ...models import Contact

T = TypeVar("T")

PAGE_SIZE = 100
CACHE_PAGES = 40


@dataclass(frozen=True)
class Column:
    """One column: its label, the Store sort name it sorts by (None: not sortable), its width."""

    key: str
    label: str
    sort: str | None
    width: int | None = None  # fixed width; None shares the rest by `share`
    share: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", "name", share=40),
    Column("org", "Organisation", "org", share=34),
    Column("tags", "Tags", None, share=26),
    Column("tier", "Tier", "tier", width=6),  # room for the sort arrow: "Tier ▲"
    Column("last", "Last", "last", width=10),
    Column("next", "Next due", "next", width=10),
)
SORT_CYCLE: tuple[str, ...] = tuple(c.sort for c in COLUMNS if c.sort)


@dataclass(frozen=True)
class Row:
    """What one line shows, formatted in the worker so that drawing is only slicing."""

    id: int
    cells: tuple[str, ...]
    overdue: bool


@dataclass(frozen=True)
class Query:
    """What the table shows: a filter of the filter language and a Store sort name."""

    filter: str
    sort: str


def fit(text: str, width: int) -> str:
    """Text cut or padded to exactly `width` terminal cells (CJK characters take two)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def format_row(contact: Contact, next_reminder: str | None, now: datetime, tz: tzinfo) -> Row:
    """A contact record as the cells of one line (dates local, next due the soonest of all)."""
    last = contact["last_contacted_at"]
    dues = [d for d in (contact["next_touch_at"], next_reminder) if d]
    nxt = min(dues) if dues else None
    org = contact["org"] or ""
    if contact["kind"] == "org":
        org = org or "(organisation)"
    cells = (  # safe: the strip goes to the terminal as it is, escape sequences included
        safe(contact["name"]),
        safe(org),
        safe(" ".join(f"#{t}" for t in contact["tags"])),
        safe(contact["tier"] or ""),
        format_local(last, tz, all_day=True) if last else "never",
        format_local(nxt, tz, all_day=True) if nxt else "",
    )
    return Row(contact["id"], cells, bool(nxt and parse_utc(nxt) < now))


def fetch_rows(store: Store, query: Query, page: int, tz: tzinfo) -> list[Row]:
    """One page of formatted rows (runs in a worker thread)."""
    contacts = store.list_contacts(
        query.filter, sort=query.sort, limit=PAGE_SIZE, offset=page * PAGE_SIZE
    )
    upcoming = store.next_reminders(c["id"] for c in contacts)
    now = store.now()
    return [format_row(c, upcoming.get(c["id"]), now, tz) for c in contacts]


class ContactTable(ScrollView, can_focus=True):
    """Contacts matching a filter, sorted in SQL, paged in as they scroll into view."""

    DEFAULT_CSS = """
    ContactTable {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .contact-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .contact-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .contact-table--placeholder { color: $foreground-muted; }
        & > .contact-table--muted { color: $foreground-muted; }
        & > .contact-table--overdue { color: $text-error; }
        &:focus > .contact-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "contact-table--header",
        "contact-table--cursor",
        "contact-table--placeholder",
        "contact-table--muted",
        "contact-table--overdue",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", tooltip="Open the contact under the cursor"),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index of the highlighted row in the whole result (not in the cache)."""

    class Selected(Message):
        """The user chose a contact (Enter or double click)."""

        def __init__(self, table: ContactTable, contact_id: int) -> None:
            super().__init__()
            self.table = table
            self.contact_id = contact_id

        @property
        def control(self) -> ContactTable:
            """The table the contact was chosen in."""
            return self.table

    class Loaded(Message):
        """A query finished and its result is on screen."""

        def __init__(self, table: ContactTable, query: Query, count: int, seconds: float) -> None:
            super().__init__()
            self.table = table
            self.query = query
            self.count = count
            self.seconds = seconds

        @property
        def control(self) -> ContactTable:
            """The table that loaded."""
            return self.table

    class Failed(Message):
        """A query could not run (a malformed filter); the last good result stays shown."""

        def __init__(self, table: ContactTable, query: Query, error: str) -> None:
            super().__init__()
            self.table = table
            self.query = query
            self.error = error

        @property
        def control(self) -> ContactTable:
            """The table whose query failed."""
            return self.table

    class SortChanged(Message):
        """The sort changed from inside the table (a header click)."""

        def __init__(self, table: ContactTable, sort: str) -> None:
            super().__init__()
            self.table = table
            self.sort = sort

        @property
        def control(self) -> ContactTable:
            """The table whose sort changed."""
            return self.table

    def __init__(
        self,
        open_store: Callable[[], Store],
        tz: tzinfo,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._open_store = open_store
        self._tz = tz
        self._reader: Store | None = None
        self._reader_lock = threading.Lock()
        self.wanted = Query("", "name")
        """The query asked for (what the search bar says)."""
        self.shown: Query | None = None
        """The query whose result is on screen (None before the first one lands)."""
        self.count = 0
        """How many contacts the shown query matches."""
        self._generation = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._loading_pages: set[int] = set()
        self._query_running = False
        self._query_again = False
        self._keep_position = False
        self._strips: OrderedDict[tuple, Strip] = OrderedDict()

    # ------------------------------------------------------------ the reader connection

    def _with_reader(self, fn: Callable[[Store], T]) -> T:
        """Run `fn` on the table's one long-lived read connection (worker threads only)."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = self._open_store()
            return fn(self._reader)

    def _close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def on_unmount(self) -> None:
        """Close the read connection off the event loop (a worker may still hold it)."""
        threading.Thread(target=self._close_reader, daemon=True).start()

    # ------------------------------------------------------------ queries

    def set_query(self, filter_text: str | None = None, sort: str | None = None) -> None:
        """Show contacts matching a filter in a sort order (a new result starts at the top)."""
        self.wanted = Query(
            self.wanted.filter if filter_text is None else filter_text,
            self.wanted.sort if sort is None else sort,
        )
        self._keep_position = False
        self._start_query()

    def reload(self) -> None:
        """Re-run the shown query (the data changed), keeping the cursor where it is."""
        if self.shown is None and self._query_running:
            return  # the first query is still reading: it will see the change
        self._keep_position = True
        self._start_query()

    @property
    def busy(self) -> bool:
        """Whether a query or a page fetch is in flight."""
        return self._query_running or bool(self._loading_pages)

    def _start_query(self) -> None:
        if self._query_running:
            self._query_again = True
            return
        self._query_running = True
        self._query_again = False
        query = self.wanted
        same = self.shown == query and self._keep_position
        start = int(self.scroll_y) if same else 0
        pages = self._pages_for(start, max(self.size.height, 1))
        # a new sort of the same filter matches as many rows: no need to count again
        resorted = not self._keep_position and self.shown is not None and self.shown.filter == query.filter
        count = self.count if resorted else None
        self.run_worker(
            lambda: self._run_query(query, pages, count),
            thread=True,
            group="contact-table-query",
            description=f"contacts {query.filter!r}",
        )

    def _run_query(self, query: Query, pages: list[int], count: int | None = None) -> None:
        """Count the matches (unless known) and fetch the first pages (worker thread)."""
        started = time.perf_counter()

        def work(store: Store) -> tuple[int, dict[int, list[Row]]]:
            nonlocal count
            if count is None:
                count = store.count_contacts(query.filter)
            rows = {
                page: fetch_rows(store, query, page, self._tz) for page in pages if page * PAGE_SIZE < count
            }
            return count, rows

        try:
            count, rows = self._with_reader(work)
        except CrmError as exc:
            self.app.call_from_thread(self._query_failed, query, str(exc).splitlines()[0])
            return
        seconds = time.perf_counter() - started
        self.app.call_from_thread(self._query_done, query, count, rows, seconds)

    def _query_done(self, query: Query, count: int, rows: dict[int, list[Row]], seconds: float) -> None:
        """Swap in a new result in one go (the event loop): no blank frame in between."""
        self._query_running = False
        keep = self._keep_position and self.shown == query
        self._generation += 1
        self._pages = OrderedDict(rows)
        self._loading_pages.clear()
        self._strips.clear()
        self.shown = query
        self.count = count
        self.virtual_size = Size(self.size.width, count + 1)
        if keep:
            self.cursor = min(self.cursor, max(count - 1, 0))
        else:
            # the cursor first: scrolling asks for the cursor's page too
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Loaded(self, query, count, seconds))
        if self._query_again:
            self._start_query()
        else:
            self._request_visible()

    def _query_failed(self, query: Query, error: str) -> None:
        self._query_running = False
        self.post_message(self.Failed(self, query, error))
        if self._query_again:
            self._start_query()

    # ------------------------------------------------------------ pages

    @staticmethod
    def _pages_for(start: int, height: int) -> list[int]:
        first = max(start, 0) // PAGE_SIZE
        last = (max(start, 0) + height) // PAGE_SIZE
        return list(range(first, last + 1))

    def _request_visible(self) -> None:
        """Fetch the pages the visible lines (and the cursor) need, if not cached."""
        if self.shown is None or self._query_running:
            return
        pages = set(self._pages_for(int(self.scroll_y), self.size.height))
        pages.add(self.cursor // PAGE_SIZE)
        for page in sorted(pages):
            if page * PAGE_SIZE >= self.count or page in self._pages or page in self._loading_pages:
                continue
            self._loading_pages.add(page)
            generation, query = self._generation, self.shown
            self.run_worker(
                lambda page=page, generation=generation, query=query: self._fetch_page(
                    generation, query, page
                ),
                thread=True,
                group="contact-table-page",
                description=f"contacts page {page}",
            )

    def _fetch_page(self, generation: int, query: Query, page: int) -> None:
        """One page of rows (worker thread); dropped if a newer result replaced the cache."""
        try:
            rows = self._with_reader(lambda store: fetch_rows(store, query, page, self._tz))
        except CrmError:
            rows = []
        self.app.call_from_thread(self._page_done, generation, page, rows)

    def _page_done(self, generation: int, page: int, rows: list[Row]) -> None:
        if generation != self._generation:
            return
        self._loading_pages.discard(page)
        self._pages[page] = rows
        while len(self._pages) > CACHE_PAGES:
            self._pages.popitem(last=False)
        self._strips.clear()
        self.refresh()

    def row(self, index: int) -> Row | None:
        """The row at an index of the result, if its page is cached."""
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        self._pages.move_to_end(index // PAGE_SIZE)
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def cursor_contact_id(self) -> int | None:
        """The id of the contact under the cursor (None if none or not yet loaded)."""
        if self.count == 0:
            return None
        row = self.row(self.cursor)
        return row.id if row else None

    def visible_rows(self) -> list[Row]:
        """The loaded rows currently in view, top to bottom (for tests and the status line)."""
        start = int(self.scroll_y)
        out = []
        for index in range(start, min(start + max(self.size.height - 1, 0), self.count)):
            row = self.row(index)
            if row is not None:
                out.append(row)
        return out

    # ------------------------------------------------------------ cursor and scrolling

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling (keys, wheel, scrollbar) may bring unfetched pages into view."""
        super().watch_scroll_y(old_value, new_value)
        self._request_visible()

    def on_resize(self, event: events.Resize) -> None:
        """A taller window shows more lines, and column widths follow the width."""
        self.virtual_size = Size(event.size.width, self.count + 1)
        self._strips.clear()
        self._request_visible()

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor on screen and redraw the two lines that changed."""
        self._strips.clear()
        body = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + body:
            self.scroll_to(y=new - body + 1, animate=False, immediate=True)
        self.refresh()
        self._request_visible()

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by rows."""
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        self.action_cursor(direction * max(self.size.height - 2, 1))

    def action_first(self) -> None:
        """Jump to the first row."""
        self.action_cursor(-self.count)

    def action_last(self) -> None:
        """Jump to the last row."""
        self.action_cursor(self.count)

    def action_select(self) -> None:
        """Open the contact under the cursor."""
        contact_id = self.cursor_contact_id
        if contact_id is not None:
            self.post_message(self.Selected(self, contact_id))

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts; on a row it moves the cursor; a double click opens."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None and column.sort:
                current = self.wanted.sort
                sort = f"-{column.sort}" if current == column.sort else column.sort
                self.set_query(sort=sort)
                self.post_message(self.SortChanged(self, sort))
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < self.count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    # ------------------------------------------------------------ drawing

    def _widths(self) -> list[int]:
        """Cell widths of the columns for the current width (one space between columns)."""
        total = max(self.scrollable_content_region.width, 10)
        fixed = sum(c.width or 0 for c in COLUMNS)
        gaps = len(COLUMNS) + 1
        rest = max(total - fixed - gaps, 12)
        shares = sum(c.share for c in COLUMNS)
        widths = [c.width if c.width else rest * c.share // shares for c in COLUMNS]
        widths[0] += rest - sum(w for w, c in zip(widths, COLUMNS) if not c.width)
        return widths

    def _column_at(self, x: int) -> Column | None:
        pos = 1
        for column, width in zip(COLUMNS, self._widths()):
            if pos <= x < pos + width + 1:
                return column
            pos += width + 1
        return None

    def notify_style_update(self) -> None:
        """A theme change restyles every line."""
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; the others are rows from the cache, or a placeholder."""
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y - 1
        key = (y == 0, index, width, self.cursor == index, self.has_focus, self.wanted.sort)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_header(width) if y == 0 else self._render_row(index, width)
            self._strips[key] = strip
            if len(self._strips) > 400:
                self._strips.popitem(last=False)
        return strip

    def _fg(self, component: str) -> Style:
        """A component's foreground only, to lay over a line's own background."""
        style = self.get_component_rich_style(component)
        return Style(color=style.color, bold=style.bold, italic=style.italic)

    def _cells_strip(self, cells: list[tuple[str, Style]], width: int, base: Style) -> Strip:
        segments = [Segment(" ", base)]
        for (text, style), col_width in zip(cells, self._widths()):
            segments.append(Segment(fit(text, col_width), style))
            segments.append(Segment(" ", base))
        return Strip(segments).adjust_cell_length(width, base)

    def _render_header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("contact-table--header")
        sort = self.wanted.sort
        cells = []
        for column in COLUMNS:
            label = column.label
            if column.sort and sort.lstrip("-") == column.sort:
                label += " ▼" if sort.startswith("-") else " ▲"
            cells.append((label, style))
        return self._cells_strip(cells, width, style)

    def _render_row(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if index < 0 or index >= self.count:
            return Strip.blank(width, base)
        if index == self.cursor:
            base = base + self.get_component_rich_style("contact-table--cursor")
        row = self.row(index)
        if row is None:
            muted = base + self._fg("contact-table--placeholder")
            return self._cells_strip([("…", muted)], width, base)
        # on the highlighted row every cell takes the cursor's own foreground: a muted grey
        # or the overdue red on the cursor's blue would not read (WCAG AA)
        muted = base if index == self.cursor else base + self._fg("contact-table--muted")
        cells = [
            (row.cells[0], base),
            (row.cells[1], base),
            (row.cells[2], muted),
            (row.cells[3], base),
            (row.cells[4], muted if row.cells[4] == "never" else base),
            (
                row.cells[5],
                base + self._fg("contact-table--overdue") if row.overdue and index != self.cursor else base,
            ),
        ]
        return self._cells_strip(cells, width, base)
