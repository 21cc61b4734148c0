"""The agenda: what is overdue, due today and coming in the next seven days; done, snooze, open.

Every item comes from `tinycrm.agenda.collect` (the same engine as `tinycrm due`), and done
and snooze go through `agenda.mark_done` / `agenda.snooze`, so a recurring reminder moves
on, a birthday is marked for this year only, and `tinycrm undo` takes any of it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ... import agenda
from ...cells import safe
from ...dates import When, local_at, parse_when
from ...errors import CrmError
from ...reminders import DueItem, end_of_day
from ..base import CrmScreen, Stamp

UPCOMING_DAYS = 7
"""The agenda looks this many days past today."""

SHOWN_PER_SECTION = 300
"""Rows per section: a big book has tens of thousands of overdue cadences, and building that
many list rows on the event loop froze every screen switch for seconds."""

SOURCES = {
    "manual": "reminder",
    "follow-up": "follow-up",
    "birthday": "birthday",
    "anniversary": "anniversary",
    "cadence": "keep in touch",
    "deal": "deal",
}
DUE_WIDTH, SOURCE_WIDTH, CONTACT_WIDTH = 10, 13, 16

MUTED = "$foreground-muted"
"""Secondary text: the theme's muted foreground (never `dim`, which halves the contrast)."""


class SnoozeScreen(ModalScreen[When | None]):
    """Asks until when to snooze; takes any WHEN (`tomorrow`, `fri`, `+3d`, `2026-12-01 9:00`)."""

    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical {
        width: 60; max-width: 90%; height: auto;
        border: thick $accent 60%; background: $surface; padding: 1 2;
    }
    SnoozeScreen #snooze-error { color: $error; height: auto; }
    SnoozeScreen Label.hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str, now_local: datetime) -> None:
        super().__init__()
        self.item_text = text
        self.now_local = now_local

    def compose(self) -> ComposeResult:
        """The item, a WHEN input (tomorrow by default), an error line and the keys."""
        with Vertical():
            yield Label(Content(f"Snooze “{safe(self.item_text)}” until"))
            yield Input(value="tomorrow", placeholder="tomorrow, fri, +3d, 2026-12-01 09:00", id="when")
            yield Label("", id="snooze-error")
            yield Label("Enter: snooze · Esc: cancel", classes="hint")

    def on_mount(self) -> None:
        """Typing replaces the default."""
        field = self.query_one(Input)
        field.focus()
        field.select_all()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            when = parse_when(event.value or "tomorrow", self.now_local)
        except CrmError as exc:
            self.query_one("#snooze-error", Label).update(Content(safe(exc)))
            return
        self.dismiss(when)

    @on(Input.Changed)
    def _clear_error(self) -> None:
        self.query_one("#snooze-error", Label).update("")

    def action_cancel(self) -> None:
        """Leave the item as it was."""
        self.dismiss(None)


@dataclass
class AgendaData:
    """One reload: the items by section, and the day they were computed for."""

    overdue: list[DueItem]
    today: list[DueItem]
    upcoming: list[DueItem]
    day: date
    stamp: Stamp | None = None


def split(items: list[DueItem], today: date) -> tuple[list[DueItem], list[DueItem], list[DueItem]]:
    """Overdue, due today (not yet late), and later, keeping the engine's order."""
    overdue = [i for i in items if i.overdue]
    on_day = [i for i in items if not i.overdue and i.due.date() <= today]
    later = [i for i in items if not i.overdue and i.due.date() > today]
    return overdue, on_day, later


def _when_text(item: DueItem, today: date) -> str:
    """A short due: the time today, the weekday and date this season, else the full date."""
    day = item.due.date()
    if day == today:
        return "today" if item.all_day else item.due.strftime("%H:%M")
    if abs((day - today).days) > 150:
        return day.isoformat()
    return item.due.strftime("%a %m-%d")


def row(item: DueItem, today: date) -> Content:
    """One item as aligned columns (cell widths, so Chinese names line up)."""
    when = Content(_when_text(item, today)).truncate(DUE_WIDTH, pad=True)
    if item.overdue:
        when = when.stylize("bold $error")
    source = Content.styled(SOURCES.get(item.source, item.source), "italic").truncate(SOURCE_WIDTH, pad=True)
    contact = Content(safe(item.contact or "")).truncate(CONTACT_WIDTH, ellipsis=True, pad=True)
    return Content(" ").join([when, source, contact, Content(safe(item.text))])


def detail(item: DueItem) -> str:
    """The whole of an item in one line, for the status line under the list."""
    fmt = "%Y-%m-%d" if item.all_day else "%Y-%m-%d %H:%M"
    parts = [safe(item.text), safe(item.contact or ""), f"due {item.due.strftime(fmt)}"]
    if item.every:
        parts.append(f"every {safe(item.every)}")
    parts.append(item.key)
    return " · ".join(p for p in parts if p)


