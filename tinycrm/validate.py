"""What is acceptable as user data, said in one place (names for now; e-mail and phone to follow)."""

from __future__ import annotations

import unicodedata

from .errors import InvalidData

MAX_NAME = 200
"""The longest name, in characters: a name is a line on the screen, not a document."""

_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn", "Mn", "Me"}
"""Unicode categories that show nothing on their own: controls, formats (U+200B, bidi),
spaces, separators, surrogates, private use, unassigned and combining marks."""


def visible(text: str) -> bool:
    """True when the text shows at least one character (not only spaces, controls, U+200B...)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def check_name(text: str, what: str = "name") -> str:
    """The name trimmed, or InvalidData when nothing of it would show or it is too long.

    Control characters inside a visible name are kept as data (output escapes them); a name
    made only of `\\u200b`, `\\x7f` or spaces would be an invisible row no REF can reach.
    """
    name = text.strip()
    if not visible(name):
        raise InvalidData(
            f"invalid {what} {text!r}: it must have a visible character (not only spaces or"
            " control characters)"
        )
    if len(name) > MAX_NAME:
        raise InvalidData(f"invalid {what}: at most {MAX_NAME} characters (it has {len(name)})")
    return name
