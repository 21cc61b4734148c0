"""`tinycrm deal …`: add, list, show, edit, move, won, lost."""

from typing import Annotated

import typer

from ..commands import deal as run
from ._common import CsvOpt, JsonOpt, runs

app = typer.Typer(help="The sales pipeline: deals and their stages.", no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="Deal id.")]
@app.command("add")
@runs(run.add)
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


@app.command("list", context_settings={"ignore_unknown_options": True})
@runs(run.list_)
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


@app.command("show")
@runs(run.show)
def show(ctx: typer.Context, deal_id: IdArg, as_json: JsonOpt = False) -> None:
    """One deal with its stage history."""


@app.command("edit", short_help="Change a deal's title, value, close date or probability")
@runs(run.edit)
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


@app.command("move")
@runs(run.move)
def move(
    ctx: typer.Context,
    deal_id: IdArg,
    stage: Annotated[str, typer.Argument(help="lead, qualified, proposal, negotiation, won, lost.")],
    as_json: JsonOpt = False,
) -> None:
    """Move a deal to another stage."""


@app.command("won")
@runs(run.won)
def won(ctx: typer.Context, deal_id: IdArg, as_json: JsonOpt = False) -> None:
    """Mark a deal won."""


@app.command("lost")
@runs(run.lost)
def lost(
    ctx: typer.Context,
    deal_id: IdArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was lost.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a deal lost, with a reason."""
