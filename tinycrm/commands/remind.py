"""`tinycrm remind …`, `due`, `export ics` and `cron`: the follow-up engine's commands.

`tinycrm.agenda` does the work, `tinycrm.notify` delivers, `tinycrm.io.ics` writes calendars.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo

from .. import agenda
from ..cells import safe
from ..errors import InvalidData, NotFound, UsageError
from ..gcpause import paused_gc
from ..output import emit_json, emit_table, is_terminal
from ._common import MAX_ID, State, check_id, check_ref, echo, local_text, page, reads, writing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from ..store import Store

LIST_COLUMNS = [
    ("id", "ID"),
    ("when", "Due"),
    ("every", "Every"),
    ("text", "Text"),
    ("contact", "Contact"),
    ("source", "Source"),
]


def _reminder_key(key_or_id: str) -> str:
    """An id or item key as given, or NotFound when it names an id no row can have."""
    text = key_or_id.strip()
    number = text.lstrip("#")
    if text.startswith("reminder:"):
        number = text.split(":", 2)[1] if text.count(":") >= 2 else ""
    if number.isdigit() and not (number.isdecimal() and int(number) <= MAX_ID):
        raise NotFound(f"no reminder with id {number}")
    return key_or_id


def _label(verb: str, key_or_id: str) -> str:
    """What history calls a done/snooze: the store's own words for a stored or a derived item."""
    text = key_or_id.strip()
    if text.lstrip("#").isdecimal():
        return f"remind {verb} {int(text.lstrip('#'))}"
    if text.startswith("reminder:") and text.split(":", 2)[1].isdecimal():
        return f"remind {verb} {int(text.split(':', 2)[1])}"
    return f"{verb} {text}"


def add(
    state: State,
    *,
    ref: str,
    when: str,
    text: str,
    every: str | None,
    from_done: bool,
    deal: int | None,
    as_json: bool,
) -> None:
    """`remind add`: a reminder, optionally recurring; prints its id."""
    store = state.store()
    now = state.local_now()
    label = ""
    if ref not in (None, "", "-"):
        label = store.resolve(check_ref(ref))["name"]
    with writing(store, f"remind add {label}".strip()):
        reminder = agenda.add_reminder(
            store, ref, when, text, now_local=now, every=every, from_done=from_done,
            deal_id=check_id(deal, "deal"),
        )
        if as_json:
            emit_json(reminder)
        else:
            echo(reminder["id"])


PAGE = 50  # reminders in the table when no --limit is given


@reads
def list_(state: State, *, all_: bool, limit: int | None, as_json: bool) -> None:
    """`remind list`: stored reminders, soonest first (done ones with --all), a page at a time.

    `--json` stays the whole list, as the scripting contract has it, unless `--limit` is given.
    """
    store = state.store()
    shown = page(limit) if limit is not None else None if as_json else PAGE
    reminders = store.list_reminders(include_done=all_, limit=shown)
    if as_json:
        emit_json(reminders)
        return
    for rem in reminders:
        rem["when"] = local_text(rem["due"], all_day=rem["all_day"])
        if rem["done_at"]:
            rem["when"] += "  (done)"
    if reminders:
        emit_table(reminders, LIST_COLUMNS)
    if limit is None and len(reminders) == PAGE and is_terminal():
        more = store.count_reminders(include_done=all_) - PAGE
        if more > 0:
            echo(f"{more} more — use --limit N to see them (--json lists them all)")


def done(state: State, *, key_or_id: str) -> None:
    """`remind done`: a recurring reminder moves to its next occurrence; reads inside the write."""
    store = state.store()
    now = state.local_now()
    with writing(store, _label("done", _reminder_key(key_or_id))):
        echo(agenda.mark_done(store, key_or_id, now))


def snooze(state: State, *, key_or_id: str, when: str) -> None:
    """`remind snooze`: move one occurrence to a later time."""
    from ..dates import parse_when

    store = state.store()
    now = state.local_now()
    until = parse_when(when, now)
    with writing(store, _label("snooze", _reminder_key(key_or_id))):
        echo(agenda.snooze(store, key_or_id, until.at, all_day=until.all_day, now_local=now))