class AgendaScreen(CrmScreen):
    """Overdue, today and the next seven days, each section with its count."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-summary, AgendaScreen #agenda-detail {
        height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    AgendaScreen #agenda-summary { background: $panel; }
    AgendaScreen #agenda-detail { color: $text-muted; }
    AgendaScreen #agenda-list {
        height: 1fr; border: none; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    AgendaScreen #agenda-empty { padding: 1 2; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Done", tooltip="Mark the item done (a recurring one moves on)"),
        Binding("z", "snooze", "Snooze", tooltip="Move the item to a later day"),
        Binding("enter", "open_contact", "Contact", tooltip="Open the item's contact"),
    ]

    KEEP_WHEN_UNCHANGED = True

    class Loaded(Message):
        """A reload's items, from the worker."""

        def __init__(self, data: AgendaData) -> None:
            super().__init__()
            self.data = data

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, DueItem] = {}
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        """Counts, the list, the highlighted item in full, the footer."""
        yield Static("Agenda", id="agenda-summary")
        yield OptionList(id="agenda-list")
        yield Static("", id="agenda-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The list takes the keys."""
        self.query_one(OptionList).focus()

    # ------------------------------------------------------------ reading

    @work(thread=True, exclusive=True, group="agenda-load")
    def refresh_data(self) -> None:
        """Collect overdue, today and the next days from the reminders engine (worker thread)."""
        stamp = self.data_stamp()
        now_local = self.crm.local_now()
        today, tz = now_local.date(), now_local.tzinfo
        assert tz is not None  # for mypy: the local now is aware
        until = end_of_day(local_at(today + timedelta(days=UPCOMING_DAYS), tz), tz)
        with self.store() as store:
            items = agenda.collect(store, now_local, until)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(AgendaData(*split(items, today), today, stamp)))

    def on_agenda_screen_loaded(self, message: Loaded) -> None:
        """Show the sections, keeping the highlight on the same item when it is still there."""
        data = message.data
        listing = self.query_one(OptionList)
        current = listing.highlighted_option
        keep = current.id if current is not None else None
        index = listing.highlighted or 0
        self.day = data.day
        self.items = {}
        options: list[Option] = []
        sections = [
            ("overdue", "Overdue", data.overdue),
            ("today", "Today", data.today),
            ("upcoming", f"Next {UPCOMING_DAYS} days", data.upcoming),
        ]
        for name, title, items in sections:
            heading = Content.assemble((f"{title} ", "bold"), (f"({len(items)})", MUTED))
            options.append(Option(heading, id=f"section-{name}", disabled=True))
            for item in items[:SHOWN_PER_SECTION]:
                self.items[item.key] = item
                options.append(Option(row(item, data.day), id=item.key))
            if len(items) > SHOWN_PER_SECTION:
                more = f"  … and {len(items) - SHOWN_PER_SECTION:,} more: `tinycrm due` lists them all"
                options.append(Option(Content.styled(more, MUTED), id=f"more-{name}", disabled=True))
        listing.set_options(options)
        if keep in self.items:
            listing.highlighted = listing.get_option_index(keep)
        elif self.items:
            enabled = [i for i, o in enumerate(listing.options) if not o.disabled]
            listing.highlighted = min(enabled, key=lambda i: (i < index, abs(i - index)))
        self.query_one("#agenda-summary", Static).update(
            f"Agenda · {len(data.overdue)} overdue · {len(data.today)} today"
            f" · {len(data.upcoming)} in the next {UPCOMING_DAYS} days"
        )
        self._show_detail()
        self.shown_stamp = data.stamp

    @property
    def selected(self) -> DueItem | None:
        """The highlighted item."""
        option = self.query_one(OptionList).highlighted_option
        return self.items.get(option.id) if option is not None and option.id else None

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        item = self.selected
        self.query_one("#agenda-detail", Static).update(Content(detail(item)) if item else "")

    # ------------------------------------------------------------ acting

    def action_done(self) -> None:
        """Mark the highlighted item done."""
        item = self.selected
        if item is None:
            self.app.bell()
            return
        self._write("done", item.key, None)

    def action_snooze(self) -> None:
        """Ask until when, then snooze the highlighted item."""
        item = self.selected
        if item is None:
            self.app.bell()
            return

        def chosen(when: When | None) -> None:
            if when is not None:
                self._write("snooze", item.key, when)

        self.app.push_screen(SnoozeScreen(item.text, self.crm.local_now()), chosen)

    @work(thread=True, group="agenda-write")
    def _write(self, what: str, key: str, when: When | None) -> None:
        """agenda.mark_done or agenda.snooze in a worker, then tell every screen (worker thread)."""
        now_local = self.crm.local_now()
        try:
            with self.store() as store:
                if what == "done":
                    said = agenda.mark_done(store, key, now_local)
                else:
                    assert when is not None
                    said = agenda.snooze(store, key, when.at, all_day=when.all_day, now_local=now_local)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        self.app.call_from_thread(self.notify, said)
        self.app.call_from_thread(self.crm.notify_changed)

    @on(OptionList.OptionSelected)
    def action_open_contact(self) -> None:
        """Open the highlighted item's contact."""
        item = self.selected
        if item is None or item.contact_id is None:
            self.app.bell()
            return
        self.crm.show_contact(item.contact_id)
