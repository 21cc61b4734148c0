"""What every Typer command shares: the state of the run and the output options."""

from __future__ import annotations

from typing import Annotated

import typer

from ..session import State, clock, local_text

__all__ = ["CsvOpt", "JsonOpt", "State", "clock", "emit_records", "filter_words", "local_text", "state"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (one document).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]


def state(ctx: typer.Context) -> State:
    """The State of the root command (created by the root callback)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return root.obj


def filter_words(words: list[str] | None) -> str:
    """The filter of a list command, from its arguments.

    List commands pass unknown options through (`contact list -tag:vip` is a negated
    term, not an option), so a word that looks like a long option is a typo to report.
    """
    from ..errors import UsageError

    for word in words or []:
        if word.startswith("--") and len(word) > 2:
            raise UsageError(f"no such option: {word.split('=')[0]}")
    return " ".join(words or [])


def emit_records(rows: list[dict], *, as_json: bool, as_csv: bool, csv_columns: list[str]) -> bool:
    """The machine forms of a list (`--json`, `--csv`); False when the caller draws its table."""
    from ..errors import UsageError
    from ..output import emit_csv, emit_json

    if as_json and as_csv:
        raise UsageError("--json and --csv cannot be combined")
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows, csv_columns)
    return as_json or as_csv
