"""What every Typer command shares: the state of the run, the output options, `runs`."""

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ..session import State

__all__ = ["CsvOpt", "JsonOpt", "State", "runs", "state"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (one document).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]


def state(ctx: typer.Context) -> State:
    """The State of the root command (created by the root callback)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return root.obj


def runs(implementation: Callable[..., object]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Make a declared Typer command the thin wrapper of its implementation in `tinycrm.commands`.

    The declared function holds the command's parameters, options and help (the single
    definition Typer and the dispatch table are built from); its body stays empty. The
    wrapper calls `implementation(state, **parameters)` with the names Typer parsed, and
    carries the implementation's import path for `tinycrm.cli.gen_table`.
    """

    module, name = implementation.__module__, implementation.__name__

    def wrap(declared: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(declared)
        def command(ctx: typer.Context, **params: Any) -> None:
            # looked up at each call, as the dispatcher does, so both paths run the same function
            implementation = getattr(sys.modules[module], name)
            run_state = state(ctx)
            run_state.create = not getattr(implementation, "reads_only", False)
            implementation(run_state, **params)

        command.implementation = f"{module}:{name}"  # type: ignore[attr-defined]
        return command

    return wrap
