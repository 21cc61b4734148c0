"""Modal forms: log an interaction, add a deal or a reminder, edit or add a contact.

Validation is the CLI's: the form hands the raw text to the same parsers (`parse_when`)
and `Store` methods in a worker thread, and an `InvalidData`/`NotFound` message comes back
as one line under the form, which stays open so the user can fix the field. A form closes
only when the store accepted the write, returning the stored record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ...cells import safe
from ...errors import CrmError, DuplicateContact, InvalidData
from ...models import INTERACTION_KINDS
from ...store import Store

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...services.dedupe import Match


def _split(text: str) -> list[str]:
    """A comma-separated field as a list (empty items dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


class Field(Input):
    """A form's text field: a paste holding tabs fills this field and the ones after it."""

    def _on_paste(self, event: events.Paste) -> None:
        if "\t" not in event.text:
            return  # Input's own handler (Textual runs it after this one) takes one field's text
        event.prevent_default()
        event.stop()
        fields = [w for w in self.screen.query(Field) if w.display]
        start = fields.index(self)
        for field, part in zip(fields[start:], event.text.splitlines()[0].split("\t")):
            field.insert_text_at_cursor(part)
            field.focus()


class FormScreen(ModalScreen[Mapping[str, Any] | None]):
    """A modal form whose Save runs a Store write in a worker and shows its error in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save (Enter in a field does too)"),
        # priority: the focus moves before the next keys are handed out, so text typed or
        # pasted fast after a Tab lands in the next field, not in this one
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]
    TITLE_TEXT = "Form"
    SAVE_LABEL = "Save"

    def __init__(self, contact: dict | None = None) -> None:
        super().__init__()
        self.contact = contact
        self.saving = False

    def compose(self) -> ComposeResult:
        """Title, the one-line error, the fields, the buttons."""
        with Vertical(classes="form"):
            yield Label(self.form_title(), classes="form-title")
            # above the fields: a dropdown opens downwards and would cover an error line below them
            yield Static("", id="form-error", classes="form-error")
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield from self.below_fields()
            with Horizontal(classes="form-buttons"):
                yield from self.more_buttons()
                yield Button(self.SAVE_LABEL, variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def form_title(self) -> str:
        """The heading, naming the contact the form is about."""
        if self.contact:
            return f"{self.TITLE_TEXT} — {self.contact['name']}"
        return self.TITLE_TEXT

    @staticmethod
    def row(label: str, widget: Any) -> Horizontal:
        """A label and its field on one line."""
        return Horizontal(Label(label, classes="form-label"), widget, classes="form-row")

    def fields(self) -> ComposeResult:
        """The form's rows; subclasses yield `self.row(...)`s."""
        yield from ()

    def below_fields(self) -> ComposeResult:
        """Lines between the fields and the error; none unless a form has some."""
        yield from ()

    def more_buttons(self) -> ComposeResult:
        """Buttons before Save; none unless a form has some."""
        yield from ()

    def values(self) -> dict[str, Any]:
        """The raw field values, read on the event loop."""
        return {}

    def failed(self, error: CrmError) -> None:
        """The store refused the write: say why under the form, which stays open."""
        self.show_error(str(error).splitlines()[0])

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """The write (worker thread): parse with the CLI's parsers, call the Store method."""
        raise NotImplementedError

    def text(self, widget_id: str) -> str:
        """The value of an Input by id."""
        return self.query_one(f"#{widget_id}", Input).value

    def show_error(self, message: str) -> None:
        """One line under the form; the form stays open."""
        self.saving = False
        error = self.query_one("#form-error", Static)
        error.update(Content(safe(message)))
        error.set_class(bool(message), "-visible")

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        """The user is fixing the form: the old error no longer describes it."""
        if not self.saving and self.query_one("#form-error", Static).has_class("-visible"):
            self.show_error("")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_submit(self) -> None:
        """Save; the worker reports back with the record or an error line."""
        if self.saving:
            return
        self.show_error("")
        self.saving = True
        self._save(self.values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="form")
    def _save(self, values: dict[str, Any]) -> None:
        crm = self.app
        try:
            with crm.open_store() as store:  # type: ignore[attr-defined]
                record = self.save(store, values, crm.local_now())  # type: ignore[attr-defined]
        except CrmError as exc:
            self.app.call_from_thread(self.failed, exc)
            return
        self.app.call_from_thread(self._saved, record)

    def _saved(self, record: Mapping[str, Any]) -> None:
        self.dismiss(record)
        self.app.notify_changed()  # type: ignore[attr-defined]


class LogForm(FormScreen):
    """Log an interaction (`tinycrm log REF TEXT --kind --at --next`)."""

    TITLE_TEXT = "Log an interaction"

    def fields(self) -> ComposeResult:
        """Kind, text, when, follow-up."""
        yield self.row(
            "Kind",
            Select(
                [(k, k) for k in INTERACTION_KINDS], value="call", allow_blank=False, id="kind", compact=True
            ),
        )
        yield self.row("Text", Field(placeholder="what happened", id="text", compact=True))
        yield self.row(
            "When", Field(placeholder="now, or yesterday, 2026-03-01 14:00", id="at", compact=True)
        )
        yield self.row(
            "Follow up", Field(placeholder="optional: fri, +3d, 2026-04-01", id="next", compact=True)
        )

    def on_mount(self) -> None:
        """Start in the text field: the kind is usually right."""
        self.query_one("#text", Input).focus()

    def values(self) -> dict[str, Any]:
        """The raw values."""
        return {
            "kind": self.query_one("#kind", Select).value,
            "text": self.text("text"),
            "at": self.text("at"),
            "next": self.text("next"),
        }

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """The log service, exactly as `tinycrm log --at/--next`."""
        from ...services.interactions import log_interaction

        assert self.contact is not None
        return log_interaction(
            store, self.contact["id"], values["text"], now_local=now, kind=str(values["kind"]),
            at=values["at"], next_when=values["next"],
        )


class DealForm(FormScreen):
    """Add a deal (`tinycrm deal add REF TITLE --value --currency --stage --close --key`)."""

    TITLE_TEXT = "Add a deal"

    def __init__(self, contact: dict, stages: list[str]) -> None:
        super().__init__(contact)
        self.stages = [s for s in stages if s not in ("won", "lost")] or ["lead"]

    def fields(self) -> ComposeResult:
        """Title, value, currency, stage, close date, key flag."""
        yield self.row("Title", Field(placeholder="what is being sold", id="title", compact=True))
        yield self.row("Value", Field(placeholder="5000 or 1250.50", id="value", compact=True))
        yield self.row(
            "Currency", Field(placeholder="default: USD or the setting", id="currency", compact=True)
        )
        yield self.row(
            "Stage",
            Select(
                [(s, s) for s in self.stages],
                value=self.stages[0],
                allow_blank=False,
                id="stage",
                compact=True,
            ),
        )
        yield self.row("Close", Field(placeholder="optional: 2026-12-31, 1m", id="close", compact=True))
        yield self.row("Key deal", Checkbox("", id="key", compact=True))

    FIRST = "#title"
    """The field the form starts in (Textual runs every class's on_mount: one method, one place)."""

    def on_mount(self) -> None:
        """Start in the first field."""
        self.query_one(self.FIRST, Input).focus()

    def values(self) -> dict[str, Any]:
        """The raw values."""
        return {
            "title": self.text("title"),
            "value": self.text("value"),
            "currency": self.text("currency"),
            "stage": self.query_one("#stage", Select).value,
            "close": self.text("close"),
            "key": self.query_one("#key", Checkbox).value,
        }

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """The deal service, exactly as `tinycrm deal add`; the store checks value, currency, stage."""
        from ...services.deals import add_deal

        assert self.contact is not None
        return add_deal(
            store, self.contact["id"], values["title"], now_local=now,
            value=values["value"].strip() or None, currency=values["currency"].strip() or None,
            stage=str(values["stage"]), close=values["close"], key=bool(values["key"]),
        )


class BoardDealForm(DealForm):
    """Add a deal from the pipeline board: the contact is typed (any REF: name, e-mail, phone, zw)."""

    def __init__(self, stages: list[str]) -> None:
        FormScreen.__init__(self, None)
        self.stages = [s for s in stages if s not in ("won", "lost")] or ["lead"]

    def fields(self) -> ComposeResult:
        """The contact, then the deal's own fields."""
        yield self.row("Contact", Field(placeholder="name, e-mail, phone or pinyin initials", id="contact",
                                        compact=True))
        yield from super().fields()

    FIRST = "#contact"

    def values(self) -> dict[str, Any]:
        """The raw values, the contact's REF included."""
        return {**super().values(), "contact": self.text("contact")}

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """Find the contact as the CLI does (an ambiguous REF is an error line), then add the deal."""
        ref = values["contact"].strip()
        if not ref:
            raise InvalidData("which contact is the deal with? type a name, an e-mail or a phone")
        self.contact = dict(store.resolve(ref))
        return super().save(store, values, now)


class DealEditForm(FormScreen):
    """Edit a deal (`tinycrm deal edit`): title, value, currency, close date, key flag.

    Stage moves, won and lost are the deal modal's own keys: they carry history of their own.
    """

    TITLE_TEXT = "Edit deal"

    def __init__(self, deal: dict) -> None:
        super().__init__(None)
        self.deal = deal

    def form_title(self) -> str:
        """Names the deal."""
        return f"Edit deal — {self.deal['title']}"

    def fields(self) -> ComposeResult:
        """The deal's fields, prefilled."""
        deal = self.deal
        yield self.row("Title", Field(deal["title"], placeholder="what is being sold", id="title",
                                      compact=True))
        yield self.row("Value", Field(deal["value"], placeholder="5000 or 1250.50", id="value",
                                      compact=True))
        yield self.row("Currency", Field(deal["currency"], placeholder="USD, EUR, CNY…", id="currency",
                                         compact=True))
        yield self.row("Close", Field(deal["close_date"] or "", placeholder="2026-12-31, 1m; empty: none",
                                      id="close", compact=True))
        yield self.row("Key deal", Checkbox("", deal["key"], id="key", compact=True))

    def on_mount(self) -> None:
        """Start in the title."""
        self.query_one("#title", Input).focus()

    def values(self) -> dict[str, Any]:
        """The raw values."""
        return {
            "title": self.text("title"),
            "value": self.text("value"),
            "currency": self.text("currency"),
            "close": self.text("close"),
            "key": self.query_one("#key", Checkbox).value,
        }

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """The deal service, as `tinycrm deal edit`; the store checks the amount and the currency."""
        from ...services.deals import edit_deal

        value = values["value"].strip()
        if not value:  # never a silent 0: an emptied field is more often a slip than a price
            raise InvalidData("the deal needs a value: type an amount (0 for none)")
        # an untouched amount is not re-read: with a new currency the store converts it itself
        changed_value = value if value != self.deal["value"] else None
        return edit_deal(
            store, self.deal["id"], now_local=now, close=values["close"],
            title=values["title"], value=changed_value, currency=values["currency"].strip() or None,
            key=bool(values["key"]),
        )


class ReminderForm(FormScreen):
    """Add a reminder (`tinycrm remind add REF WHEN TEXT --every RULE`)."""

    TITLE_TEXT = "Add a reminder"

    def fields(self) -> ComposeResult:
        """When, text, recurrence."""
        yield self.row("When", Field(placeholder="fri, +3d, 2026-04-01 09:00", id="due", compact=True))
        yield self.row("Text", Field(placeholder="what to do", id="text", compact=True))
        yield self.row("Every", Field(placeholder="optional: 30d, monthly, FREQ=…", id="every", compact=True))

    def on_mount(self) -> None:
        """Start in the date."""
        self.query_one("#due", Input).focus()

    def values(self) -> dict[str, Any]:
        """The raw values."""
        return {"due": self.text("due"), "text": self.text("text"), "every": self.text("every")}

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """The reminder service, exactly as `tinycrm remind add`."""
        from ... import agenda

        assert self.contact is not None
        return agenda.add_reminder(
            store, str(self.contact["id"]), values["due"], values["text"], now_local=now,
            every=values["every"].strip() or None,
        )


class ContactForm(FormScreen):
    """Edit a contact's fields and tags, or add a new contact when given none.

    As the name, e-mails or phones are typed, the contact already in the book that this one
    is likely to be is shown under the fields (looked up in a worker once typing pauses);
    ctrl+o opens it. An e-mail or phone another contact has is refused as `contact add`
    refuses it, and "Add anyway" (ctrl+b) keeps both, as `--allow-duplicate` does.
    """

    TITLE_TEXT = "Edit"
    MATCH_DELAY: ClassVar[float] = 0.3
    """Seconds of quiet typing before the look-up for a likely match runs."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "open_match", "Open match", tooltip="Open the contact already here"),
        Binding("ctrl+b", "keep_both", "Keep both", tooltip="Save although another has the e-mail or phone"),
    ]

    def __init__(self, contact: dict | None = None) -> None:
        super().__init__(contact)
        self.allow_duplicate = False
        self.match: Match | None = None
        """The likely existing contact shown under the fields."""
        self.refused_by: int | None = None
        """The contact whose e-mail or phone made the store refuse the last save."""
        self._match_timer: Timer | None = None

    FIELDS: ClassVar[list[tuple[str, str, str]]] = [
        # id, label, placeholder
        ("name", "Name", "full name"),
        ("org", "Org", "organisation"),
        ("title", "Title", "job title"),
        ("emails", "E-mails", "comma-separated"),
        ("phones", "Phones", "comma-separated"),
        ("tags", "Tags", "comma-separated: vip, supplier"),
        ("birthday", "Birthday", "YYYY-MM-DD or MM-DD"),
        ("every", "Every", "keep in touch: 30d, 2w, 3m"),
    ]

    def form_title(self) -> str:
        """Edit NAME, or New contact."""
        return f"Edit — {self.contact['name']}" if self.contact else "New contact"

    def fields(self) -> ComposeResult:
        """One line per field, prefilled; kind and tier; notes in a small text area."""
        contact = self.contact or {}
        for key, label, placeholder in self.FIELDS:
            value = contact.get(key)
            if isinstance(value, list):
                value = ", ".join(value)
            yield self.row(label, Field(value or "", placeholder=placeholder, id=f"f-{key}", compact=True))
            if key == "name":
                kind = Select(
                    [("person", "person"), ("organisation", "org")], value=contact.get("kind") or "person",
                    allow_blank=False, id="f-kind", compact=True,
                )
                yield self.row("Kind", kind)
        tier = contact.get("tier") or ""
        yield self.row("Tier", Field(tier, placeholder="A, B, C… (tier rules may set it)", id="f-tier",
                                     compact=True))
        yield self.row(
            "Notes",
            TextArea(contact.get("notes") or "", id="f-notes", compact=True, show_line_numbers=False),
        )

    def below_fields(self) -> ComposeResult:
        """The likely match, while typing."""
        yield Static("", id="form-match", classes="form-match")

    def more_buttons(self) -> ComposeResult:
        """Add anyway: shown only when the store refused a duplicate e-mail or phone."""
        label = "Add anyway" if self.contact is None else "Save anyway"
        yield Button(f"{label} (ctrl+b)", variant="warning", id="anyway", compact=True)

    def on_mount(self) -> None:
        """Start in the name."""
        self.query_one("#f-name", Input).focus()

    def values(self) -> dict[str, Any]:
        """The raw values."""
        out: dict[str, Any] = {key: self.text(f"f-{key}") for key, _, _ in self.FIELDS}
        out["notes"] = self.query_one("#f-notes", TextArea).text
        out["kind"] = str(self.query_one("#f-kind", Select).value)
        out["tier"] = self.text("f-tier")
        return out

    # ------------------------------------------------------------ the likely match

    @on(Input.Changed, "#f-name, #f-org, #f-emails, #f-phones")
    def _typed(self, event: Input.Changed) -> None:
        """Look for a likely match once typing pauses (debounced: one look-up, not one per key)."""
        if self._match_timer is not None:
            self._match_timer.stop()
        self._match_timer = self.set_timer(self.MATCH_DELAY, self._look_up)
        if event.input.id in ("f-emails", "f-phones") and self.refused_by is not None:
            self._refusal_gone()

    def _look_up(self) -> None:
        self._match_timer = None
        values = self.values()
        self._find_match(values["name"], values["org"], _split(values["emails"]), _split(values["phones"]))

    @work(thread=True, exclusive=True, group="form-match")
    def _find_match(self, name: str, org: str, emails: list[str], phones: list[str]) -> None:
        """The store's duplicate and neighbour look-ups, as `contact add` makes them (worker thread)."""
        from ...services.dedupe import likely_match

        contact = self.contact
        try:
            with self.app.open_store() as store:  # type: ignore[attr-defined]
                match = likely_match(
                    store, name=name, org=org.strip() or None, emails=emails, phones=phones,
                    kind=(contact or {}).get("kind") or "person",
                    other_than=contact["id"] if contact else None,
                )
        except CrmError:
            match = None
        self.app.call_from_thread(self._show_match, match)

    def _show_match(self, match: Match | None) -> None:
        self.match = match
        line = self.query_one("#form-match", Static)
        text = f"Already here: {match.words()}  ·  ctrl+o opens it" if match else ""
        line.update(Content(safe(text)))
        line.set_class(bool(match), "-visible")

    def action_open_match(self) -> None:
        """Leave the form for the contact already here (or the one that has the e-mail or phone)."""
        contact_id = self.refused_by or (self.match.contact["id"] if self.match else None)
        if contact_id is None:
            return
        self.dismiss(None)
        self.app.show_contact(contact_id)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ refusal and "add anyway"

    def failed(self, error: CrmError) -> None:
        """A duplicate e-mail or phone: say whose it is and offer to keep both."""
        if not isinstance(error, DuplicateContact):
            super().failed(error)
            return
        self.refused_by = error.contact_id
        message = str(error).split(": use that contact", 1)[0]
        verb = "add" if self.contact is None else "save"
        self.show_error(f"{message}. ctrl+o opens it; ctrl+b: {verb} anyway, keeping both")
        self.query_one("#anyway", Button).add_class("-visible")

    def _refusal_gone(self) -> None:
        """The e-mail or phone was changed: the old refusal no longer applies."""
        self.refused_by = None
        self.query_one("#anyway", Button).remove_class("-visible")
        self.show_error("")

    @on(Button.Pressed, "#anyway")
    def action_keep_both(self) -> None:
        """Save with allow_duplicate (`--allow-duplicate`), only after the store refused once."""
        if self.refused_by is None or self.saving:
            return
        self.allow_duplicate = True
        self.action_submit()

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """Store.edit_contact (or add_contact): the store validates e-mails, phones, dates."""
        fields = {
            "org": values["org"],
            "title": values["title"],
            "emails": _split(values["emails"]),
            "phones": _split(values["phones"]),
            "tags": [t.strip() for t in values["tags"].replace(",", " ").split() if t.strip()],
            "birthday": values["birthday"].strip() or None,
            "every": values["every"],
            "notes": values["notes"],
            "kind": values["kind"],
            "tier": values["tier"].strip() or None,
        }
        allow = self.allow_duplicate
        if self.contact is not None:
            # unchanged lists are not written, so not checked again: a contact that already
            # shares an address (kept with "add anyway") can still have its name edited
            for key in ("emails", "phones"):
                if fields[key] == self.contact[key]:
                    del fields[key]
        if self.contact is None:
            return store.add_contact(values["name"], allow_duplicate=allow, **fields)
        return store.edit_contact(self.contact["id"], name=values["name"], allow_duplicate=allow, **fields)


class SaveFilterForm(FormScreen):
    """Save the current filter under a name (setting `filter:NAME`)."""

    TITLE_TEXT = "Save filter"

    def __init__(self, filter_text: str) -> None:
        super().__init__(None)
        self.filter_text = filter_text

    def form_title(self) -> str:
        """Shows the filter being saved."""
        return f"Save filter: {self.filter_text}"

    def fields(self) -> ComposeResult:
        """Just the name."""
        yield self.row("Name", Field(placeholder="e.g. stale-vips", id="name", compact=True))

    def on_mount(self) -> None:
        """Start in the name."""
        self.query_one("#name", Input).focus()

    def values(self) -> dict[str, Any]:
        """The name."""
        return {"name": self.text("name")}

    def save(self, store: Store, values: dict[str, Any], now: datetime) -> Mapping[str, Any]:
        """Store it as a setting; a name is required and has no spaces."""
        name = values["name"].strip()
        if not name or any(ch.isspace() for ch in name):
            raise InvalidData("a saved filter needs a name without spaces")
        store.save_filter(name, self.filter_text)
        return {"name": name, "filter": self.filter_text}


class PickFilterScreen(ModalScreen[str | None]):
    """Choose one of the saved filters (loaded by the caller, off the event loop)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, filters: dict[str, str]) -> None:
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        """A list of NAME — filter."""
        with Vertical(classes="form"):
            yield Label("Saved filters", classes="form-title")
            if self.filters:
                yield OptionList(
                    *[Option(f"{name}  —  {text}", id=name) for name, text in self.filters.items()],
                    id="filters",
                )
            else:
                yield Static("No saved filters yet: type a filter, then ctrl+s to save it.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Recall the chosen filter."""
        self.dismiss(self.filters[str(event.option.id)])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
