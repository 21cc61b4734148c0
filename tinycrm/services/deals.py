"""Deals as the user speaks of them: a contact REF, a WHEN for the close date, a stage name."""

from __future__ import annotations

from datetime import datetime

from ..dates import parse_when

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..models import Deal
    from ..store import Store


def close_date(when: str | None, now_local: datetime) -> str | None:
    """An expected close date from any WHEN form, as YYYY-MM-DD; "" clears it, None keeps it."""
    if when is None:
        return None
    if not when.strip():
        return ""
    day: datetime = parse_when(when, now_local).at
    return day.strftime("%Y-%m-%d")


def add_deal(
    store: Store,
    contact: int | str,
    title: str,
    *,
    now_local: datetime,
    value: str | None = None,
    currency: str | None = None,
    stage: str = "lead",
    probability: int | None = None,
    close: str | None = None,
    key: bool = False,
    owner: str | None = None,
) -> Deal:
    """Create an open deal for a contact (id or REF)."""
    with store.write("deal add"):
        contact_id = contact if isinstance(contact, int) else store.resolve(contact)["id"]
        return store.add_deal(
            contact_id,
            title,
            value=value or None,
            currency=currency or None,
            stage=stage,
            probability=probability,
            close_date=close_date(close, now_local) or None,
            key=key,
            owner=owner,
        )


def edit_deal(
    store: Store, deal_id: int, *, now_local: datetime, close: str | None = None, **fields: object
) -> Deal:
    """Change a deal; `close` is a WHEN text ("" clears the date)."""
    if close is not None:
        fields["close_date"] = close_date(close, now_local)
    return store.edit_deal(deal_id, **fields)
