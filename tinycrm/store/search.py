"""Search: contacts, deals and the newest interactions matching a text (full-text indexes)."""

from __future__ import annotations

from .. import textindex
from ..errors import InvalidData
from .base import like_escape
from .records import contact_record, deal_record, interaction_record
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class SearchStore(UnitOfWork):
    """Text search over the indexes."""

    def _newest_interactions(self, match: str, limit: int) -> list[Any]:
        """The newest interactions matching an FTS query, read in time order off the index.

        The index's rowids are time-ordered (`search_key`), so `ORDER BY rowid DESC LIMIT`
        stops after `limit` entries instead of sorting every match (120,000 of a million
        interactions for a common word took 800 ms).
        """
        found: list[Any] = []
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

    def search(self, text: str, *, limit: int = 20) -> dict[str, Any]:
        """Contacts, deals and the newest interactions matching a text."""
        text = (text or "").strip()
        if not text:
            raise InvalidData("search needs a text")
        match = textindex.match_expression(text)
        contacts: list[Any] = []
        interactions: list[Any] = []
        if match:
            cur = self.conn.execute(
                "SELECT c.* FROM contact c WHERE c.id IN (SELECT rowid FROM contact_fts"
                " WHERE contact_fts MATCH ?) AND c.deleted_at IS NULL"
                " ORDER BY c.name_sort LIMIT ?",
                (match, limit),
            )
            cols = [d[0] for d in cur.description]
            contacts = [contact_record(dict(zip(cols, r))) for r in cur]
            interactions = self._newest_interactions(match, limit)
        like = "%" + like_escape(text) + "%"
        cur = self.conn.execute(
            "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id"
            " WHERE d.title LIKE ? ESCAPE '\\' AND c.deleted_at IS NULL ORDER BY d.id DESC LIMIT ?",
            (like, limit),
        )
        cols = [d[0] for d in cur.description]
        deals = [deal_record(dict(zip(cols, r))) for r in cur]
        return {"contacts": contacts, "deals": deals, "interactions": interactions}

