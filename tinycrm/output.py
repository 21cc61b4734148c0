"""Rendering for the command line: JSON, CSV and tables; colour only on a terminal.

Rich is imported only when a table goes to a terminal: piped output is plain,
tab-aligned text (CJK-width aware) so `tinycrm contact list | grep` and cron mail stay
clean and the fast paths do not pay for Rich's import.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence

from .cells import pad, safe, safe_json, width  # pure: the TUI and the wording use them too

TYPE_CHECKING = False  # `import typing` costs ~10 ms of start-up; annotations are strings
if TYPE_CHECKING:
    import json
    from collections.abc import Mapping
    from typing import Any, TextIO
else:
    from .lazy import LazyModule

    json = LazyModule("json")


def is_terminal(stream: TextIO | None = None) -> bool:
    """True when the stream is an interactive terminal."""
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(stream: TextIO | None = None) -> bool:
    """Colour only on a terminal and never with NO_COLOR set."""
    return is_terminal(stream) and "NO_COLOR" not in os.environ


def emit_json(data: Any, stream: TextIO | None = None) -> None:
    """One JSON document, UTF-8 as text (not \\u escapes)."""
    stream = stream or sys.stdout
    stream.write(safe_json(json.dumps(data, ensure_ascii=False, indent=2, default=str)))
    stream.write("\n")


def emit_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], stream: TextIO | None = None) -> None:
    """CSV with a header row; list values joined with `;`.

    Piped or redirected, the values are exact (CSV quotes newlines); on a terminal they are
    escaped like every other output, since a terminal would obey an escape sequence.
    """
    import csv

    stream = stream or sys.stdout
    shown = safe if is_terminal(stream) else str
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([shown(_cell(row.get(col))) for col in columns])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def emit_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    stream: TextIO | None = None,
) -> None:
    """A table of `rows` with (key, header) columns: Rich on a terminal, plain text otherwise."""
    stream = stream or sys.stdout
    cells = [[safe(_cell(row.get(key))) for key, _ in columns] for row in rows]
    title = safe(title) if title else title
    if is_terminal(stream):
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Text, not str: Rich reads markup in strings, and a name like "[red]x" is data
        table = Table(title=Text(title) if title else None, show_edge=False, header_style="bold",
                      pad_edge=False)  # fmt: skip
        for _, header in columns:
            table.add_column(header, overflow="fold")
        for line in cells:
            table.add_row(*(Text(cell) for cell in line))
        Console(file=stream, no_color=not use_color(stream), highlight=False).print(table)
        return
    if title:
        stream.write(title + "\n")
    widths = [width(h) for _, h in columns]
    for line in cells:
        widths = [max(w, width(c)) for w, c in zip(widths, line)]
    out = ["  ".join(pad(h, w) for (_, h), w in zip(columns, widths)).rstrip()]
    for line in cells:
        out.append("  ".join(pad(c, w) for c, w in zip(line, widths)).rstrip())
    stream.write("\n".join(out) + "\n")


def emit_fields(pairs: Iterable[tuple[str, Any]], stream: TextIO | None = None) -> None:
    """`label: value` lines for one record, empty values left out."""
    stream = stream or sys.stdout
    pairs = [(safe(k), safe(_cell(v))) for k, v in pairs if v not in (None, "", [], {}, False)]
    if not pairs:
        return
    label_width = max(width(k) for k, _ in pairs)
    for key, value in pairs:
        stream.write(f"{pad(key, label_width)}  {value}\n")


def error(message: str) -> None:
    """The one-line `error:` message on stderr."""
    sys.stderr.write(f"error: {safe(message)}\n")


def fail(exc: BaseException) -> int:
    """Report an exception as the contract says — one `error:` line — and return the exit code.

    CrmError carries its exit code; a broken pipe is a reader that stopped (0); anything else
    is a bug shown in one line, re-raised with its traceback when TINYCRM_DEBUG is set.
    """
    from .errors import CrmError

    if isinstance(exc, BrokenPipeError):
        return 0
    if os.environ.get("TINYCRM_DEBUG"):
        raise exc
    if isinstance(exc, CrmError):
        error(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        return exc.exit_code
    error(f"{exc.__class__.__name__}: {exc} (TINYCRM_DEBUG=1 shows the traceback)")
    return 1
