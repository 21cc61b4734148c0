"""The contact 360° screen: details, timeline, deals and reminders of one customer at once.

Everything is read in one worker pass (the same Store calls as `tinycrm contact show`) and
drawn in one go. It is also where a customer is worked on: Enter on a row opens it (an
interaction's whole text, a deal to edit, move, win or lose, a reminder to do or snooze,
one of an organisation's people), each table has its own keys, and the forms and dialogs
write through the services in workers; the screen reloads on the DataChanged that follows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Label, Static
from textual.widgets.data_table import RowDoesNotExist

from ... import agenda
from ...cells import safe
from ...dates import When, format_local, utc_iso
from ...errors import CrmError, NotFound
from ...services.contacts import picture as contact_picture
from ..base import CrmScreen
from .dialogs import ConfirmScreen
from .forms import ContactForm, DealForm, LogForm, ReminderForm

TIMELINE_LIMIT = 200
"""Interactions shown; the count says how many there are in all."""


def _cut(text: str) -> Text:
    """A cell that ends in … when its column is too narrow, instead of stopping mid-word."""
    return Text(safe(text), overflow="ellipsis", no_wrap=True)


def _cursor_key(table: DataTable) -> tuple[str | None, int]:
    """The record under the cursor and its row, to find it again after a reload."""
    if table.row_count == 0:
        return None, 0
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return key, table.cursor_row


def _restore_cursor(table: DataTable, where: tuple[str | None, int]) -> None:
    """Back on the same record (a deal just lost moves down the list), else on the same row."""
    key, row = where
    try:
        row = table.get_row_index(key) if key is not None else row
    except RowDoesNotExist:  # the record is gone (done, undone): stay on the row where it was
        pass
    table.move_cursor(row=row)


class TimelineTable(DataTable):
    """The timeline; Enter reads an interaction in full."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Read", tooltip="The interaction's whole text"),
    ]


class DealTable(DataTable):
    """The contact's deals; Enter opens one to edit, move, win or lose it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open deal", tooltip="Edit, move, win or lose the deal"),
    ]


class ReminderTable(DataTable):
    """Open reminders; done and snooze right here, Enter for the whole reminder."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", tooltip="The whole reminder, with done and snooze"),
        Binding("space", "screen.reminder_done", "Done", tooltip="Mark the reminder done"
                " (a recurring one moves on)"),
        Binding("z", "screen.reminder_snooze", "Snooze", tooltip="Move the reminder to a later day"),
    ]