def rm(state: State, *, reminder_id: str) -> None:
    """`remind rm`: delete a stored reminder (undo brings it back)."""
    if not reminder_id.strip().lstrip("#").isdecimal():
        raise InvalidData(f"invalid reminder id '{reminder_id}': use the number `remind list` shows")
    number = check_id(int(reminder_id.strip().lstrip("#")), "reminder")
    store = state.store()
    with writing(store, f"remind rm {number}"):
        removed = store.delete_reminder(number)
        echo(f"removed {removed['id']}: {removed['text']}")


@reads
def due(
    state: State,
    *,
    urls: list[str] | None,
    within: str | None,
    as_json: bool,
    notify: bool,
    to: list[str] | None,
) -> None:
    """`due`: everything due by the end of today, overdue first; silent when nothing is due."""
    if urls and not notify:
        raise UsageError("URLs go with --notify: tinycrm due --notify URL…")
    targets = [*(to or []), *(urls or [])]
    show_due(state, within=within, as_json=as_json, notify=notify or bool(to), urls=targets)


def show_due(
    st: State,
    *,
    within: str | None = None,
    as_json: bool = False,
    notify: bool = False,
    urls: tuple[str, ...] | list[str] = (),
    sender: Callable[..., object] | None = None,
) -> int:
    """`due`: everything due by the end of today (or within DURATION), overdue first.

    Silence is the contract: when nothing is due the text and `--notify` forms print nothing
    and exit 0, so a crontab line mails nothing. `--json` prints `[]` then, because `--json`
    always prints one JSON document and `jq` and `json.loads` fail on empty input.
    `--notify` sends only occurrences not notified before and records them after a
    successful send; a failed send is an `error:` line, exit 1, and is retried next run.
    """
    store = st.store()
    now = st.local_now()
    tz = now.tzinfo
    assert tz is not None  # for mypy: the local now is aware
    _daily(store, now)
    problems: list[str] = []
    # thousands of short-lived records and not one reference cycle among them: the
    # collector's passes over them would only cost time (a tenth of `due --json`'s own)
    with paused_gc():
        items = agenda.collect(store, now, agenda.horizon(now, within), problems=problems)
    for problem in problems:  # one unreadable row is skipped and said, never the whole book lost
        sys.stderr.write(f"warning: {safe(problem)} (skipped; tinycrm check lists such rows)\n")
    if notify:
        from ..notify import send

        # claimed in one write before it is sent: parallel cron runs send each occurrence once
        items = agenda.notify_once(
            store, items, lambda mine: send(mine, tuple(urls), tz=tz, sender=sender)
        )
        if not as_json:
            return 0
    if as_json:
        _emit_due_json(items, tz)
        return 0
    if not items:
        return 0
    import shutil

    from ..wording import due_rows, format_due_table

    width = shutil.get_terminal_size().columns if is_terminal() else 10_000
    sys.stdout.write(format_due_table(due_rows(items, now), width))
    return 0


def _daily(store: Store, now: datetime) -> None:
    """What cron's `due` keeps up once a day: decaying health; the pool returns idle customers."""
    if store.pool_rule():
        from ..services.team import apply_rule

        apply_rule(store, now_local=now)
    done = store.setting("health:computed_at") or ""
    if done[:10] != now.astimezone(timezone.utc).strftime("%Y-%m-%d"):
        from ..store.health import recompute_health

        recompute_health(store, now)


def _emit_due_json(items: list, tz: tzinfo | None) -> None:
    """A JSON array of due items, one per line (`[]` when nothing is due)."""
    sys.stdout.write(due_document(items, tz) if items else "[]\n")


