"""`tinycrm remind …`, `due`, `export ics` and `cron`: the follow-up engine's commands.

The options and help of these commands; `tinycrm.commands.remind` runs them.

`export` is a sub-app so that other formats add themselves as commands next to `ics`:
`from tinycrm.cli.remind import export_app` then `@export_app.command("csv")`.
"""

from typing import Annotated

import typer

from ..commands import remind as run
from ._common import JsonOpt, runs

app = typer.Typer(help="Reminders: add, list, done, snooze, rm.", no_args_is_help=True)
export_app = typer.Typer(help="Export the book to other programs.", no_args_is_help=True)

RefArg = Annotated[
    str,
    typer.Argument(metavar="REF", help="The contact: id, e-mail, phone or part of the name (- for none)."),
]
WhenArg = Annotated[
    str, typer.Argument(metavar="WHEN", help="today, fri, +3d, 2026-12-01, 2026-12-01 14:00.")
]
IdOrKeyArg = Annotated[
    str, typer.Argument(metavar="ID|KEY", help="A reminder id, or an item key from `due --json`.")
]
@app.command("add")
@runs(run.add)
def add(
    ctx: typer.Context,
    ref: RefArg,
    when: WhenArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What to do.")],
    every: Annotated[
        str | None,
        typer.Option("--every", metavar="RULE",
                     help="Repeat: 30d, weekly, monthly, yearly or an RRULE (FREQ=MONTHLY;BYMONTHDAY=1)."),
    ] = None,
    from_done: Annotated[
        bool, typer.Option("--from-done", help="Count the next occurrence from when it is done.")
    ] = False,
    deal: Annotated[int | None, typer.Option("--deal", help="The deal it is about.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a reminder, optionally recurring; prints its id."""


@app.command("list")
@runs(run.list_)
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include done reminders.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="At most N reminders (default: a page of 50; --json: all)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Stored reminders, soonest first (done ones with --all), a page at a time."""


@app.command("done")
@runs(run.done)
def done(ctx: typer.Context, key_or_id: IdOrKeyArg) -> None:
    """Mark done; a recurring reminder moves to its next occurrence."""


@app.command("snooze")
@runs(run.snooze)
def snooze(ctx: typer.Context, key_or_id: IdOrKeyArg, when: WhenArg) -> None:
    """Move one occurrence to a later time."""


@app.command("rm")
@runs(run.rm)
def rm(
    ctx: typer.Context,
    reminder_id: Annotated[str, typer.Argument(metavar="ID", help="Reminder id.")],
) -> None:
    """Delete a stored reminder (undo brings it back)."""


@runs(run.due)
def due(
    ctx: typer.Context,
    urls: Annotated[
        list[str] | None,
        typer.Argument(metavar="URL", help="With --notify: apprise URLs (ntfy://…, mailto://…)."),
    ] = None,
    within: Annotated[
        str | None, typer.Option("--within", metavar="DURATION", help="Look further ahead: 7d, 2w, 1m.")
    ] = None,
    as_json: JsonOpt = False,
    notify: Annotated[
        bool,
        typer.Option("--notify", help="Notify once per occurrence: desktop, or the URLs given."),
    ] = False,
    to: Annotated[
        list[str] | None, typer.Option("--to", metavar="URL", help="An apprise URL (repeatable).")
    ] = None,
) -> None:
    """Everything due by the end of today, overdue first; silent when nothing is due."""


@export_app.command("ics", short_help="Reminders, follow-ups, birthdays and close dates as iCalendar")
@runs(run.export_ics)
def export_ics(
    ctx: typer.Context,
    filter_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILTER]...", help="Only these contacts, e.g. tag:vip."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (default: stdout).")
    ] = None,
) -> None:
    """An iCalendar file of reminders, follow-ups, birthdays and deal close dates."""


@runs(run.cron)
def cron(
    ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", metavar="HH:MM", help="Time of day to run.")] = "08:00",
    to: Annotated[
        list[str] | None, typer.Option("--to", metavar="URL", help="Notify these apprise URLs (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a crontab line and a systemd user timer for `due --notify` (installs nothing)."""


def register(root: typer.Typer) -> None:
    """Add `remind`, `due`, `export` and `cron` to the root app."""
    root.add_typer(app, name="remind")
    root.command("due")(due)
    root.add_typer(export_app, name="export")
    root.command("cron", short_help="Print a crontab line and a systemd timer for due --notify")(cron)
