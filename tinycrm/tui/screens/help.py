"""The help screen: the keys of every screen, read from their bindings, and the filter language.

Keys are collected from the BINDINGS of the classes themselves so that this page cannot
drift from what the keys do; the filter terms come from `query.FIELD_HELP`.
"""

from __future__ import annotations

import importlib
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...query import FIELD_HELP

TEXT_TERMS = [
    (
        'word  "two words"',
        "name, organisation, e-mails, phones, notes, tags; CJK substrings; pinyin initials (zw finds 张伟)",
    ),
    ("a b", "both must hold"),
    ("a OR b", "either (OR binds tighter than the space)"),
    ("-term", "not"),
    ("( … )", "grouping"),
]
WHEN_HELP = (
    "Dates (WHEN): today, tomorrow, fri, next monday, +3d, 2w, 1m, 2026-12-01, "
    "2026-12-01 14:00, 12-01.  Durations: 30d, 2w, 3m, 1y.  "
    "Recurrence: daily, weekly, monthly, yearly, 30d, or an RRULE."
)
SCREEN_CLASSES = [
    # title, module, class name
    ("Everywhere", "tinycrm.tui.app", "CrmApp"),
    ("Contacts (1)", "tinycrm.tui.screens.contacts", "ContactsScreen"),
    ("Contact table", "tinycrm.tui.widgets.contact_table", "ContactTable"),
    ("Contact (360°)", "tinycrm.tui.screens.contact", "ContactScreen"),
    ("Contact: timeline", "tinycrm.tui.screens.contact", "TimelineTable"),
    ("Contact: deals", "tinycrm.tui.screens.contact", "DealTable"),
    ("Contact: reminders", "tinycrm.tui.screens.contact", "ReminderTable"),
    ("Contact: people (an organisation's)", "tinycrm.tui.screens.contact", "PeopleTable"),
    ("Deal (Enter on a deal)", "tinycrm.tui.screens.details", "DealScreen"),
    ("Questions (undo, trash, won)", "tinycrm.tui.screens.dialogs", "ConfirmScreen"),
    ("Agenda (2)", "tinycrm.tui.screens.agenda", "AgendaScreen"),
    ("Pipeline (3)", "tinycrm.tui.screens.pipeline", "PipelineScreen"),
    ("Dashboard (4)", "tinycrm.tui.screens.dashboard", "DashboardScreen"),
    ("Duplicates: the groups", "tinycrm.tui.widgets.dupe_list", "DupeList"),
    ("Duplicates (5)", "tinycrm.tui.screens.dupes", "DupesScreen"),
    ("Duplicates: two side by side", "tinycrm.tui.screens.dupes", "CompareScreen"),
    ("Forms", "tinycrm.tui.screens.forms", "FormScreen"),
    ("Contact form (a, e)", "tinycrm.tui.screens.forms", "ContactForm"),
]


def _bindings(cls: type) -> list[Binding]:
    """The described bindings a class declares itself (not inherited ones)."""
    out = []
    for item in cls.__dict__.get("BINDINGS", []):
        if isinstance(item, Binding):
            binding = item
        else:
            binding = Binding(*item)
        if binding.description:
            out.append(binding)
    return out


def _key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {
        "question_mark": "?",
        "slash": "/",
        "escape": "esc",
        "pageup": "pgup",
        "pagedown": "pgdn",
        "space": "space",
    }
    return ", ".join(names.get(k, k) for k in binding.key.split(","))


def _grid(rows: list[tuple[str, str]]) -> Table:
    """Terms and meanings in two columns: long terms widen the first, long meanings wrap in theirs."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(style="bold", no_wrap=True, width=min(max(len(term) for term, _ in rows), 34))
    grid.add_column(ratio=1, overflow="fold")
    for term, meaning in rows:
        grid.add_row(term, meaning)
    return Padding(grid, (0, 0, 0, 2))  # type: ignore[return-value]


def keys_text() -> Group:
    """Every screen's keys, one section per screen (screens not installed are skipped)."""
    parts: list[RenderableType] = []
    for title, module_name, class_name in SCREEN_CLASSES:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        bindings = _bindings(cls)
        if not bindings:
            continue
        rows = [
            (_key_label(b), b.description + (f" — {b.tooltip}" if b.tooltip else "")) for b in bindings
        ]
        parts += [Text(title, style="bold"), _grid(rows), Text("")]
    parts.append(Text("Command palette (ctrl+p)", style="bold"))
    parts.append(_grid([("ctrl+p", "Type a contact's name to open it, a screen name to go there,"
                                   " or a saved filter's name to recall it.")]))
    return Group(*parts)


def filter_text() -> Group:
    """The filter language, from the parser's own field table."""
    rows = list(TEXT_TERMS)
    for field, meaning in FIELD_HELP.items():
        example, _, rest = meaning.partition(" — ")
        rows.append((example, rest or field))
    return Group(
        Text("Filter language (the search bar, `contact list`, tiers, exports)", style="bold"),
        _grid(rows),
        Text(f"\n{WHEN_HELP}"),
    )


class HelpScreen(ModalScreen[None]):
    """Keys and the filter language; escape or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        """Two scrollable sections."""
        with Vertical(id="help"):
            yield Label("tinycrm — keys and filters", classes="form-title")
            with VerticalScroll(id="help-body"):
                yield Static(keys_text(), id="help-keys")
                yield Static(filter_text(), id="help-filters")

    def action_close(self) -> None:
        """Back to where the user was."""
        self.dismiss()
