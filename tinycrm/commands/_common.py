"""What the command functions share: output inside the write, guards on ids and limits."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import NotFound, UsageError
from ..session import State, clock, local_text
from ..validate import MAX_ID

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, TypeVar

    from ..store import Store

    F = TypeVar("F", bound=Callable[..., Any])
    OptId = TypeVar("OptId", bound=int | None)  # a given id stays given (and None stays None)
    OptRef = TypeVar("OptRef", bound=str | None)

__all__ = [
    "MAX_ID", "State", "check_id", "check_ref", "clock", "confirm", "echo", "emit_records", "filter_words",
    "limit_of", "local_text", "page", "reads", "writing",
]

MAX_LIMIT = 10**9  # more rows than any book holds; keeps LIMIT (and twice it) an SQLite integer


def reads(implementation: F) -> F:
    """Mark a command that only reads: a book named by --db or $TINYCRM_DB that does not
    exist is an error for it (a typo in a cron line must never look like an empty book)."""
    implementation.reads_only = True  # type: ignore[attr-defined]
    return implementation


@contextmanager
def writing(store: Store, label: str) -> Iterator[Store]:
    """One write transaction that holds the command's output too: printed, flushed, then committed.

    A command whose output cannot be written (stdout closed or full, a character the
    encoding cannot show) fails and rolls back, so its exit code tells the truth and a
    script's retry does not duplicate the record. `label` is what `history` shows as the
    command, the same text the store's own write would use (the store's writes inside join
    this one).
    """
    with store.write(label):
        yield store
        sys.stdout.flush()


def check_id(value: OptId, what: str) -> OptId:
    """An integer id as given, or NotFound when it is beyond any row (SQLite overflows on it)."""
    if value is not None and not 0 <= value <= MAX_ID:
        raise NotFound(f"no {what} with id {value}")
    return value


def check_ref(ref: OptRef) -> OptRef:
    """A contact REF, or NotFound when it is all digits yet no possible id (too big, not decimal)."""
    if ref is not None:
        text = ref.strip()
        if text.isdigit() and not (text.isdecimal() and int(text) <= MAX_ID):
            raise NotFound(f"no contact matches '{ref}'")
    return ref


def limit_of(limit: int | None) -> int | None:
    """A `--limit` as the store can take it: a huge one means no limit at all."""
    return None if limit is None else page(limit)


def page(limit: int) -> int:
    """A `--limit` with a default, as the store can take it (a billion rows is more than any book)."""
    return min(limit, MAX_LIMIT)


def filter_words(words: list[str] | None) -> str:
    """The filter of a list command, from its arguments.

    List commands pass unknown options through (`contact list -tag:vip` is a negated
    term, not an option), so a word that looks like a long option is a typo to report.
    """
    for word in words or []:
        if word.startswith("--") and len(word) > 2:
            raise UsageError(f"no such option: {word.split('=')[0]}")
    return " ".join(words or [])


def emit_records(
    rows: Sequence[Mapping[str, Any]], *, as_json: bool, as_csv: bool, csv_columns: list[str]
) -> bool:
    """The machine forms of a list (`--json`, `--csv`); False when the caller draws its table."""
    from ..output import emit_csv, emit_json

    if as_json and as_csv:
        raise UsageError("--json and --csv cannot be combined")
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows, csv_columns)
    return as_json or as_csv


def confirm(question: str) -> None:
    """Ask on the terminal; anything but yes is `error: aborted` (exit 1), as `typer.confirm` did."""
    from ..errors import CrmError

    try:
        answer = input(f"{question} [y/N]: ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise CrmError("aborted")


def echo(text: object, *, nl: bool = True) -> None:
    """A line on stdout as `typer.echo` writes it (CSI colour codes dropped off a terminal)."""
    line = f"{text}\n" if nl else str(text)
    if "\033" in line:
        from ..output import is_terminal

        if not is_terminal():
            import re

            line = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", line)
    sys.stdout.write(line)
