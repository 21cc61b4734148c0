"""Deals: the pipeline's stages, deals and the history of the stages each deal entered."""

from __future__ import annotations

from .. import validate
from ..dates import utc_iso
from ..errors import Conflict, InvalidData, NotFound
from ..money import parse_amount
from .base import chunks
from .records import deal_record
from .schema import REACHED_SQL
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal
    from typing import Any

    from ..models import Deal
    from .unit import Unit


_DEAL_ROWS = "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id"


class DealStore(UnitOfWork):
    """Stages and deals."""

    def stages(self) -> list[dict[str, Any]]:
        """The pipeline stages in order, with probability and stale limit."""
        cur = self.conn.execute("SELECT name, probability, position, stale_days FROM stage ORDER BY position")
        return [dict(zip(("name", "probability", "position", "stale_days"), r)) for r in cur]

    def _stage(self, name: str) -> dict[str, Any]:
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
    ) -> Deal:
        """Create an open deal for a contact; `close_date` is `YYYY-MM-DD`."""
        title = (title or "").strip()
        if not title:
            raise InvalidData("a deal needs a title")
        st = self._stage(stage)
        if st["name"] in ("won", "lost"):
            raise InvalidData("a new deal starts in an open stage; use deal won/lost after")
        currency = validate.currency(currency or self.setting("currency", "USD") or "USD")
        prob = st["probability"] if probability is None else validate.probability(probability)
        value_minor = parse_amount(value, currency)
        close = validate.plan_date(close_date)
        now = utc_iso(self.now())
        with self.write(f"deal add {title}"):
            contact = self.get_contact(contact_id)
            deal_id = self._insert(
                "deal",
                {
                    "contact_id": contact_id,
                    "title": title,
                    "value_minor": value_minor,
                    "currency": currency,
                    "stage": st["name"],
                    "probability": prob,
                    "status": "open",
                    "close_date": close,
                    "key": 1 if key else 0,
                    "owner": owner or contact["owner"] or self.user,
                    "stage_entered_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "reached": st["name"],
                },
            )
            self._insert(
                "deal_stage",
                {"deal_id": deal_id, "stage": st["name"], "entered_at": now, "user": self.user},
            )
        return self.get_deal(deal_id)

    def get_deal(self, deal_id: int) -> Deal:
        """One deal's record (with its stage history), or NotFound."""
        cur = self.conn.execute(
            "SELECT d.*, c.name AS contact FROM deal d JOIN contact c ON c.id = d.contact_id"
            " WHERE d.id = ?",
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
    ) -> list[Deal]:
        """Deals matching a filter (stage/status/value refer to the deal itself)."""
        # one contact's deals are shown even when that contact is in the trash
        where, params = ("d.contact_id = ?", [contact_id]) if contact_id else ("c.deleted_at IS NULL", [])
        if filter_text and filter_text.strip():
            from .. import query

            expr = query.parse(filter_text)
            sql, more = query.compile_deals(expr, now=self.now(), user=self.user)
            if not query.mentions_trash(expr):
                sql += " AND c.deleted_at IS NULL"
            where = f"{where} AND ({sql})"
            params += list(more)
        if limit is not None:
            return self._deal_page(where, params, limit)
        cur = self.conn.execute(
            f"{_DEAL_ROWS} LEFT JOIN stage s ON s.name = d.stage WHERE {where}"
            " ORDER BY d.status = 'open' DESC, s.position, d.close_date IS NULL, d.close_date, d.id",
            params,
        )
        cols = [d[0] for d in cur.description]
        return [deal_record(dict(zip(cols, row))) for row in cur]

    def _deal_page(self, where: str, params: list[Any], limit: int) -> list[Deal]:
        """The first `limit` deals in list order, read off the `deal_list_order` index.

        The order (open first, then by stage position, close date, id) puts each (open?,
        stage position) group together, so a page is each group's first rows in turn, no
        sort of all 50,000 deals. Stages come from the deals themselves (an index skip-scan),
        so one the stage table does not know still comes first, as NULL sorts there.
        """
        position = dict(self.conn.execute("SELECT name, position FROM stage").fetchall())
        found: list[Deal] = []
        for is_open in (1, 0):
            groups: dict[int | None, list[str]] = {}
            for stage in self._stages_in_use(is_open):
                groups.setdefault(position.get(stage), []).append(stage)
            for pos in sorted(groups, key=lambda p: (p is not None, p or 0)):
                stages = groups[pos]
                cur = self.conn.execute(
                    f"{_DEAL_ROWS} WHERE {where} AND (d.status = 'open') = ?"
                    f" AND d.stage IN ({', '.join('?' * len(stages))})"
                    " ORDER BY d.close_date IS NULL, d.close_date, d.id LIMIT ?",
                    [*params, is_open, *stages, limit - len(found)],
                )
                cols = [d[0] for d in cur.description]
                found += [deal_record(dict(zip(cols, row))) for row in cur]
                if len(found) >= limit:
                    return found
        return found

    def _stages_in_use(self, is_open: int) -> list[str]:
        """The distinct stages of open (1) or closed (0) deals, one index seek each."""
        stages: list[str] = []
        row = self.conn.execute(
            "SELECT min(stage) FROM deal WHERE (status = 'open') = ?", (is_open,)
        ).fetchone()
        while row[0] is not None:
            stages.append(row[0])
            row = self.conn.execute(
                "SELECT min(stage) FROM deal WHERE (status = 'open') = ? AND stage > ?", (is_open, row[0])
            ).fetchone()
        return stages

    def move_deal(self, deal_id: int, stage: str, *, reason: str | None = None) -> Deal:
        """Move a deal to a stage; `won` and `lost` close it (lost with a reason)."""
        with self.write("deal move") as unit:
            deal = self.get_deal(deal_id)
            self._move_deal(unit, deal, stage, reason)
        return self.get_deal(deal_id)

    def _move_deal(self, unit: Unit, deal: Deal, stage: str, reason: str | None) -> None:
        deal_id = deal["id"]
        st = self._stage(stage)
        now = utc_iso(self.now())
        changes: dict[str, Any] = {"updated_at": now}
        if st["name"] != deal["stage"]:
            changes.update(stage=st["name"], probability=st["probability"], stage_entered_at=now)
            before = self.conn.execute("SELECT reached FROM deal WHERE id = ?", (deal_id,)).fetchone()[0]
            reached = self._further(before, st)
            if reached != before:
                changes["reached"] = reached
        if st["name"] == "won":
            changes.update(status="won", closed_at=now, lost_reason=None)
        elif st["name"] == "lost":
            changes.update(status="lost", closed_at=now, lost_reason=(reason or "").strip() or None)
        else:
            changes.update(status="open", closed_at=None, lost_reason=None)
        if st["name"] == deal["stage"] and changes.get("lost_reason") == deal.get("lost_reason"):
            raise Conflict(f"deal {deal_id} is already in {st['name']}")
        unit.name(f"deal {st['name'] if st['name'] in ('won', 'lost') else 'move'} {deal['title']}")
        self._update("deal", deal_id, changes)
        if "stage" in changes:
            self._insert(
                "deal_stage",
                {"deal_id": deal_id, "stage": st["name"], "entered_at": now, "user": self.user},
            )

    def _further(self, reached: str | None, entered: dict[str, Any]) -> str | None:
        """The furthest open stage reached once a deal enters `entered` (won and lost are not open)."""
        if entered["name"] in ("won", "lost"):
            return reached
        position = {s["name"]: s["position"] for s in self.stages()}
        if reached in position and position[reached] >= entered["position"]:
            return reached
        name: str = entered["name"]
        return name

    def _restage(self, deal_ids: Iterable[int]) -> None:
        """Recompute `deal.reached` from the stage history (after an undo, a redo, an import).

        Derived, like a contact's last-contacted time: set outside history.
        """
        for chunk in chunks(list(deal_ids)):
            self.conn.execute(
                f"UPDATE deal SET reached = {REACHED_SQL.format(deal='deal.id')}"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )

    def edit_deal(self, deal_id: int, **fields: Any) -> Deal:
        """Change a deal's title, value, currency, close date, key flag, probability or owner."""
        with self.write("deal edit") as unit:
            deal = self.get_deal(deal_id)
            unit.name(f"deal edit {deal['title']}")
            self._edit_deal(deal, fields)
        return self.get_deal(deal_id)

    def _edit_deal(self, deal: Deal, fields: dict[str, Any]) -> None:
        deal_id = deal["id"]
        changes: dict[str, Any] = {}
        if fields.get("title") is not None:
            if not fields["title"].strip():
                raise InvalidData("a deal needs a title")
            changes["title"] = fields["title"].strip()
        currency = deal["currency"]
        if fields.get("currency") is not None:
            currency = changes["currency"] = validate.currency(fields["currency"])
        if fields.get("value") is not None:
            changes["value_minor"] = parse_amount(fields["value"], currency)
        elif currency != deal["currency"]:  # the same amount, in the new currency's minor units
            changes["value_minor"] = parse_amount(deal["value"], currency)
        if "close_date" in fields and fields["close_date"] is not None:
            changes["close_date"] = validate.plan_date(fields["close_date"]) or None
        if fields.get("key") is not None:
            changes["key"] = 1 if fields["key"] else 0
        if fields.get("probability") is not None:
            changes["probability"] = validate.probability(fields["probability"])
        if fields.get("owner") is not None:
            changes["owner"] = fields["owner"]
        if not changes:
            return
        changes["updated_at"] = utc_iso(self.now())
        self._update("deal", deal_id, changes)

