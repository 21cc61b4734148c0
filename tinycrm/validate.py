"""What is acceptable: currencies, probabilities, plan dates, names (e-mails and phones: tinycrm.normalize).

Pure (no SQL, no I/O); the store calls these on every write path and the CLI and TUI
get the same messages. Each function returns the cleaned value or raises InvalidData.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime

from .errors import InvalidData

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_ID = 2**63 - 1
"""SQLite's largest integer: no row has a larger id."""


def phone_key(text: str) -> str:
    """The digits of a phone number (and a leading +), for look-up."""
    text = text.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return ("+" if text.startswith("+") else "") + digits


def currency(text: str) -> str:
    """A three-letter currency code, upper case."""
    code = (text or "").strip().upper()
    if not _CURRENCY_RE.match(code):
        raise InvalidData(f"invalid currency '{text}': use a 3-letter code such as EUR")
    return code


def probability(value: Any) -> int:
    """A percentage 0–100."""
    try:
        prob = int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidData(f"invalid probability '{value}': use 0 to 100") from None
    if not 0 <= prob <= 100:
        raise InvalidData(f"invalid probability '{value}': use 0 to 100")
    return prob


def plan_date(text: str | None) -> str | None:
    """A `YYYY-MM-DD` date for plans (close dates), within the years tinycrm plans for."""
    if text is None or text == "":
        return None
    from .dates import check_plan_date  # one range for every plan: dates.PLAN_YEARS

    try:
        day = datetime.strptime(str(text), "%Y-%m-%d")
    except ValueError:
        raise InvalidData(f"invalid date '{text}': use YYYY-MM-DD") from None
    check_plan_date(day, "date")
    return day.strftime("%Y-%m-%d")





def dedupe(values: Iterable[str], key: Callable[[str], str] = str.lower) -> list[str]:
    """Trimmed values, empty ones and repeats (by `key`) left out, order kept."""
    seen: set[str] = set()
    out = []
    for value in values:
        value = value.strip()
        if value and (k := key(value)) not in seen:
            seen.add(k)
            out.append(value)
    return out


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
