"""`tinycrm backup`, `restore` and `check`, over `services.safety`."""

from __future__ import annotations

import os
import sys

from ..cells import safe
from ..errors import CrmError, UsageError
from ..output import emit_json, is_terminal
from ._common import State, confirm, echo, reads


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@reads
def backup(state: State, *, target: str | None, keep: int | None, as_json: bool) -> None:
    """`backup`: a consistent copy while others write; --keep N removes all but the newest N."""
    from ..services.safety import backup_book

    try:
        done = backup_book(state.store(), target, now=state.local_now(), keep=keep)
    except OSError as exc:  # a folder that cannot be made or written: one line, not a traceback
        raise CrmError(f"cannot write the backup: {exc.strerror or exc} ({exc.filename})") from None
    if as_json:
        emit_json(done)
        return
    echo(f"backed up {_plural(done['contacts'], 'contact')} to {safe(done['path'])}")
    if done["removed"]:
        echo(f"removed {_plural(len(done['removed']), 'older backup')}: "
             + ", ".join(safe(p) for p in done["removed"]))


def restore(state: State, *, source: str, yes: bool) -> None:
    """`restore`: the book replaced by a checked backup; the replaced one is kept beside it."""
    from pathlib import Path

    from ..services.safety import restore_book
    from ..store.safety import inspect_book

    store = state.store()
    if not yes:
        if sys.stdin.isatty() and sys.stdout.isatty():
            info = inspect_book(Path(source).expanduser())  # a bad file is refused before the question
            confirm(f"Replace the book {safe(store.path)} with {safe(source)} "
                    f"({_plural(info['contacts'], 'contact')})? The current book is kept beside it.")
        else:
            raise UsageError("restore replaces the whole book: add --yes to confirm")
    done = restore_book(store, source, now=state.local_now())
    echo(f"restored {_plural(done['contacts'], 'contact')} from {safe(done['restored'])}; "
         f"the book as it was is in {safe(done['kept'])}")


def problems_of(state: State) -> list[str]:
    """Everything `check` reports: the store's own checks and the stored rows no list can read."""
    from ..reminders import unreadable
    from ..services.safety import check_book

    store = state.store()
    shown = is_terminal(sys.stderr)

    def say(what: str) -> None:
        try:
            room = os.get_terminal_size(sys.stderr.fileno()).columns - 1
        except (OSError, ValueError):
            room = 79
        line = f"checking: {what}…"  # one line, or the next step's \r clears only its last part
        sys.stderr.write("\r\033[K" + (line if len(line) <= room else line[: max(room - 1, 0)] + "…"))
        sys.stderr.flush()

    try:
        found = list(check_book(store, say if shown else None))
        if shown:
            say("rows no list can read")
        found += unreadable(
            reminders=store.list_reminders(include_done=False),
            contacts=store.list_contacts(),
            deals=[d for d in store.list_deals() if d["status"] == "open"],
        )
    finally:
        if shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    return found


@reads
def check(state: State, *, as_json: bool) -> None:
    """`check`: the book's integrity and every row it cannot read; exit 1 when anything is wrong."""
    found = problems_of(state)
    if as_json:
        emit_json({"sound": not found, "problems": found})
    elif not found:
        echo("the book is sound")
    for problem in [] if as_json else found:
        echo(safe(problem))
    if found:
        sys.stdout.flush()
        raise CrmError(f"the book has {_plural(len(found), 'problem')}")
