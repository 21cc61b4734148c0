"""What every Typer command shares: the state of the run and the output options."""

from __future__ import annotations

from typing import Annotated

import typer

from ..session import State, clock, local_text

__all__ = ["CsvOpt", "JsonOpt", "State", "clock", "local_text", "state"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (one document).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]


def state(ctx: typer.Context) -> State:
    """The State of the root command (created by the root callback)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return root.obj
