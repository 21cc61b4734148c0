"""Small dialogs the screens share: a yes/no question and a stage picker.

They only ask; the screen that opened them does the write (in a worker) with the answer.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """Asks before a change: y or Enter does it, n or Esc leaves everything as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", tooltip="Do it"),
        Binding("n,escape", "answer(False)", "No", key_display="n/esc", tooltip="Leave it as it is"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", danger: bool = False) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.danger = danger

    def compose(self) -> ComposeResult:
        """The question, what it means, and the two buttons (the first one focused)."""
        with Vertical(classes="form confirm"):
            yield Label(self.question, classes="form-title", id="confirm-question")
            if self.detail:
                yield Static(self.detail, id="confirm-detail")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.yes} (y)", variant="error" if self.danger else "primary",
                             id="yes", compact=True)
                yield Button("Cancel (n)", id="no", compact=True)

    def on_mount(self) -> None:
        """Enter on the focused button answers yes; Tab reaches Cancel."""
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class StageScreen(ModalScreen[str | None]):
    """Picks the open stage a deal moves to (won and lost have their own keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, stages: list[str], current: str) -> None:
        super().__init__()
        self.deal_title = title
        self.stages = stages
        self.current = current

    def compose(self) -> ComposeResult:
        """The open stages, the current one marked."""
        with Vertical(classes="form"):
            yield Label(f"Move “{self.deal_title}” to", classes="form-title")
            yield OptionList(
                *[Option(f"{s}  (now)" if s == self.current else s, id=s) for s in self.stages],
                id="stages",
            )
            yield Label("Enter: move · Esc: cancel", classes="hint")

    def on_mount(self) -> None:
        """The highlight starts on the stage after the current one: the usual move."""
        listing = self.query_one(OptionList)
        listing.focus()
        if self.current in self.stages:
            listing.highlighted = min(self.stages.index(self.current) + 1, len(self.stages) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Move there."""
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        """Leave the deal where it is."""
        self.dismiss(None)
