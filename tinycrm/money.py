"""Exact money: amounts as integers in the currency's own minor units, never floats.

Most currencies have two decimals; ISO 4217 gives some none (JPY, KRW…) and some three
(KWD, BHD…). `parse_amount("1234.5", "EUR")` → 123450; `format_amount(123450, "EUR")` →
"1234.50"; JPY 1234 is stored as 1234.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .errors import InvalidData

# ISO 4217 currencies whose minor unit is not 1/100
_EXPONENTS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
         "VND", "VUV", "XAF", "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
MAX_MINOR = 10**17  # beyond this no real deal lives, and SQLite's 64-bit integers stay safe


def exponent(currency: str | None) -> int:
    """How many decimals the currency's minor unit has (2 unless ISO 4217 says otherwise)."""
    return _EXPONENTS.get((currency or "").upper(), 2)


def parse_amount(text: str | int | Decimal | None, currency: str | None = None) -> int:
    """A money amount as exact integer minor units of `currency`; never through float."""
    places = exponent(currency)
    if text is None or text == "":
        return 0
    if isinstance(text, int):
        value = Decimal(text)
    else:
        raw = str(text).strip().replace(",", "").replace("_", "")
        if len(raw) > 40:
            raise InvalidData(f"invalid amount '{str(text)[:40]}…': too long for an amount")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise InvalidData(
                f"invalid amount '{text}': use a number such as 5000 or 1250.50"
            ) from None
    if not value.is_finite() or value < 0:
        raise InvalidData(f"invalid amount '{text}': must be a positive number")
    if value > Decimal(MAX_MINOR) / (10**places):
        raise InvalidData(f"invalid amount '{text}': too large")
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise InvalidData(
            f"invalid amount '{text}': {currency or 'this currency'} has "
            f"{places or 'no'} decimal{'s' if places != 1 else ''}"
        )
    return int(minor)


def format_amount(minor: int, currency: str | None = None) -> str:
    """Integer minor units as an exact decimal string (`123456` EUR → `1234.56`, JPY → `123456`)."""
    places = exponent(currency)
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if places == 0:
        return f"{sign}{minor}"
    unit = 10**places
    return f"{sign}{minor // unit}.{minor % unit:0{places}d}"


def to_decimal(minor: int, currency: str | None = None) -> Decimal:
    """Integer minor units as an exact Decimal of major units."""
    return Decimal(minor).scaleb(-exponent(currency))
