"""`tinycrm pool …`, `target set`, `share`: a small team sharing one book on one host."""

from typing import Annotated

import typer

from ..commands import team as run
from ._common import JsonOpt, runs

pool_app = typer.Typer(
    help="The shared pool (公海): customers without an owner, and its rule.", no_args_is_help=True
)
target_app = typer.Typer(help="Sales targets per person and month, quarter or year.", no_args_is_help=True)

DaysOpt = Annotated[int | None, typer.Option("--days", min=0, max=3650, help="Idle days before a return.")]


@pool_app.command("rule")
@runs(run.rule)
def rule(
    ctx: typer.Context,
    days: DaysOpt = None,
    tier: Annotated[str | None, typer.Option("--tier", help="With --days: the days for this tier.")] = None,
    warn: Annotated[
        int | None, typer.Option("--warn", min=0, max=3650, help="Warn the owner N days before.")
    ] = None,
    cooldown: Annotated[
        int | None,
        typer.Option("--cooldown", min=0, max=3650, help="Days before the previous owner may reclaim."),
    ] = None,
    max_claims: Annotated[
        int | None, typer.Option("--max-claims", min=0, max=3650, help="Claims per person per day.")
    ] = None,
    off: Annotated[bool, typer.Option("--off", help="No rule: customers stay with their owners.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Set the pool's rule (only what is given) and print it in words; no option prints it.

    Example: tinycrm pool rule --days 30 --warn 7 --cooldown 14 --max-claims 5
    """


@pool_app.command("list")
@runs(run.list_)
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Customers in the pool, and those returning to it soon."""


@pool_app.command("apply")
@runs(run.apply)
def apply(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Return every customer idle past the rule to the pool (as `due` does)."""


@target_app.command("set")
@runs(run.target)
def target(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The salesperson.")],
    period: Annotated[str, typer.Argument(help="2026-12, 2026-Q4 or 2026.")],
    amount: Annotated[str, typer.Argument(help="Won value to reach, e.g. 50000.")],
    currency: Annotated[
        str | None, typer.Option("--currency", help="3-letter code (default: USD or the setting).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set a person's sales target for a month, quarter or year.

    Example: tinycrm target set ann 2026-Q4 50000 --currency EUR
    """


@runs(run.share)
def share(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option("--group", help="The Unix group to share with.")] = None,
    off: Annotated[bool, typer.Option("--off", help="Back to owner-only (0600).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make the book (and its -wal, -shm, backups, folder) usable by a Unix group, or yours alone.

    Example: tinycrm share --off
    """


def register(root: typer.Typer) -> None:
    """Add `pool`, `target` and `share` to the root app."""
    root.add_typer(pool_app, name="pool")
    root.add_typer(target_app, name="target")
    root.command("share", short_help="Let a Unix group share the book, or stop sharing it")(share)
