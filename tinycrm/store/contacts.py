"""Contacts: people and organisations, their search documents and look-up keys, REFs, trash, forget."""

from __future__ import annotations

import os
from collections.abc import Iterable

from .. import normalize, textindex, validate
from ..dates import parse_utc, utc_iso
from ..errors import Ambiguous, Conflict, DuplicateContact, InvalidData, NotFound
from ..lazy import json
from ..models import CONTACT_FIELDS as MODEL_FIELDS
from .base import like_escape
from .records import contact_record
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact

CONTACT_SORTS = {
    "name": "c.name_sort",  # textindex.sort_key, stored: 张伟 among the Zs, by an index walk
    "org": "c.org COLLATE NOCASE",
    "created": "c.created_at",
    "updated": "c.updated_at",
    "last": "c.last_contacted_at",
    "next": "c.next_touch_at",
    "tier": "c.tier",
    "owner": "c.owner",
    "id": "c.id",
}
CONTACT_FIELDS = {*MODEL_FIELDS, "uid", "sources", "labels"}  # where it came from; types of e-mails…


def next_touch(every: str | None, last: str | None, created_at: str) -> str | None:
    """When a contact with a keep-in-touch cadence is next due (never contacted: now-ish)."""
    if not every:
        return None
    if last is None:
        return created_at
    from ..dates import parse_duration

    return utc_iso(parse_utc(last) + parse_duration(every))


def name_document(name: str, aliases: list[str]) -> str:
    """What the trigram name index holds: the name and the names it was merged from."""
    return "\n".join([name, *aliases])


def _list(text: str) -> list[str]:
    if text == "[]":
        return []
    inner = text[2:-2]
    if text[:2] == '["' and text[-2:] == '"]' and '"' not in inner and "\\" not in inner:
        return [inner]  # one string with nothing escaped: what most rows hold
    return list(json.loads(text))


def json_list(values: list[Any]) -> str:
    """`json.dumps(values, ensure_ascii=False)`, built directly for the common list of plain strings.

    A printable string without `"` or `\\` is written by json.dumps as it is, between quotes;
    an import writes two or three such lists a row, and json.dumps costs ~2 µs a call.
    """
    if not values:
        return "[]"
    for value in values:
        if type(value) is not str or not value.isprintable() or '"' in value or "\\" in value:
            return json.dumps(values, ensure_ascii=False)
    return '["' + '", "'.join(values) + '"]'


def index_entries(
    row: dict[str, Any], region: str | None = None, lists: dict[str, Any] | None = None
) -> tuple[str, str, list[tuple[str, str]]]:
    """A contact row's full-text document, trigram name document and look-up keys.

    E-mails are keyed case- and width-folded, phones by `normalize.phone_key` (E.164 when it
    can be read), so `(202) 555-0100`, `2025550100` and `+1 202 555 0100` are one key.
    `lists`: what `_contact_values` already made of the row's lists (its `lists` argument),
    so a bulk write neither parses its own JSON back nor normalises a phone twice.
    """
    lists = lists or {}
    emails = lists["emails"] if "emails" in lists else _list(row["emails"])
    phones = lists["phones"] if "phones" in lists else _list(row["phones"])
    tags = lists["tags"] if "tags" in lists else _list(row["tags"])
    aliases = lists["aliases"] if "aliases" in lists else _list(row["aliases"])
    doc = textindex.document(
        row["name"], row["org"], row["title"], *emails, *phones, *tags, *aliases,
        row["notes"], pinyin_of=row["name"],
    )
    keys = [("email", normalize.email_key(e)) for e in emails]
    phone_keys = lists.get("phone_keys")
    keys += [("phone", phone_keys[p] if phone_keys else _phone_key(p, region)) for p in phones]
    keys += [("tag", t.lower()) for t in tags]
    if row.get("uid"):
        keys.append(("uid", row["uid"]))
    sources = lists["sources"] if "sources" in lists else _list(row.get("sources") or "[]")
    keys += [("source", s) for s in sources]
    return doc, name_document(row["name"], aliases), keys


def _phone_key(phone: str, region: str | None) -> str:
    try:
        return normalize.phone_key(phone, region)
    except InvalidData:  # a number stored before phones were checked this strictly
        return validate.phone_key(phone)


