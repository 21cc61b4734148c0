"""Reminders: stored ones, the done/snoozed state of derived ones, and what was notified."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from ..dates import check_plan_date, utc_iso
from ..errors import InvalidData, NotFound
from .base import chunks
from .records import reminder_record
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Reminder


class ReminderStore(UnitOfWork):
    """Stored reminders, occurrences and notifications."""

    def _add_reminder(self, **values: Any) -> int:
        now = utc_iso(self.now())
        due = values.pop("due")
        check_plan_date(due, "due date")  # a year-1 row would break `due` for the whole book
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
    ) -> Reminder:
        """Create a manual reminder, optionally recurring by a RULE."""
        text = (text or "").strip()
        if not text:
            raise InvalidData("a reminder needs a text")
        if every:
            from ..dates import parse_rule

            every = parse_rule(every).text
        with self.write("remind add") as unit:
            if contact_id is not None:
                unit.name(f"remind add {self.get_contact(contact_id)['name']}")
            if deal_id is not None:
                deal = self.get_deal(deal_id)
                contact_id = contact_id or deal["contact_id"]
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

    def get_reminder(self, reminder_id: int) -> Reminder:
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

    def update_reminder(self, reminder_id: int, command: str, **changes: Any) -> Reminder:
        """Change a stored reminder (due as a datetime, done_at as a datetime or None)."""
        for key in ("due", "done_at"):
            if isinstance(changes.get(key), datetime):
                check_plan_date(changes[key], "due date" if key == "due" else "date")
                changes[key] = utc_iso(changes[key])
        changes["updated_at"] = utc_iso(self.now())
        with self.write(command, named=True):
            self.get_reminder(reminder_id)
            self._update("reminder", reminder_id, changes)
            return self.get_reminder(reminder_id)

    def delete_reminder(self, reminder_id: int) -> Reminder:
        """Delete a stored reminder (undo brings it back)."""
        with self.write(f"remind rm {reminder_id}"):
            reminder = self.get_reminder(reminder_id)
            self._delete("reminder", reminder_id)
        return reminder

    def list_reminders(
        self,
        *,
        include_done: bool = False,
        contact_id: int | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[Reminder]:
        """Stored reminders, open ones soonest first, then done ones (with `include_done`).

        Open and done reminders are read apiece off their own partial index on `due`, so
        a page of `limit` is read, not sorted out of every reminder.
        """
        found = self._reminders(False, contact_id, due_before, limit)
        if include_done and (limit is None or len(found) < limit):
            rest = None if limit is None else limit - len(found)
            found += self._reminders(True, contact_id, due_before, rest)
        return found

    def _reminders(
        self, done: bool, contact_id: int | None, due_before: datetime | None, limit: int | None
    ) -> list[Reminder]:
        where, params = self._reminder_where(done, contact_id, due_before)
        sql = (
            "SELECT r.*, c.name AS contact FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
            f" WHERE {where} ORDER BY r.due, r.id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [reminder_record(dict(zip(cols, row))) for row in cur]

    @staticmethod
    def _reminder_where(
        done: bool, contact_id: int | None, due_before: datetime | None
    ) -> tuple[str, list[Any]]:
        where = ["(c.id IS NULL OR c.deleted_at IS NULL)", f"r.done_at IS {'NOT ' if done else ''}NULL"]
        params: list[Any] = []
        if contact_id is not None:
            where.append("r.contact_id = ?")
            params.append(contact_id)
        if due_before is not None:
            where.append("r.due <= ?")
            params.append(utc_iso(due_before))
        return " AND ".join(where), params

    def count_reminders(self, *, include_done: bool = False) -> int:
        """How many reminders `list_reminders` would list without a limit (the "N more" line)."""
        total = 0
        for done in (False, True) if include_done else (False,):
            where, params = self._reminder_where(done, None, None)
            total += self.conn.execute(
                f"SELECT count(*) FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id WHERE {where}",
                params,
            ).fetchone()[0]
        return total

    def occurrences(self) -> dict[str, dict[str, Any]]:
        """Derived-item occurrences marked done or snoozed, by key."""
        return {
            key: {"state": state, "until": until}
            for key, state, until in self.conn.execute("SELECT key, state, until FROM occurrence")
        }

    def set_occurrence(self, key: str, state: str, until: datetime | None = None) -> None:
        """Mark one occurrence of a derived item done or snoozed (recorded in history)."""
        if until is not None:
            check_plan_date(until, "snooze date")
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

    def claim_notifications(self, keys: Iterable[str], *, stale_after_s: int = 600) -> list[str]:
        """Claim the occurrences nobody has notified or is notifying; the caller sends them.

        The claim is one write transaction, so of several cron runs at once exactly one
        gets each occurrence. A claim left by a run that died while sending is taken over
        after `stale_after_s` seconds.
        """
        now = self.now()
        stale = utc_iso(now - timedelta(seconds=stale_after_s))
        wanted = list(dict.fromkeys(keys))
        with self.write("notify"):
            taken: set[str] = set()
            for chunk in chunks(wanted):
                taken.update(
                    key
                    for key, state, at in self.conn.execute(
                        f"SELECT key, state, at FROM notified WHERE key IN ({','.join('?' * len(chunk))})",
                        chunk,
                    )
                    if state == "sent" or at > stale
                )
            claimed = [key for key in wanted if key not in taken]
            self.conn.executemany(
                "INSERT OR REPLACE INTO notified(key, at, state) VALUES (?, ?, 'sending')",
                [(key, utc_iso(now)) for key in claimed],
            )
        return claimed

    def confirm_notifications(self, keys: Iterable[str]) -> None:
        """The claimed occurrences were sent: never again."""
        with self.write("notify"):
            self.conn.executemany(
                "UPDATE notified SET state = 'sent' WHERE key = ?", [(key,) for key in keys]
            )

    def release_notifications(self, keys: Iterable[str]) -> None:
        """The send failed: give the claimed occurrences back to the next run."""
        with self.write("notify"):
            self.conn.executemany(
                "DELETE FROM notified WHERE key = ? AND state = 'sending'", [(key,) for key in keys]
            )

