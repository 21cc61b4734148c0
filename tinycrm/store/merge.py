"""Merging duplicates: everything of the others moves onto the contact kept, as one change.

What KEEP's own fields become is decided by `tinycrm.dedupe.merge_plan` (pure: nothing the
user entered is lost); here the linked records move — interactions, deals, reminders, the
people of an organisation — and the others are deleted, each step in history, so one `undo`
puts every record back exactly where it was.
"""

from __future__ import annotations

from ..dates import utc_iso
from ..errors import InvalidData
from .contacts import ContactStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..models import Contact

_LINKS = (
    ("interaction", "contact_id"), ("deal", "contact_id"), ("reminder", "contact_id"), ("contact", "org_id"),
)  # fmt: skip


class MergeStore(ContactStore):
    """Merge several contacts into one."""

    def merge_contacts(self, keep_id: int, other_ids: list[int], fields: dict[str, Any]) -> Contact:
        """Move the others' records onto KEEP, set KEEP's merged fields, delete the others."""
        others = list(dict.fromkeys(other_ids))
        if not others:
            raise InvalidData("merge needs at least one other contact")
        if keep_id in others:
            raise InvalidData(f"contact {keep_id} cannot be merged into itself")
        with self.write("merge") as unit:
            keep = self.get_contact(keep_id, include_trash=True)
            names = [self.get_contact(other, include_trash=True)["name"] for other in others]
            unit.name(f"merge {', '.join(names)} into {keep['name']}")
            for table, column in _LINKS:
                for other in others:
                    for row_id in self._ids(f"SELECT id FROM {table} WHERE {column} = ?", (other,)):
                        self._update(table, row_id, {column: keep_id})
            # the others' derived occurrences (birthday:ID:…) would be orphans: KEEP's own count
            for other in others:
                for kind in ("birthday", "anniversary", "cadence"):
                    self.conn.execute("DELETE FROM occurrence WHERE key LIKE ?", (f"{kind}:{other}:%",))
                self._delete("contact", other)
                self._index_contact(other)  # removes its index entries and keys
            values = self._contact_values(fields, keep)
            values["updated_at"] = utc_iso(self.now())
            self._update("contact", keep_id, values)
            self._index_contact(keep_id)
            self._touch(keep_id)
        return self.get_contact(keep_id, include_trash=True)
