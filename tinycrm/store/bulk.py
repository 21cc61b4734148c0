"""Bulk writes: many contacts or interactions in one transaction, one history row per batch.

An import of 100,000 rows must not take a minute (the per-row path indexes and logs each row
separately) nor hold the write lock for long, and it must be one `undo` step. So rows are
validated exactly as the single path does (`_contact_values`), their ids taken from the
table's sequence up front, and rows, search documents and keys written with `executemany`;
history gets one `bulk` row per batch listing the ids, which is what undo deletes. A bulk
history row holds ids only, never personal data, so `forget` has nothing to erase there.
Most rows of a sheet are plain persons (a name, an e-mail, a phone): `_plain_contact` makes
the same row and entries for them with the same checks, minus the general path's layers.

All contacts are validated (and their index entries made) before the first row is written,
so a bad row costs no writes, and a large import (REBUILD_SHARE) can drop the B-tree indexes
of `contact` and `contact_key` and build them again after the rows, in the same transaction:
a crash leaves all or nothing, and readers keep their snapshot. The prepared rows are held in
memory meanwhile (~3 KB a contact with the import's own records).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from .. import normalize, textindex, validate
from ..dates import utc_iso
from ..errors import InvalidData
from ..gcpause import paused_gc
from .base import chunks
from .contacts import CONTACT_FIELDS, ContactStore, index_entries, json_list, next_touch
from .interactions import InteractionStore, search_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Entries = tuple[str, str, list[tuple[str, str]]]  # index_entries: document, names, keys

BATCH = 5000
"""Ids per `bulk` history row (and rows per batch of interactions)."""
REBUILD_SHARE = 0.5
"""An import of at least this share of the contacts a book holds (and of REBUILD_MIN rows)
drops the B-tree indexes of `contact` and `contact_key` and builds them again after the rows,
inside the same transaction: one sorted build is cheaper than as many random inserts."""
REBUILD_MIN = 2000
_CONTACT_COLUMNS = (
    "id", "kind", "name", "org", "org_id", "title", "emails", "phones", "addresses", "tags",
    "birthday", "birthday_lunar", "anniversaries", "every", "notes", "owner", "tier", "fields",
    "aliases", "created_at", "updated_at", "last_contacted_at", "next_touch_at", "deleted_at",
    "owner_since", "uid", "sources", "health", "name_sort", "labels",
)  # fmt: skip
_CONTACT_DEFAULTS: dict[str, Any] = {
    "kind": "person", "org": None, "org_id": None, "title": None, "emails": "[]", "phones": "[]",
    "addresses": "[]", "tags": "[]", "birthday": None, "birthday_lunar": 0, "anniversaries": "[]",
    "every": None, "notes": None, "owner": None, "tier": None, "fields": "{}", "aliases": "[]",
    "last_contacted_at": None, "next_touch_at": None, "deleted_at": None, "owner_since": None,
    "uid": None, "sources": "[]", "labels": "{}",
}  # fmt: skip
_CONTACT_ROW = itemgetter(*_CONTACT_COLUMNS)
_PLAIN_FIELDS = frozenset(("name", "kind", "emails", "phones", "owner"))
"""What most rows of a sheet hold: `_plain_contact` makes their row without the general layers."""
_PLAIN_COLUMNS = (
    "id", "name", "emails", "phones", "owner", "created_at", "updated_at", "owner_since", "health",
    "name_sort",
)  # fmt: skip
_INSERT_PLAIN = (  # the other columns are the same for every plain person: written in the statement,
    # which saves binding 20 values a row (~6 µs of the ~9 µs an insert of the whole row costs)
    f"INSERT INTO contact ({', '.join(_CONTACT_COLUMNS)}) VALUES ("
    + ", ".join(
        "?" if c in _PLAIN_COLUMNS
        else "NULL" if _CONTACT_DEFAULTS[c] is None
        else repr(_CONTACT_DEFAULTS[c]) if type(_CONTACT_DEFAULTS[c]) is int
        else "'" + _CONTACT_DEFAULTS[c].replace("'", "''") + "'"
        for c in _CONTACT_COLUMNS
    )
    + ")"
)  # fmt: skip
_INSERT_CONTACT = (
    f"INSERT INTO contact ({', '.join(_CONTACT_COLUMNS)}) VALUES ({', '.join('?' * len(_CONTACT_COLUMNS))})"
)


def new_contact_health(now: datetime) -> int:
    """The health score of a contact created at `now` with nothing logged yet (tinycrm.health).

    What the unit of work would store for it at commit: a bulk write sets it in the row
    instead of recomputing 100,000 contacts with grouped queries. The keep-in-touch
    cadence does not change it (a new contact is due at once, which counts as no cadence).
    """
    from ..health import HealthFacts, _health_points

    seconds = int(now.timestamp())
    return sum(_health_points(HealthFacts(0, seconds, None, seconds, 0, 0, 0, 0), seconds)[:4])


def _plain_contact(
    fields: dict[str, Any], contact_id: int, now: str, health: int, user: str | None, region: str | None
) -> tuple[tuple[Any, ...], Entries] | None:
    """The row (`_PLAIN_COLUMNS`) and index entries of a plain person (a name, at most one e-mail
    and one phone, an owner), or None for anything else; a bad value raises what
    `_contact_values` would raise.

    The same values `_contact_values` and `index_entries` make (a hypothesis test in
    tests/test_bulk_same_book.py holds the two paths to the same answers), without their dict
    copies and generic loops: about half of the rows' Python time in a sheet of names, e-mails
    and phones.
    """
    emails, phones = fields.get("emails", ()), fields.get("phones", ())
    if type(emails) not in (list, tuple) or type(phones) not in (list, tuple):
        return None
    if len(emails) > 1 or len(phones) > 1:
        return None
    name = fields["name"]
    if type(name) is not str or not name.strip():
        return None  # the general path says what is wrong with it
    plain = name.isascii() and name.isprintable() and name[0] != " " != name[-1]
    if plain and len(name) <= validate.MAX_NAME:  # what check_name keeps: printable ASCII, trimmed
        name_sort, head, tail = name.lower(), name, ""
    else:
        name, name_sort, head, tail = _name_parts(name)
    keys: list[tuple[str, str]] = []
    mail = phone = None
    if emails and emails[0] and emails[0].strip():
        mail = normalize.email(emails[0]).strip()
        if mail:
            keys.append(("email", normalize.email_key(mail)))
    if phones and phones[0] and phones[0].strip():
        phone = " ".join(phones[0].split())
        keys.append(("phone", normalize.phone(phone, region).key))
    owner = fields.get("owner", user)
    owner = (owner or "").strip() or None
    if mail and phone and mail.isascii() and phone.isascii():
        doc = f"{head} {mail} {phone}{tail}"
    else:  # textindex.document(name, mail, phone, pinyin_of=name)
        parts = (p if p.isascii() else textindex.split_cjk(p) for p in (mail, phone) if p)
        doc = " ".join((head, *parts)) + tail
    row = (
        contact_id, name, json_list([mail]) if mail else "[]", json_list([phone]) if phone else "[]",
        owner, now, now, now if owner else None, health, name_sort,
    )  # fmt: skip (_PLAIN_COLUMNS)
    return row, (doc, name, keys)


_INSERT_KEY = "INSERT INTO contact_key(contact_id, kind, value) VALUES (?, ?, ?)"
_INSERT_KEY_PAIR = (
    "INSERT INTO contact_key(contact_id, kind, value) VALUES (?1, 'email', ?2), (?1, 'phone', ?3)"
)


def _email_and_phone(item: tuple[int, Entries]) -> bool:
    """True when a contact's keys are one e-mail and one phone, in that order."""
    keys = item[1][2]
    return len(keys) == 2 and keys[0][0] == "email" and keys[1][0] == "phone"


