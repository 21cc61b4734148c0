"""`python -m tinycrm` and the `tinycrm` console script.

The hot commands (`log`, `contact show`, `due`) are tried first by `tinycrm.fast`, which
parses their plain forms without importing Typer (whose import alone costs more than the
whole time budget of those commands); anything else, `--help` included, goes to Typer.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point."""
    from .fast import try_fast

    code = try_fast(sys.argv[1:])
    if code is None:
        from .cli import main as cli_main

        code = cli_main()
    sys.exit(code)


if __name__ == "__main__":
    main()
