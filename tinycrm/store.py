"""The storage layer: the only module with SQL for contacts, interactions, deals and history.

One SQLite file in WAL mode, `foreign_keys=ON`, a busy timeout, and every write inside one
`BEGIN IMMEDIATE` transaction (a deferred transaction that reads and then writes fails at
once under WAL whatever the timeout). Every change to a user-visible row is recorded in
`history` (who, when, before, after) under one transaction id, which is what `undo` takes
back. Derived columns (last-contacted time, next keep-in-touch date, the search index and
the e-mail/phone/tag keys) are not history: they are recomputed from the rows.

Plain `sqlite3` is used here rather than sqlite-utils because importing sqlite-utils costs
~170 ms, more than the whole budget of `tinycrm log`; sqlite-utils is used by the bulk
paths that can afford it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import textindex
from .dates import parse_utc, utc_iso, utc_now
from .errors import Ambiguous, Conflict, CrmError, InvalidData, NotFound, SchemaTooNew
from .schema import DEFAULT_STAGES, MIGRATIONS, SCHEMA_VERSION

TYPE_CHECKING = False  # `import typing` costs ~10 ms of start-up; annotations are strings
if TYPE_CHECKING:
    from typing import Any

INTERACTION_KINDS = ("call", "email", "meeting", "message", "visit", "note")
JSON_COLUMNS = {
    "contact": ("emails", "phones", "addresses", "tags", "anniversaries", "fields", "aliases"),
}
CONTACT_SORTS = {
    "name": "c.name COLLATE NOCASE",
    "org": "c.org COLLATE NOCASE",
    "created": "c.created_at",
    "updated": "c.updated_at",
    "last": "c.last_contacted_at",
    "next": "c.next_touch_at",
    "tier": "c.tier",
    "owner": "c.owner",
    "id": "c.id",
}
SAVED_FILTER_PREFIX = "filter:"
IN_CHUNK = 500  # parameters per IN list, well under SQLite's limit
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/]{5,}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def default_db_path() -> Path:
    """The platform's user data directory, via platformdirs (imported only when needed)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("tinycrm", appauthor=False)) / "tinycrm.db"


def resolve_db_path(option: str | os.PathLike | None) -> Path:
    """`--db`, else `$TINYCRM_DB`, else the platform default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("TINYCRM_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


def default_user() -> str:
    """`$TINYCRM_USER`, else the login name."""
    env = os.environ.get("TINYCRM_USER")
    if env:
        return env
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "me"


# ---------------------------------------------------------------- value parsing


def parse_amount(text: str | int | Decimal | None) -> int:
    """A money amount as exact integer minor units (cents); never through float."""
    if text is None or text == "":
        return 0
    if isinstance(text, int):
        return text * 100
    raw = str(text).strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidData(f"invalid amount '{text}': use a number such as 5000 or 1250.50") from None
    if not value.is_finite() or value < 0:
        raise InvalidData(f"invalid amount '{text}': must be a positive number")
    minor = value * 100
    if minor != minor.to_integral_value():
        raise InvalidData(f"invalid amount '{text}': at most two decimals")
    if minor > 10**17:
        raise InvalidData(f"invalid amount '{text}': too large")
    return int(minor)


def format_amount(minor: int) -> str:
    """Integer minor units as an exact decimal string (`123456` → `1234.56`)."""
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    return f"{sign}{minor // 100}.{minor % 100:02d}"


def normalize_email(text: str) -> str:
    """A checked, trimmed e-mail address (case kept; matched case-insensitively)."""
    email = text.strip()
    if not _EMAIL_RE.match(email):
        raise InvalidData(f"invalid e-mail '{text}'")
    return email


def normalize_phone(text: str) -> str:
    """A checked phone number, as entered but trimmed."""
    phone = text.strip()
    if not _PHONE_RE.match(phone) or sum(ch.isdigit() for ch in phone) < 5:
        raise InvalidData(f"invalid phone '{text}'")
    return phone


def phone_key(text: str) -> str:
    """The digits of a phone number (and a leading +), for look-up."""
    text = text.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return ("+" if text.startswith("+") else "") + digits


def chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    """Slices of `values` small enough for one `IN (...)` list."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _dedupe(values: Iterable[str], key: Callable[[str], str] = str.lower) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        value = value.strip()
        if value and key(value) not in seen:
            seen.add(key(value))
            out.append(value)
    return out


# ---------------------------------------------------------------- the store


