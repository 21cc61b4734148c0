"""Backups, restore and the book's own check: what keeps years of customer history safe."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import CrmError, InvalidData
from .connection import BUSY_TIMEOUT_S, backup, check_schema
from .schema import REACHED_SQL
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def inspect_book(path: Path) -> dict[str, Any]:
    """What a file is, read without changing it: its schema version and contact count; CrmError if no book."""
    if not path.is_file():
        raise InvalidData(f"no file at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise InvalidData(f"{path} cannot be opened: {exc}") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        check_schema(path, version, tables)
        if not version:
            raise InvalidData(f"{path} is an empty SQLite file, not a tinycrm book")
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise InvalidData(f"{path} is damaged: {problems[0]}")
        contacts = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InvalidData(f"{path} is not a tinycrm book ({exc})") from None
    finally:
        conn.close()
    return {"path": str(path), "schema": version, "contacts": contacts}


class SafetyStore(UnitOfWork):
    """Backup, restore and check of the open book."""

    def backup_to(self, target: Path) -> Path:
        """A consistent copy while others write (SQLite's backup API), 0600, written then renamed."""
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        from .sharing import shared_mode

        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)
        backup(self.conn, partial)
        os.chmod(partial, shared_mode(self.path))  # 0600, or 0660 for a book shared with a group
        os.replace(partial, target)
        return target

    def restore_from(self, source: Path) -> None:
        """Replace the open book's content with a checked book file, in one step under the write lock."""
        from .connection import migrate

        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(self.conn)
        finally:
            src.close()
        migrate(self.conn, self.path)

    def check(self, progress: Callable[[str], None] | None = None) -> list[str]:
        """Everything wrong with the book, in words; empty when it is sound.

        `progress` hears what is being checked before each step (a large book takes minutes)."""
        say = progress or (lambda what: None)
        say("every page of the file")
        problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        say("links between records")
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
        checks = [
            ("SELECT count(*) FROM contact c WHERE NOT EXISTS"
             " (SELECT 1 FROM contact_fts f WHERE f.rowid = c.id)",
             "contacts missing from the search index"),
            ("SELECT count(*) FROM contact_fts f WHERE NOT EXISTS"
             " (SELECT 1 FROM contact c WHERE c.id = f.rowid)",
             "search entries of contacts that no longer exist"),
            ("SELECT count(*) FROM contact c WHERE NOT EXISTS"
             " (SELECT 1 FROM contact_name_fts f WHERE f.rowid = c.id)",
             "contacts missing from the name index"),
            # interaction_id is UNINDEXED: a set (one ephemeral index), never a scan per interaction
            ("SELECT count(*) FROM interaction"
             " WHERE id NOT IN (SELECT interaction_id FROM interaction_fts)",
             "interactions missing from the search index"),
            ("SELECT count(*) FROM interaction_fts"
             " WHERE interaction_id NOT IN (SELECT id FROM interaction)",
             "search entries of interactions that no longer exist"),
            ("SELECT count(*) FROM contact c WHERE c.last_contacted_at IS NOT"
             " (SELECT MAX(at) FROM interaction i WHERE i.contact_id = c.id)",
             "contacts whose stored last-contacted time does not match their interactions"),
            (f"SELECT count(*) FROM deal WHERE reached IS NOT {REACHED_SQL.format(deal='deal.id')}",
             "deals whose stored furthest stage does not match their stage history"),
            ("SELECT count(*) FROM reminder WHERE due NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'",
             "reminders with an unreadable due date"),
        ]
        for sql, what in checks:
            say(what)
            count = self.conn.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{count} {what}")
        say("name sort keys")
        stale = self.stale_name_keys()
        if stale:
            problems.append(f"{len(stale)} contacts whose stored name sort key does not match their name")
        return problems

    def stale_name_keys(self) -> list[int]:
        """Contacts whose `name_sort` is not `textindex.sort_key(name)` (a write behind the store's back)."""
        from ..textindex import sort_key

        return [cid for cid, name, key in self.conn.execute("SELECT id, name, name_sort FROM contact")
                if sort_key(name) != key]


def rotate(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups named `prefix*.db` in `folder`; returns what went."""
    if keep < 1:
        raise CrmError("--keep must be at least 1")
    found = sorted(folder.glob(f"{prefix}*.db"))
    gone = found[:-keep]
    for path in gone:
        path.unlink()
    return gone
