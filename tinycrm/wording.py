"""What happened and what is due, said as a person would: pure functions over plain records.

`describe` turns `Store.history()` rows into one sentence per change ("Ada Lovelace: tag vip
removed; title CEO → CTO", "deal Audit: lead → proposal"); `due_rows` turns due items into
(when, what, who) in words, grouped overdue → today → later, and `format_due_table` lays
them out for a terminal of a given width. The command line, the TUI and notifications call
these, so a thing is said the same way everywhere.

No SQL, no Typer/Rich/Textual, no clock (`now` is passed in), and cheap to import: this
module is on the start-up path of `tinycrm due` and `tinycrm history`. Nothing raises on odd
rows — history outlives schema versions — an unknown value is shown, cleaned, or left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo

from .cells import cut, pad, width

TYPE_CHECKING = False  # `import typing` costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

    from .reminders import DueItem

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
VALUE_CELLS = 40
"""How long a value may be inside a sentence before it is shortened with "…"."""
SUMMARY_SENTENCES = 4
"""A change's summary names at most this many things; the rest are counted."""
TEXT_CELLS = 60
"""How long an interaction's or reminder's text may be inside a sentence."""

# columns that are bookkeeping or derived from other rows, never a change to mention
_INTERNAL = frozenset({
    "id", "created_at", "updated_at", "last_contacted_at", "next_touch_at", "owner_since",
    "org_id", "uid", "sources", "stage_entered_at", "closed_at", "anchor", "from_done",
    "interaction_id", "birthday_lunar", "probability_auto", "name_sort",
})  # fmt: skip
# JSON text columns of the tables, decoded for `history --json`
_JSON_COLUMNS = frozenset({"emails", "phones", "addresses", "tags", "anniversaries", "fields",
                           "aliases", "sources"})  # fmt: skip
_BOOL_COLUMNS = frozenset({"birthday_lunar", "all_day", "from_done", "key"})
_LIST_WORDS = (("emails", "e-mail"), ("phones", "phone"), ("tags", "tag"),
               ("addresses", "address"), ("aliases", "alias"))  # fmt: skip
_CONTACT_WORDS = (("name", "name"), ("kind", "kind"), ("org", "organisation"), ("title", "title"),
                  ("tier", "tier"), ("notes", "notes"))  # fmt: skip
_KIND_WORDS = {"call": "a call with", "email": "an e-mail with", "meeting": "a meeting with",
               "message": "a message with", "visit": "a visit to", "note": "a note on"}  # fmt: skip
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SPACES = re.compile(r"[ \t\n\r\v\f\u2028\u2029]+")
_DURATION = re.compile(r"\+?(\d{1,6})\s*([dwmyh])")
_DURATION_UNITS = {"d": "day", "w": "week", "m": "month", "y": "year", "h": "hour"}


# --- small words ------------------------------------------------------------------------


def clean(value: object) -> str:
    """Text safe for one terminal line: whitespace runs become one space, controls become '�'.

    An escape sequence or a bidi override inside a contact's notes must not reach the
    terminal raw (it could recolour or reorder the screen), nor a newline break a table.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        return text
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("\ufffd", text).strip()


def short(value: object, cells: int = VALUE_CELLS) -> str:
    """A cleaned value, shortened at a word boundary with "…" to fit `cells`."""
    return cut(clean(value), cells)


def quoted(value: object, cells: int = VALUE_CELLS) -> str:
    """A short value in single quotes, for free text inside a sentence."""
    return f"'{short(value, cells)}'"


def plural(n: int, word: str) -> str:
    """'1 day', '2 days', '1,204 contacts' (an -s plural is all the words here need)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}{'es' if word.endswith(('ss', 'sh')) else 's'}"