class PeopleTable(DataTable):
    """An organisation's people; Enter opens that person's 360° view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open person", tooltip="That person's 360° view"),
    ]


class ContactScreen(CrmScreen):
    """One customer's whole picture, and everything that can be done from it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("l", "log", "Log", tooltip="Log an interaction"),
        Binding("d", "deal", "Deal", tooltip="Add a deal"),
        Binding("r", "remind", "Remind", tooltip="Add a reminder"),
        Binding("e", "edit", "Edit", tooltip="Edit fields and tags"),
        Binding("t", "trash", "Trash", show=False,
                tooltip="Move the contact to the trash, or restore it (asks first)"),
    ]

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact: dict | None = None
        self.stages: list[str] = []
        self.picture: dict | None = None

    def compose(self) -> ComposeResult:
        """Heading; details and reminders on the left; timeline and deals on the right."""
        yield Static("", id="contact-heading")
        with Horizontal(id="contact-body"):
            with Vertical(id="contact-side"):
                yield Static("", id="contact-details")
                yield Label("People", id="people-title", classes="section-title")
                yield PeopleTable(id="people", cursor_type="row")
                yield Label("Reminders", id="reminders-title", classes="section-title")
                yield ReminderTable(id="reminders", cursor_type="row")
            with Vertical(id="contact-main"):
                yield Label("Timeline", id="timeline-title", classes="section-title")
                yield TimelineTable(id="timeline", cursor_type="row")
                yield Label("Deals", id="deals-title", classes="section-title")
                yield DealTable(id="deals", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The timeline has focus; data comes from the worker; People only for an organisation."""
        self.query_one("#timeline", DataTable).focus()
        self._show_people(False)

    def _show_people(self, shown: bool) -> None:
        self.query_one("#people-title").display = shown
        self.query_one("#people").display = shown

    def refresh_data(self) -> None:
        """Reload the whole picture."""
        self._load()

    @work(thread=True, exclusive=True, group="contact")
    def _load(self) -> None:
        """The 360° record, read in one pass (worker thread)."""
        try:
            with self.store() as store:
                contact = store.get_contact(self.contact_id, include_trash=True)
                whole = contact_picture(store, contact, limit=TIMELINE_LIMIT)
                picture = {
                    "contact": contact,
                    "timeline": whole["interactions"],
                    "interactions": whole["interaction_count"],
                    "deals": whole["deals"],
                    "reminders": whole["reminders"],
                    "people": whole.get("people", []),
                    "stages": [s["name"] for s in store.stages()],
                }
        except NotFound:
            self.app.call_from_thread(self._gone)
            return
        self.app.call_from_thread(self._show, picture)

    def _gone(self) -> None:
        """The contact no longer exists (undo of its creation, forget in a shell)."""
        self.notify(f"contact {self.contact_id} no longer exists", severity="warning")
        if self.is_current:
            self.dismiss()

    def _show(self, picture: dict) -> None:
        contact = picture["contact"]
        self.contact = contact
        self.stages = picture["stages"]
        heading = Text(safe(contact["name"]), style="bold")
        heading.append(f"  #{contact['id']}", style="italic")
        if contact["org"]:
            heading.append(f"  {safe(contact['org'])}")
        if contact["tier"]:
            heading.append(f"  tier {safe(contact['tier'])}")
        if contact["deleted_at"]:
            heading.append("  (in the trash)", style="bold red")
        self.query_one("#contact-heading", Static).update(heading)
        self.query_one("#contact-details", Static).update(self._details(contact))

        self.picture = picture
        self._fill_tables()
        shown, total = len(picture["timeline"]), picture["interactions"]
        title = f"Timeline ({total})" if shown == total else f"Timeline ({shown} of {total})"
        self.query_one("#timeline-title", Label).update(title)
        self.query_one("#deals-title", Label).update(f"Deals ({len(picture['deals'])})")
        self.query_one("#reminders-title", Label).update(f"Reminders ({len(picture['reminders'])})")
        is_org = contact["kind"] == "org"
        self._show_people(is_org)
        if is_org:
            self.query_one("#people-title", Label).update(f"People ({len(picture['people'])})")
            # the section was hidden until now: its width is known only after the next layout
            self.call_after_refresh(self._fill_tables)

    def on_resize(self) -> None:
        """Column widths follow the window, so long text is cut, not scrolled sideways."""
        if self.picture is not None:
            self.call_after_refresh(self._fill_tables)

    @staticmethod
    def _rest(table: DataTable, fixed: list[int]) -> int:
        """The width left for the one flexible column once the fixed ones (and padding) are placed."""
        padding = 2 * table.cell_padding * (len(fixed) + 1)
        return max(table.scrollable_content_region.width - sum(fixed) - padding - 1, 8)

    def _fill_tables(self) -> None:
        """(Re)build the three tables at the current widths, keeping their cursors."""
        picture = self.picture
        if picture is None:
            return
        tz = self.crm.tz

        timeline = self.query_one("#timeline", DataTable)
        row = _cursor_key(timeline)
        timeline.clear(columns=True)
        wide = timeline.size.width >= 60
        fixed = [16, 7] + ([8] if wide else [])
        timeline.add_column("When", width=16)
        timeline.add_column("Kind", width=7)
        timeline.add_column("What", width=self._rest(timeline, fixed))
        if wide:
            timeline.add_column("By", width=8)
        for item in picture["timeline"]:
            cells = [format_local(item["at"], tz), item["kind"], _cut(item["summary"])]
            if wide:
                cells.append(Text(safe(item["user"] or "")))
            timeline.add_row(*cells, key=str(item["id"]))
        _restore_cursor(timeline, row)

        deals = self.query_one("#deals", DataTable)
        deal_row = _cursor_key(deals)
        deals.clear(columns=True)
        values = [f"{d['value']} {d['currency']}" for d in picture["deals"]]
        value_width = max([5, *(len(v) for v in values)])
        with_close = deals.size.width >= 56
        fixed = [value_width, 11] + ([10] if with_close else [])
        deals.add_column("Deal", width=self._rest(deals, fixed))
        deals.add_column("Value", width=value_width)
        deals.add_column("Stage", width=11)
        if with_close:
            deals.add_column("Close", width=10)
        for deal, value in zip(picture["deals"], values):
            name = ("★ " if deal["key"] else "") + deal["title"]
            stage = deal["stage"] if deal["status"] == "open" else deal["status"]
            cells = [_cut(name), Text(safe(value)), Text(safe(stage))]
            cells += [deal["close_date"] or ""] if with_close else []
            deals.add_row(*cells, key=str(deal["id"]))
        _restore_cursor(deals, deal_row)

        reminders = self.query_one("#reminders", DataTable)
        rem_row = _cursor_key(reminders)
        reminders.clear(columns=True)
        now = utc_iso(self.crm.now())
        dues = [format_local(r["due"], tz, all_day=r["all_day"]) for r in picture["reminders"]]
        due_width = max([3, *(len(d) for d in dues)])
        reminders.add_column("Due", width=due_width)
        reminders.add_column("Reminder", width=self._rest(reminders, [due_width]))
        for rem, due in zip(picture["reminders"], dues):
            style = "bold red" if rem["due"] < now else ""
            text = rem["text"] + (f" (every {rem['every']})" if rem["every"] else "")
            reminders.add_row(Text(due, style=style), _cut(text), key=str(rem["id"]))
        _restore_cursor(reminders, rem_row)

        people = self.query_one("#people", DataTable)
        person_row = _cursor_key(people)
        people.clear(columns=True)
        with_email = people.size.width >= 60
        fixed = [14] + ([20] if with_email else [])
        people.add_column("Name", width=self._rest(people, fixed))
        people.add_column("Title", width=14)
        if with_email:
            people.add_column("E-mail", width=20)
        for person in picture["people"]:
            cells = [_cut(person["name"]), _cut(person["title"] or "")]
            if with_email:
                cells.append(_cut(person["emails"][0] if person["emails"] else ""))
            people.add_row(*cells, key=str(person["id"]))
        _restore_cursor(people, person_row)

    def _details(self, contact: dict) -> Text:
        """The fields worth showing, label and value, empty ones left out."""
        tz = self.crm.tz
        bday = contact["birthday"]
        if bday and contact["birthday_lunar"]:
            bday += " (lunar)"
        rows = [
            ("title", contact["title"]),
            ("e-mail", ", ".join(contact["emails"])),
            ("phone", ", ".join(contact["phones"])),
            ("tags", " ".join(f"#{t}" for t in contact["tags"])),
            ("owner", contact["owner"]),
            ("birthday", bday),
            ("every", contact["every"]),
            (
                "next touch",
                format_local(contact["next_touch_at"], tz, all_day=True)
                if contact["every"] and contact["next_touch_at"]
                else None,
            ),
            (
                "last",
                format_local(contact["last_contacted_at"], tz) if contact["last_contacted_at"] else "never",
            ),
            *[(k, str(v)) for k, v in contact["fields"].items()],
            ("notes", contact["notes"]),
        ]
        text = Text()
        for label, value in rows:
            if not value:
                continue
            if text:
                text.append("\n")
            text.append(f"{safe(label):<10} ", style="italic")
            text.append(safe(value))
        return text

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()

    def _form(self, form) -> None:
        if self.contact is None:
            return
        self.app.push_screen(form)

    def action_log(self) -> None:
        """Log an interaction."""
        if self.contact:
            self._form(LogForm(self.contact))

    def action_deal(self) -> None:
        """Add a deal."""
        if self.contact:
            self._form(DealForm(self.contact, self.stages))

    def action_remind(self) -> None:
        """Add a reminder."""
        if self.contact:
            self._form(ReminderForm(self.contact))

    def action_edit(self) -> None:
        """Edit fields and tags."""
        if self.contact:
            self._form(ContactForm(self.contact))

    def action_trash(self) -> None:
        """Ask, then move the contact to the trash (or, when it is there, bring it back)."""
        contact = self.contact
        if contact is None:
            return
        restoring = bool(contact["deleted_at"])

        def answered(yes: bool | None) -> None:
            if yes:
                self._trash(contact["id"], restoring)

        if restoring:
            question = f"Restore {contact['name']} from the trash?"
            detail = "The contact comes back to every list, with all its records."
        else:
            question = f"Move {contact['name']} to the trash?"
            detail = ("Its interactions, deals and reminders stay with it; "
                      "`tinycrm contact restore` or u (undo) brings it back.")
        self.app.push_screen(
            ConfirmScreen(question, detail, yes="Restore" if restoring else "Trash", danger=not restoring),
            answered,
        )

    @work(thread=True, group="contact-write")
    def _trash(self, contact_id: int, restoring: bool) -> None:
        """Store.trash_contact / restore_contact, as `contact rm` / `contact restore` (worker thread)."""
        try:
            with self.store() as store:
                if restoring:
                    contact = store.restore_contact(contact_id)
                else:
                    contact = store.trash_contact(contact_id)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        said = "Restored" if restoring else "Moved to the trash (u takes it back)"
        self.app.call_from_thread(self.notify, f"{said}: {contact['name']}")
        if not restoring:
            self.app.call_from_thread(self._leave)
        self.app.call_from_thread(self.crm.notify_changed)

    def _leave(self) -> None:
        """A contact just trashed is no longer in the lists: go back to where the user came from."""
        if self.is_current:
            self.dismiss()

    # ------------------------------------------------------------ rows

    def _selected(self, table_id: str) -> dict | None:
        """The record under a table's cursor."""
        table = self.query_one(f"#{table_id}", DataTable)
        if self.picture is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        source = {"timeline": "timeline", "deals": "deals", "reminders": "reminders", "people": "people"}
        return next((r for r in self.picture[source[table_id]] if str(r["id"]) == key), None)

    def _deal_title(self, deal_id: int | None) -> str | None:
        if deal_id is None or self.picture is None:
            return None
        return next((d["title"] for d in self.picture["deals"] if d["id"] == deal_id), f"#{deal_id}")

    @on(DataTable.RowSelected)
    def _open_row(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens what it shows."""
        from .details import DealScreen, InteractionScreen, ReminderScreen

        table_id = event.data_table.id or ""
        record = self._selected(table_id)
        if record is None:
            return
        if table_id == "timeline":
            self.app.push_screen(InteractionScreen(record, self._deal_title(record["deal_id"])))
        elif table_id == "deals":
            self.app.push_screen(DealScreen(record["id"], self.stages))
        elif table_id == "people":
            self.crm.show_contact(record["id"])
        elif table_id == "reminders":

            def chosen(what: str | None) -> None:
                if what == "done":
                    self._reminder_write("done", record, None)
                elif what == "snooze":
                    self._ask_snooze(record)

            self.app.push_screen(ReminderScreen(record, self._deal_title(record["deal_id"])), chosen)

    def action_reminder_done(self) -> None:
        """Mark the highlighted reminder done, as `tinycrm remind done`."""
        record = self._selected("reminders")
        if record is None:
            self.app.bell()
            return
        self._reminder_write("done", record, None)

    def action_reminder_snooze(self) -> None:
        """Ask until when, then snooze the highlighted reminder."""
        record = self._selected("reminders")
        if record is None:
            self.app.bell()
            return
        self._ask_snooze(record)

    def _ask_snooze(self, record: dict) -> None:
        from .agenda import SnoozeScreen

        def chosen(when: When | None) -> None:
            if when is not None:
                self._reminder_write("snooze", record, when)

        self.app.push_screen(SnoozeScreen(record["text"], self.crm.local_now()), chosen)

    @work(thread=True, group="contact-write")
    def _reminder_write(self, what: str, record: dict, when: When | None) -> None:
        """agenda.mark_done / agenda.snooze on the reminder's id (worker thread)."""
        now_local = self.crm.local_now()
        try:
            with self.store() as store:
                if what == "done":
                    said = agenda.mark_done(store, record["id"], now_local)
                else:
                    assert when is not None
                    said = agenda.snooze(store, record["id"], when.at, all_day=when.all_day,
                                         now_local=now_local)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        self.app.call_from_thread(self.notify, said)
        self.app.call_from_thread(self.crm.notify_changed)
