"""`tinycrm tier …`: set, list, rm, apply — A/B/C classification by rules."""

from typing import Annotated

import typer

from ..commands import tier as run
from ._common import JsonOpt, runs

app = typer.Typer(help="Classify customers (A/B/C…) by rules instead of by gut.", no_args_is_help=True)


@app.command("set", context_settings={"ignore_unknown_options": True})
@runs(run.set_)
def set_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Tier name, one word: A, B, gold.")],
    filter_: Annotated[
        list[str], typer.Argument(metavar="FILTER...", help="Who gets the tier, in the filter language.")
    ],
    position: Annotated[
        int | None, typer.Option("--position", min=1, help="Try this rule at position N (1 first).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add or replace a tier rule; rules are tried in order, the first match wins.

    Example: tinycrm tier set A "won>=50000 OR deals>=5"
    """


@app.command("list")
@runs(run.list_)
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The tier rules in the order they are tried."""


@app.command("rm")
@runs(run.rm)
def rm(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The tier whose rule goes.")],
    as_json: JsonOpt = False,
) -> None:
    """Remove a tier rule (contacts keep their tier until the next apply)."""


@app.command("apply")
@runs(run.apply)
def apply(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Give every contact the tier of the first rule it matches (one undo step).

    Example: tinycrm tier apply --dry-run
    """