def span(days: int) -> str:
    """A number of days as a person says it: '3 days', '2 weeks', '4 months', '2 years'."""
    days = abs(days)
    if days < 14:
        return plural(days, "day")
    if days < 60:
        return plural(days // 7, "week")
    if days < 365:
        return plural(days // 30, "month")
    return plural(days // 365, "year")


def duration(text: object) -> str:
    """A stored DURATION in words: '30d' → '30 days', '2w' → '2 weeks'; anything else cleaned."""
    raw = clean(text).strip()
    m = _DURATION.fullmatch(raw.lower())
    if not m:
        return short(raw)
    return plural(int(m.group(1)), _DURATION_UNITS[m.group(2)])


_RULE_WORDS = {"daily": "every day", "weekly": "every week", "monthly": "every month",
               "yearly": "every year"}  # fmt: skip


def every_words(text: object) -> str:
    """A cadence or RULE as 'every 30 days', 'every week', 'every month'; an RRULE as it is, cleaned."""
    raw = clean(text).strip()
    if raw.lower() in _RULE_WORDS:
        return _RULE_WORDS[raw.lower()]
    m = _DURATION.fullmatch(raw.lower())
    if not m:
        return f"repeating {short(raw, 30)}"
    if int(m.group(1)) == 1:
        return f"every {_DURATION_UNITS[m.group(2)]}"
    return f"every {duration(raw)}"


def money(minor: object, currency: object) -> str:
    """Exact money with thousands separators: '1,234.50 EUR', '1,234 JPY'."""
    from .money import format_amount

    code = short(currency or "", 8).upper()
    amount = _int(minor)
    if amount is None:
        return f"{short(minor, 24)} {code}".strip()
    text = format_amount(amount, code or None)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction} {code}".strip()


def day_month(day: date, *, year: bool = False, weekday: bool = False) -> str:
    """'4 Dec', 'Fri 4 Dec', '4 Dec 2027': short, unambiguous, never locale-dependent."""
    text = f"{day.day} {MONTHS[day.month - 1][:3]}"
    if weekday:
        text = f"{WEEKDAYS[day.weekday()]} {text}"
    return f"{text} {day.year}" if year else text


def birthday_words(stored: object, lunar: object = False) -> str:
    """A stored birthday or anniversary in words: '--03-12' → '12 March', with its year if known.

    Lunar dates are a lunar month and day, never a Gregorian month name.
    """
    text = clean(stored or "")
    m = re.fullmatch(r"(\d{4}|-)-(\d{1,2})-(\d{1,2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1 <= int(m.group(3)) <= 31:
        return short(text)
    year = "" if m.group(1) == "-" else f" {int(m.group(1))}"
    month, day = int(m.group(2)), int(m.group(3))
    if lunar:
        return f"lunar month {month}, day {day}{year}"
    return f"{day} {MONTHS[month - 1]}{year}"


def _local_day(stamp: object, tz: tzinfo) -> tuple[date, str] | None:
    """(local day, 'HH:MM') of a stored UTC time, or None when it is not one."""
    if isinstance(stamp, datetime):
        moment = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    elif isinstance(stamp, str) and stamp.endswith("Z"):
        try:
            moment = datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    elif isinstance(stamp, str):
        try:
            return date.fromisoformat(stamp), ""
        except ValueError:
            return None
    else:
        return None
    local = moment.astimezone(tz)
    return local.date(), f"{local.hour:02d}:{local.minute:02d}"


def moment_words(stamp: object, tz: tzinfo = timezone.utc, *, all_day: bool = True) -> str:
    """A stored time as '4 Dec' (all-day) or '4 Dec 14:00', in `tz`; odd text cleaned."""
    found = _local_day(stamp, tz)
    if found is None:
        return short(stamp)
    day, clock = found
    return day_month(day) if all_day or not clock else f"{day_month(day)} {clock}"


def deal_status(deal: Mapping[str, Any]) -> str:
    """Where a deal stands, once: 'won', 'lost (price)', 'proposal 50%' — never '(won, won)'."""
    status = clean(deal.get("status") or "open")
    if status == "won":
        return "won"
    if status == "lost":
        reason = deal.get("lost_reason")
        return f"lost ({short(reason, 30)})" if reason else "lost"
    stage = clean(deal.get("stage") or "open")
    probability = deal.get("probability")
    return f"{stage} {probability}%" if isinstance(probability, int) else stage


# --- history ----------------------------------------------------------------------------


class Change:
    """One change (one history transaction) in words: who did what, when, undone or not.

    A plain class with __slots__ (not a dataclass): `import dataclasses` costs start-up time.
    """

    __slots__ = ("txid", "at", "user", "command", "contact_ids", "sentences", "undone")

    def __init__(
        self,
        txid: Any,
        at: str | None,
        user: str | None,
        command: str | None,
        contact_ids: tuple[int, ...],
        sentences: tuple[str, ...],
        undone: bool,
    ) -> None:
        self.txid = txid
        self.at = at
        self.user = user
        self.command = command
        self.contact_ids = contact_ids
        self.sentences = sentences
        self.undone = undone

    @property
    def summary(self) -> str:
        """The whole change in one line; a change of many records names a few and counts the rest."""
        if len(self.sentences) <= SUMMARY_SENTENCES:
            return "; ".join(self.sentences)
        shown = SUMMARY_SENTENCES - 1
        return "; ".join(self.sentences[:shown]) + f"; and {len(self.sentences) - shown:,} more"

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON object (txid, at, user, command, summary, sentences, undone)."""
        return {
            "txid": self.txid, "at": self.at, "user": self.user, "command": self.command,
            "contact_ids": list(self.contact_ids), "summary": self.summary,
            "sentences": list(self.sentences), "undone": self.undone,
        }  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Change):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Change(txid={self.txid!r}, summary={self.summary!r})"


def _row(value: object) -> dict[str, Any]:
    """A history row's before/after as a dict (a JSON text or anything else: as empty)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value.startswith("{"):
        try:
            found = json.loads(value)
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}
    return {}


def _decoded(value: object) -> Any:
    """A JSON column's value as an object (text that is not JSON stays as it is)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _items(value: object) -> list[Any]:
    """A list column (JSON text or list) as a list; anything else as empty."""
    found = _decoded(value)
    return list(found) if isinstance(found, (list, tuple)) else []


def _key(item: Any) -> str:
    """A comparable, hashable form of a list item (anniversaries are dicts)."""
    return (
        json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
        if isinstance(item, (dict, list))
        else str(item)
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Names:
    """Names of contacts and titles of deals: given by the caller, else seen in the rows."""

    def __init__(
        self,
        contacts: Mapping[int, str] | None,
        deals: Mapping[int, str] | None,
        entries: Sequence[Mapping[str, Any]],
    ) -> None:
        self.contacts: dict[Any, str] = {}
        self.deals: dict[Any, str] = {}
        for entry in reversed(entries):  # oldest first, so the newest name wins
            for side in (entry.get("before"), entry.get("after")):
                row = _row(side)
                if entry.get("table") == "contact" and row.get("name"):
                    self.contacts[entry.get("row_id")] = clean(row["name"])
                elif entry.get("table") == "deal" and row.get("title"):
                    self.deals[entry.get("row_id")] = clean(row["title"])
        self.contacts.update({k: clean(v) for k, v in (contacts or {}).items() if v})
        self.deals.update({k: clean(v) for k, v in (deals or {}).items() if v})

    def contact(self, contact_id: object) -> str:
        """A contact's name, or 'contact #12' when nobody said it."""
        if contact_id is None:
            return "someone"
        return short(self.contacts.get(contact_id) or f"contact #{short(contact_id, 12)}")

    def deal_title(self, deal_id: object) -> str:
        """A deal's title, or '#3' when nobody said it."""
        return short(self.deals.get(deal_id) or f"#{short(deal_id, 12)}")

    def deal(self, deal_id: object) -> str:
        """'deal Audit', as sentences name a deal."""
        return f"deal {self.deal_title(deal_id)}"


def wanted_names(entries: Iterable[Mapping[str, Any]]) -> tuple[set[int], set[int]]:
    """The contact ids and deal ids whose names `describe` cannot find in the rows themselves.

    The caller looks these up (one query each) and passes them to `describe`, so a logged
    call reads "logged a call with Ada Lovelace" instead of "with contact #12".
    """
    entries = list(entries)
    names = _Names(None, None, entries)
    contacts: set[int] = set()
    deals: set[int] = set()
    for entry in entries:
        table = entry.get("table")
        for side in (entry.get("before"), entry.get("after")):
            row = _row(side)
            cid = _int(row.get("contact_id"))
            if cid is not None and table != "contact" and cid not in names.contacts:
                contacts.add(cid)
            did = _int(row.get("deal_id"))
            if did is not None and did not in names.deals:
                deals.add(did)
            key = row.get("key") if table == "occurrence" else None
            if isinstance(key, str):
                kind, _, rest = key.partition(":")
                ref = _int_text(rest.partition(":")[0])
                if ref is not None and kind in ("birthday", "anniversary", "cadence"):
                    if ref not in names.contacts:
                        contacts.add(ref)
                elif ref is not None and kind.startswith("deal") and ref not in names.deals:
                    deals.add(ref)
    return contacts, deals


def _int_text(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 19 else None


def _scalar(label: str, old: object, new: object) -> str | None:
    """'title CEO → CTO', 'title set to CTO', 'title CEO removed'; None when nothing changed."""
    if old == new or (old in (None, "") and new in (None, "")):
        return None
    if old in (None, ""):
        return f"{label} set to {short(new)}"
    if new in (None, ""):
        return f"{label} {short(old)} removed"
    return f"{label} {short(old)} → {short(new)}"


def _list_parts(label: str, old: object, new: object) -> list[str]:
    """'e-mail x added', 'tag vip removed' for each item added to or removed from a list column."""
    before, after = _items(old), _items(new)
    had, has = {_key(i) for i in before}, {_key(i) for i in after}
    parts = [f"{label} {short(i)} added" for i in after if _key(i) not in had]
    parts += [f"{label} {short(i)} removed" for i in before if _key(i) not in has]
    return parts


def _anniversary(item: Any) -> str:
    if not isinstance(item, Mapping):
        return short(item)
    label = short(item.get("label") or "anniversary", 24)
    return f"{label} {birthday_words(item.get('date'), item.get('lunar'))}"


def _contact_parts(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The user-visible differences between two versions of a contact row, in words."""
    parts: list[str] = []
    for column, label in _CONTACT_WORDS:
        if column in after or column in before:
            part = _scalar(label, before.get(column), after.get(column))
            if part:
                parts.append(part)
    for column, label in _LIST_WORDS:
        if column in after or column in before:
            parts += _list_parts(label, before.get(column), after.get(column))
    if "birthday" in after or "birthday_lunar" in after:
        old = (
            birthday_words(before.get("birthday"), before.get("birthday_lunar"))
            if before.get("birthday")
            else None
        )
        new = (
            birthday_words(after.get("birthday"), after.get("birthday_lunar"))
            if after.get("birthday")
            else None
        )
        part = _scalar("birthday", old, new)
        if part:
            parts.append(part)
    if "anniversaries" in after or "anniversaries" in before:
        old_a = {_key(a): a for a in _items(before.get("anniversaries"))}
        new_a = {_key(a): a for a in _items(after.get("anniversaries"))}
        parts += [f"anniversary {_anniversary(a)} added" for k, a in new_a.items() if k not in old_a]
        parts += [f"anniversary {_anniversary(a)} removed" for k, a in old_a.items() if k not in new_a]
    if "every" in after or "every" in before:
        old_e, new_e = before.get("every"), after.get("every")
        if old_e != new_e:
            if not new_e:
                parts.append("no longer kept in touch with")
            elif not old_e:
                parts.append(f"keep in touch {every_words(new_e)}")
            else:
                parts.append(f"keep in touch {every_words(old_e)} → {every_words(new_e)}")
    if "fields" in after or "fields" in before:
        old_f, new_f = _decoded(before.get("fields")), _decoded(after.get("fields"))
        old_f = old_f if isinstance(old_f, Mapping) else {}
        new_f = new_f if isinstance(new_f, Mapping) else {}
        for name in dict.fromkeys([*new_f, *old_f]):
            part = _scalar(f"{short(name, 24)}", old_f.get(name), new_f.get(name))
            if part:
                parts.append(part)
    if "owner" in after or "owner" in before:
        old_o, new_o = before.get("owner"), after.get("owner")
        if old_o != new_o:
            if not new_o:
                parts.append(f"back to the pool (was {short(old_o, 24)}'s)")
            elif not old_o:
                parts.append(f"claimed by {short(new_o, 24)}")
            else:
                parts.append(f"owner {short(old_o, 24)} → {short(new_o, 24)}")
    return parts


def _contact_sentences(entry: Mapping[str, Any], names: _Names, merged: bool) -> list[str]:
    before, after = _row(entry.get("before")), _row(entry.get("after"))
    name = short(after.get("name") or before.get("name") or names.contact(entry.get("row_id")))
    op = entry.get("op")
    if op == "insert":
        return [f"{name} added"]
    if op == "delete":
        return [] if merged else [f"{name} deleted"]
    if op != "update":
        return []
    out: list[str] = []
    if before.get("deleted_at") != after.get("deleted_at") and (
        "deleted_at" in after or "deleted_at" in before
    ):
        out.append(
            f"{name} moved to the trash" if after.get("deleted_at") else f"{name} restored from the trash"
        )
    parts = _contact_parts(before, after)
    if parts:
        out.append(f"{name}: {'; '.join(parts)}")
    return out


def _deal_sentences(entry: Mapping[str, Any], names: _Names, merged: bool) -> list[str]:
    before, after = _row(entry.get("before")), _row(entry.get("after"))
    deal = f"deal {short(after.get('title') or before.get('title') or names.deal_title(entry.get('row_id')))}"
    op = entry.get("op")
    if op == "insert":
        detail = []
        if _int(after.get("value_minor")):
            detail.append(money(after.get("value_minor"), after.get("currency")))
        if after.get("stage"):
            detail.append(short(after.get("stage"), 24))
        whose = (
            f" for {names.contact(after.get('contact_id'))}" if after.get("contact_id") is not None else ""
        )
        return [f"{deal} added{whose}" + (f" ({', '.join(detail)})" if detail else "")]
    if op == "delete":
        return [] if merged else [f"{deal} deleted"]
    if op != "update":
        return []
    out: list[str] = []
    status, old_status = after.get("status"), before.get("status")
    stage, old_stage = after.get("stage"), before.get("stage")
    if status != old_status and status in ("won", "lost"):
        out.append(
            f"{deal} won"
            if status == "won"
            else f"{deal} lost"
            + (f" ({short(after['lost_reason'], 30)})" if after.get("lost_reason") else "")
        )
    elif status != old_status and status == "open" and old_status in ("won", "lost"):
        out.append(f"{deal} reopened" + (f" in {short(stage, 24)}" if stage else ""))
    elif stage != old_stage and ("stage" in after or "stage" in before):
        out.append(f"{deal}: {short(old_stage or '?', 24)} → {short(stage or '?', 24)}")
    elif status == "lost" and after.get("lost_reason") != before.get("lost_reason"):
        part = _scalar("lost reason", before.get("lost_reason"), after.get("lost_reason"))
        if part:
            out.append(f"{deal}: {part}")
    parts: list[str] = []
    if "title" in after and before.get("title") != after.get("title"):
        parts.append(f"renamed from {short(before.get('title') or '?')}")
    if before.get("value_minor") != after.get("value_minor") or before.get("currency") != after.get(
        "currency"
    ):
        if "value_minor" in after or "currency" in after:
            parts.append(
                f"value {money(before.get('value_minor') or 0, before.get('currency'))}"
                f" → {money(after.get('value_minor') or 0, after.get('currency'))}"
            )
    if (
        stage == old_stage
        and before.get("probability") != after.get("probability")
        and "probability" in after
    ):
        parts.append(
            f"probability {short(before.get('probability'), 8)}% → {short(after.get('probability'), 8)}%"
        )
    if "close_date" in after and before.get("close_date") != after.get("close_date"):
        old_c = moment_words(before["close_date"]) if before.get("close_date") else None
        new_c = moment_words(after["close_date"]) if after.get("close_date") else None
        part = _scalar("expected close", old_c, new_c)
        if part:
            parts.append(part)
    if "key" in after and bool(before.get("key")) != bool(after.get("key")):
        parts.append("marked as a key deal" if after.get("key") else "no longer a key deal")
    if "owner" in after and before.get("owner") != after.get("owner"):
        part = _scalar("owner", before.get("owner"), after.get("owner"))
        if part:
            parts.append(part)
    if not merged and "contact_id" in after and before.get("contact_id") != after.get("contact_id"):
        parts.append(f"moved to {names.contact(after.get('contact_id'))}")
    if parts:
        out.append(f"{deal}: {'; '.join(parts)}")
    return out


def _interaction_sentences(entry: Mapping[str, Any], names: _Names, merged: bool) -> list[str]:
    before, after = _row(entry.get("before")), _row(entry.get("after"))
    row = after or before
    kind = clean(row.get("kind") or "note")
    what = _KIND_WORDS.get(kind, f"a {short(kind, 16)} with")
    who = names.contact(row.get("contact_id"))
    text = short(row.get("summary") or "", TEXT_CELLS)
    said = f": {text}" if text else ""
    op = entry.get("op")
    if op == "insert":
        return [f"logged {what} {who}{said}"]
    if op == "delete":
        return [] if merged else [f"removed {what} {who}{said}"]
    if op != "update" or merged:
        return []
    parts = []
    for column, label in (("summary", "text"), ("kind", "kind"), ("at", "time")):
        if column in after and before.get(column) != after.get(column):
            part = _scalar(label, before.get(column), after.get(column))
            if part:
                parts.append(part)
    if "contact_id" in after and before.get("contact_id") != after.get("contact_id"):
        parts.append(f"moved to {names.contact(after.get('contact_id'))}")
    return [f"the {what.split(' ', 1)[1]} {who}: {'; '.join(parts)}"] if parts else []


def _reminder_sentences(entry: Mapping[str, Any], names: _Names, merged: bool, tz: tzinfo) -> list[str]:
    before, after = _row(entry.get("before")), _row(entry.get("after"))
    row = after or before
    text = quoted(row.get("text") or "", TEXT_CELLS)
    all_day = bool(row.get("all_day", True))
    op = entry.get("op")
    command = str(entry.get("command") or "")
    if op == "insert":
        due = f", due {moment_words(row.get('due'), tz, all_day=all_day)}" if row.get("due") else ""
        if row.get("source") == "follow-up":
            return (
                [f"follow up {moment_words(row.get('due'), tz, all_day=all_day)}"] if row.get("due") else []
            )
        whom = f" for {names.contact(row.get('contact_id'))}" if row.get("contact_id") is not None else ""
        every = f", {every_words(row['every'])}" if row.get("every") else ""
        return [f"reminder {text} added{whom}{due}{every}"]
    if op == "delete":
        return [] if merged else [f"reminder {text} removed"]
    if op != "update" or merged:
        return []
    out: list[str] = []
    if "done_at" in after and before.get("done_at") != after.get("done_at"):
        out.append(f"reminder {text} done" if after.get("done_at") else f"reminder {text} reopened")
    elif "due" in after and before.get("due") != after.get("due"):
        when = moment_words(after.get("due"), tz, all_day=all_day)
        if command.startswith(("remind done", "done")):
            out.append(f"reminder {text} done; next due {when}")
        elif "snooze" in command:
            out.append(f"reminder {text} snoozed to {when}")
        else:
            out.append(
                f"reminder {text}: due {moment_words(before.get('due'), tz, all_day=all_day)} → {when}"
            )
    parts = []
    if "text" in after and before.get("text") != after.get("text"):
        parts.append(f"text was {quoted(before.get('text') or '', TEXT_CELLS)}")
    if "owner" in after and before.get("owner") != after.get("owner"):
        part = _scalar("owner", before.get("owner"), after.get("owner"))
        if part:
            parts.append(part)
    if parts:
        out.append(f"reminder {text}: {'; '.join(parts)}")
    return out


def _occurrence_sentences(entry: Mapping[str, Any], names: _Names, tz: tzinfo) -> list[str]:
    """A derived item (birthday, keep-in-touch, deal date) marked done or snoozed; never its key."""
    after = _row(entry.get("after")) or _row(entry.get("before"))
    key = after.get("key")
    if not isinstance(key, str):
        return []
    kind, _, rest = key.partition(":")
    ref_text, _, tail = rest.partition(":")
    ref = _int_text(ref_text)
    day_text = tail.rsplit(":", 1)[-1]
    try:
        on = f" ({day_month(date.fromisoformat(day_text[:10]))})"
    except ValueError:
        on = ""
    if kind == "birthday":
        what = f"{names.contact(ref)}'s birthday{on}"
    elif kind == "anniversary":
        label = tail.rsplit(":", 1)[0] if ":" in tail else ""
        what = f"{names.contact(ref)}'s {short(label, 24) or 'anniversary'}{on}"
    elif kind == "cadence":
        what = f"keep in touch with {names.contact(ref)}"
    elif kind == "deal-close":
        what = f"{names.deal(ref)} expected to close{on}"
    elif kind == "deal-stale":
        stage = tail.rsplit(":", 1)[0] if ":" in tail else ""
        what = f"{names.deal(ref)} stale in {short(stage, 24) or 'its stage'}"
    elif kind == "reminder":
        what = f"reminder #{short(ref_text, 12)}"
    else:
        what = "a due item"
    if after.get("state") == "done":
        return [f"{what} done"]
    if after.get("state") == "snoozed":
        until = after.get("until")
        return [f"{what} snoozed" + (f" to {moment_words(until, tz)}" if until else "")]
    return []


def _bulk_sentences(entries: Sequence[Mapping[str, Any]], command: str) -> list[str]:
    """Batches of a bulk write (one history row per batch of ids), counted per table."""
    counts: dict[str, int] = {}
    for entry in entries:
        ids = _row(entry.get("after")).get("ids")
        counts[str(entry.get("table"))] = counts.get(str(entry.get("table")), 0) + (
            len(ids) if isinstance(ids, list) else 0
        )
    verb = "imported" if command.startswith("import") else "added"
    words = {"contact": "contact", "interaction": "interaction", "deal": "deal", "reminder": "reminder"}
    return [f"{verb} {plural(n, words[t])}" for t, n in counts.items() if n and t in words]


def _merge_sentence(entries: Sequence[Mapping[str, Any]], names: _Names) -> str | None:
    """'Ada L. merged into Ada Lovelace' for the contacts a merge deleted."""
    gone = [
        short(_row(e.get("before")).get("name") or names.contact(e.get("row_id")))
        for e in entries
        if e.get("table") == "contact" and e.get("op") == "delete"
    ]
    kept = [e for e in entries if e.get("table") == "contact" and e.get("op") == "update"]
    if not gone:
        return None
    into = ""
    if kept:
        row = _row(kept[-1].get("after"))
        into = f" into {short(row.get('name') or names.contact(kept[-1].get('row_id')))}"
    return f"{', '.join(gone)} merged{into}"


_OWNED = {"contact": "contact", "deal": "deal", "reminder": "reminder"}


def _handover_sentence(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """'3 contacts and 2 deals handed from ann to bob', for a change that only moved owners.

    A colleague leaving (reassign) or the pool taking back idle customers touches many
    records at once; one sentence with counts says it better than a line per record.
    """
    if len(rows) < 2:
        return None
    counts: dict[str, int] = {}
    moves: set[tuple[str, str]] = set()
    for entry in rows:
        before, after = _row(entry.get("before")), _row(entry.get("after"))
        table = entry.get("table")
        if entry.get("op") != "update" or table not in _OWNED or "owner" not in after:
            return None
        changed = {k for k in after if k not in _INTERNAL and before.get(k) != after.get(k)}
        if changed != {"owner"}:
            return None
        counts[str(table)] = counts.get(str(table), 0) + 1
        moves.add((clean(before.get("owner") or ""), clean(after.get("owner") or "")))
    things = [plural(counts[t], word) for t, word in _OWNED.items() if t in counts]
    what = things[0] if len(things) == 1 else f"{', '.join(things[:-1])} and {things[-1]}"
    if len(moves) != 1:
        return f"{what}: owners changed"
    old, new = moves.pop()
    if not new:
        return f"{what} back to the pool" + (f" (were {short(old, 24)}'s)" if old else "")
    return f"{what} handed " + (f"from {short(old, 24)} " if old else "") + f"to {short(new, 24)}"


def _sentences(group: Sequence[Mapping[str, Any]], names: _Names, tz: tzinfo) -> list[str]:
    """Every sentence of one change, its rows taken oldest first."""
    command = clean(group[0].get("command") or "")
    rows = list(reversed(group))  # history lists newest first; a change reads in order
    merged = command.startswith("merge")
    out: list[str] = []
    if merged:
        sentence = _merge_sentence(rows, names)
        if sentence:
            out.append(sentence)
    handover = _handover_sentence(rows)
    if handover:
        return [handover]
    bulk = [e for e in rows if e.get("op") == "bulk"]
    if bulk:
        out += _bulk_sentences(bulk, command)
    for entry in rows:
        table = entry.get("table")
        if entry.get("op") == "bulk":
            continue
        if table == "contact":
            found = _contact_sentences(entry, names, merged)
        elif table == "deal":
            found = _deal_sentences(entry, names, merged)
        elif table == "interaction":
            found = _interaction_sentences(entry, names, merged)
        elif table == "reminder":
            found = _reminder_sentences(entry, names, merged, tz)
        elif table == "occurrence":
            found = _occurrence_sentences(entry, names, tz)
        elif table == "setting":
            row = _row(entry.get("after"))
            found = (
                [f"setting {short(row.get('key'), 24)} set to {short(row.get('value'))}"]
                if row.get("key")
                else []
            )
        else:  # deal_stage rows are part of their deal's move; unknown tables are not news
            found = []
        out += [s for s in found if s not in out]
    return out


def describe(
    entries: Iterable[Mapping[str, Any]],
    *,
    contacts: Mapping[int, str] | None = None,
    deals: Mapping[int, str] | None = None,
    tz: tzinfo = timezone.utc,
) -> list[Change]:
    """History rows (as `Store.history()` gives them, newest first) as changes in words.

    Rows of one change (same `txid`) become one `Change`; a change with nothing a person
    would call a change (a no-op edit, only derived columns) yields nothing. `contacts` and
    `deals` name the ids the rows do not (see `wanted_names`); `tz` says dates locally.
    """
    rows = [e for e in entries if isinstance(e, Mapping)]
    names = _Names(contacts, deals, rows)
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for index, entry in enumerate(rows):
        txid = entry.get("txid", f"row-{index}")
        try:
            groups.setdefault(txid, []).append(entry)
        except TypeError:  # an unhashable txid: its own change
            groups.setdefault(f"row-{index}", []).append(entry)
    out = []
    for txid, group in groups.items():
        sentences = _sentences(group, names, tz)
        if not sentences:
            continue
        first = group[0]
        ids = tuple(dict.fromkeys(e["contact_id"] for e in group if _int(e.get("contact_id")) is not None))
        out.append(Change(
            txid=txid,
            at=first.get("at") if isinstance(first.get("at"), str) else None,
            user=clean(first["user"]) if first.get("user") is not None else None,
            command=clean(first["command"]) if first.get("command") is not None else None,
            contact_ids=ids,
            sentences=tuple(sentences),
            undone=any(e.get("undone_at") for e in group),
        ))  # fmt: skip
    return out


def decode_row(row: object) -> dict[str, Any] | None:
    """A database row for `--json`: JSON text columns as objects, flags as booleans."""
    if row is None:
        return None
    out = _row(row)
    for column, value in out.items():
        if column in _JSON_COLUMNS:
            out[column] = _decoded(value)
        elif column in _BOOL_COLUMNS and isinstance(value, int):
            out[column] = bool(value)
    return out


def describe_json(
    entries: Iterable[Mapping[str, Any]],
    *,
    contacts: Mapping[int, str] | None = None,
    deals: Mapping[int, str] | None = None,
    tz: tzinfo = timezone.utc,
) -> list[dict[str, Any]]:
    """`history --json`: each row with `before`/`after` as real objects and its change's `summary`.

    Every row stays (scripts may want the internal ones); `summary` is the sentence of the
    whole change the row belongs to, "" for a change with nothing to say.
    """
    rows = [e for e in entries if isinstance(e, Mapping)]
    summaries: dict[Any, str] = {}
    for change in describe(rows, contacts=contacts, deals=deals, tz=tz):
        summaries[change.txid] = change.summary
    out = []
    for entry in rows:
        item = dict(entry)
        item["before"] = decode_row(entry.get("before"))
        item["after"] = decode_row(entry.get("after"))
        changes = entry.get("changes")
        if isinstance(changes, Mapping):
            item["changes"] = {
                k: [_decoded(v[0]), _decoded(v[1])] if isinstance(v, (list, tuple)) and len(v) == 2 else v
                for k, v in changes.items()
            }
        try:
            item["summary"] = summaries.get(entry.get("txid"), "")
        except TypeError:
            item["summary"] = ""
        out.append(item)
    return out


# --- what is due ------------------------------------------------------------------------

GROUPS = ("overdue", "today", "later")


class DueRow:
    """One due item as a person reads it: when, what and who in words, and its group."""

    __slots__ = ("group", "when", "what", "who", "item")

    def __init__(self, group: str, when: str, what: str, who: str, item: DueItem) -> None:
        self.group = group
        self.when = when
        self.what = what
        self.who = who
        self.item = item

    @property
    def key(self) -> str:
        """The occurrence's key, for `--json` and for acting on it (never shown in words)."""
        return self.item.key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DueRow):
            return NotImplemented
        return (self.group, self.when, self.what, self.who, self.item) == (
            other.group,
            other.when,
            other.what,
            other.who,
            other.item,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DueRow({self.group!r}, {self.when!r}, {self.what!r}, {self.who!r})"


def when_words(due: datetime, all_day: bool, now_local: datetime) -> str:
    """The due date relative to today: 'today', 'tomorrow', 'Fri 4 Dec', '3 days overdue'."""
    tz = now_local.tzinfo or timezone.utc
    local = due.astimezone(tz) if due.tzinfo else due.replace(tzinfo=tz)
    today = now_local.date()
    day = local.date()
    clock = "" if all_day else f" {local.hour:02d}:{local.minute:02d}"
    days = (day - today).days
    if days < 0:
        return f"{span(days)} overdue"
    if not all_day and local < now_local:
        minutes = int((now_local - local).total_seconds() // 60)
        return (
            f"{plural(minutes // 60, 'hour')} overdue"
            if minutes >= 60
            else f"{plural(max(minutes, 1), 'minute')} overdue"
        )
    if days == 0:
        return f"today{clock}"
    if days == 1:
        return f"tomorrow{clock}"
    return day_month(day, weekday=True, year=day.year != today.year) + clock


def _after(text: str, head: str, tail: str) -> str | None:
    """The part of `text` between `head` and the last `tail`, or None."""
    if not text.startswith(head) or tail not in text[len(head) :]:
        return None
    return text[len(head) :].rsplit(tail, 1)[0]


def _cadence_what(item: DueItem, today: date) -> str:
    """'keep in touch with Ada Lovelace (every 30 days; last contact 12 Oct)'."""
    text = clean(item.text)
    name = clean(item.contact or _after(text, "Keep in touch with ", " (every ") or "?")
    m = re.search(r" \(every (\S+), (never contacted|last (today|(\d+) days? ago))\)$", text)
    if not m:
        return f"keep in touch with {name}"
    every = every_words(m.group(1))
    if m.group(2) == "never contacted":
        last = "never contacted"
    else:
        ago = 0 if m.group(3) == "today" else int(m.group(4))
        last_day = today - timedelta(days=ago)
        last = f"last contact {day_month(last_day, year=last_day.year != today.year)}"
    return f"keep in touch with {name} ({every}; {last})"


def _deal_what(item: DueItem, today: date) -> str:
    """'deal Audit has been in proposal for 3 weeks', 'deal Audit is expected to close'."""
    text = clean(item.text)
    key = item.key or ""
    if key.startswith("deal-close:"):
        title = _after(text, "Deal '", "' expected to close")
        return f"deal {title} is expected to close" if title is not None else text
    if key.startswith("deal-stale:"):
        title = _after(text, "Deal '", "' stale in ")
        parts = key.split(":")
        stage = parts[2] if len(parts) >= 4 else "its stage"
        m = re.search(r" for (\d+) days?$", text)
        if title is None or m is None:
            return text
        days = int(m.group(1))
        try:
            limit_day = date.fromisoformat(parts[-1])
        except ValueError:
            limit_day = today
        if limit_day > today:  # not stale yet: it will be on that day
            entered = today - timedelta(days=days)
            return f"deal {title} will have been in {clean(stage)} for {span((limit_day - entered).days)}"
        if days < 1:
            return f"deal {title} is due to move on from {clean(stage)}"
        return f"deal {title} has been in {clean(stage)} for {span(days)}"
    return text


def _what(item: DueItem, today: date) -> str:
    source = item.source
    if source == "cadence":
        return _cadence_what(item, today)
    if source == "deal":
        return _deal_what(item, today)
    text = clean(item.text)
    return text or source


def due_rows(items: Iterable[DueItem], now_local: datetime) -> list[DueRow]:
    """Due items in words, grouped overdue → today → later (the one place that splits them).

    The CLI, the TUI's Agenda and notifications all group with this, so they never count
    "overdue" differently. Within a group the items keep their order (by due time).
    """
    today = now_local.date()
    tz = now_local.tzinfo or timezone.utc
    rows = []
    for item in items:
        local = item.due.astimezone(tz) if item.due.tzinfo else item.due.replace(tzinfo=tz)
        if item.all_day:
            overdue = local.date() < today
        else:
            overdue = local < now_local
        group = "overdue" if overdue or item.overdue else "today" if local.date() <= today else "later"
        rows.append(DueRow(
            group=group,
            when=when_words(item.due, item.all_day, now_local),
            what=_what(item, today),
            who=clean(item.contact or ""),
            item=item,
        ))  # fmt: skip
    order = {g: n for n, g in enumerate(GROUPS)}
    rows.sort(key=lambda r: order[r.group])  # stable: the items' own order within a group
    return rows


def group_counts(rows: Iterable[DueRow]) -> dict[str, int]:
    """How many rows each group holds ({'overdue': 3, 'today': 1, 'later': 0})."""
    counts = dict.fromkeys(GROUPS, 0)
    for row in rows:
        counts[row.group] += 1
    return counts


def due_headline(rows: Iterable[DueRow]) -> str:
    """The counts in one line for a status bar or a notification title: '3 overdue, 1 today'.

    "" when nothing is due; a group with no rows is left out.
    """
    counts = group_counts(rows)
    words = {"overdue": "overdue", "today": "today", "later": "coming up"}
    return ", ".join(f"{n:,} {words[g]}" for g, n in counts.items() if n)


HEADERS = ("When", "What", "Who")
_GAP = "  "


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width_cells: int,
    give_way: Sequence[tuple[int, int]],
) -> str:
    """Plain aligned columns with a header line, every line within `width_cells` cells.

    When the text is wider than the terminal, the columns of `give_way` shrink in that
    order, each down to its floor (column index, cells), then every column down to one
    cell; cut text ends in "…", so no line wraps and breaks the alignment. A column that
    is empty in every row is left out. Returns "" for no rows.
    """
    if not rows:
        return ""
    keep = [i for i in range(len(headers)) if any(row[i] for row in rows)] or [0]
    widths = {i: max(width(headers[i]), *(width(row[i]) for row in rows)) for i in keep}
    over = sum(widths.values()) + len(_GAP) * (len(keep) - 1) - max(width_cells, 4 * len(keep))
    for column, floor in [*give_way, *((i, 1) for i in reversed(keep))]:
        if over <= 0:
            break
        if column in widths:
            take = min(over, max(0, widths[column] - floor))
            widths[column] -= take
            over -= take
    last = keep[-1]

    def line(cells: Sequence[str]) -> str:
        shown = [cut(cells[i], widths[i], words=i != keep[0]) for i in keep]
        return _GAP.join(text if i == last else pad(text, widths[i]) for i, text in zip(keep, shown)).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)]) + "\n"


def format_due_table(rows: Sequence[DueRow], width_cells: int = 80) -> str:
    """The due list as a table with headers (When, What, Who), CJK-aware, within `width_cells`.

    "What" gives way first (down to a readable few cells), then "who". Returns "" when
    nothing is due — `due` stays silent.
    """
    cells = [(r.when, r.what, r.who) for r in rows]
    return format_table(HEADERS, cells, width_cells, give_way=((1, 12), (2, 8)))


def format_history_table(
    changes: Sequence[Change], width_cells: int = 80, *, tz: tzinfo = timezone.utc, today: date | None = None
) -> str:
    """`history` as a table (When, By, What): one line per change, undone ones marked.

    The year is shown only for changes not made in `today`'s year.
    """
    rows = []
    for change in changes:
        found = _local_day(change.at, tz) if change.at else None
        if found is None:
            when = ""
        else:
            day, clock = found
            when = f"{day_month(day, year=today is not None and day.year != today.year)} {clock}".strip()
        what = change.summary + (" (undone)" if change.undone else "")
        rows.append((when, clean(change.user or ""), what))
    return format_table(("When", "By", "What"), rows, width_cells, give_way=((2, 20), (1, 6)))