class Store:
    """An open tinycrm database, the acting user and the clock."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        user: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.conn = conn
        self.path = path
        self.user = user
        self.clock = clock
        self._tx: tuple[int, str] | None = None

    # ------------------------------------------------------------ open and migrate

    @classmethod
    def open(
        cls,
        path: str | os.PathLike | None = None,
        user: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Store:
        """Open (creating it 0600 if needed) and migrate the database at `path`."""
        db_path = resolve_db_path(path)
        conn = _connect(db_path)
        store = cls(conn, db_path, user or default_user(), clock or utc_now)
        store._migrate()
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The injected clock's current UTC time."""
        return self.clock()

    def schema_version(self) -> int:
        """The `user_version` of the file."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise SchemaTooNew(
                f"{self.path} was written by a newer tinycrm (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade tinycrm — the file was not changed"
            )
        if version == 0:
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
                0
            ]
            if tables:
                self.conn.close()
                raise CrmError(f"{self.path} is an SQLite file but not a tinycrm database")
        else:
            self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            current = self.schema_version()  # another process may have migrated meanwhile
            for number in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1]:
                    self.conn.execute(statement)
                if number == 1:
                    self.conn.executemany(
                        "INSERT INTO stage(name, probability, position, stale_days) VALUES (?, ?, ?, ?)",
                        DEFAULT_STAGES,
                    )
                self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def backup(self, target: str | os.PathLike) -> Path:
        """A consistent online copy of the database (SQLite's backup API), mode 0600."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target

    # ------------------------------------------------------------ transactions and history

    @contextmanager
    def write(self, command: str) -> Iterator[int]:
        """One `BEGIN IMMEDIATE` transaction; all history rows in it share one txid."""
        if self._tx is not None:  # nested: join the outer transaction
            yield self._tx[0]
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            txid = self.conn.execute("SELECT COALESCE(MAX(txid), 0) + 1 FROM history").fetchone()[0]
            self._tx = (txid, command)
            yield txid
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._tx = None

    def _row(self, table: str, row_id: int) -> dict | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def _log(self, table: str, row_id: int, op: str, before: dict | None, after: dict | None) -> None:
        assert self._tx is not None, "writes must happen inside Store.write()"
        txid, command = self._tx
        source = after or before or {}
        contact_id = row_id if table == "contact" else source.get("contact_id")
        if contact_id is None and source.get("deal_id") is not None:  # deal_stage rows
            hit = self.conn.execute(
                "SELECT contact_id FROM deal WHERE id = ?", (source["deal_id"],)
            ).fetchone()
            contact_id = hit[0] if hit else None
        self.conn.execute(
            "INSERT INTO history(txid, at, user, command, tbl, row_id, contact_id, op, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                txid,
                utc_iso(self.now()),
                self.user,
                command,
                table,
                row_id,
                contact_id,
                op,
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
            ),
        )

    def _insert(self, table: str, values: dict) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
        row_id = cur.lastrowid
        assert row_id is not None
        self._log(table, row_id, "insert", None, self._row(table, row_id))
        return row_id

    def _update(self, table: str, row_id: int, changes: dict) -> dict:
        before = self._row(table, row_id)
        if before is None:
            raise NotFound(f"no {table} {row_id}")
        changes = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changes:
            return before
        sets = ", ".join(f"{col} = ?" for col in changes)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*changes.values(), row_id))
        after = self._row(table, row_id)
        self._log(table, row_id, "update", before, after)
        return after  # type: ignore[return-value]

    def _delete(self, table: str, row_id: int) -> dict:
        before = self._row(table, row_id)
        if before is None:
            raise NotFound(f"no {table} {row_id}")
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        self._log(table, row_id, "delete", before, None)
        return before

    # ------------------------------------------------------------ derived columns

    def _index_contact(self, contact_id: int) -> None:
        """Rewrite the search document and the e-mail/phone/tag keys of one contact."""
        self.conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (contact_id,))
        self.conn.execute("DELETE FROM contact_name_fts WHERE rowid = ?", (contact_id,))
        self.conn.execute("DELETE FROM contact_key WHERE contact_id = ?", (contact_id,))
        row = self._row("contact", contact_id)
        if row is None:
            return
        emails = json.loads(row["emails"])
        phones = json.loads(row["phones"])
        tags = json.loads(row["tags"])
        aliases = json.loads(row["aliases"])
        doc = textindex.document(
            row["name"],
            row["org"],
            row["title"],
            *emails,
            *phones,
            *tags,
            *aliases,
            row["notes"],
            pinyin_of=row["name"],
        )
        self.conn.execute("INSERT INTO contact_fts(rowid, doc) VALUES (?, ?)", (contact_id, doc))
        self.conn.execute(
            "INSERT INTO contact_name_fts(rowid, name) VALUES (?, ?)",
            (contact_id, name_document(row["name"], aliases)),
        )
        keys = [("email", e.lower()) for e in emails]
        keys += [("phone", phone_key(p)) for p in phones]
        keys += [("tag", t.lower()) for t in tags]
        self.conn.executemany(
            "INSERT INTO contact_key(contact_id, kind, value) VALUES (?, ?, ?)",
            [(contact_id, kind, value) for kind, value in keys],
        )

    def _touch(self, contact_id: int) -> None:
        """Recompute the stored last-contacted time and the next keep-in-touch date."""
        row = self.conn.execute(
            "SELECT c.every, c.created_at, (SELECT MAX(at) FROM interaction i"
            " WHERE i.contact_id = c.id) FROM contact c WHERE c.id = ?",
            (contact_id,),
        ).fetchone()
        if row is None:
            return
        every, created_at, last = row
        self.conn.execute(
            "UPDATE contact SET last_contacted_at = ?, next_touch_at = ? WHERE id = ?",
            (last, next_touch(every, last, created_at), contact_id),
        )

    def _index_interaction(self, row: dict) -> None:
        """Add an interaction to the search index, keyed by its time (see `search_key`)."""
        key = search_key(row["at"], row["id"])
        while self.conn.execute("SELECT 1 FROM interaction_fts WHERE rowid = ?", (key,)).fetchone():
            key -= 1  # a same-second clash of two ids 2**20 apart: keep it unique, nearly in order
        self.conn.execute(
            "INSERT INTO interaction_fts(rowid, doc, interaction_id) VALUES (?, ?, ?)",
            (key, textindex.document(row["summary"], row.get("body")), row["id"]),
        )

    def _unindex_interaction(self, row: dict) -> None:
        cur = self.conn.execute(
            "DELETE FROM interaction_fts WHERE rowid = ? AND interaction_id = ?",
            (search_key(row["at"], row["id"]), row["id"]),
        )
        if cur.rowcount == 0:  # it was moved by a clash: find it the slow way
            self.conn.execute("DELETE FROM interaction_fts WHERE interaction_id = ?", (row["id"],))

    # ------------------------------------------------------------ contacts

    def _contact_values(self, fields: dict, existing: dict | None = None) -> dict:
        """Validate and convert user-level contact fields to column values."""
        from .dates import parse_birthday, parse_duration

        values: dict[str, Any] = {}
        if "name" in fields:
            name = (fields["name"] or "").strip()
            if not name:
                raise InvalidData("a contact needs a name")
            values["name"] = name
        if "kind" in fields and fields["kind"] is not None:
            if fields["kind"] not in ("person", "org"):
                raise InvalidData(f"invalid kind '{fields['kind']}': use person or org")
            values["kind"] = fields["kind"]
        for key in ("title", "notes", "owner", "tier"):
            if key in fields:
                values[key] = (fields[key] or "").strip() or None
        if "org" in fields:
            org = (fields["org"] or "").strip() or None
            values["org"] = org
            values["org_id"] = None
            if org:
                hit = self.conn.execute(
                    "SELECT id FROM contact WHERE kind = 'org' AND name = ? COLLATE NOCASE"
                    " AND deleted_at IS NULL",
                    (org,),
                ).fetchone()
                values["org_id"] = hit[0] if hit else None
        if "emails" in fields:
            values["emails"] = json.dumps(
                _dedupe(normalize_email(e) for e in fields["emails"]), ensure_ascii=False
            )
        if "phones" in fields:
            values["phones"] = json.dumps(
                _dedupe((normalize_phone(p) for p in fields["phones"]), key=phone_key),
                ensure_ascii=False,
            )
        if "addresses" in fields:
            values["addresses"] = json.dumps(_dedupe(fields["addresses"]), ensure_ascii=False)
        if "tags" in fields:
            tags = _dedupe(t.lstrip("#") for t in fields["tags"])
            for tag in tags:
                if any(ch.isspace() for ch in tag):
                    raise InvalidData(f"invalid tag '{tag}': no spaces in tags")
            values["tags"] = json.dumps(tags, ensure_ascii=False)
        if "aliases" in fields:
            values["aliases"] = json.dumps(_dedupe(fields["aliases"]), ensure_ascii=False)
        if "birthday_lunar" in fields and fields["birthday_lunar"] is not None:
            values["birthday_lunar"] = 1 if fields["birthday_lunar"] else 0
        if "birthday" in fields or "birthday_lunar" in values:
            bday = fields["birthday"] if "birthday" in fields else (existing or {}).get("birthday")
            lunar = bool(values.get("birthday_lunar", (existing or {}).get("birthday_lunar")))
            values["birthday"] = parse_birthday(bday, lunar=lunar) if bday else None
        if "anniversaries" in fields:
            annis = []
            for item in fields["anniversaries"] or []:
                label = (item.get("label") or "").strip()
                if not label:
                    raise InvalidData("an anniversary needs a label")
                lunar = bool(item.get("lunar"))
                day = parse_birthday(item["date"], lunar=lunar)
                annis.append({"label": label, "date": day, "lunar": lunar})
            values["anniversaries"] = json.dumps(annis, ensure_ascii=False)
        if "every" in fields:
            every = (fields["every"] or "").strip() or None
            if every:
                parse_duration(every)
            values["every"] = every
        if "fields" in fields:
            custom = {}
            for key, value in (fields["fields"] or {}).items():
                key = key.strip()
                if not key:
                    raise InvalidData("a custom field needs a name (KEY=VALUE)")
                custom[key] = value
            values["fields"] = json.dumps(custom, ensure_ascii=False)
        return values

    def add_contact(self, name: str, **fields: Any) -> dict:
        """Create a contact; returns its record."""
        unknown = set(fields) - CONTACT_FIELDS
        if unknown:
            raise InvalidData(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        fields.setdefault("owner", self.user)
        values = self._contact_values({"name": name, **fields})
        now = utc_iso(self.now())
        values.update(created_at=now, updated_at=now)
        with self.write(f"contact add {name}"):
            contact_id = self._insert("contact", values)
            self._index_contact(contact_id)
            self._touch(contact_id)
        return self.get_contact(contact_id)

    def edit_contact(
        self,
        contact_id: int,
        *,
        add_tags: Iterable[str] = (),
        rm_tags: Iterable[str] = (),
        add_emails: Iterable[str] = (),
        add_phones: Iterable[str] = (),
        set_fields: dict | None = None,
        unset_fields: Iterable[str] = (),
        **fields: Any,
    ) -> dict:
        """Change fields of a contact; list fields can be added to or removed from."""
        unknown = set(fields) - CONTACT_FIELDS
        if unknown:
            raise InvalidData(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        current = self.get_contact(contact_id, include_trash=True)
        add_tags, rm_tags = list(add_tags), {t.lower().lstrip("#") for t in rm_tags}
        if add_tags or rm_tags:
            tags = fields.get("tags", current["tags"])
            fields["tags"] = [t for t in [*tags, *add_tags] if t.lower() not in rm_tags]
        add_emails, add_phones = list(add_emails), list(add_phones)
        if add_emails:
            fields["emails"] = [*fields.get("emails", current["emails"]), *add_emails]
        if add_phones:
            fields["phones"] = [*fields.get("phones", current["phones"]), *add_phones]
        unset_fields = list(unset_fields)
        if set_fields or unset_fields:
            custom = dict(fields.get("fields", current["fields"]))
            custom.update(set_fields or {})
            for key in unset_fields:
                custom.pop(key, None)
            fields["fields"] = custom
        values = self._contact_values(fields, current)
        if not values:
            return current
        values["updated_at"] = utc_iso(self.now())
        with self.write(f"contact edit {current['name']}"):
            self._update("contact", contact_id, values)
            self._index_contact(contact_id)
            self._touch(contact_id)
        return self.get_contact(contact_id, include_trash=True)

    def get_contact(self, contact_id: int, *, include_trash: bool = False) -> dict:
        """One contact's record, or NotFound."""
        row = self._row("contact", contact_id)
        if row is None or (row["deleted_at"] and not include_trash):
            raise NotFound(f"no contact with id {contact_id}")
        return contact_record(row)

    def resolve(self, ref: str, *, include_trash: bool = False) -> dict:
        """A contact from a REF: id, exact e-mail or phone, or a unique part of a name."""
        ref = (ref or "").strip()
        if not ref:
            raise NotFound("empty contact reference")
        live = "" if include_trash else " AND c.deleted_at IS NULL"
        if ref.isdigit():
            row = self.conn.execute(
                f"SELECT c.id FROM contact c WHERE c.id = ?{live}", (int(ref),)
            ).fetchone()
            if row:
                return self.get_contact(row[0], include_trash=include_trash)
        if "@" in ref:
            ids = self._ids(
                "SELECT DISTINCT c.id FROM contact_key k JOIN contact c ON c.id = k.contact_id"
                f" WHERE k.kind = 'email' AND k.value = ?{live}",
                (ref.lower(),),
            )
            return self._one(ref, ids, include_trash)
        if _PHONE_RE.match(ref) and sum(ch.isdigit() for ch in ref) >= 5:
            ids = self._ids(
                "SELECT DISTINCT c.id FROM contact_key k JOIN contact c ON c.id = k.contact_id"
                f" WHERE k.kind = 'phone' AND k.value = ?{live}",
                (phone_key(ref),),
            )
            if ids:
                return self._one(ref, ids, include_trash)
        # a part of a name (or of a name it was merged from), case-insensitive
        like = "%" + _like_escape(ref) + "%"
        if textindex.has_cjk(ref) and (match := textindex.match_expression(ref)):
            # CJK characters are single tokens: a phrase of them is a substring
            candidates = "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?"
        elif len(ref) >= 3:
            # trigrams find any substring of three characters or more
            candidates = "SELECT rowid FROM contact_name_fts WHERE contact_name_fts MATCH ?"
            match = '"' + ref.replace('"', '""') + '"'
        else:
            candidates, match = "", None
        if candidates:
            ids = self._ids(
                f"SELECT c.id FROM contact c WHERE c.id IN ({candidates}){live}"
                " AND (c.name LIKE ? ESCAPE '\\' OR c.aliases LIKE ? ESCAPE '\\') ORDER BY c.id LIMIT 51",
                (match, like, like),
            )
        else:  # one or two latin characters: a scan, rare and still correct
            ids = self._ids(
                "SELECT c.id FROM contact c WHERE (c.name LIKE ? ESCAPE '\\'"
                f" OR c.aliases LIKE ? ESCAPE '\\'){live} ORDER BY c.id LIMIT 51",
                (like, like),
            )
        if len(ids) > 1:
            exact = self._ids(f"SELECT c.id FROM contact c WHERE c.name = ? COLLATE NOCASE{live}", (ref,))
            if len(exact) == 1:
                ids = exact
        return self._one(ref, ids, include_trash)

    def _ids(self, sql: str, params: tuple) -> list[int]:
        return [r[0] for r in self.conn.execute(sql, params)]

    def _one(self, ref: str, ids: list[int], include_trash: bool) -> dict:
        if not ids:
            raise NotFound(f"no contact matches '{ref}'")
        if len(ids) == 1:
            return self.get_contact(ids[0], include_trash=include_trash)
        rows = self.conn.execute(
            f"SELECT id, name, org FROM contact WHERE id IN ({','.join('?' * len(ids[:10]))}) ORDER BY name",
            ids[:10],
        ).fetchall()
        shown = "; ".join(f"{r[0]} {r[1]}" + (f" ({r[2]})" if r[2] else "") for r in rows)
        more = f" and {len(ids) - 10}+ more" if len(ids) > 10 else ""
        raise Ambiguous(
            f"'{ref}' matches {len(ids)}{'+' if len(ids) > 50 else ''} contacts: {shown}{more}",
            [{"id": r[0], "name": r[1], "org": r[2]} for r in rows],
        )

    def trash_contact(self, contact_id: int) -> dict:
        """Move a contact to the trash (nothing is deleted)."""
        contact = self.get_contact(contact_id)
        now = utc_iso(self.now())
        with self.write(f"contact rm {contact['name']}"):
            self._update("contact", contact_id, {"deleted_at": now, "updated_at": now})
        return self.get_contact(contact_id, include_trash=True)

    def restore_contact(self, contact_id: int) -> dict:
        """Bring a contact back from the trash."""
        contact = self.get_contact(contact_id, include_trash=True)
        if not contact["deleted_at"]:
            raise Conflict(f"contact {contact_id} ({contact['name']}) is not in the trash")
        with self.write(f"contact restore {contact['name']}"):
            self._update("contact", contact_id, {"deleted_at": None, "updated_at": utc_iso(self.now())})
        return self.get_contact(contact_id)

    def forget_contact(self, contact_id: int) -> dict:
        """Erase a contact for good: its rows, its search entries and its history."""
        contact = self.get_contact(contact_id, include_trash=True)
        self.conn.execute("PRAGMA secure_delete = ON")  # overwrite freed pages too
        try:
            with self.write("contact forget"):
                for interaction_id, at in self.conn.execute(
                    "SELECT id, at FROM interaction WHERE contact_id = ?", (contact_id,)
                ).fetchall():
                    self._unindex_interaction({"id": interaction_id, "at": at})
                self.conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (contact_id,))
                self.conn.execute("DELETE FROM contact_name_fts WHERE rowid = ?", (contact_id,))
                # done/snoozed occurrences of its derived items (keys of tinycrm.reminders:
                # `birthday:CONTACT:…`, `deal-close:DEAL:…`, `reminder:REMINDER:…`), and their history
                prefixes = [f"{kind}:{contact_id}:" for kind in ("birthday", "anniversary", "cadence")]
                for deal_id in self._ids("SELECT id FROM deal WHERE contact_id = ?", (contact_id,)):
                    prefixes += [f"deal-close:{deal_id}:", f"deal-stale:{deal_id}:"]
                for rem_id in self._ids("SELECT id FROM reminder WHERE contact_id = ?", (contact_id,)):
                    prefixes.append(f"reminder:{rem_id}:")
                for prefix in prefixes:
                    like = _like_escape(prefix) + "%"
                    self.conn.execute("DELETE FROM occurrence WHERE key LIKE ? ESCAPE '\\'", (like,))
                    self.conn.execute(
                        "DELETE FROM history WHERE tbl = 'occurrence'"
                        " AND json_extract(after, '$.key') LIKE ? ESCAPE '\\'",
                        (like,),
                    )
                self.conn.execute("DELETE FROM contact WHERE id = ?", (contact_id,))
                self.conn.execute("DELETE FROM history WHERE contact_id = ?", (contact_id,))
        finally:
            self.conn.execute("PRAGMA secure_delete = OFF")
        return contact

    def list_contacts(
        self,
        filter_text: str = "",
        *,
        sort: str = "name",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict]:
        """Contacts matching a filter of the filter language, sorted in SQL."""
        where, params = self._contact_where(filter_text)
        order = self._contact_order(sort)
        sql = f"SELECT c.* FROM contact c WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [contact_record(dict(zip(cols, row))) for row in cur]

    def count_contacts(self, filter_text: str = "") -> int:
        """How many contacts match a filter."""
        where, params = self._contact_where(filter_text)
        return self.conn.execute(f"SELECT count(*) FROM contact c WHERE {where}", params).fetchone()[0]

    def _contact_where(self, filter_text: str) -> tuple[str, list]:
        from . import query

        expr = query.parse(filter_text or "")
        if expr is None:
            return "c.deleted_at IS NULL", []
        sql, params = query.compile_contacts(expr, now=self.now(), user=self.user)
        if not query.mentions_trash(expr):
            sql = f"c.deleted_at IS NULL AND ({sql})"
        return sql, list(params)

    @staticmethod
    def _contact_order(sort: str) -> str:
        desc = sort.startswith("-")
        key = sort.lstrip("-+")
        if key not in CONTACT_SORTS:
            raise InvalidData(f"invalid sort '{sort}': use {', '.join(CONTACT_SORTS)} (prefix - to reverse)")
        direction = " DESC" if desc else ""
        # empty values last; a descending sort does that by itself (NULL sorts lowest) and
        # then keeps walking its index, id included, so the stale and last-contacted
        # views read 50 index entries instead of sorting 100,000 rows
        nulls = " NULLS LAST" if key in ("last", "next", "tier", "org") and not desc else ""
        return f"{CONTACT_SORTS[key]}{direction}{nulls}, c.id{direction}"

    # ------------------------------------------------------------ interactions

    def log(
        self,
        contact_id: int,
        summary: str,
        *,
        kind: str = "note",
        at: datetime | None = None,
        deal_id: int | None = None,
        body: str | None = None,
        follow_up: datetime | None = None,
        follow_up_all_day: bool = True,
    ) -> dict:
        """Record an interaction (and optionally a follow-up reminder) in one transaction."""
        summary = (summary or "").strip()
        if not summary:
            raise InvalidData("an interaction needs a text")
        if kind not in INTERACTION_KINDS:
            raise InvalidData(f"invalid kind '{kind}': use {', '.join(INTERACTION_KINDS)}")
        contact = self.get_contact(contact_id)
        if deal_id is not None:
            deal = self.get_deal(deal_id)
            if deal["contact_id"] != contact_id:
                raise InvalidData(f"deal {deal_id} belongs to another contact")
        now = self.now()
        when = utc_iso(at or now)
        with self.write(f"log {contact['name']}"):
            interaction_id = self._insert(
                "interaction",
                {
                    "contact_id": contact_id,
                    "kind": kind,
                    "at": when,
                    "summary": summary,
                    "body": body,
                    "deal_id": deal_id,
                    "user": self.user,
                    "created_at": utc_iso(now),
                },
            )
            self._index_interaction({"id": interaction_id, "at": when, "summary": summary, "body": body})
            self._touch(contact_id)
            reminder_id = None
            if follow_up is not None:
                reminder_id = self._add_reminder(
                    contact_id=contact_id,
                    deal_id=deal_id,
                    interaction_id=interaction_id,
                    text=f"Follow up: {summary}",
                    due=follow_up,
                    all_day=follow_up_all_day,
                    source="follow-up",
                )
        record = self.get_interaction(interaction_id)
        record["follow_up"] = self.get_reminder(reminder_id) if reminder_id else None
        return record

    def get_interaction(self, interaction_id: int) -> dict:
        """One interaction's record, or NotFound."""
        row = self._row("interaction", interaction_id)
        if row is None:
            raise NotFound(f"no interaction with id {interaction_id}")
        return interaction_record(row)

    def count_interactions(self, contact_id: int) -> int:
        """How many interactions a contact has."""
        return self.conn.execute(
            "SELECT count(*) FROM interaction WHERE contact_id = ?", (contact_id,)
        ).fetchone()[0]

    def timeline(
        self,
        contact_id: int | None = None,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Interactions, newest first, of one contact or of everyone."""
        sql = (
            "SELECT i.*, c.name AS contact FROM interaction i JOIN contact c ON c.id = i.contact_id"
            " WHERE 1 = 1"
        )
        params: list[Any] = []
        if contact_id is not None:
            sql += " AND i.contact_id = ?"
            params.append(contact_id)
        else:
            sql += " AND c.deleted_at IS NULL"
        if since is not None:
            sql += " AND i.at >= ?"
            params.append(utc_iso(since))
        sql += " ORDER BY i.at DESC, i.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [interaction_record(dict(zip(cols, row))) for row in cur]

    # ------------------------------------------------------------ deals

    def stages(self) -> list[dict]:
        """The pipeline stages in order, with probability and stale limit."""
        cur = self.conn.execute("SELECT name, probability, position, stale_days FROM stage ORDER BY position")
        return [dict(zip(("name", "probability", "position", "stale_days"), r)) for r in cur]

    def _stage(self, name: str) -> dict:
        wanted = (name or "").strip().lower()
        for stage in self.stages():
            if stage["name"] == wanted:
                return stage
        names = ", ".join(s["name"] for s in self.stages())
        raise InvalidData(f"invalid stage '{name}': use {names}")

    def add_deal(
        self,
        contact_id: int,
        title: str,
        *,
        value: str | int | Decimal | None = None,
        currency: str | None = None,
        stage: str = "lead",
        probability: int | None = None,
        close_date: str | None = None,
        key: bool = False,
        owner: str | None = None,
    ) -> dict:
        """Create an open deal for a contact; `close_date` is `YYYY-MM-DD`."""
        title = (title or "").strip()
        if not title:
            raise InvalidData("a deal needs a title")
        contact = self.get_contact(contact_id)
        st = self._stage(stage)
        if st["name"] in ("won", "lost"):
            raise InvalidData("a new deal starts in an open stage; use deal won/lost after")
        currency = (currency or self.setting("currency", "USD")).strip().upper()
        if not _CURRENCY_RE.match(currency):
            raise InvalidData(f"invalid currency '{currency}': use a 3-letter code such as EUR")
        prob = st["probability"] if probability is None else _probability(probability)
        now = utc_iso(self.now())
        with self.write(f"deal add {title}"):
            deal_id = self._insert(
                "deal",
                {
                    "contact_id": contact_id,
                    "title": title,
                    "value_minor": parse_amount(value),
                    "currency": currency,
                    "stage": st["name"],
                    "probability": prob,
                    "status": "open",
                    "close_date": _check_date(close_date),
                    "key": 1 if key else 0,
                    "owner": owner or contact["owner"] or self.user,
                    "stage_entered_at": now,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            self._insert(
                "deal_stage",
                {"deal_id": deal_id, "stage": st["name"], "entered_at": now, "user": self.user},
            )
        return self.get_deal(deal_id)

    def get_deal(self, deal_id: int) -> dict:
        """One deal's record (with its stage history), or NotFound."""
        cur = self.conn.execute(
            "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id WHERE d.id = ?",
            (deal_id,),
        )
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no deal with id {deal_id}")
        deal = deal_record(dict(zip([d[0] for d in cur.description], row)))
        deal["stages"] = [
            {"stage": s, "entered_at": at, "user": u}
            for s, at, u in self.conn.execute(
                "SELECT stage, entered_at, user FROM deal_stage WHERE deal_id = ? ORDER BY id",
                (deal_id,),
            )
        ]
        return deal

    def list_deals(
        self,
        filter_text: str = "",
        *,
        contact_id: int | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Deals matching a filter (stage/status/value refer to the deal itself)."""
        # one contact's deals are shown even when that contact is in the trash
        where, params = ("d.contact_id = ?", [contact_id]) if contact_id else ("c.deleted_at IS NULL", [])
        if filter_text and filter_text.strip():
            from . import query

            expr = query.parse(filter_text)
            sql, more = query.compile_deals(expr, now=self.now(), user=self.user)
            if not query.mentions_trash(expr):
                sql += " AND c.deleted_at IS NULL"
            where = f"{where} AND ({sql})"
            params += list(more)
        sql = (
            "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id"
            f" LEFT JOIN stage s ON s.name = d.stage WHERE {where}"
            " ORDER BY d.status = 'open' DESC, s.position, d.close_date IS NULL, d.close_date, d.id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [deal_record(dict(zip(cols, row))) for row in cur]

    def move_deal(self, deal_id: int, stage: str, *, reason: str | None = None) -> dict:
        """Move a deal to a stage; `won` and `lost` close it (lost with a reason)."""
        deal = self.get_deal(deal_id)
        st = self._stage(stage)
        now = utc_iso(self.now())
        changes: dict[str, Any] = {"updated_at": now}
        if st["name"] != deal["stage"]:
            changes.update(stage=st["name"], probability=st["probability"], stage_entered_at=now)
        if st["name"] == "won":
            changes.update(status="won", closed_at=now, lost_reason=None)
        elif st["name"] == "lost":
            changes.update(status="lost", closed_at=now, lost_reason=(reason or "").strip() or None)
        else:
            changes.update(status="open", closed_at=None, lost_reason=None)
        if st["name"] == deal["stage"] and changes.get("lost_reason") == deal.get("lost_reason"):
            raise Conflict(f"deal {deal_id} is already in {st['name']}")
        with self.write(f"deal {st['name'] if st['name'] in ('won', 'lost') else 'move'} {deal['title']}"):
            self._update("deal", deal_id, changes)
            if "stage" in changes:
                self._insert(
                    "deal_stage",
                    {"deal_id": deal_id, "stage": st["name"], "entered_at": now, "user": self.user},
                )
        return self.get_deal(deal_id)

    def edit_deal(self, deal_id: int, **fields: Any) -> dict:
        """Change a deal's title, value, currency, close date, key flag, probability or owner."""
        deal = self.get_deal(deal_id)
        changes: dict[str, Any] = {}
        if fields.get("title") is not None:
            if not fields["title"].strip():
                raise InvalidData("a deal needs a title")
            changes["title"] = fields["title"].strip()
        if fields.get("value") is not None:
            changes["value_minor"] = parse_amount(fields["value"])
        if fields.get("currency") is not None:
            currency = fields["currency"].strip().upper()
            if not _CURRENCY_RE.match(currency):
                raise InvalidData(f"invalid currency '{fields['currency']}'")
            changes["currency"] = currency
        if "close_date" in fields and fields["close_date"] is not None:
            changes["close_date"] = _check_date(fields["close_date"]) or None
        if fields.get("key") is not None:
            changes["key"] = 1 if fields["key"] else 0
        if fields.get("probability") is not None:
            changes["probability"] = _probability(fields["probability"])
        if fields.get("owner") is not None:
            changes["owner"] = fields["owner"]
        if not changes:
            return deal
        changes["updated_at"] = utc_iso(self.now())
        with self.write(f"deal edit {deal['title']}"):
            self._update("deal", deal_id, changes)
        return self.get_deal(deal_id)

    # ------------------------------------------------------------ reminders

    def _add_reminder(self, **values: Any) -> int:
        now = utc_iso(self.now())
        due = values.pop("due")
        values.setdefault("owner", self.user)
        values.update(due=utc_iso(due), anchor=utc_iso(due), created_at=now, updated_at=now)
        return self._insert("reminder", values)

    def add_reminder(
        self,
        contact_id: int | None,
        due: datetime,
        text: str,
        *,
        all_day: bool = True,
        every: str | None = None,
        from_done: bool = False,
        deal_id: int | None = None,
    ) -> dict:
        """Create a manual reminder, optionally recurring by a RULE."""
        text = (text or "").strip()
        if not text:
            raise InvalidData("a reminder needs a text")
        if every:
            from .dates import parse_rule

            every = parse_rule(every).text
        label = ""
        if contact_id is not None:
            label = self.get_contact(contact_id)["name"]
        if deal_id is not None:
            deal = self.get_deal(deal_id)
            contact_id = contact_id or deal["contact_id"]
        with self.write(f"remind add {label}".strip()):
            reminder_id = self._add_reminder(
                contact_id=contact_id,
                deal_id=deal_id,
                text=text,
                due=due,
                all_day=1 if all_day else 0,
                every=every,
                from_done=1 if from_done else 0,
                source="manual",
            )
        return self.get_reminder(reminder_id)

    def get_reminder(self, reminder_id: int) -> dict:
        """One stored reminder's record, or NotFound."""
        cur = self.conn.execute(
            "SELECT r.*, c.name AS contact FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
            " WHERE r.id = ?",
            (reminder_id,),
        )
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no reminder with id {reminder_id}")
        return reminder_record(dict(zip([d[0] for d in cur.description], row)))

    def update_reminder(self, reminder_id: int, command: str, **changes: Any) -> dict:
        """Change a stored reminder (due as a datetime, done_at as a datetime or None)."""
        self.get_reminder(reminder_id)
        for key in ("due", "done_at"):
            if isinstance(changes.get(key), datetime):
                changes[key] = utc_iso(changes[key])
        changes["updated_at"] = utc_iso(self.now())
        with self.write(command):
            self._update("reminder", reminder_id, changes)
        return self.get_reminder(reminder_id)

    def delete_reminder(self, reminder_id: int) -> dict:
        """Delete a stored reminder (undo brings it back)."""
        reminder = self.get_reminder(reminder_id)
        with self.write(f"remind rm {reminder_id}"):
            self._delete("reminder", reminder_id)
        return reminder

    def list_reminders(
        self,
        *,
        include_done: bool = False,
        contact_id: int | None = None,
        due_before: datetime | None = None,
    ) -> list[dict]:
        """Stored reminders, soonest first; open ones only unless `include_done`."""
        where = ["(c.id IS NULL OR c.deleted_at IS NULL)"]
        params: list[Any] = []
        if not include_done:
            where.append("r.done_at IS NULL")
        if contact_id is not None:
            where.append("r.contact_id = ?")
            params.append(contact_id)
        if due_before is not None:
            where.append("r.due <= ?")
            params.append(utc_iso(due_before))
        cur = self.conn.execute(
            "SELECT r.*, c.name AS contact FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
            f" WHERE {' AND '.join(where)} ORDER BY r.done_at IS NOT NULL, r.due, r.id",
            params,
        )
        cols = [d[0] for d in cur.description]
        return [reminder_record(dict(zip(cols, row))) for row in cur]

    def occurrences(self) -> dict[str, dict]:
        """Derived-item occurrences marked done or snoozed, by key."""
        return {
            key: {"state": state, "until": until}
            for key, state, until in self.conn.execute("SELECT key, state, until FROM occurrence")
        }

    def set_occurrence(self, key: str, state: str, until: datetime | None = None) -> None:
        """Mark one occurrence of a derived item done or snoozed (recorded in history)."""
        now = utc_iso(self.now())
        with self.write(f"{'done' if state == 'done' else 'snooze'} {key}"):
            # the table is keyed by text; history carries the whole row, so undo can put
            # back an earlier state (snoozed, then done → undo → snoozed again)
            row = self.conn.execute(
                "SELECT rowid, key, state, until, at FROM occurrence WHERE key = ?", (key,)
            ).fetchone()
            before = dict(zip(("key", "state", "until", "at"), row[1:])) if row else None
            if row:
                self.conn.execute("DELETE FROM occurrence WHERE key = ?", (key,))
            cur = self.conn.execute(
                "INSERT INTO occurrence(key, state, until, at) VALUES (?, ?, ?, ?)",
                (key, state, utc_iso(until) if until else None, now),
            )
            self._log(
                "occurrence",
                cur.lastrowid or 0,
                "update" if before else "insert",
                before,
                {"key": key, "state": state, "until": utc_iso(until) if until else None, "at": now},
            )

    def notified_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these occurrence keys were already notified."""
        found: set[str] = set()
        for chunk in chunks(keys):
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT key FROM notified WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
            )
        return found

    def next_reminders(self, contact_ids: Iterable[int]) -> dict[int, str]:
        """The soonest open stored reminder (UTC text) of each of these contacts."""
        out: dict[int, str] = {}
        for chunk in chunks(contact_ids):
            rows = self.conn.execute(
                "SELECT contact_id, MIN(due) FROM reminder WHERE done_at IS NULL"
                f" AND contact_id IN ({','.join('?' * len(chunk))}) GROUP BY contact_id",
                chunk,
            )
            out.update(dict(rows.fetchall()))
        return out

    def data_version(self) -> int:
        """SQLite's per-connection change counter: it moves when another connection commits."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def mark_notified(self, keys: Iterable[str]) -> None:
        """Remember that these occurrences were notified (not part of undo)."""
        now = utc_iso(self.now())
        with self.write("notify"):
            self.conn.executemany(
                "INSERT OR REPLACE INTO notified(key, at) VALUES (?, ?)", [(k, now) for k in keys]
            )

    # ------------------------------------------------------------ settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or the default."""
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def saved_filters(self) -> dict[str, str]:
        """Saved filters by name (settings `filter:NAME`), sorted by name."""
        rows = self.conn.execute(
            "SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key", (SAVED_FILTER_PREFIX + "%",)
        )
        return {key[len(SAVED_FILTER_PREFIX) :]: value for key, value in rows}

    def save_filter(self, name: str, text: str) -> None:
        """Save a filter under a name, as a setting."""
        self.set_setting(SAVED_FILTER_PREFIX + name.strip(), text)

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self.write(f"set {key}"):
            self.conn.execute("INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)", (key, value))

    # ------------------------------------------------------------ history and undo

    def history(self, contact_id: int | None = None, *, limit: int = 50) -> list[dict]:
        """Changes, newest first, of one contact or of everything."""
        sql = "SELECT * FROM history"
        params: list[Any] = []
        if contact_id is not None:
            sql += " WHERE contact_id = ?"
            params.append(contact_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        out = []
        for row in cur:
            item = dict(zip(cols, row))
            before = json.loads(item["before"]) if item["before"] else None
            after = json.loads(item["after"]) if item["after"] else None
            out.append(
                {
                    "id": item["id"],
                    "txid": item["txid"],
                    "at": item["at"],
                    "user": item["user"],
                    "command": item["command"],
                    "table": item["tbl"],
                    "row_id": item["row_id"],
                    "contact_id": item["contact_id"],
                    "op": item["op"],
                    "changes": _changes(before, after),
                    "before": before,
                    "after": after,
                    "undone_at": item["undone_at"],
                }
            )
        return out

    def undo(self) -> dict:
        """Take back the most recent change not yet undone, whatever command made it."""
        with self.write("undo"):
            row = self.conn.execute(
                "SELECT txid, command, user, at FROM history WHERE undone_at IS NULL"
                " ORDER BY txid DESC LIMIT 1"
            ).fetchone()
            if row is None:
                raise Conflict("nothing to undo")
            txid, command, user, at = row
            entries = self.conn.execute(
                "SELECT tbl, row_id, op, before, after FROM history WHERE txid = ? ORDER BY id DESC",
                (txid,),
            ).fetchall()
            touched: set[int] = set()
            for table, row_id, op, before_text, after_text in entries:
                before = json.loads(before_text) if before_text else None
                after = json.loads(after_text) if after_text else None
                self._revert(table, row_id, op, before, after)
                for rec in (before, after):
                    if rec:
                        cid = row_id if table == "contact" else rec.get("contact_id")
                        if cid:
                            touched.add(cid)
            for cid in touched:
                self._index_contact(cid)
                self._touch(cid)
            self.conn.execute("UPDATE history SET undone_at = ? WHERE txid = ?", (utc_iso(self.now()), txid))
        return {"txid": txid, "command": command, "user": user, "at": at, "changes": len(entries)}

    def _revert(self, table: str, row_id: int, op: str, before: dict | None, after: dict | None) -> None:
        if table == "occurrence":
            key = (after or before or {}).get("key")
            self.conn.execute("DELETE FROM occurrence WHERE key = ?", (key,))
            if before:
                self.conn.execute(
                    "INSERT INTO occurrence(key, state, until, at) VALUES (?, ?, ?, ?)",
                    (before["key"], before["state"], before["until"], before["at"]),
                )
            return
        if op == "insert":
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
            if table == "interaction" and after is not None:
                self._unindex_interaction(after)
        elif op == "update" and before is not None:
            cols = [c for c in before if c != "id"]
            self.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                (*(before[c] for c in cols), row_id),
            )
        elif op == "delete" and before is not None:
            cols = list(before)
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                tuple(before[c] for c in cols),
            )
            if table == "interaction":
                self._index_interaction(before)

    # ------------------------------------------------------------ search

    def _newest_interactions(self, match: str, limit: int) -> list[dict]:
        """The newest interactions matching an FTS query, read in time order off the index.

        The index's rowids are time-ordered (`search_key`), so `ORDER BY rowid DESC LIMIT`
        stops after `limit` entries instead of sorting every match (120,000 of a million
        interactions for a common word took 800 ms).
        """
        found: list[dict] = []
        offset, batch = 0, max(limit * 2, 20)
        while len(found) < limit:
            ids = self._ids(
                "SELECT interaction_id FROM interaction_fts WHERE interaction_fts MATCH ?"
                " ORDER BY rowid DESC LIMIT ? OFFSET ?",
                (match, batch, offset),
            )
            if not ids:
                break
            cur = self.conn.execute(
                "SELECT i.*, c.name AS contact FROM interaction i JOIN contact c ON c.id = i.contact_id"
                f" WHERE i.id IN ({','.join('?' * len(ids))}) AND c.deleted_at IS NULL",
                ids,
            )
            cols = [d[0] for d in cur.description]
            found += [interaction_record(dict(zip(cols, r))) for r in cur]
            offset += batch
        found.sort(key=lambda r: (r["at"], r["id"]), reverse=True)
        return found[:limit]

    def search(self, text: str, *, limit: int = 20) -> dict:
        """Contacts, deals and the newest interactions matching a text."""
        text = (text or "").strip()
        if not text:
            raise InvalidData("search needs a text")
        match = textindex.match_expression(text)
        contacts: list[dict] = []
        interactions: list[dict] = []
        if match:
            cur = self.conn.execute(
                "SELECT c.* FROM contact c WHERE c.id IN (SELECT rowid FROM contact_fts"
                " WHERE contact_fts MATCH ?) AND c.deleted_at IS NULL"
                " ORDER BY c.name COLLATE NOCASE LIMIT ?",
                (match, limit),
            )
            cols = [d[0] for d in cur.description]
            contacts = [contact_record(dict(zip(cols, r))) for r in cur]
            interactions = self._newest_interactions(match, limit)
        like = "%" + _like_escape(text) + "%"
        cur = self.conn.execute(
            "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id"
            " WHERE d.title LIKE ? ESCAPE '\\' AND c.deleted_at IS NULL ORDER BY d.id DESC LIMIT ?",
            (like, limit),
        )
        cols = [d[0] for d in cur.description]
        deals = [deal_record(dict(zip(cols, r))) for r in cur]
        return {"contacts": contacts, "deals": deals, "interactions": interactions}


# ---------------------------------------------------------------- helpers and records

CONTACT_FIELDS = {
    "kind",
    "org",
    "title",
    "emails",
    "phones",
    "addresses",
    "tags",
    "birthday",
    "birthday_lunar",
    "anniversaries",
    "every",
    "notes",
    "owner",
    "tier",
    "fields",
    "aliases",
    "name",
}


def _connect(path: Path) -> sqlite3.Connection:
    """Connect with the file (and its -wal/-shm, which SQLite gives the same mode) 0600."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    old = os.umask(0o077)
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # a newer file, or an SQLite file of another program, is left exactly as it is
        # (switching it to WAL would rewrite its header before Store._migrate refuses it)
        ours = 0 < version <= SCHEMA_VERSION or (
            version == 0 and not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        )
        if ours:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise CrmError(f"cannot open {path}: {exc}") from None
    finally:
        os.umask(old)
    return conn


def next_touch(every: str | None, last: str | None, created_at: str) -> str | None:
    """When a contact with a keep-in-touch cadence is next due (never contacted: now-ish)."""
    if not every:
        return None
    if last is None:
        return created_at
    from .dates import parse_duration

    return utc_iso(parse_utc(last) + parse_duration(every))


def search_key(at: str, interaction_id: int) -> int:
    """The search-index rowid of an interaction: its UTC second, then its id's low 20 bits."""
    return int(parse_utc(at).timestamp()) * 1_048_576 + interaction_id % 1_048_576


def name_document(name: str, aliases: list[str]) -> str:
    """What the trigram name index holds: the name and the names it was merged from."""
    return "\n".join([name, *aliases])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _check_date(text: str | None) -> str | None:
    if text is None or text == "":
        return None
    try:
        return datetime.strptime(str(text), "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise InvalidData(f"invalid date '{text}': use YYYY-MM-DD") from None


def _probability(value: Any) -> int:
    try:
        prob = int(value)
    except (TypeError, ValueError):
        raise InvalidData(f"invalid probability '{value}': use 0 to 100") from None
    if not 0 <= prob <= 100:
        raise InvalidData(f"invalid probability '{value}': use 0 to 100")
    return prob


def _changes(before: dict | None, after: dict | None) -> dict:
    if before is None or after is None:
        return {}
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v and k != "updated_at"}


def _json(text: str) -> Any:
    """Decode a JSON column; the common empty values skip the decoder (lists of 50 rows)."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


def contact_record(row: dict) -> dict:
    """A contact row as its JSON-contract record."""
    rec = {
        "id": row["id"],
        "kind": row["kind"],
        "name": row["name"],
        "org": row["org"],
        "title": row["title"],
        "emails": _json(row["emails"]),
        "phones": _json(row["phones"]),
        "tags": _json(row["tags"]),
        "tier": row["tier"],
        "owner": row["owner"],
        "birthday": row["birthday"],
        "every": row["every"],
        "notes": row["notes"],
        "fields": _json(row["fields"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "last_contacted_at": row["last_contacted_at"],
        "birthday_lunar": bool(row["birthday_lunar"]),
        "anniversaries": _json(row["anniversaries"]),
        "addresses": _json(row["addresses"]),
        "aliases": _json(row["aliases"]),
        "org_id": row["org_id"],
        "next_touch_at": row["next_touch_at"],
        "deleted_at": row["deleted_at"],
    }
    return rec


def interaction_record(row: dict) -> dict:
    """An interaction row as its JSON-contract record."""
    rec = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "kind": row["kind"],
        "at": row["at"],
        "summary": row["summary"],
        "deal_id": row["deal_id"],
        "user": row["user"],
        "body": row["body"],
    }
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec


def deal_record(row: dict) -> dict:
    """A deal row as its JSON-contract record; `value` is an exact decimal string."""
    rec = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "title": row["title"],
        "value": format_amount(row["value_minor"]),
        "currency": row["currency"],
        "stage": row["stage"],
        "probability": row["probability"],
        "status": row["status"],
        "close_date": row["close_date"],
        "key": bool(row["key"]),
        "owner": row["owner"],
        "lost_reason": row["lost_reason"],
        "stage_entered_at": row["stage_entered_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "closed_at": row["closed_at"],
        "value_minor": row["value_minor"],
    }
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec


def reminder_record(row: dict) -> dict:
    """A stored reminder row as its JSON-contract record."""
    rec = {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "deal_id": row["deal_id"],
        "text": row["text"],
        "due": row["due"],
        "every": row["every"],
        "source": row["source"],
        "all_day": bool(row["all_day"]),
        "from_done": bool(row["from_done"]),
        "interaction_id": row["interaction_id"],
        "anchor": row["anchor"],
        "done_at": row["done_at"],
        "owner": row["owner"],
    }
    if "contact" in row:
        rec["contact"] = row["contact"]
    return rec
