"""`python -m tinycrm` and the `tinycrm` console script.

`tinycrm.cli.dispatch` runs the command from the table generated from the Typer app, and
imports Typer only for what the table cannot parse exactly as Click would (help, usage
errors), so every command starts without paying for Typer, Click and pydantic.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point."""
    import gc

    # start-up allocates thousands of objects (modules, functions, classes), none of them
    # garbage, so the collector's passes over them are pure cost (~1-2 ms); the dispatcher
    # turns it back on once the command's modules are loaded, before the command runs
    gc.disable()
    try:
        from .cli.dispatch import main as run

        code = run(sys.argv[1:])
    except KeyboardInterrupt:  # before the dispatcher's own handler was reached
        code = 130
    # the interpreter's exit runs one last full collection over every object still alive
    # (modules, functions, a command's records): nothing is left to collect that matters at
    # exit, and the pass costs ~7 ms of `due --json` (a tenth); frozen objects are skipped
    # by it. Exit handlers, flushing and closing still run as usual.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
