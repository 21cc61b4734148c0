"""`tinycrm deal …`: add, list, show, edit, move, won, lost."""

from __future__ import annotations

from ..cells import safe
from ..output import emit_fields, emit_json, emit_table
from ._common import (
    State,
    check_id,
    check_ref,
    echo,
    emit_records,
    filter_words,
    limit_of,
    local_text,
    reads,
    writing,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..models import Deal

LIST_COLUMNS = [
    ("id", "ID"),
    ("title", "Title"),
    ("contact", "Contact"),
    ("amount", "Value"),
    ("stage", "Stage"),
    ("probability", "%"),
    ("status", "Status"),
    ("close_date", "Close"),
    ("star", "Key"),
]
CSV_COLUMNS = [
    "id", "contact_id", "contact", "title", "value", "currency", "stage", "probability",
    "status", "close_date", "key", "owner", "lost_reason",
]


def _close(st: State, when: str | None) -> str | None:
    """A close date from any WHEN form, as YYYY-MM-DD (the deal service's reading)."""
    from ..services.deals import close_date

    return close_date(when, st.local_now())


def _print(deal: Deal, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(deal)
    else:
        from ..wording import deal_status

        status = deal_status(deal)  # "negotiation 75%", "won", "lost (price)"
        said = status.removeprefix(verb).strip() if verb in ("won", "lost") else f"({status})"
        echo(f"{verb} {deal['id']}: {safe(deal['title'])} {said}".rstrip())


def add(
    state: State,
    *,
    ref: str,
    title: str,
    value: str | None,
    currency: str | None,
    stage: str,
    probability: int | None,
    close: str | None,
    key: bool,
    owner: str | None,
    as_json: bool,
) -> None:
    """`deal add`: create a deal; prints its id."""
    store = state.store()
    contact = store.resolve(check_ref(ref))
    close_date = _close(state, close)
    with writing(store, f"deal add {(title or '').strip()}"):
        deal = store.add_deal(
            contact["id"], title, value=value, currency=currency, stage=stage,
            probability=probability, close_date=close_date, key=key, owner=owner,
        )
        if as_json:
            emit_json(deal)
        else:
            echo(deal["id"])


@reads
def list_(state: State, *, filter_: list[str] | None, limit: int | None, as_json: bool, as_csv: bool) -> None:
    """`deal list`: open deals first by stage and close date."""
    deals = state.store().list_deals(filter_words(filter_), limit=limit_of(limit))
    if emit_records(deals, as_json=as_json, as_csv=as_csv, csv_columns=CSV_COLUMNS):
        return
    for deal in deals:
        deal["amount"] = f"{deal['value']} {deal['currency']}"
        deal["star"] = "★" if deal["key"] else ""
    emit_table(deals, LIST_COLUMNS)


@reads
def show(state: State, *, deal_id: int, as_json: bool) -> None:
    """`deal show`: one deal with its stage history."""
    deal = state.store().get_deal(check_id(deal_id, "deal"))
    if as_json:
        emit_json(deal)
        return
    echo(f"{deal['title']}  (deal #{deal['id']})")
    emit_fields(
        [
            ("contact", f"{deal['contact']} (#{deal['contact_id']})"),
            ("value", f"{deal['value']} {deal['currency']}"),
            ("stage", f"{deal['stage']} ({deal['probability']}%)"),
            ("status", deal["status"]),
            ("lost reason", deal["lost_reason"]),
            ("close date", deal["close_date"]),
            ("key deal", "yes" if deal["key"] else None),
            ("owner", deal["owner"]),
            ("created", local_text(deal["created_at"])),
        ]
    )
    echo("stages:")
    for item in deal["stages"]:
        echo(f"  {local_text(item['entered_at'])}  {item['stage']}  ({item['user']})")


def edit(
    state: State,
    *,
    deal_id: int,
    title: str | None,
    value: str | None,
    currency: str | None,
    probability: int | None,
    close: str | None,
    key: bool | None,
    owner: str | None,
    as_json: bool,
) -> None:
    """`deal edit`: change a deal's title, value, close date, probability, key flag or owner."""
    store = state.store()
    found = store.get_deal(check_id(deal_id, "deal"))
    close_date = _close(state, close)
    with writing(store, f"deal edit {found['title']}"):
        deal = store.edit_deal(
            deal_id, title=title, value=value, currency=currency, probability=probability,
            close_date=close_date, key=key, owner=owner,
        )
        _print(deal, as_json, "updated")


def _move(
    state: State, deal_id: int, stage: str, as_json: bool, verb: str, reason: str | None = None
) -> None:
    store = state.store()
    found = store.get_deal(check_id(deal_id, "deal"))
    name = (stage or "").strip().lower()
    with writing(store, f"deal {name if name in ('won', 'lost') else 'move'} {found['title']}"):
        _print(store.move_deal(deal_id, stage, reason=reason), as_json, verb)


def move(state: State, *, deal_id: int, stage: str, as_json: bool) -> None:
    """`deal move`: move a deal to another stage."""
    _move(state, deal_id, stage, as_json, "moved")


def won(state: State, *, deal_id: int, as_json: bool) -> None:
    """`deal won`: mark a deal won."""
    _move(state, deal_id, "won", as_json, "won")


def lost(state: State, *, deal_id: int, reason: str | None, as_json: bool) -> None:
    """`deal lost`: mark a deal lost, with a reason."""
    _move(state, deal_id, "lost", as_json, "lost", reason)
