"""Exact amounts in the currency's own minor units (JPY has none, KWD three, most two).

Amounts are integers of minor units everywhere below the front ends; text becomes one
here, through Decimal and never through float, and a value that cannot be stored
(`1e999999999`, `NaN`, `-5`, a third decimal of euros) is an InvalidData sentence.
"""

from __future__ import annotations

from .errors import InvalidData

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

DEFAULT_MINOR_UNITS = 2
"""ISO 4217 minor units of a currency not in MINOR_UNITS (and of no currency at all)."""

MINOR_UNITS: dict[str, int] = {
    # ISO 4217 (list one, 2024): currencies whose minor unit is not 2
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
         "VND", "VUV", "XAF", "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}  # fmt: skip

MAX_MINOR = 10**17
"""The largest amount stored, in minor units: sums of many deals still fit SQLite's 64 bits."""

_HELP = "use a number such as 5000 or 1250.50"


def minor_units(currency: str | None) -> int:
    """How many decimals the currency's amounts have (ISO 4217; 2 when unknown)."""
    return MINOR_UNITS.get((currency or "").strip().upper(), DEFAULT_MINOR_UNITS)


def parse_amount(text: str | int | Decimal | None, currency: str | None = None) -> int:
    """A money amount as exact integer minor units of `currency`; never through float."""
    units = minor_units(currency)
    code = (currency or "").strip().upper()
    if text is None or text == "":
        return 0
    if isinstance(text, bool):
        raise InvalidData(f"invalid amount '{text}': {_HELP}")
    from decimal import Decimal, InvalidOperation  # only when text becomes an amount: not on start-up

    raw = text if isinstance(text, (int, Decimal)) else str(text).strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise InvalidData(f"invalid amount '{_shown(text)}': {_HELP}") from None
    if not value.is_finite() or value < 0:
        raise InvalidData(f"invalid amount '{_shown(text)}': must be a positive number")
    if value and value.adjusted() > 17:  # before any arithmetic: 1e999999999 overflows Decimal
        raise InvalidData(f"invalid amount '{_shown(text)}': {_too_large(units, code)}")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # for mypy: a finite Decimal's exponent is an int
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if value and exponent + trailing < -units:  # checked on the digits: scaleb would round
        places = {0: "no decimals", 1: "at most one decimal"}.get(units, f"at most {units} decimals")
        why = f"{code} takes {places}" if code else places
        raise InvalidData(f"invalid amount '{_shown(text)}': {why}")
    minor = value.scaleb(units)
    if minor > MAX_MINOR:
        raise InvalidData(f"invalid amount '{_shown(text)}': {_too_large(units, code)}")
    return int(minor)


def format_amount(minor: int, currency: str | None = None) -> str:
    """Integer minor units as an exact decimal string in the currency's own decimals."""
    units = minor_units(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**units)
    return f"{sign}{whole}.{frac:0{units}d}" if units else f"{sign}{whole}"


def _too_large(units: int, code: str) -> str:
    """The bound, said in major units."""
    return f"too large (at most {format_amount(MAX_MINOR, code or None)} {code})".replace(" )", ")")


def _shown(text: object) -> str:
    """The amount as the user gave it, cut for an error line."""
    shown = str(text)
    return shown if len(shown) <= 40 else shown[:37] + "..."
