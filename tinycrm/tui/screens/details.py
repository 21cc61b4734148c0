"""One record of the 360° view in full, and what can be done with it: a deal, an interaction, a reminder.

The deal modal is a `CrmScreen` of its own: it reads the deal (with its stage history) in a
worker, writes through the Store and the deal service in workers, and reloads on the
`DataChanged` that every write sends, like the screen under it. The interaction and
reminder modals show what the 360° view already read; a reminder's done and snooze are
done by the 360° screen with the answer the modal returns.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from ...dates import format_local, utc_iso
from ...errors import CrmError, NotFound
from ..base import CrmScreen
from .dialogs import ConfirmScreen, StageScreen


def _lines(rows: list[tuple[str, str | None]]) -> Text:
    """Label and value per line, empty values left out (the 360° details' look)."""
    text = Text()
    for label, value in rows:
        if not value:
            continue
        if text:
            text.append("\n")
        text.append(f"{label:<10} ", style="italic")
        text.append(str(value))
    return text


class InteractionScreen(ModalScreen[None]):
    """An interaction's whole text: the summary and the body the timeline row cuts off."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", key_display="esc", tooltip="Back to the contact"),
    ]

    def __init__(self, interaction: dict, deal_title: str | None = None) -> None:
        super().__init__()
        self.interaction = interaction
        self.deal_title = deal_title

    def compose(self) -> ComposeResult:
        """Kind and time as the title; who, deal; the summary; the body, scrollable."""
        item = self.interaction
        tz = self.app.tz  # type: ignore[attr-defined]
        with Vertical(classes="form record", id="interaction"):
            yield Label(f"{item['kind'].capitalize()} — {format_local(item['at'], tz)}", classes="form-title")
            yield Static(_lines([("by", item["user"]), ("deal", self.deal_title)]), id="interaction-meta")
            with VerticalScroll(id="interaction-text"):
                yield Static(Text(item["summary"], style="bold"), id="interaction-summary")
                if item.get("body"):
                    yield Static(item["body"], id="interaction-body")
            yield Label("Esc: close · ↑↓: scroll", classes="hint")

    def on_mount(self) -> None:
        """The text takes the arrow keys."""
        self.query_one("#interaction-text").focus()

    def action_close(self) -> None:
        """Back to the 360° view."""
        self.dismiss(None)


class ReminderScreen(ModalScreen[str | None]):
    """A reminder in full, with its two actions: done or snooze (the 360° screen does them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,space", "answer('done')", "Done", key_display="d", tooltip="Mark it done"),
        Binding("z", "answer('snooze')", "Snooze", tooltip="Move it to a later day"),
        Binding("escape", "answer(None)", "Close", tooltip="Leave it as it is"),
    ]

    def __init__(self, reminder: dict, deal_title: str | None = None) -> None:
        super().__init__()
        self.reminder = reminder
        self.deal_title = deal_title

    def compose(self) -> ComposeResult:
        """The text, when, how often, for which deal."""
        rem = self.reminder
        tz = self.app.tz  # type: ignore[attr-defined]
        due = format_local(rem["due"], tz, all_day=rem["all_day"])
        if rem["due"] < utc_iso(self.app.now()):  # type: ignore[attr-defined]
            due += "  (overdue)"
        with Vertical(classes="form record", id="reminder"):
            yield Label("Reminder", classes="form-title")
            yield Static(Text(rem["text"], style="bold"), id="reminder-text")
            yield Static(_lines([
                ("due", due),
                ("every", rem["every"]),
                ("deal", self.deal_title),
                ("source", rem["source"] if rem["source"] != "manual" else None),
            ]), id="reminder-meta")
            yield Label("d: done · z: snooze · Esc: close", classes="hint")

    def action_answer(self, what: str | None) -> None:
        """Close with the chosen action."""
        self.dismiss(what)


class DealScreen(CrmScreen, ModalScreen[None]):
    """A deal in full — value, stage, close date, stage history — and every move it can make."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back to the contact"),
        Binding("e", "edit", "Edit", tooltip="Title, value, currency, close date, key flag"),
        Binding("m", "move", "Move", tooltip="Move to another open stage (reopens a closed deal)"),
        Binding("w", "won", "Won", tooltip="Mark the deal won (asks first)"),
        Binding("x", "lost", "Lost", tooltip="Mark the deal lost, with a reason (asks first)"),
        Binding("u", "app.undo", "Undo", tooltip="Take back your own last change (names it and asks first)"),
    ]

    def __init__(self, deal_id: int, stages: list[str]) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.stages = [s for s in stages if s not in ("won", "lost")]
        self.deal: dict | None = None

    def compose(self) -> ComposeResult:
        """Title, the fields, the stage history, the keys."""
        with Vertical(classes="form record", id="deal"):
            yield Label("Deal", classes="form-title", id="deal-title")
            with VerticalScroll(id="deal-body"):
                yield Static("", id="deal-fields")
                yield Static("", id="deal-stages")
        yield Footer(compact=True)

    @work(thread=True, exclusive=True, group="deal-load")
    def refresh_data(self) -> None:
        """The deal and its stage history (worker thread)."""
        try:
            with self.store() as store:
                deal = store.get_deal(self.deal_id)
        except NotFound:
            self.app.call_from_thread(self._gone)
            return
        self.app.call_from_thread(self._show, deal)

    def _gone(self) -> None:
        """Undone or erased elsewhere: nothing left to show."""
        self.notify(f"deal {self.deal_id} no longer exists", severity="warning")
        if self.is_current:
            self.dismiss(None)

    def _show(self, deal: dict) -> None:
        self.deal = deal
        tz = self.crm.tz
        star = "★ " if deal["key"] else ""
        self.query_one("#deal-title", Label).update(f"Deal — {star}{deal['title']}")
        if deal["status"] == "open":
            state = f"{deal['stage']} ({deal['probability']}%)"
        else:
            closed = format_local(deal["closed_at"], tz, all_day=True) if deal["closed_at"] else ""
            state = f"{deal['status']} {closed}".strip()
        self.query_one("#deal-fields", Static).update(_lines([
            ("contact", deal["contact"]),
            ("value", f"{deal['value']} {deal['currency']}"),
            ("stage", state),
            ("reason", deal["lost_reason"]),
            ("close", deal["close_date"]),
            ("key deal", "yes" if deal["key"] else None),
            ("owner", deal["owner"]),
            ("created", format_local(deal["created_at"], tz)),
        ]))
        history = Text("Stages", style="bold")
        for entry in deal.get("stages", []):
            history.append(f"\n{format_local(entry['entered_at'], tz)}  ")
            history.append(f"{entry['stage']:<12}")
            if entry["user"]:
                history.append(f"  {entry['user']}", style="italic")
        self.query_one("#deal-stages", Static).update(history)

    # ------------------------------------------------------------ actions

    def action_close(self) -> None:
        """Back to the 360° view."""
        self.dismiss(None)

    def action_edit(self) -> None:
        """The edit form, prefilled; it saves through the deal service."""
        from .forms import DealEditForm

        if self.deal is not None:
            self.app.push_screen(DealEditForm(self.deal))

    def action_move(self) -> None:
        """Pick an open stage."""
        deal = self.deal
        if deal is None:
            return
        current = deal["stage"] if deal["status"] == "open" else ""

        def chosen(stage: str | None) -> None:
            if stage is not None and stage != current:
                self._move(stage)

        self.app.push_screen(StageScreen(deal["title"], self.stages, current), chosen)

    def action_won(self) -> None:
        """Ask, then mark the deal won."""
        deal = self.deal
        if deal is None:
            return
        if deal["status"] == "won":
            self.notify("Already won", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._move("won")

        value = f"{deal['value']} {deal['currency']}"
        self.app.push_screen(
            ConfirmScreen(f"Mark “{deal['title']}” as won?", f"{value} · {deal['contact']}", yes="Won"),
            answered,
        )

    def action_lost(self) -> None:
        """Ask why, then mark the deal lost (Esc leaves it open)."""
        from .pipeline import LostReasonScreen

        deal = self.deal
        if deal is None:
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._move("lost", reason)

        self.app.push_screen(LostReasonScreen(deal["title"]), answered)

    @work(thread=True, group="deal-write")
    def _move(self, stage: str, reason: str | None = None) -> None:
        """Store.move_deal (as `deal move/won/lost`), then every screen reloads (worker thread)."""
        try:
            with self.store() as store:
                deal = store.move_deal(self.deal_id, stage, reason=reason)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        verb = {"won": "Won", "lost": "Lost"}.get(stage, f"Moved to {stage}")
        self.app.call_from_thread(self.notify, f"{verb}: {deal['title']}")
        self.app.call_from_thread(self.crm.notify_changed)
