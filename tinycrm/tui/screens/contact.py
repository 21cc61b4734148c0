"""The contact 360° screen: details, timeline, deals and reminders of one customer at once.

Everything is read in one worker pass (the same Store calls as `tinycrm contact show`) and
drawn in one go; the forms on top write through the Store and the screen reloads on the
DataChanged that follows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Label, Static

from ...cells import safe
from ...dates import format_local, utc_iso
from ...errors import NotFound
from ...services.contacts import picture as contact_picture
from ..base import CrmScreen
from .forms import ContactForm, DealForm, LogForm, ReminderForm

TIMELINE_LIMIT = 200
"""Interactions shown; the count says how many there are in all."""


def _cut(text: str) -> Text:
    """A cell that ends in … when its column is too narrow, instead of stopping mid-word."""
    return Text(safe(text), overflow="ellipsis", no_wrap=True)


class ContactScreen(CrmScreen):
    """One customer's whole picture, and the forms to add to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("l", "log", "Log", tooltip="Log an interaction"),
        Binding("d", "deal", "Deal", tooltip="Add a deal"),
        Binding("r", "remind", "Remind", tooltip="Add a reminder"),
        Binding("e", "edit", "Edit", tooltip="Edit fields and tags"),
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
                yield Label("Reminders", id="reminders-title", classes="section-title")
                yield DataTable(id="reminders", cursor_type="row")
            with Vertical(id="contact-main"):
                yield Label("Timeline", id="timeline-title", classes="section-title")
                yield DataTable(id="timeline", cursor_type="row")
                yield Label("Deals", id="deals-title", classes="section-title")
                yield DataTable(id="deals", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The timeline has focus; data comes from the worker."""
        self.query_one("#timeline", DataTable).focus()

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
        heading.append(f"  #{contact['id']}", style="dim")
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
        row = timeline.cursor_row
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
        timeline.move_cursor(row=row)

        deals = self.query_one("#deals", DataTable)
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

        reminders = self.query_one("#reminders", DataTable)
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
            text.append(f"{safe(label):<10} ", style="dim")
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
