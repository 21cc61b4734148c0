"""The top-level verbs: log, timeline, search, history, undo."""

from typing import Annotated

import typer

from ..commands import core as run
from ._common import JsonOpt, runs

KINDS = "call, email, meeting, message, visit, note"


@runs(run.log)
def log(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(help="The contact: id, e-mail, phone or part of the name.")
    ] = None,
    text: Annotated[str | None, typer.Argument(help="What happened.")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help=f"One of {KINDS}.")] = "note",
    at: Annotated[str | None, typer.Option("--at", help="When it happened (WHEN; default now).")] = None,
    deal: Annotated[int | None, typer.Option("--deal", help="The deal it belongs to.")] = None,
    next_: Annotated[
        str | None, typer.Option("--next", help="Add a follow-up reminder (WHEN: fri, +3d…).")
    ] = None,
    eml: Annotated[
        str | None,
        typer.Option("--eml", help="Record an e-mail message (RFC 822 file, or - for stdin); "
                     "the same Message-ID is recorded once."),
    ] = None,
    create: Annotated[
        bool, typer.Option("--create", help="With --eml: make the sender a contact when no address matches.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record an interaction with a contact; --next adds a follow-up.

    Examples:

      tinycrm log ada "called about the invoice" --kind call --next fri

      tinycrm log --eml message.eml --create
    """


@runs(run.timeline)
def timeline(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help="Only this contact.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this WHEN on: 30d (ago), 2026-01-01, monday.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N interactions.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Interactions, newest first."""


@runs(run.search)
def search(
    ctx: typer.Context,
    text: Annotated[
        list[str], typer.Argument(help="Words to find (CJK substrings, pinyin initials).")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N of each kind.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Find contacts, deals and interactions."""


@runs(run.history)
def history(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help="Only changes about this contact.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N changes.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """What changed, who changed it and when, newest first."""


@runs(run.undo)
def undo(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Take back your own last change (never a colleague's; refused if someone built on it)."""


@runs(run.redo)
def redo(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Do again the change your last undo took back (refused if the records changed since)."""


def register(app: typer.Typer) -> None:
    """Add the top-level verbs to the root app."""
    app.command("log")(log)
    app.command("timeline")(timeline)
    app.command("search")(search)
    app.command("history")(history)
    app.command("undo")(undo)
    app.command("redo")(redo)