class ContactStore(UnitOfWork):
    """Contacts and their derived columns."""

    _region: str | None | bool = False

    def region(self) -> str | None:
        """The country phones without a +code belong to: the `region` setting, else the locale's."""
        if self._region is False:
            self._region = normalize.default_region(self.setting("region"), os.environ)
        return self._region  # type: ignore[return-value]

    def duplicates_of(
        self, emails: list[str], phones: list[str], *, other_than: int | None = None
    ) -> list[tuple[str, str, int, str]]:
        """Live contacts (not `other_than`) that already have one of these e-mails or phones:
        (what, value, id, name) each."""
        found = []
        region = self.region()
        probes = [("e-mail", e, "email", normalize.email_key(e)) for e in emails]
        probes += [("phone", p, "phone", _phone_key(p, region)) for p in phones]
        for what, value, kind, key in probes:
            for contact_id, name in self.conn.execute(
                "SELECT c.id, c.name FROM contact_key k JOIN contact c ON c.id = k.contact_id"
                " WHERE k.kind = ? AND k.value = ? AND c.deleted_at IS NULL AND c.id IS NOT ?"
                " ORDER BY c.id LIMIT 3",
                (kind, key, other_than),
            ):
                found.append((what, value, contact_id, name))
        return found

    def _refuse_duplicates(self, values: dict[str, Any], other_than: int | None = None) -> None:
        emails = json.loads(values["emails"]) if "emails" in values else []
        phones = json.loads(values["phones"]) if "phones" in values else []
        hits = self.duplicates_of(emails, phones, other_than=other_than)
        if hits:
            what, value, contact_id, name = hits[0]
            raise DuplicateContact(
                f"{what} {value} already belongs to #{contact_id} {name}: use that contact, or add"
                " --allow-duplicate to keep both",
                contact_id, what, value,
            )

    def name_neighbours(self, name: str, org: str | None, *, limit: int = 200) -> list[Contact]:
        """Live contacts whose name shares a word (or pinyin) with `name`: candidates for a warning."""
        words = name.split()
        probes = [textindex.match_expression(words[0])] if words else []
        pinyin = textindex.pinyin_tokens(name)
        if pinyin:  # 张伟 and 章伟 sound alike: their full pinyin is one token
            probes.append(textindex.match_expression(pinyin[1]))
        match = " OR ".join(f"({p})" for p in probes if p)
        if not match:
            return []
        cur = self.conn.execute(
            "SELECT c.* FROM contact c WHERE c.id IN (SELECT rowid FROM contact_fts"
            " WHERE contact_fts MATCH ?) AND c.deleted_at IS NULL LIMIT ?",
            (match, limit),
        )
        cols = [d[0] for d in cur.description]
        return [contact_record(dict(zip(cols, row))) for row in cur]

    def _index_contact(self, contact_id: int) -> None:
        """Rewrite the search document and the e-mail/phone/tag keys of one contact."""
        self.conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (contact_id,))
        self.conn.execute("DELETE FROM contact_name_fts WHERE rowid = ?", (contact_id,))
        self.conn.execute("DELETE FROM contact_key WHERE contact_id = ?", (contact_id,))
        row = self._row("contact", contact_id)
        if row is None:
            return
        doc, names, keys = index_entries(row, self.region())
        self.conn.execute("INSERT INTO contact_fts(rowid, doc) VALUES (?, ?)", (contact_id, doc))
        self.conn.execute("INSERT INTO contact_name_fts(rowid, name) VALUES (?, ?)", (contact_id, names))
        self.conn.executemany(
            "INSERT INTO contact_key(contact_id, kind, value) VALUES (?, ?, ?)",
            [(contact_id, kind, value) for kind, value in keys],
        )

    def _org_named(self, name: str) -> int | None:
        """The live organisation contact of this name (any case), if there is one."""
        hit = self.conn.execute(
            "SELECT id FROM contact WHERE kind = 'org' AND name = ? COLLATE NOCASE AND deleted_at IS NULL",
            (name,),
        ).fetchone()
        return hit[0] if hit else None

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

    def _contact_values(
        self,
        fields: dict[str, Any],
        existing: Contact | None = None,
        *,
        org_cache: dict[str, int | None] | None = None,
        now: str | None = None,
        lists: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Validate and convert user-level contact fields to column values.

        A bulk write passes `now` (the change's time, formatted once) and `lists`, which
        receives the lists as Python values (and each phone's key) for `index_entries`.
        """
        values: dict[str, Any] = {}
        if "name" in fields:
            if not (fields["name"] or "").strip():
                raise InvalidData("a contact needs a name")
            values["name"] = validate.check_name(fields["name"])
            values["name_sort"] = textindex.sort_key(values["name"])
        if "kind" in fields and fields["kind"] is not None:
            if fields["kind"] not in ("person", "org"):
                raise InvalidData(f"invalid kind '{fields['kind']}': use person or org")
            values["kind"] = fields["kind"]
        for key in ("title", "notes", "owner", "tier"):
            if key in fields:
                values[key] = (fields[key] or "").strip() or None
        if "owner" in values and values["owner"] != (existing.get("owner") if existing else None):
            values["owner_since"] = (now or utc_iso(self.now())) if values["owner"] else None
        if "org" in fields:
            org = (fields["org"] or "").strip() or None
            values["org"] = org
            values["org_id"] = None
            if org and org_cache is not None and org.lower() in org_cache:
                values["org_id"] = org_cache[org.lower()]
            elif org:
                values["org_id"] = self._org_named(org)
                if org_cache is not None:
                    org_cache[org.lower()] = values["org_id"]
        if lists is None:
            lists = {}
        if "emails" in fields:
            emails = (normalize.email(e) for e in fields["emails"] if e and e.strip())
            kept = lists["emails"] = validate.dedupe(emails, key=normalize.email_key)
            values["emails"] = json_list(kept)
        if "phones" in fields:
            # kept as the user wrote them (trimmed), matched by their E.164 key (index_entries)
            region = self.region()
            written = [" ".join(p.split()) for p in fields["phones"] if p and p.strip()]
            # normalize.phone refuses a word
            keys = lists["phone_keys"] = {p: normalize.phone(p, region).key for p in written}
            kept = lists["phones"] = validate.dedupe(written, key=keys.__getitem__)
            values["phones"] = json_list(kept)
        if "addresses" in fields:
            values["addresses"] = json_list(validate.dedupe(fields["addresses"]))
        if "tags" in fields:
            tags = lists["tags"] = validate.dedupe(t.lstrip("#") for t in fields["tags"])
            for tag in tags:
                if any(ch.isspace() for ch in tag):
                    raise InvalidData(f"invalid tag '{tag}': no spaces in tags")
            values["tags"] = json_list(tags)
        if "uid" in fields:
            values["uid"] = (fields["uid"] or "").strip() or None
        if "sources" in fields:
            sources = lists["sources"] = validate.dedupe(fields["sources"] or [], key=str)
            values["sources"] = json_list(sources)
        if "labels" in fields:  # {"+1 202 555 0100": "cell"}: only text, only for a value it has
            labels = {
                str(k).strip(): str(v).strip() for k, v in (fields["labels"] or {}).items()
                if str(k).strip() and str(v).strip()
            }  # fmt: skip
            values["labels"] = json.dumps(labels, ensure_ascii=False) if labels else "{}"
        if "aliases" in fields:
            aliases = lists["aliases"] = validate.dedupe(fields["aliases"])
            values["aliases"] = json_list(aliases)
        if "birthday_lunar" in fields and fields["birthday_lunar"] is not None:
            values["birthday_lunar"] = 1 if fields["birthday_lunar"] else 0
        if "birthday" in fields or "birthday_lunar" in values:
            from ..dates import parse_birthday

            old: dict[str, Any] = dict(existing) if existing else {}
            bday = fields["birthday"] if "birthday" in fields else old.get("birthday")
            lunar = bool(values.get("birthday_lunar", old.get("birthday_lunar")))
            values["birthday"] = parse_birthday(bday, lunar=lunar) if bday else None
        if "anniversaries" in fields:
            from ..dates import parse_birthday

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
                from ..dates import parse_duration

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

    def add_contact(self, name: str, *, allow_duplicate: bool = True, **fields: Any) -> Contact:
        """Create a contact; returns its record.

        With `allow_duplicate=False` (what `contact add` and the TUI pass) an e-mail or phone
        that another contact already has is refused (Conflict naming that contact).
        """
        unknown = set(fields) - CONTACT_FIELDS
        if unknown:
            raise InvalidData(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        fields.setdefault("owner", self.user)
        with self.write(f"contact add {name}"):
            values = self._contact_values({"name": name, **fields})
            if not allow_duplicate:
                self._refuse_duplicates(values)
            now = utc_iso(self.now())
            values.update(created_at=now, updated_at=now)
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
        set_fields: dict[str, str] | None = None,
        unset_fields: Iterable[str] = (),
        allow_duplicate: bool = True,
        **fields: Any,
    ) -> Contact:
        """Change fields of a contact; list fields can be added to or removed from.

        The record is read inside the write transaction, so an edit made by another
        process meanwhile (a tag added) is the base of this one, never overwritten.
        `allow_duplicate=False` refuses an e-mail or phone another contact already has.
        """
        unknown = set(fields) - CONTACT_FIELDS
        if unknown:
            raise InvalidData(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        with self.write("contact edit") as unit:
            current = self.get_contact(contact_id, include_trash=True)
            unit.name(f"contact edit {current['name']}")
            self._edit_contact(
                current, list(add_tags), list(rm_tags), list(add_emails), list(add_phones),
                set_fields, list(unset_fields), fields, allow_duplicate,
            )
        return self.get_contact(contact_id, include_trash=True)

    def _edit_contact(
        self,
        current: Contact,
        add_tags: list[str],
        rm_tag_list: list[str],
        add_emails: list[str],
        add_phones: list[str],
        set_fields: dict[str, str] | None,
        unset_fields: list[str],
        fields: dict[str, Any],
        allow_duplicate: bool = True,
    ) -> None:
        contact_id = current["id"]
        rm_tags = {t.lower().lstrip("#") for t in rm_tag_list}
        if add_tags or rm_tags:
            tags = fields.get("tags", current["tags"])
            fields["tags"] = [t for t in [*tags, *add_tags] if t.lower() not in rm_tags]
        if add_emails:
            fields["emails"] = [*fields.get("emails", current["emails"]), *add_emails]
        if add_phones:
            fields["phones"] = [*fields.get("phones", current["phones"]), *add_phones]
        if set_fields or unset_fields:
            custom = dict(fields.get("fields", current["fields"]))
            custom.update(set_fields or {})
            for key in unset_fields:
                custom.pop(key, None)
            fields["fields"] = custom
        values = self._contact_values(fields, current)
        if not values:
            return
        if not allow_duplicate:
            self._refuse_duplicates(values, other_than=contact_id)
        values["updated_at"] = utc_iso(self.now())
        self._update("contact", contact_id, values)
        self._index_contact(contact_id)
        self._touch(contact_id)

    def get_contact(self, contact_id: int, *, include_trash: bool = False) -> Contact:
        """One contact's record, or NotFound."""
        row = self._row("contact", contact_id)
        if row is None or (row["deleted_at"] and not include_trash):
            raise NotFound(f"no contact with id {contact_id}")
        return contact_record(row)

    def resolve(self, ref: str, *, include_trash: bool = False) -> Contact:
        """A contact from a REF: id, exact e-mail or phone, or a unique part of a name."""
        ref = (ref or "").strip()
        if not ref:
            raise NotFound("empty contact reference")
        live = "" if include_trash else " AND c.deleted_at IS NULL"
        if ref.isdigit():
            if int(ref) > validate.MAX_ID:
                raise NotFound(f"no contact with id {ref}")
            row = self.conn.execute(
                f"SELECT c.id FROM contact c WHERE c.id = ?{live}", (int(ref),)
            ).fetchone()
            if row:
                return self.get_contact(row[0], include_trash=include_trash)
        if "@" in ref:
            ids = self._ids(
                "SELECT DISTINCT c.id FROM contact_key k JOIN contact c ON c.id = k.contact_id"
                f" WHERE k.kind = 'email' AND k.value = ?{live}",
                (normalize.email_key(ref),),
            )
            return self._one(ref, ids, include_trash)
        if normalize.looks_like_phone(ref):
            ids = self._ids(
                "SELECT DISTINCT c.id FROM contact_key k JOIN contact c ON c.id = k.contact_id"
                f" WHERE k.kind = 'phone' AND k.value = ?{live}",
                (_phone_key(ref, self.region()),),
            )
            if ids:
                return self._one(ref, ids, include_trash)
        # a part of a name (or of a name it was merged from), case-insensitive
        like = "%" + like_escape(ref) + "%"
        if textindex.has_cjk(ref) and (match := textindex.match_expression(ref)):
            # CJK characters are single tokens: a phrase of them is a substring
            candidates = "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?"
        elif len(ref) >= 3 and "\x00" not in ref:  # FTS5 reads a query string only up to a NUL
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
        if not ids and ref.isascii() and ref.isalpha():
            ids = self._pinyin_ids(ref.lower(), live)
        if len(ids) > 1:
            exact = self._ids(
                f"SELECT c.id FROM contact c WHERE c.name = ? COLLATE NOCASE{live}", (ref,)
            )
            if len(exact) == 1:
                ids = exact
        return self._one(ref, ids, include_trash)

    def _pinyin_ids(self, ref: str, live: str) -> list[int]:
        """Chinese names whose pinyin initials or full pinyin are `ref` (`zw`, `zhangwei` → 张伟)."""
        rows = self.conn.execute(
            f"SELECT c.id, c.name FROM contact c WHERE c.id IN (SELECT rowid FROM contact_fts"
            f" WHERE contact_fts MATCH ?){live} ORDER BY c.id LIMIT 200",
            ('"' + ref + '"',),
        ).fetchall()
        return [cid for cid, name in rows if ref in textindex.pinyin_tokens(name)][:51]

    def _one(self, ref: str, ids: list[int], include_trash: bool) -> Contact:
        if not ids:
            raise NotFound(f"no contact matches '{ref}'")
        if len(ids) == 1:
            return self.get_contact(ids[0], include_trash=include_trash)
        rows = self.conn.execute(
            f"SELECT id, name, org FROM contact WHERE id IN ({','.join('?' * len(ids[:10]))})"
            " ORDER BY name",
            ids[:10],
        ).fetchall()
        shown = "; ".join(f"{r[0]} {r[1]}" + (f" ({r[2]})" if r[2] else "") for r in rows)
        more = f" and {len(ids) - 10}+ more" if len(ids) > 10 else ""
        raise Ambiguous(
            f"'{ref}' matches {len(ids)}{'+' if len(ids) > 50 else ''} contacts: {shown}{more}",
            [{"id": r[0], "name": r[1], "org": r[2]} for r in rows],
        )

    def trash_contact(self, contact_id: int) -> Contact:
        """Move a contact to the trash (nothing is deleted)."""
        with self.write("contact rm") as unit:
            contact = self.get_contact(contact_id)
            unit.name(f"contact rm {contact['name']}")
            now = utc_iso(self.now())
            self._update("contact", contact_id, {"deleted_at": now, "updated_at": now})
        return self.get_contact(contact_id, include_trash=True)

    def restore_contact(self, contact_id: int) -> Contact:
        """Bring a contact back from the trash."""
        with self.write("contact restore") as unit:
            contact = self.get_contact(contact_id, include_trash=True)
            if not contact["deleted_at"]:
                raise Conflict(f"contact {contact_id} ({contact['name']}) is not in the trash")
            unit.name(f"contact restore {contact['name']}")
            self._update(
                "contact", contact_id, {"deleted_at": None, "updated_at": utc_iso(self.now())}
            )
        return self.get_contact(contact_id)

    def forget_contact(self, contact_id: int) -> Contact:
        """Erase a contact for good: its rows, its search entries and its history.

        Then no byte of it remains in the file or its WAL: freed pages are overwritten
        (`secure_delete`), the full-text indexes are rewritten without its words (`optimize`;
        a deleted FTS5 row's tokens otherwise stay in the index segments), and the WAL,
        which still holds the old pages, is checkpointed and truncated.
        """
        self.conn.execute("PRAGMA secure_delete = ON")  # overwrite freed pages too
        try:
            with self.write("contact forget"):
                contact = self.get_contact(contact_id, include_trash=True)
                self._erase_history_of([contact_id])
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
                self._erase_keys(prefixes)
                self.conn.execute("DELETE FROM contact WHERE id = ?", (contact_id,))
                self._compact_indexes()
            self._truncate_wal()
        finally:
            self.conn.execute("PRAGMA secure_delete = OFF")
        return contact

    def _erase_keys(self, prefixes: list[str]) -> None:
        """Occurrence, notification and their history rows under these key prefixes."""
        for prefix in prefixes:
            like = like_escape(prefix) + "%"
            self.conn.execute("DELETE FROM occurrence WHERE key LIKE ? ESCAPE '\\'", (like,))
            self.conn.execute("DELETE FROM notified WHERE key LIKE ? ESCAPE '\\'", (like,))
            self.conn.execute(
                "DELETE FROM history WHERE tbl = 'occurrence'"
                " AND json_extract(after, '$.key') LIKE ? ESCAPE '\\'",
                (like,),
            )

    def _erase_history_of(self, contact_ids: list[int]) -> None:
        """Every history row about these contacts, and the occurrences named after their records."""
        for contact_id in contact_ids:
            prefixes = [f"{kind}:{contact_id}:" for kind in ("birthday", "anniversary", "cadence")]
            for tbl, prefix in (("deal", "deal-close"), ("deal", "deal-stale"), ("reminder", "reminder")):
                prefixes += [
                    f"{prefix}:{row_id}:"
                    for row_id in self._ids(
                        "SELECT DISTINCT row_id FROM history WHERE tbl = ? AND contact_id = ?",
                        (tbl, contact_id),
                    )
                ]
            self._erase_keys(prefixes)
            self.conn.execute("DELETE FROM history WHERE contact_id = ?", (contact_id,))

    def _compact_indexes(self) -> None:
        for table in ("contact_fts", "contact_name_fts", "interaction_fts"):
            self.conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def _truncate_wal(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def forgotten_matches(self, ref: str) -> list[int]:
        """Contacts that live only in history (an undone add, say) whose name or e-mail has `ref`."""
        needle = (ref or "").strip().lower()
        if not needle:
            return []
        ids = []
        for contact_id, before, after in self.conn.execute(
            "SELECT h.row_id, h.before, h.after FROM history h WHERE h.tbl = 'contact'"
            " AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.id = h.row_id) ORDER BY h.id"
        ):
            for text in (before, after):
                record = json.loads(text) if text else {}
                words = [record.get("name") or "", *json.loads(record.get("emails") or "[]")]
                if any(needle in w.lower() for w in words) or needle == str(contact_id):
                    ids.append(contact_id)
                    break
        return sorted(set(ids))

    def forget_history(self, contact_ids: list[int]) -> None:
        """Erase what history still holds of contacts that no longer exist (see forgotten_matches)."""
        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.write("contact forget"):
                self._erase_history_of(contact_ids)
                self._compact_indexes()
            self._truncate_wal()
        finally:
            self.conn.execute("PRAGMA secure_delete = OFF")

    def list_contacts(
        self,
        filter_text: str = "",
        *,
        sort: str = "name",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Contact]:
        """Contacts matching a filter of the filter language, sorted in SQL.

        Names sort as they are spoken (张伟 among the Zs): by the stored `name_sort`
        (`textindex.sort_key`), so the first page of 100,000 names is an index walk.
        """
        where, params = self._contact_where(filter_text)
        order = self._contact_order(sort)
        sql = f"SELECT c.* FROM contact c WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [contact_record(dict(zip(cols, row))) for row in cur]

    def dedupe_records(self) -> list[tuple[int, str, str, str | None, list[str], list[str]]]:
        """What duplicate finding reads of every live contact, by id: six columns as tuples, not records.

        `(id, kind, name, org, emails, phones)`: on 100,000 contacts, building full records
        (seven JSON columns each) took longer than scoring them, and one `json.loads` of all
        the e-mail lists (then of all the phone lists) takes a fifth of one call per list.
        """
        rows = self.conn.execute(
            "SELECT id, kind, name, org, emails, phones FROM contact WHERE deleted_at IS NULL ORDER BY id"
        ).fetchall()
        emails = json.loads("[" + ",".join(row[4] or "[]" for row in rows) + "]")
        phones = json.loads("[" + ",".join(row[5] or "[]" for row in rows) + "]")
        return [(i, kind, name, org, mails, numbers)
                for (i, kind, name, org, _, _), mails, numbers in zip(rows, emails, phones, strict=True)]

    def match_index(self) -> dict[str, dict[str, int]]:
        """Every look-up key of every contact (trash included) → its id: what an import matches on.

        One pass over `contact_key`: `{"email": {...}, "phone": {...}, "uid": {...}, "source": {...}}`,
        plus `name_org` → id for contacts with none of the strong keys.
        """
        index: dict[str, dict[str, int]] = {"email": {}, "phone": {}, "uid": {}, "source": {}, "name_org": {}}
        for kind, value, contact_id in self.conn.execute(
            "SELECT kind, value, contact_id FROM contact_key WHERE kind != 'tag' ORDER BY contact_id"
        ):
            index[kind].setdefault(value, contact_id)
        for contact_id, name, org in self.conn.execute(
            "SELECT id, name, org FROM contact c WHERE NOT EXISTS"
            " (SELECT 1 FROM contact_key k WHERE k.contact_id = c.id AND k.kind != 'tag') ORDER BY id"
        ):
            key = " ".join(name.split()).casefold() + "\n" + " ".join((org or "").split()).casefold()
            index["name_org"].setdefault(key, contact_id)
        return index

    def contacts_by_id(self, contact_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """These contacts' records (trash included) with their `uid` and `sources`, read in chunks.

        What an import merges into: one query per 500 matched contacts, not two per row.
        """
        from .base import chunks

        out: dict[int, dict[str, Any]] = {}
        for chunk in chunks(sorted(contact_ids)):
            marks = ",".join("?" * len(chunk))
            cur = self.conn.execute(f"SELECT * FROM contact WHERE id IN ({marks})", chunk)
            cols = [d[0] for d in cur.description]
            for values in cur:
                row = dict(zip(cols, values))
                record: dict[str, Any] = dict(contact_record(row))
                record["uid"], record["sources"] = row["uid"], _list(row["sources"])
                out[row["id"]] = record
        return out

    def uid_and_sources(self, contact_ids: Iterable[int]) -> dict[int, tuple[str | None, list[str]]]:
        """The stored vCard UID and source ids of these contacts."""
        from .base import chunks

        out: dict[int, tuple[str | None, list[str]]] = {}
        for chunk in chunks(contact_ids):
            for contact_id, uid, sources in self.conn.execute(
                f"SELECT id, uid, sources FROM contact WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[contact_id] = (uid, _list(sources))
        return out

    def members(self, org_id: int) -> list[Contact]:
        """The people of an organisation (not in the trash), by name."""
        cur = self.conn.execute(
            "SELECT c.* FROM contact c WHERE c.org_id = ? AND c.deleted_at IS NULL"
            " ORDER BY c.name_sort, c.id",
            (org_id,),
        )
        cols = [d[0] for d in cur.description]
        return [contact_record(dict(zip(cols, row))) for row in cur]

    def count_contacts(self, filter_text: str = "") -> int:
        """How many contacts match a filter."""
        from .. import query

        match = query.text_match(query.parse(filter_text or ""))
        if match is not None:
            # text alone: counted in the search index, which holds every contact, trash
            # included, and nothing else (`check` reports any entry without its contact),
            # less the trashed ones; no contact row is read (2,300 of them for 'ada')
            return int(self.conn.execute(
                "SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?"
                " AND rowid NOT IN (SELECT id FROM contact WHERE deleted_at IS NOT NULL)",
                (match,),
            ).fetchone()[0])
        where, params = self._contact_where(filter_text)
        return int(self.conn.execute(f"SELECT count(*) FROM contact c WHERE {where}", params).fetchone()[0])

    def _contact_where(self, filter_text: str) -> tuple[str, list[Any]]:
        from .. import query

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

