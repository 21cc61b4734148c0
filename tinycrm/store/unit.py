"""The unit of work: one `BEGIN IMMEDIATE` transaction per change, its history, and undo.

Every write — and every read a write depends on — happens inside `Store.write()`, so two
processes editing the same record take turns instead of overwriting each other (a deferred
transaction that reads and then writes fails at once under WAL, and a read made before the
transaction would be stale). Every change to a user-visible row is recorded in `history`
(who, when, before, after) under one transaction id, which is what `undo` takes back.
Derived columns (last-contacted time, next keep-in-touch date, the search index and the
e-mail/phone/tag keys) are not history: they are recomputed from the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ..dates import utc_iso
from ..errors import Busy, Conflict, CrmError, NotFound
from ..lazy import json
from .base import StoreBase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Unit:
    """One open write transaction: its history id and the words history will show for it."""

    __slots__ = ("txid", "command", "named", "touched", "retier")

    def __init__(self, txid: int, command: str, *, named: bool = False) -> None:
        self.txid = txid
        self.command = command
        self.named = named
        self.touched: set[int] = set()
        """Contacts this change touched: their health and tier are brought up to date before commit."""
        self.retier = True
        """False for undo: the tiers it puts back are those history recorded, rules or not."""

    def name(self, command: str) -> None:
        """Name the change once it is known what it is about (`log Ada Lovelace`).

        The first name wins: a store method run inside a service's or a command's unit
        (an import editing contacts, a hand-over) does not rename the whole change.
        """
        if not self.named:
            self.command, self.named = command, True


def storage_error(exc: sqlite3.Error, path: object) -> CrmError:
    """An SQLite failure during a write, in words a person can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        from .connection import BUSY_TIMEOUT_S

        return Busy(
            f"the book {path} is busy: another tinycrm has been writing to it for over "
            f"{BUSY_TIMEOUT_S} s; nothing was written — try again in a moment"
        )
    if "readonly" in text:
        return CrmError(f"cannot write {path}: the file or its folder is read-only")
    if "disk is full" in text or "disk I/O" in text:
        return CrmError(f"cannot write {path}: {text}; nothing was written")
    return CrmError(f"cannot write {path}: {text}")