_NAMES: dict[str, tuple[str, str, str, str]] = {}
_NAMES_MAX = 200_000


def _name_parts(written: str) -> tuple[str, str, str, str]:
    """A name that is not plain ASCII: checked, its sort key, its part of the search document
    (CJK split) and the pinyin that ends the document (" zw zhangwei" or ""). Cached: a sheet
    of Chinese names repeats many (张伟), and each costs ~10 µs to read."""
    hit = _NAMES.get(written)
    if hit is None:
        name = validate.check_name(written)
        pinyin = textindex.pinyin_tokens(name) if textindex.has_cjk(name) else []
        head = name if name.isascii() else textindex.split_cjk(name)
        hit = (name, textindex.sort_key(name), head, " " + " ".join(pinyin) if pinyin else "")
        if len(_NAMES) < _NAMES_MAX:
            _NAMES[written] = hit
    return hit


class BulkStore(ContactStore, InteractionStore):
    """Many rows at once, inside the caller's unit of work (or one of its own)."""

    def _next_ids(self, table: str, count: int) -> int:
        """The first of `count` fresh ids of `table` (ids are never reused)."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        high = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
        return int(max(row[0] if row else 0, high)) + 1

    def _log_bulk(self, table: str, ids: Sequence[int]) -> None:
        self._log(table, ids[0], "bulk", None, {"ids": list(ids)})

    def add_contacts(
        self,
        drafts: Iterable[dict[str, Any]],
        *,
        command: str = "import",
        where: Sequence[str] | None = None,
        on_error: Callable[[int, InvalidData], None] | None = None,
    ) -> list[int | None]:
        """Create contacts from field dicts (the names `add_contact` takes); returns their ids in order.

        A bad row raises InvalidData naming it (`where[i]`, else its 1-based row) and nothing is
        written — unless `on_error(i, error)` is given: then that row is left out (its id None).
        The rows stored are those `add_contact` would store one by one (a test compares every
        table), health and tiers included; only history differs: one `bulk` row per BATCH ids.
        """
        ids: list[int | None] = []
        with paused_gc():  # ~3 objects a row and no cycles: each collection would rescan every row so far
            return self._add_contacts(drafts, ids, command, where, on_error)

    def _add_contacts(
        self,
        drafts: Iterable[dict[str, Any]],
        ids: list[int | None],
        command: str,
        where: Sequence[str] | None,
        on_error: Callable[[int, InvalidData], None] | None,
    ) -> list[int | None]:
        with self.write(command) as unit:
            now_dt = self.now()
            now = utc_iso(now_dt)
            health = new_contact_health(now_dt)
            region, user = self.region(), self.user
            org_cache: dict[str, int | None] = {}
            first = self._next_ids("contact", 0)
            rows: list[tuple[Any, ...]] = []  # _CONTACT_COLUMNS
            plain: list[tuple[Any, ...]] = []  # _PLAIN_COLUMNS
            entries: list[Entries] = []  # of both, in id order

            def refuse(index: int, exc: InvalidData) -> None:
                """The row's error with its line: raised, or handed to `on_error` (the row gets no id)."""
                label = where[index] if where is not None else f"row {index + 1}"
                error = InvalidData(f"{label}: {exc}")
                if on_error is None:
                    raise error from None
                on_error(index, error)
                ids.append(None)

            for index, draft in enumerate(drafts):
                if draft.keys() <= _PLAIN_FIELDS and draft.get("kind", "person") == "person":
                    try:
                        fast = _plain_contact(draft, first + len(entries), now, health, user, region)
                    except InvalidData as exc:
                        refuse(index, exc)
                        continue
                    if fast is not None:
                        plain.append(fast[0])
                        entries.append(fast[1])
                        ids.append(fast[0][0])
                        continue
                fields = dict(draft)
                fields.setdefault("owner", user)
                lists: dict[str, Any] = {}
                try:
                    if not fields.keys() <= CONTACT_FIELDS:
                        unknown = set(draft) - CONTACT_FIELDS
                        raise InvalidData(f"unknown field(s) {', '.join(sorted(unknown))}")
                    values = self._contact_values(fields, org_cache=org_cache, now=now, lists=lists)
                except InvalidData as exc:
                    refuse(index, exc)
                    continue
                contact_id = first + len(entries)
                row = {**_CONTACT_DEFAULTS, **values, "id": contact_id, "created_at": now, "updated_at": now,
                       "health": health}  # fmt: skip
                if row["every"]:
                    row["next_touch_at"] = next_touch(row["every"], None, now)
                if row["kind"] == "org":  # later rows of this import find it, as they would one by one
                    key = row["name"].lower()
                    if org_cache.get(key, False) is False:
                        org_cache[key] = self._org_named(row["name"])
                    if org_cache[key] is None:
                        org_cache[key] = contact_id
                rows.append(_CONTACT_ROW(row))
                entries.append(index_entries(row, region, lists))
                ids.append(contact_id)
            if entries:
                made = [i for i in ids if i is not None]
                self._write_contacts(rows, plain, entries, made)
                if self.setting("tiers"):  # tier rules: the unit of work applies them at commit
                    unit.touched.update(made)
        return ids

    def _write_contacts(
        self,
        rows: list[tuple[Any, ...]],
        plain: list[tuple[Any, ...]],
        entries: list[Entries],
        ids: list[int],
    ) -> None:
        """Insert prepared contact rows (whole, and plain persons), their search documents and keys;
        one history row per BATCH. Organisations are among the whole rows: they go in first."""
        conn = self.conn
        held = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
        rebuild = len(ids) >= REBUILD_MIN and len(ids) >= REBUILD_SHARE * held
        indexes = self._drop_indexes(("contact", "contact_key")) if rebuild else []
        conn.executemany(_INSERT_CONTACT, rows)
        conn.executemany(_INSERT_PLAIN, plain)
        conn.executemany(
            "INSERT INTO contact_fts(rowid, doc) VALUES (?, ?)", zip(ids, (e[0] for e in entries))
        )
        conn.executemany(
            "INSERT INTO contact_name_fts(rowid, name) VALUES (?, ?)", zip(ids, (e[1] for e in entries))
        )
        # a contact with one e-mail and one phone (most rows of a sheet) writes both keys in one
        # statement (~3 µs a contact less than two); the rows go in in the same order either way
        for paired, group in groupby(zip(ids, entries), key=_email_and_phone):
            if paired:
                conn.executemany(_INSERT_KEY_PAIR, [(cid, e[2][0][1], e[2][1][1]) for cid, e in group])
            else:
                conn.executemany(_INSERT_KEY, [(cid, *key) for cid, e in group for key in e[2]])
        for sql in indexes:  # the same definitions, built from the rows in one sorted pass each
            conn.execute(sql)
        for start in range(0, len(ids), BATCH):
            self._log_bulk("contact", ids[start : start + BATCH])

    def _drop_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the B-tree indexes of these tables (in the open transaction); their CREATE statements."""
        marks = ", ".join("?" * len(tables))
        found = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})"
            " AND sql IS NOT NULL ORDER BY rowid",
            tuple(tables),
        ).fetchall()
        for name, _ in found:
            self.conn.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]

    def add_interactions(self, rows: Iterable[dict[str, Any]], *, command: str = "import") -> list[int]:
        """Record many interactions (contact_id, kind, at, summary, body, deal_id, user, message_id);
        ids in order. An e-mail whose `message_id` the book already holds is left out: it is
        recorded once, as `log --eml` records it."""
        from ..models import INTERACTION_KINDS

        ids: list[int] = []
        touched: set[int] = set()
        messages: set[str] = set()
        with self.write(command):
            now = utc_iso(self.now())
            batch: list[dict[str, Any]] = []
            for number, item in enumerate(rows, 1):
                summary = (item.get("summary") or "").strip()
                kind = item.get("kind") or "note"
                if not summary or kind not in INTERACTION_KINDS:
                    raise InvalidData(f"row {number}: an interaction needs a text and a kind")
                message_id = item.get("message_id") or None
                if message_id is not None:
                    if message_id in messages or self.interaction_of_message(message_id) is not None:
                        continue
                    messages.add(message_id)
                batch.append(
                    {
                        "contact_id": item["contact_id"], "kind": kind, "at": item["at"],
                        "summary": summary, "body": item.get("body"), "deal_id": item.get("deal_id"),
                        "user": item.get("user") or self.user, "created_at": now, "message_id": message_id,
                    }
                )
                touched.add(item["contact_id"])
                if len(batch) >= BATCH:
                    ids += self._insert_interactions(batch)
                    batch = []
            if batch:
                ids += self._insert_interactions(batch)
            for chunk in chunks(touched):
                for contact_id in chunk:
                    self._touch(contact_id)
        return ids

    def _insert_interactions(self, batch: list[dict[str, Any]]) -> list[int]:
        first = self._next_ids("interaction", len(batch))
        cols = (
            "id", "contact_id", "kind", "at", "summary", "body", "deal_id", "user", "created_at",
            "message_id",
        )  # fmt: skip
        for offset, row in enumerate(batch):
            row["id"] = first + offset
        self.conn.executemany(
            f"INSERT INTO interaction ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(row[c] for c in cols) for row in batch],
        )
        self.conn.executemany(
            "INSERT INTO interaction_fts(rowid, doc, interaction_id) VALUES (?, ?, ?)",
            [
                (search_key(r["at"], r["id"]), textindex.document(r["summary"], r["body"]), r["id"])
                for r in batch
            ],
        )
        ids = [row["id"] for row in batch]
        self._log_bulk("interaction", ids)
        return ids

    def add_rows(self, table: str, rows: Sequence[dict[str, Any]], *, command: str = "import") -> list[int]:
        """Insert rows as they are (a JSON book's deals, stage history, reminders); new ids in order."""
        if table not in ("deal", "deal_stage", "reminder"):
            raise ValueError(f"no raw bulk insert into {table}")
        ids: list[int] = []
        with self.write(command):
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                first = self._next_ids(table, len(batch))
                cols = sorted({key for row in batch for key in row} - {"id"})
                self.conn.executemany(
                    f"INSERT INTO {table} (id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                    [(first + n, *(row.get(c) for c in cols)) for n, row in enumerate(batch)],
                )
                made = list(range(first, first + len(batch)))
                self._log_bulk(table, made)
                ids += made
            if table == "deal_stage":  # the deals' furthest stage follows their new history
                self._restage({row["deal_id"] for row in rows})
        return ids

    def _revert_bulk(self, table: str, after: dict[str, Any]) -> set[int]:
        """Undo of one bulk batch: delete its rows (and their index entries); the contacts touched."""
        ids: list[int] = after["ids"]
        touched: set[int] = set()
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            if table == "contact":
                self.conn.execute(f"DELETE FROM contact_fts WHERE rowid IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM contact_name_fts WHERE rowid IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM contact WHERE id IN ({marks})", chunk)
            elif table == "interaction":
                rows = self.conn.execute(
                    f"SELECT id, at, contact_id FROM interaction WHERE id IN ({marks})", chunk
                ).fetchall()
                for interaction_id, at, contact_id in rows:
                    self._unindex_interaction({"id": interaction_id, "at": at})
                    touched.add(contact_id)
                self.conn.execute(f"DELETE FROM interaction WHERE id IN ({marks})", chunk)
            else:
                self.conn.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
        return touched


