"""Command palette providers: tinycrm's commands and saved filters, and every contact by name.

The palette is how a user who remembers no key still gets everywhere (ctrl+p, type a few
letters). Contact and saved-filter look-ups run in a thread (`asyncio.to_thread`) on a
fresh connection, never on the event loop.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..errors import CrmError

if TYPE_CHECKING:
    from ..models import Contact
    from .app import CrmApp

CONTACT_HITS = 20


def _summary(contact: Contact) -> str:
    """What tells two namesakes apart: e-mail, tags, tier."""
    parts = contact["emails"][:1] + [" ".join(f"#{t}" for t in contact["tags"])]
    if contact["tier"]:
        parts.append(f"tier {contact['tier']}")
    return "  ".join(p for p in parts if p) or f"contact #{contact['id']}"


class CrmProvider(Provider):
    """A provider that knows it runs inside CrmApp."""

    @property
    def crm(self) -> CrmApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]


class NavigationCommands(CrmProvider):
    """Every command of tinycrm, once each and always in the same order, then the saved filters.

    One provider for all of them: hits of several providers arrive in whatever order their
    tasks finish, so the list would change from one opening to the next.
    """

    async def startup(self) -> None:
        """Read the saved filters once when the palette opens."""
        self._filters = await asyncio.to_thread(self._load)

    def _load(self) -> dict[str, str]:
        try:
            with self.crm.open_store() as store:
                return store.saved_filters()
        except CrmError:
            return {}

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.crm
        go = app.switch_mode
        commands: list[tuple[str, str, object]] = [
            ("Go to contacts", "The contact list and its filter (1)", partial(go, "contacts")),
            ("Go to agenda", "Overdue, today and upcoming follow-ups (2)", partial(go, "agenda")),
            ("Go to pipeline", "Deals by stage (3)", partial(go, "pipeline")),
            ("Go to dashboard", "Headline numbers and charts (4)", partial(go, "dashboard")),
            ("Go to duplicates", "Likely duplicates, two side by side, merge (5)", partial(go, "dupes")),
            ("Undo my last change", "Name your own last change and take it back after asking (u)",
             app.action_undo),
            ("Redo my last undo", "Do again what your last undo took back", app.action_redo),
            ("Theme", "Pick a theme; it is remembered (ctrl+t switches dark/light)", app.action_change_theme),
            ("Help", "Keys of every screen and the filter language (?)", app.action_help),
            ("Quit", "Leave tinycrm (q)", app.action_quit),
        ]
        commands += [
            (f"Filter: {name}", text, partial(app.show_filter, text))
            for name, text in getattr(self, "_filters", {}).items()
        ]
        return commands

    async def discover(self) -> Hits:
        """All of them, when the palette opens empty."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the command names."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]


class ContactCommands(CrmProvider):
    """Open a contact by typing part of its name (the filter language works too)."""

    def _find(self, text: str) -> list[Contact]:
        try:
            with self.crm.open_store() as store:
                return store.list_contacts(text, limit=CONTACT_HITS)
        except CrmError:
            return []

    async def search(self, query: str) -> Hits:
        """Contacts matching the text, best name matches first."""
        query = query.strip()
        if not query:
            return
        contacts = await asyncio.to_thread(self._find, query)
        matcher = self.matcher(query)
        for contact in contacts:
            label = contact["name"] + (f" · {contact['org']}" if contact["org"] else "")
            score = matcher.match(label)
            # found by the index (an e-mail, a tag, pinyin initials): still a good hit
            score = max(score, 0.5)
            yield Hit(
                score,
                matcher.highlight(label) if matcher.match(label) else label,
                partial(self.crm.show_contact, contact["id"]),
                text=f"Open contact {label}",
                help=_summary(contact),
            )