class UnitOfWork(StoreBase):
    """Transactions, history and undo."""

    @contextmanager
    def write(self, command: str, *, named: bool = False) -> Iterator[Unit]:
        """One `BEGIN IMMEDIATE` transaction; all history rows in it share one txid.

        Nested calls join the outer transaction (a service that logs and adds a follow-up,
        or a command that prints its result before it commits, is still one change). With
        `named` the command is the change's final name; else the first `Unit.name` sets it.
        """
        if self._unit is not None:
            yield self._unit
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise storage_error(exc, self.path) from None
        try:
            # history ids never come back (AUTOINCREMENT): the next one names this change
            row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'history'").fetchone()
            self._unit = Unit((row[0] if row else 0) + 1, command, named=named)
            yield self._unit
            if self._unit.touched:
                touched, self._unit.touched = self._unit.touched, set()
                self._derive(touched, retier=self._unit.retier)
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise storage_error(exc, self.path) from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._unit = None

    def _derive(self, contact_ids: set[int], *, retier: bool = True) -> None:
        """Keep what is derived from a contact's records current: its health and tier (by the rules)."""
        from .health import recompute_health

        ids = sorted(contact_ids)
        recompute_health(self, self.now(), ids)  # type: ignore[arg-type]
        if retier and self.setting("tiers"):  # no rules, nothing to import (a start-up cost)
            from .tiers import apply_tiers

            apply_tiers(self, contact_ids=ids)  # type: ignore[arg-type]  # a rule may read health

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _log(
        self,
        table: str,
        row_id: int,
        op: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        unit = self._unit
        assert unit is not None, "writes must happen inside Store.write()"
        source = after or before or {}
        contact_id = row_id if table == "contact" else source.get("contact_id")
        if contact_id is None and source.get("deal_id") is not None:  # deal_stage rows
            hit = self.conn.execute(
                "SELECT contact_id FROM deal WHERE id = ?", (source["deal_id"],)
            ).fetchone()
            contact_id = hit[0] if hit else None
        if contact_id is not None and op != "bulk":
            unit.touched.add(contact_id)
        self.conn.execute(
            "INSERT INTO history(txid, at, user, command, tbl, row_id, contact_id, op, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                unit.txid,
                utc_iso(self.now()),
                self.user,
                unit.command,
                table,
                row_id,
                contact_id,
                op,
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
            ),
        )

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
        row_id = cur.lastrowid
        assert row_id is not None
        self._log(table, row_id, "insert", None, self._row(table, row_id))
        return row_id

    def _update(self, table: str, row_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        before = self._row(table, row_id)
        if before is None:
            raise NotFound(f"no {table} {row_id}")
        changes = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changes or set(changes) <= {"updated_at"}:
            return before  # a change that changes nothing is not history
        sets = ", ".join(f"{col} = ?" for col in changes)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*changes.values(), row_id))
        after = self._row(table, row_id)
        assert after is not None
        self._log(table, row_id, "update", before, after)
        return after

    def _delete(self, table: str, row_id: int) -> dict[str, Any]:
        before = self._row(table, row_id)
        if before is None:
            raise NotFound(f"no {table} {row_id}")
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        self._log(table, row_id, "delete", before, None)
        return before

    # ------------------------------------------------------------ history and undo

    def history(self, contact_id: int | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
        """The rows of the newest `limit` changes, newest first, of one contact or of everything."""
        # `limit` counts changes, not rows: a change is never cut in half
        where, params = ("WHERE contact_id = ?", [contact_id]) if contact_id is not None else ("", [])
        sql = (
            f"SELECT * FROM history WHERE txid IN (SELECT DISTINCT txid FROM history {where}"
            " ORDER BY txid DESC LIMIT ?)"
        )
        params.append(limit)
        if contact_id is not None:
            sql += " AND contact_id = ?"
            params.append(contact_id)
        sql += " ORDER BY id DESC"
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

    def names_of(self, table: str, ids: Iterable[int]) -> dict[int, str]:
        """Names of contacts (trash included) or titles of deals, by id: what history rows do not carry."""
        column = {"contact": "name", "deal": "title"}[table]
        out: dict[int, str] = {}
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            out.update(
                self.conn.execute(
                    f"SELECT id, {column} FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            )
        return out

    def undo(self) -> dict[str, Any]:
        """Take back the acting user's own most recent change not yet undone.

        A colleague's change is never taken back; a change that someone else has built on
        since (a later change to the same record) is refused with an error naming it.
        """
        with self.write("undo"):
            row = self.conn.execute(
                "SELECT txid, command, user, at FROM history WHERE undone_at IS NULL AND user = ?"
                " ORDER BY txid DESC LIMIT 1",
                (self.user,),
            ).fetchone()
            if row is None:
                raise Conflict(f"nothing to undo (of yours, {self.user})")
            txid, command, user, at = row
            entries = self.conn.execute(
                "SELECT tbl, row_id, op, before, after FROM history WHERE txid = ? ORDER BY id DESC",
                (txid,),
            ).fetchall()
            later = self.conn.execute(
                "SELECT h.user, h.command, h.at FROM history h JOIN history mine ON mine.txid = ?"
                " AND ((mine.tbl = h.tbl AND mine.row_id = h.row_id) OR (mine.tbl = 'contact'"
                " AND mine.op = 'insert' AND h.contact_id = mine.row_id))"
                " WHERE h.txid > ? AND h.undone_at IS NULL AND h.tbl != 'occurrence'"
                " ORDER BY h.id DESC LIMIT 1",
                (txid, txid),
            ).fetchone()
            if later is not None:
                who, what, when = later
                raise Conflict(
                    f"cannot undo '{command}': {who} has changed the same record since"
                    f" ('{what}', {when}); undo that first"
                )
            touched: set[int] = set()
            staged: set[int] = set()  # deals whose stage history changed
            for table, row_id, op, before_text, after_text in entries:
                before = json.loads(before_text) if before_text else None
                after = json.loads(after_text) if after_text else None
                if op == "bulk":
                    touched |= self._revert_bulk(table, after or {"ids": []})
                    continue
                try:
                    self._revert(table, row_id, op, before, after)
                except sqlite3.IntegrityError:
                    raise Conflict(
                        f"cannot undo '{command}': it refers to a record that was erased for good"
                        " (contact forget) or changed since"
                    ) from None
                for rec in (before, after):
                    if rec:
                        cid = row_id if table == "contact" else rec.get("contact_id")
                        if cid:
                            touched.add(cid)
                staged.update(_deals_of(table, row_id, before, after))
            self._restage(staged)  # history written before deal.reached existed does not hold it
            for cid in touched:  # a contact gone by the undo loses its index entries here
                self._index_contact(cid)
                self._touch(cid)
            assert self._unit is not None
            self._unit.touched |= touched  # and its health follows
            self._unit.retier = False
            self.conn.execute(
                "UPDATE history SET undone_at = ? WHERE txid = ?", (utc_iso(self.now()), txid)
            )
        return {"txid": txid, "command": command, "user": user, "at": at, "changes": len(entries)}

    def redo(self) -> dict[str, Any]:
        """Do again the change the acting user's most recent undo took back.

        Refused when anything touched the same records after that undo (redoing would
        overwrite it), and for an import (its rows are gone: import the file again).
        """
        with self.write("redo", named=True):
            row = self.conn.execute(
                "SELECT txid, command, undone_at FROM history WHERE user = ? AND undone_at IS NOT NULL"
                " ORDER BY undone_at DESC, txid ASC LIMIT 1",  # undo walks back: the oldest undone last
                (self.user,),
            ).fetchone()
            if row is None:
                raise Conflict(f"nothing to redo (of yours, {self.user})")
            txid, command, undone_at = row
            later = self.conn.execute(
                "SELECT h.user, h.command FROM history h JOIN history mine ON mine.txid = ?"
                " AND mine.tbl = h.tbl AND mine.row_id = h.row_id WHERE h.txid > ?"
                " AND h.undone_at IS NULL AND h.tbl != 'occurrence' ORDER BY h.id DESC LIMIT 1",
                (txid, txid),
            ).fetchone()
            if later is not None:
                who, what = later
                raise Conflict(f"cannot redo '{command}': {who} has changed the same record since ('{what}')")
            entries = self.conn.execute(
                "SELECT tbl, row_id, op, before, after FROM history WHERE txid = ? ORDER BY id", (txid,)
            ).fetchall()
            if any(op == "bulk" for _, _, op, _, _ in entries):
                raise Conflict(f"cannot redo '{command}': an import is not redone — import the file again")
            touched: set[int] = set()
            staged: set[int] = set()  # deals whose stage history changed
            for table, row_id, op, before_text, after_text in entries:
                before = json.loads(before_text) if before_text else None
                after = json.loads(after_text) if after_text else None
                reverse = {"insert": "delete", "delete": "insert", "update": "update"}[op]
                try:
                    self._revert(table, row_id, reverse, after, before)
                except sqlite3.IntegrityError:
                    raise Conflict(f"cannot redo '{command}': a record it needs was erased since") from None
                for rec in (before, after):
                    if rec:
                        cid = row_id if table == "contact" else rec.get("contact_id")
                        if cid:
                            touched.add(cid)
                staged.update(_deals_of(table, row_id, before, after))
            self._restage(staged)
            for cid in touched:
                self._index_contact(cid)
                self._touch(cid)
            assert self._unit is not None
            self._unit.touched |= touched
            self._unit.retier = False
            self.conn.execute("UPDATE history SET undone_at = NULL WHERE txid = ?", (txid,))
        return {"txid": txid, "command": command, "changes": len(entries)}

    def _revert(
        self,
        table: str,
        row_id: int,
        op: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        if table == "occurrence":
            key = (after or before or {}).get("key")
            self.conn.execute("DELETE FROM occurrence WHERE key = ?", (key,))
            if before:
                self.conn.execute(
                    "INSERT INTO occurrence(key, state, until, at) VALUES (?, ?, ?, ?)",
                    (before["key"], before["state"], before["until"], before["at"]),
                )
            return
        if before is not None:
            before = self._live_references(before)
            if table == "contact" and "name" in before:  # history from before migration 4 lacks it
                from ..textindex import sort_key

                before["name_sort"] = sort_key(before["name"])
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

    def _live_references(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row to put back, its optional links to records erased since (forget) let go."""
        row = dict(row)
        for column, target in (("org_id", "contact"), ("deal_id", "deal"), ("interaction_id", "interaction")):
            ref = row.get(column)
            if ref is not None and self._row(target, ref) is None:
                row[column] = None
        return row


def _deals_of(
    table: str, row_id: int, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> set[int]:
    """The deals a history entry changed the stage of (a deal row, or a row of its stage history)."""
    if table == "deal":
        return {row_id}
    if table == "deal_stage":
        return {rec["deal_id"] for rec in (before, after) if rec}
    return set()


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    if before is None or after is None:
        return {}
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v and k != "updated_at"}
