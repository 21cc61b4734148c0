"""A small team on one host: the shared pool (公海), claims, hand-over, sales targets — the SQL side."""

from __future__ import annotations

import json
from datetime import datetime

from ..dates import utc_iso
from ..errors import Conflict
from .base import chunks
from .records import contact_record
from .settings import POOL_SETTING
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact

TARGET_PREFIX = "target:"


class TeamStore(UnitOfWork):
    """Owners, the pool and targets."""

    def set_owner(self, contact_id: int, owner: str | None, command: str) -> Contact:
        """Give a contact to `owner` (None: to the pool), in history under `command`."""
        with self.write(command, named=True):
            current = self.get_contact(contact_id)
            if current["owner"] == owner:
                return current
            self._update(
                "contact", contact_id,
                {"owner": owner, "owner_since": utc_iso(self.now()) if owner else None,
                 "updated_at": utc_iso(self.now())},
            )
        return self.get_contact(contact_id)

    def owner_changes(
        self,
        contact_id: int | None = None,
        *,
        since: datetime,
        user: str | None = None,
        command: str | None = None,
    ) -> list[dict[str, Any]]:
        """Changes of owner recorded in history since a moment (not undone), newest first."""
        sql = (
            "SELECT row_id, user, command, at, json_extract(before, '$.owner'),"
            " json_extract(after, '$.owner') FROM history WHERE tbl = 'contact' AND op = 'update'"
            " AND undone_at IS NULL AND at >= ?"
            " AND json_extract(before, '$.owner') IS NOT json_extract(after, '$.owner')"
        )
        params: list[Any] = [utc_iso(since)]
        if contact_id is not None:
            sql += " AND row_id = ?"
            params.append(contact_id)
        if user is not None:
            sql += " AND user = ?"
            params.append(user)
        if command is not None:
            sql += " AND command LIKE ?"
            params.append(command + "%")
        cols = ("contact_id", "user", "command", "at", "before", "after")
        return [dict(zip(cols, row)) for row in self.conn.execute(sql + " ORDER BY id DESC", params)]

    def idle_owned(self, before: str, tier: str | None = None) -> list[dict[str, Any]]:
        """Owned contacts whose owner has logged nothing with them after `before` (UTC text).

        Counted from the owner's newest interaction with the contact, or from when they took
        it, whichever is later; `tier` limits it to one tier ('' for contacts without one).
        """
        # idle = taken before `before` and nothing logged by the owner since: NOT EXISTS reads
        # only the interactions after `before` (interaction_contact_at), not each contact's all
        sql = (
            "SELECT c.id, c.name, c.owner, c.tier, COALESCE(c.owner_since, c.created_at) AS taken"
            " FROM contact c WHERE c.owner IS NOT NULL AND c.deleted_at IS NULL"
            " AND COALESCE(c.owner_since, c.created_at) <= ?"
            " AND NOT EXISTS (SELECT 1 FROM interaction i WHERE i.contact_id = c.id AND i.at > ?"
            " AND i.user = c.owner)"
        )
        params: list[Any] = [before, before]
        if tier is not None:
            sql += " AND COALESCE(c.tier, '') = ?"
            params.append(tier)
        idle = self.conn.execute(sql, params).fetchall()
        last: dict[int, str] = {}
        for chunk in chunks([row[0] for row in idle]):
            last.update(self.conn.execute(
                "SELECT i.contact_id, MAX(i.at) FROM interaction i JOIN contact c ON c.id = i.contact_id"
                f" WHERE i.contact_id IN ({','.join('?' * len(chunk))}) AND i.user = c.owner"
                " GROUP BY i.contact_id",
                chunk,
            ).fetchall())
        cols = ("id", "name", "owner", "tier", "since")
        rows = [dict(zip(cols, (*row[:4], max(row[4], last.get(row[0], ""))))) for row in idle]
        return sorted(rows, key=lambda r: (r["since"], r["id"]))

    def pool(self) -> list[Contact]:
        """Contacts without an owner (the shared pool), by name."""
        cur = self.conn.execute(
            "SELECT * FROM contact c WHERE c.owner IS NULL AND c.deleted_at IS NULL"
            " ORDER BY c.name_sort, c.id"
        )
        cols = [d[0] for d in cur.description]
        return [contact_record(dict(zip(cols, row))) for row in cur]

    def reassign(self, old: str, new: str, contact_ids: list[int], command: str) -> dict[str, list[int]]:
        """Hand these contacts of `old`, with `old`'s open deals and reminders on them, to `new`."""
        moved: dict[str, list[int]] = {"contacts": [], "deals": [], "reminders": []}
        now = utc_iso(self.now())
        with self.write(command, named=True):
            for contact_id in contact_ids:
                contact = self.get_contact(contact_id)
                if contact["owner"] != old:
                    raise Conflict(f"contact {contact_id} ({contact['name']}) is not {old}'s")
                self._update("contact", contact_id, {"owner": new, "owner_since": now, "updated_at": now})
                moved["contacts"].append(contact_id)
                for deal_id in self._ids(
                    "SELECT id FROM deal WHERE contact_id = ? AND status = 'open' AND owner = ?",
                    (contact_id, old),
                ):
                    self._update("deal", deal_id, {"owner": new, "updated_at": now})
                    moved["deals"].append(deal_id)
                for reminder_id in self._ids(
                    "SELECT id FROM reminder WHERE contact_id = ? AND done_at IS NULL AND owner = ?",
                    (contact_id, old),
                ):
                    self._update("reminder", reminder_id, {"owner": new, "updated_at": now})
                    moved["reminders"].append(reminder_id)
        return moved

    def set_pool_rule(self, rule: dict[str, Any] | None) -> None:
        """Store the pool's rule (None: no rule)."""
        with self.write("pool rule"):
            if rule is None:
                self.conn.execute("DELETE FROM setting WHERE key = ?", (POOL_SETTING,))
            else:
                self.conn.execute(
                    "INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)",
                    (POOL_SETTING, json.dumps(rule, sort_keys=True)),
                )

    def set_target(self, user: str, period: str, currency: str, amount_minor: int) -> None:
        """A sales target for a person, a period and a currency."""
        key = f"{TARGET_PREFIX}{user}:{period}:{currency}"
        with self.write(f"target set {user} {period}"):
            self.conn.execute(
                "INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)", (key, str(amount_minor))
            )

    def targets(self, period: str | None = None) -> list[dict[str, Any]]:
        """Targets, as (user, period, currency, amount_minor), of one period or all."""
        out = []
        for key, value in self.conn.execute(
            "SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key", (TARGET_PREFIX + "%",)
        ):
            user, per, currency = key[len(TARGET_PREFIX):].rsplit(":", 2)
            if period is None or per == period:
                out.append({"user": user, "period": per, "currency": currency, "amount_minor": int(value)})
        return out

    def won_by_owner(self, start: str, end: str) -> list[tuple[str, str, int, int]]:
        """Won deals closed in [start, end): (owner, currency, count, value in minor units)."""
        return [
            (row[0] or "", row[1], row[2], row[3])
            for row in self.conn.execute(
                "SELECT COALESCE(d.owner, c.owner), d.currency, count(*), SUM(d.value_minor) FROM deal d"
                " JOIN contact c ON c.id = d.contact_id WHERE d.status = 'won' AND d.closed_at >= ?"
                " AND d.closed_at < ? GROUP BY 1, 2 ORDER BY 1, 2",
                (start, end),
            )
        ]
