"""Interactions: every contact with a customer, and their time-ordered search index."""

from __future__ import annotations

from datetime import datetime

from .. import textindex
from ..dates import check_plan_date, parse_utc, utc_iso
from ..errors import Conflict, InvalidData, NotFound
from ..models import INTERACTION_KINDS
from .records import interaction_record
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Interaction


def search_key(at: str, interaction_id: int) -> int:
    """The search-index rowid of an interaction: its UTC second, then its id's low 20 bits."""
    return int(parse_utc(at).timestamp()) * 1_048_576 + interaction_id % 1_048_576


class InteractionStore(UnitOfWork):
    """Interactions and their search index."""

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
        message_id: str | None = None,
    ) -> Interaction:
        """Record an interaction (and optionally a follow-up reminder) in one transaction.

        `message_id` is an e-mail's Message-ID: a message already recorded is refused (Conflict)."""
        summary = (summary or "").strip()
        if not summary:
            raise InvalidData("an interaction needs a text")
        if kind not in INTERACTION_KINDS:
            raise InvalidData(f"invalid kind '{kind}': use {', '.join(INTERACTION_KINDS)}")
        now = self.now()
        if at is not None:
            check_plan_date(at, "interaction date")
        if follow_up is not None:
            check_plan_date(follow_up, "follow-up date")
        when = utc_iso(at or now)
        with self.write("log") as unit:
            contact = self.get_contact(contact_id)
            unit.name(f"log {contact['name']}")
            if deal_id is not None:
                deal = self.get_deal(deal_id)
                if deal["contact_id"] != contact_id:
                    raise InvalidData(f"deal {deal_id} belongs to another contact")
            if message_id is not None:
                known = self.interaction_of_message(message_id)
                if known is not None:
                    raise Conflict(f"this message is already recorded (interaction {known['id']})")
            interaction_id = self._insert(
                "interaction",
                {
                    "message_id": message_id,
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
            self._index_interaction(
                {"id": interaction_id, "at": when, "summary": summary, "body": body}
            )
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

    def interaction_of_message(self, message_id: str) -> Interaction | None:
        """The interaction that recorded this e-mail Message-ID, if any."""
        row = self.conn.execute(
            "SELECT id FROM interaction WHERE message_id = ?", (message_id,)
        ).fetchone()
        return self.get_interaction(row[0]) if row is not None else None

    def get_interaction(self, interaction_id: int) -> Interaction:
        """One interaction's record, or NotFound."""
        row = self._row("interaction", interaction_id)
        if row is None:
            raise NotFound(f"no interaction with id {interaction_id}")
        return interaction_record(row)

    def count_interactions(self, contact_id: int) -> int:
        """How many interactions a contact has."""
        return int(self.conn.execute(
            "SELECT count(*) FROM interaction WHERE contact_id = ?", (contact_id,)
        ).fetchone()[0])

    def timeline(
        self,
        contact_id: int | None = None,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Interaction]:
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

    def _index_interaction(self, row: dict[str, Any]) -> None:
        """Add an interaction to the search index, keyed by its time (see `search_key`)."""
        key = search_key(row["at"], row["id"])
        while self.conn.execute("SELECT 1 FROM interaction_fts WHERE rowid = ?", (key,)).fetchone():
            key -= 1  # a same-second clash of two ids 2**20 apart: keep it unique, nearly in order
        self.conn.execute(
            "INSERT INTO interaction_fts(rowid, doc, interaction_id) VALUES (?, ?, ?)",
            (key, textindex.document(row["summary"], row.get("body")), row["id"]),
        )

    def _unindex_interaction(self, row: dict[str, Any]) -> None:
        cur = self.conn.execute(
            "DELETE FROM interaction_fts WHERE rowid = ? AND interaction_id = ?",
            (search_key(row["at"], row["id"]), row["id"]),
        )
        if cur.rowcount == 0:  # it was moved by a clash: find it the slow way
            self.conn.execute("DELETE FROM interaction_fts WHERE interaction_id = ?", (row["id"],))

