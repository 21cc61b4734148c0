"""`tinycrm remind …`, `due`, `export ics` and `cron`: the follow-up engine's commands.

Thin wrappers: `tinycrm.agenda` does the work (and `tinycrm.views.show_due`, which the
Typer-free fast path shares), `tinycrm.notify` delivers, `tinycrm.io.ics` writes calendars.

`export` is a sub-app so that other formats add themselves as commands next to `ics`:
`from tinycrm.cli.remind import export_app` then `@export_app.command("csv")`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import agenda
from ..errors import InvalidData, UsageError
from ..output import emit_json, emit_table
from ..views import show_due
from ._common import JsonOpt, State, local_text, state

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
LIST_COLUMNS = [
    ("id", "ID"),
    ("when", "Due"),
    ("every", "Every"),
    ("text", "Text"),
    ("contact", "Contact"),
    ("source", "Source"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    ref: RefArg,
    when: WhenArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What to do.")],
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="RULE",
            help="Repeat: 30d, weekly, monthly, yearly or an RRULE (FREQ=MONTHLY;BYMONTHDAY=1).",
        ),
    ] = None,
    from_done: Annotated[
        bool, typer.Option("--from-done", help="Count the next occurrence from when it is done.")
    ] = False,
    deal: Annotated[int | None, typer.Option("--deal", help="The deal it is about.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a reminder, optionally recurring; prints its id."""
    st = state(ctx)
    reminder = agenda.add_reminder(
        st.store(),
        ref,
        when,
        text,
        now_local=st.local_now(),
        every=every,
        from_done=from_done,
        deal_id=deal,
    )
    if as_json:
        emit_json(reminder)
    else:
        typer.echo(reminder["id"])


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include done reminders.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Stored reminders, soonest first (done ones with --all)."""
    reminders = state(ctx).store().list_reminders(include_done=all_)
    if as_json:
        emit_json(reminders)
        return
    for rem in reminders:
        rem["when"] = local_text(rem["due"], all_day=rem["all_day"])
        if rem["done_at"]:
            rem["when"] += "  (done)"
    if reminders:
        emit_table(reminders, LIST_COLUMNS)


@app.command("done")
def done(ctx: typer.Context, key_or_id: IdOrKeyArg) -> None:
    """Mark done; a recurring reminder moves to its next occurrence."""
    st = state(ctx)
    typer.echo(agenda.mark_done(st.store(), key_or_id, st.local_now()))


@app.command("snooze")
def snooze(ctx: typer.Context, key_or_id: IdOrKeyArg, when: WhenArg) -> None:
    """Move one occurrence to a later time."""
    from ..dates import parse_when

    st = state(ctx)
    now = st.local_now()
    until = parse_when(when, now)
    typer.echo(agenda.snooze(st.store(), key_or_id, until.at, all_day=until.all_day, now_local=now))


@app.command("rm")
def rm(
    ctx: typer.Context,
    reminder_id: Annotated[str, typer.Argument(metavar="ID", help="Reminder id.")],
) -> None:
    """Delete a stored reminder (undo brings it back)."""
    if not reminder_id.strip().lstrip("#").isdigit():
        raise InvalidData(f"invalid reminder id '{reminder_id}': use the number `remind list` shows")
    removed = state(ctx).store().delete_reminder(int(reminder_id.strip().lstrip("#")))
    typer.echo(f"removed {removed['id']}: {removed['text']}")


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
    if urls and not notify:
        raise UsageError("URLs go with --notify: tinycrm due --notify URL…")
    targets = [*(to or []), *(urls or [])]
    show_due(state(ctx), within=within, as_json=as_json, notify=notify or bool(to), urls=targets)


@export_app.command("ics")
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
    from ..io import ics
    from ..store import due as store_due

    st = state(ctx)
    store = st.store()
    text = " ".join(filter_ or [])
    now = st.local_now()
    cal = ics.calendar(
        reminders=store_due.export_reminders(store, text),
        contacts=store_due.export_contacts(store, text),
        deals=store_due.export_deals(store, text),
        now=now,
        tz=now.tzinfo,
    )
    data = ics.to_bytes(cal)
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    _write_atomically(Path(output).expanduser(), data)
    events = sum(1 for c in cal.subcomponents if c.name == "VEVENT")
    typer.echo(f"exported {events} events to {output}")


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step, so a calendar app never reads half of it."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidData(f"cannot write {path}: {exc.strerror}") from None


# --- cron -------------------------------------------------------------------------------

SERVICE = "tinycrm-due.service"
TIMER = "tinycrm-due.timer"


def program() -> list[str]:
    """The absolute command that runs this tinycrm: its console script, else python -m tinycrm.

    Never a shell shim (pyenv, asdf): those need the user's shell set-up, which cron lacks.
    The console script's own shebang names the right interpreter, so it is used when known.
    """
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    candidates = []
    if argv0 is not None and argv0.name == "tinycrm":
        candidates.append(argv0.resolve())
    candidates.append(Path(os.path.abspath(sys.executable)).parent / "tinycrm")
    for path in candidates:
        if _python_script(path):
            return [str(path)]
    return [os.path.abspath(sys.executable), "-m", "tinycrm"]


def _python_script(path: Path) -> bool:
    """True for an executable file whose shebang runs Python (a console script)."""
    try:
        if not (path.is_file() and os.access(path, os.X_OK)):
            return False
        with path.open("rb") as fh:
            first = fh.readline(200)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


def cron_setup(st: State, at: str, urls: list[str]) -> dict[str, str]:
    """The crontab line and the systemd user service and timer for `due --notify`."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", at.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidData(f"invalid time '{at}': use HH:MM, such as 08:00")
    hour, minute = int(m[1]), int(m[2])
    from ..config import resolve_db_path

    db = resolve_db_path(st.db).expanduser().resolve()
    words = [*program(), "--db", str(db)]
    if st.user:
        words += ["--user", st.user]
    words += ["due", "--notify", *urls]
    command = shlex.join(words)
    tz = os.environ.get("TZ")
    crontab = f"{minute} {hour} * * * " + (f"TZ={shlex.quote(tz)} " if tz else "") + command
    env = f"Environment={shlex.quote('TZ=' + tz)}\n" if tz else ""
    service = (
        "[Unit]\n"
        "Description=tinycrm: notify what is due\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"{env}"
        f"ExecStart={command.replace('%', '%%')}\n"
    )
    timer = (
        "[Unit]\n"
        "Description=tinycrm: notify what is due, daily\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {
        "crontab": crontab,
        "command": command,
        "service_path": f"~/.config/systemd/user/{SERVICE}",
        "service": service,
        "timer_path": f"~/.config/systemd/user/{TIMER}",
        "timer": timer,
    }


def cron(
    ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", metavar="HH:MM", help="Time of day to run.")] = "08:00",
    to: Annotated[
        list[str] | None, typer.Option("--to", metavar="URL", help="Notify these apprise URLs (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a crontab line and a systemd user timer for `due --notify` (installs nothing)."""
    setup = cron_setup(state(ctx), at, list(to or []))
    if as_json:
        sys.stdout.write(json.dumps(setup, ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(
        f"# crontab -e, then add this line (every day at {at}; cron mails what it prints):\n"
        f"{setup['crontab']}\n\n"
        "# or a systemd user timer: save the two files below, then run\n"
        f"#   systemctl --user daemon-reload && systemctl --user enable --now {TIMER}\n"
        "# (desktop notifications from systemd need: systemctl --user import-environment DISPLAY)\n\n"
        f"# {setup['service_path']}\n{setup['service']}\n"
        f"# {setup['timer_path']}\n{setup['timer']}",
        nl=False,
    )


def register(root: typer.Typer) -> None:
    """Add `remind`, `due`, `export` and `cron` to the root app."""
    root.add_typer(app, name="remind")
    root.command("due")(due)
    root.add_typer(export_app, name="export")
    root.command("cron")(cron)
