"""How wide text is in a terminal: CJK characters take two cells. Pure, for tables and charts alike."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Display width in terminal cells (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    """Pad to a display width."""
    return text + " " * max(0, cells - width(text))