def due_document(items: list, tz: tzinfo | None) -> str:
    """The bytes of `[`, `JSONEncoder(ensure_ascii=False).encode(item.to_json(tz))` a line, `]`.

    No dict and no encoder call per item: the C string escaper for text, ids formatted as
    ints are, the encoder itself only for a value of another type; items sharing a due time
    (the midnights of derived items) share one formatted `due`. ~3x faster for 1,500 items.
    """
    try:  # the C escaper `json.encoder` uses, without importing json (and its regexes)
        from _json import encode_basestring as quote
    except ImportError:  # pragma: no cover - a Python without the C accelerator
        from json.encoder import encode_basestring as quote

    def value(v: object) -> str:
        if v is None:
            return "null"
        if type(v) is str:
            return quote(v)
        if type(v) is int:
            return int.__repr__(v)
        if v is True:
            return "true"
        if v is False:
            return "false"
        import json

        return json.JSONEncoder(ensure_ascii=False).encode(v)

    dues: dict[tuple[datetime, object], str] = {}
    lines = []
    for i in items:
        due = dues.get((i.due, i.all_day))
        if due is None:
            local = i.due.astimezone(tz)
            due = local.date().isoformat() if i.all_day else local.isoformat(timespec="seconds")
            due = dues[(i.due, i.all_day)] = quote(due)
        # each field's usual types inline, `value` for anything else: a call per value was a
        # fifth of the whole
        key, text, source, every, contact = i.key, i.text, i.source, i.every, i.contact
        rid, cid, did, all_day, overdue = i.id, i.contact_id, i.deal_id, i.all_day, i.overdue
        key = quote(key) if type(key) is str else value(key)
        text = quote(text) if type(text) is str else value(text)
        source = quote(source) if type(source) is str else value(source)
        every = "null" if every is None else quote(every) if type(every) is str else value(every)
        contact = "null" if contact is None else quote(contact) if type(contact) is str else value(contact)
        rid = "null" if rid is None else rid if type(rid) is int else value(rid)
        cid = "null" if cid is None else cid if type(cid) is int else value(cid)
        did = "null" if did is None else did if type(did) is int else value(did)
        all_day = "true" if all_day is True else "false" if all_day is False else value(all_day)
        overdue = "true" if overdue is True else "false" if overdue is False else value(overdue)
        lines.append(
            f'{{"key": {key}, "id": {rid}, "source": {source}, "text": {text}, "due": {due},'
            f' "all_day": {all_day}, "overdue": {overdue}, "every": {every}, "contact_id": {cid},'
            f' "contact": {contact}, "deal_id": {did}}}'
        )
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"


@reads
def export_ics(state: State, *, filter_: list[str] | None, output: str | None) -> None:
    """`export ics`: an iCalendar file of reminders, follow-ups, birthdays and deal close dates."""
    from ..io import ics
    from ..store import due as store_due

    store = state.store()
    text = " ".join(filter_ or [])
    now = state.local_now()
    assert now.tzinfo is not None  # for mypy: the local now is aware
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
    from pathlib import Path  # not on due's start-up path

    write_private(Path(output).expanduser(), data)
    events = sum(1 for c in cal.subcomponents if c.name == "VEVENT")
    echo(f"exported {events} events to {output}")


def write_private(path: Path, data: bytes) -> None:
    """Replace the file in one step, readable by its owner only (0600, whatever the umask).

    A calendar app never reads half of it, and an export of the book is as private as the book.
    """
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
    from pathlib import Path

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
    import re
    import shlex

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


def cron(state: State, *, at: str, to: list[str] | None, as_json: bool) -> None:
    """`cron`: print a crontab line and a systemd user timer for `due --notify` (installs nothing)."""
    setup = cron_setup(state, at, list(to or []))
    if as_json:
        import json

        sys.stdout.write(json.dumps(setup, ensure_ascii=False, indent=2) + "\n")
        return
    echo(
        f"# crontab -e, then add this line (every day at {at}; cron mails what it prints):\n"
        f"{setup['crontab']}\n\n"
        "# or a systemd user timer: save the two files below, then run\n"
        f"#   systemctl --user daemon-reload && systemctl --user enable --now {TIMER}\n"
        "# (desktop notifications from systemd need: systemctl --user import-environment DISPLAY)\n\n"
        f"# {setup['service_path']}\n{setup['service']}\n"
        f"# {setup['timer_path']}\n{setup['timer']}",
        nl=False,
    )
