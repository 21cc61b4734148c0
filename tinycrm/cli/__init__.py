"""The command line: the Typer app (`root`), and the dispatcher that runs it without Typer.

`tinycrm.cli.root` defines every command, option and help text with Typer, one module per
noun; `tinycrm.cli.gen_table` walks that app into `tinycrm/cli/_table.py`, and
`tinycrm.cli.dispatch` parses a command line with that table and calls the command's
function in `tinycrm.commands` — Typer is imported only for help, usage errors and the
forms the table does not cover. This package's own import stays free of Typer: `app` and
`main` load it when asked for.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `import typing` costs milliseconds of every command's start-up
if TYPE_CHECKING:
    from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("app", "main"):
        from . import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
