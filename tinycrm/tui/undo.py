"""What `u` would take back: the acting user's newest change not yet undone, in words.

`Store.undo()` takes back the acting user's own newest change; before it does, the TUI
names that change and asks. The change is found in `Store.history()` (newest rows first,
every user's), read in growing pages until one of the user's rows turns up; a change is
all the rows of one transaction (`txid`). No Textual here: the app calls these in a worker.
"""

from __future__ import annotations

import re
from typing import Any

from ..store import Store

FIRST_PAGE = 100
"""History rows read first; a busy team's book is read in pages ten times larger after."""

NOUNS = {
    "contact": "contact", "interaction": "interaction", "deal": "deal", "reminder": "reminder",
    "occurrence": "due item", "setting": "setting", "target": "target",
}  # fmt: skip
"""History tables as people name them; the rest (`deal_stage`, indexes) go unmentioned."""

VERBS = {"insert": "added", "update": "changed", "delete": "removed", "bulk": "added"}
DERIVED = {
    "birthday": "a birthday", "anniversary": "an anniversary", "cadence": "a keep-in-touch date",
    "deal-close": "a deal's close date", "deal-stale": "a deal waiting too long in its stage",
}  # fmt: skip
"""Derived due items by the first part of their key, in words (the key itself stays internal)."""
SHOWN = 3
"""Record lines in the question; more are counted."""


_KEY = re.compile(r"\b(birthday|anniversary|cadence|deal-close|deal-stale|reminder):(\d+)(?::\S*)?")


def command_words(command: str) -> str:
    """The command a change was recorded under, its occurrence keys put in words."""

    def words(match: re.Match[str]) -> str:
        kind, number = match.group(1), match.group(2)
        return f"reminder {number}" if kind == "reminder" else DERIVED[kind]

    return _KEY.sub(words, command)


def last_own_change(store: Store) -> list[dict[str, Any]] | None:
    """The history rows of the acting user's newest change not yet undone (None: there is none)."""
    limit = FIRST_PAGE
    while True:
        rows = store.history(limit=limit)
        mine = next((r for r in rows if r["user"] == store.user and r["undone_at"] is None), None)
        if mine is not None:
            group = [r for r in rows if r["txid"] == mine["txid"]]
            if len(rows) < limit or rows[-1]["txid"] != mine["txid"]:
                return group
        elif len(rows) < limit:
            return None
        limit *= 10


def _label(row: dict[str, Any]) -> str:
    """What the record is called: a contact's name, a deal's title, a reminder's text."""
    record = row["after"] or row["before"] or {}
    for key in ("name", "title", "summary", "text", "key"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value if len(value) <= 40 else value[:39] + "…"
    return f"#{row['row_id']}"


def describe(rows: list[dict[str, Any]]) -> list[str]:
    """One line per record the change touched, in words: `deal “Audit” changed (stage, probability)`."""
    lines: list[str] = []
    bulk: dict[str, int] = {}
    for row in reversed(rows):  # history is newest first; tell it in the order it happened
        noun = NOUNS.get(row["table"])
        if noun is None:
            continue
        if row["op"] == "bulk":
            bulk[noun] = bulk.get(noun, 0) + len((row["after"] or {}).get("ids", []))
            continue
        if row["table"] == "occurrence":
            record: dict[str, Any] = row["after"] or row["before"] or {}
            what = DERIVED.get(str(record.get("key", "")).split(":", 1)[0], "a due item")
            states: dict[str | None, str] = {"done": "marked done", "snoozed": "snoozed"}
            state = states.get(record.get("state"), "changed")
            lines.append(f"{what} {state}")
            continue
        verb = VERBS.get(row["op"], row["op"])
        changes = row["changes"]
        if "deleted_at" in changes:
            verb = "moved to the trash" if changes["deleted_at"][1] else "restored from the trash"
        elif "done_at" in changes:
            verb = "marked done" if changes["done_at"][1] else "reopened"
        line = f"{noun} “{_label(row)}” {verb}"
        fields = [k.removesuffix("_minor") for k in changes if not k.endswith("_at")]
        if row["op"] == "update" and fields:
            line += f" ({', '.join(fields[:4])}{', …' if len(fields) > 4 else ''})"
        lines.append(line)
    lines += [f"{count} {noun}{'s' if count != 1 else ''} added" for noun, count in bulk.items()]
    if len(lines) > SHOWN:
        lines[SHOWN:] = [f"and {len(lines) - SHOWN} more"]
    return lines
