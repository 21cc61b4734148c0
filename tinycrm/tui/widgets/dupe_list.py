"""A virtual list of duplicate groups: two lines each (who, then why), drawn only where visible.

A 100,000-contact book can hold tens of thousands of groups; an OptionList or DataTable
would lay every one of them out on the event loop. This widget keeps the groups' text,
formatted in the worker that found them, and draws only the lines on screen (Line API).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .contact_table import fit

LINES = 2
"""Lines per group: who, then why."""


@dataclass(frozen=True)
class GroupRow:
    """One group as shown: its ids, score, and its two lines of text (already made safe)."""

    ids: tuple[int, ...]
    score: int
    who: str
    why: str


class DupeList(ScrollView, can_focus=True):
    """Duplicate groups, strongest first; Enter compares the one under the cursor."""

    DEFAULT_CSS = """
    DupeList {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .dupe-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .dupe-list--why { color: $foreground-muted; }
        & > .dupe-list--score { color: $text-warning; text-style: bold; }
        &:focus > .dupe-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"dupe-list--cursor", "dupe-list--why", "dupe-list--score"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Compare", tooltip="The group's records side by side"),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "cursor(-1000000)", "First", show=False),
        Binding("end,G", "cursor(1000000)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index of the highlighted group."""

    class Selected(Message):
        """The user chose a group (Enter or double click)."""

        def __init__(self, dupe_list: DupeList, row: GroupRow) -> None:
            super().__init__()
            self.dupe_list = dupe_list
            self.row = row

        @property
        def control(self) -> DupeList:
            """The list the group was chosen in."""
            return self.dupe_list

    class Highlighted(Message):
        """The cursor moved to another group (or the groups changed under it)."""

        def __init__(self, dupe_list: DupeList, row: GroupRow | None) -> None:
            super().__init__()
            self.dupe_list = dupe_list
            self.row = row

        @property
        def control(self) -> DupeList:
            """The list whose cursor moved."""
            return self.dupe_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[GroupRow] = []

    def show(self, rows: list[GroupRow]) -> None:
        """Swap in a new result, keeping the cursor on the same group if it is still there."""
        current = self.rows[self.cursor].ids if self.rows and self.cursor < len(self.rows) else None
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows) * LINES)
        index = next((i for i, r in enumerate(rows) if r.ids == current), None)
        self.cursor = index if index is not None else min(self.cursor, max(len(rows) - 1, 0))
        self.refresh()

    @property
    def selected(self) -> GroupRow | None:
        """The group under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # ------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor's two lines on screen."""
        top, height = int(self.scroll_y), max(self.size.height, LINES)
        if new * LINES < top:
            self.scroll_to(y=new * LINES, animate=False, immediate=True)
        elif new * LINES + LINES > top + height:
            self.scroll_to(y=new * LINES + LINES - height, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected))

    def on_resize(self, event: events.Resize) -> None:
        """The width decides where lines are cut."""
        self.virtual_size = Size(event.size.width, len(self.rows) * LINES)

    def action_cursor(self, delta: int) -> None:
        """Move by groups."""
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        """Move by a screenful."""
        self.action_cursor(direction * max(self.size.height // LINES - 1, 1))

    def action_select(self) -> None:
        """Compare the group under the cursor."""
        row = self.selected
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a double click compares."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_y) + offset.y) // LINES
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        """Line 0 of a group: score and who; line 1: why."""
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        index, part = divmod(line, LINES)
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        if index == self.cursor:
            base = base + self.get_component_rich_style("dupe-list--cursor")
        row = self.rows[index]
        on_cursor = index == self.cursor  # the cursor's own colours, for contrast
        if part == 0:
            score = self.get_component_rich_style("dupe-list--score")
            accent = base + Style(bold=True) if on_cursor else base + Style(color=score.color, bold=True)
            segments = [Segment(f" {row.score:>3} ", accent), Segment(fit(row.who, max(width - 6, 0)), base)]
        else:
            why = self.get_component_rich_style("dupe-list--why")
            muted = base if on_cursor else base + Style(color=why.color)
            segments = [Segment("      ", base), Segment(fit(row.why, max(width - 7, 0)), muted)]
        return Strip(segments).adjust_cell_length(width, base)
