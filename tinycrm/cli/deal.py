"""`tinycrm deal …`: add, list, show, edit, move, won, lost."""

from __future__ import annotations

from typing import Annotated

import typer

from ..output import emit_fields, emit_json, emit_table
from ._common import CsvOpt, JsonOpt, State, emit_records, filter_words, local_text, state

app = typer.Typer(help="The sales pipeline: deals and their stages.", no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="Deal id.")]
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
    "id",
    "contact_id",
    "contact",
    "title",
    "value",
    "currency",
    "stage",
    "probability",
    "status",
    "close_date",
    "key",
    "owner",
    "lost_reason",
]


def _close(st: State, when: str | None) -> str | None:
    """A close date from any WHEN form, as YYYY-MM-DD (the deal service's reading)."""
    from ..services.deals import close_date

    return close_date(when, st.local_now())


def _print(deal: dict, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(deal)
    else:
        typer.echo(f"{verb} {deal['id']}: {deal['title']} ({deal['stage']}, {deal['status']})")


@app.command("add")
def add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The contact: id, e-mail, phone or part of the name.")],
    title: Annotated[str, typer.Argument(help="What the deal is.")],
    value: Annotated[str | None, typer.Option("--value", help="Amount, e.g. 5000 or 1250.50.")] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="3-letter code (default: USD or the setting).")
    ] = None,
    stage: Annotated[str, typer.Option("--stage", help="Pipeline stage.")] = "lead",
    probability: Annotated[
        int | None, typer.Option("--probability", help="Percent (default: the stage's).")
    ] = None,
    close: Annotated[
        str | None, typer.Option("--close", help="Expected close date (WHEN: 2026-12-31, 1m…).")
    ] = None,
    key: Annotated[bool, typer.Option("--key", help="Mark as a key deal.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner (default: the contact's).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a deal; prints its id."""
    st = state(ctx)
    store = st.store()
    contact = store.resolve(ref)
    deal = store.add_deal(
        contact["id"],
        title,
        value=value,
        currency=currency,
        stage=stage,
        probability=probability,
        close_date=_close(st, close),
        key=key,
        owner=owner,
    )
    if as_json:
        emit_json(deal)
    else:
        typer.echo(deal["id"])


@app.command("list", context_settings={"ignore_unknown_options": True})
def list_(
    ctx: typer.Context,
    filter_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILTER]...", help="Filter terms, e.g. stage:proposal value>5000."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N deals.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """List deals, open ones first by stage and close date."""
    deals = state(ctx).store().list_deals(filter_words(filter_), limit=limit)
    if emit_records(deals, as_json=as_json, as_csv=as_csv, csv_columns=CSV_COLUMNS):
        return
    for deal in deals:
        deal["amount"] = f"{deal['value']} {deal['currency']}"
        deal["star"] = "★" if deal["key"] else ""
    emit_table(deals, LIST_COLUMNS)


@app.command("show")
def show(ctx: typer.Context, deal_id: IdArg, as_json: JsonOpt = False) -> None:
    """One deal with its stage history."""
    deal = state(ctx).store().get_deal(deal_id)
    if as_json:
        emit_json(deal)
        return
    typer.echo(f"{deal['title']}  (deal #{deal['id']})")
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
    typer.echo("stages:")
    for item in deal["stages"]:
        typer.echo(f"  {local_text(item['entered_at'])}  {item['stage']}  ({item['user']})")


@app.command("edit")
def edit(
    ctx: typer.Context,
    deal_id: IdArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Amount.")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="3-letter code.")] = None,
    probability: Annotated[int | None, typer.Option("--probability", help="Percent.")] = None,
    close: Annotated[str | None, typer.Option("--close", help="Expected close (WHEN).")] = None,
    key: Annotated[bool | None, typer.Option("--key/--no-key", help="Key-deal flag.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a deal's title, value, close date, probability, key flag or owner."""
    st = state(ctx)
    deal = st.store().edit_deal(
        deal_id,
        title=title,
        value=value,
        currency=currency,
        probability=probability,
        close_date=_close(st, close),
        key=key,
        owner=owner,
    )
    _print(deal, as_json, "updated")


@app.command("move")
def move(
    ctx: typer.Context,
    deal_id: IdArg,
    stage: Annotated[str, typer.Argument(help="lead, qualified, proposal, negotiation, won, lost.")],
    as_json: JsonOpt = False,
) -> None:
    """Move a deal to another stage."""
    _print(state(ctx).store().move_deal(deal_id, stage), as_json, "moved")


@app.command("won")
def won(ctx: typer.Context, deal_id: IdArg, as_json: JsonOpt = False) -> None:
    """Mark a deal won."""
    _print(state(ctx).store().move_deal(deal_id, "won"), as_json, "won")


@app.command("lost")
def lost(
    ctx: typer.Context,
    deal_id: IdArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was lost.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a deal lost, with a reason."""
    _print(state(ctx).store().move_deal(deal_id, "lost", reason=reason), as_json, "lost")
