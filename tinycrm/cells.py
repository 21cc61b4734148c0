"""Text measured in terminal cells: CJK characters take two, combining marks none.

Pure and cheap to import (it is on the path of `tinycrm due`): the command line's tables,
the wording of history and due items and the TUI all measure text here, so columns line
up the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Cells one character takes: 2 for wide (CJK) characters, 0 for combining marks."""
    if ch < "\u0300":  # ASCII and Latin-1: one cell each, the common case without a look-up
        return 1
    found = _WIDTHS.get(ch)
    if found is None:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
            found = 0
        else:
            found = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if len(_WIDTHS) < 65536:
            _WIDTHS[ch] = found
    return found


_WIDTHS: dict[str, int] = {}
_OUTSIDE_LATIN = re.compile("[^\x00-\u02ff]")


def width(text: str) -> int:
    """Display width in terminal cells (CJK characters take two)."""
    if text.isascii():
        return len(text)
    # only characters past Latin can be wide or zero-width: look at those alone
    return len(text) + sum(char_width(ch) - 1 for ch in _OUTSIDE_LATIN.findall(text))


def pad(text: str, cells: int) -> str:
    """Pad to a display width."""
    return text + " " * max(0, cells - width(text))


def cut(text: str, cells: int, *, words: bool = True) -> str:
    """Text that fits `cells`, shortened with "…" (at a word boundary when one is near).

    A wide character never splits across the edge; with `words`, the cut goes back to the
    last space when that keeps at least half of the room, so "called about the invoice"
    becomes "called about…" rather than "called about the inv…".
    """
    if cells <= 0:
        return ""
    if width(text) <= cells:
        return text
    room = cells - 1  # the ellipsis takes one cell
    used = 0
    end = 0
    for index, ch in enumerate(text):
        w = char_width(ch)
        if used + w > room:
            break
        used += w
        end = index + 1
    head = text[:end]
    if words and end < len(text) and not text[end].isspace():
        space = head.rfind(" ")
        if space > 0 and width(head[:space]) * 2 >= room:
            head = head[:space]
    return head.rstrip() + ELLIPSIS


# ---------------------------------------------------------------- what may be shown


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
_JSON_UNSAFE = "[" + "".join(map(re.escape, map(chr, sorted(_JSON_SAFE)))) + "]"  # compiled when first used


def safe(text: object) -> str:
    """User text made harmless for a terminal: control characters shown as escapes (`\\x1b`).

    A name can hold an escape sequence that retitles or clears the terminal, or a newline
    that forges a table row; the data stays as stored, only what is shown is escaped.
    """
    shown = text if isinstance(text, str) else str(text)
    return shown.translate(_SAFE)


def safe_json(text: str) -> str:
    """Encoded JSON text with DEL, C1 and invisible reorderers escaped too (json escapes only C0)."""
    # a search in C first: translating 3 MB of JSON char by char costs ~150 ms, finding nothing ~10
    return text.translate(_JSON_SAFE) if re.search(_JSON_UNSAFE, text) else text
