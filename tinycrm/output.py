"""Rendering for the command line: JSON, CSV and tables; colour only on a terminal.

Rich is imported only when a table goes to a terminal: piped output is plain,
tab-aligned text (CJK-width aware) so `tinycrm contact list | grep` and cron mail stay
clean and the fast paths do not pay for Rich's import.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence

from .textwidth import pad, width

TYPE_CHECKING = False  # `import typing` costs ~10 ms of start-up; annotations are strings
if TYPE_CHECKING:
    from typing import Any, TextIO


def _escapes() -> dict[int, str]:
    """The table for `safe`: each control character and each invisible reorderer to its escape."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    table = {}
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        ch = chr(code)
        table[code] = named.get(ch, f"\\x{code:02x}")
    # line/paragraph separators break lines; bidi controls reorder what is shown ("Trojan source")
    for code in [0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        table[code] = f"\\u{code:04x}"
    return table


_SAFE = _escapes()
_JSON_SAFE = {code: f"\\u{code:04x}" for code in _SAFE if code >= 0x7F}
"""JSON escapes C0 itself; DEL, C1 and the invisible ones are escaped here (still valid JSON)."""


def safe(text: object) -> str:
    """User text made harmless for a terminal: control characters shown as escapes (`\\x1b`).

    A name can hold an escape sequence that retitles or clears the terminal, or a newline
    that forges a table row; the data stays as stored, only what is shown is escaped.
    """
    shown = text if isinstance(text, str) else str(text)
    return shown.translate(_SAFE)


def safe_json(text: str) -> str:
    """Encoded JSON text with DEL, C1 and invisible reorderers escaped too (json escapes only C0)."""
    return text.translate(_JSON_SAFE)


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


def emit_csv(rows: Sequence[dict], columns: Sequence[str], stream: TextIO | None = None) -> None:
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
    rows: Sequence[dict],
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
