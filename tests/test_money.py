"""Exact amounts in each currency's own minor units; every bad amount is one sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tinycrm.errors import InvalidData
from tinycrm.money import MAX_MINOR, format_amount, minor_units, parse_amount


@pytest.mark.parametrize(
    ("currency", "units"),
    [("JPY", 0), ("jpy", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("EUR", 2), ("USD", 2),
     ("CNY", 2), ("CLF", 4), (None, 2), ("", 2), ("XYZ", 2)],
)  # fmt: skip
def test_minor_units_follow_iso_4217(currency: str | None, units: int) -> None:
    assert minor_units(currency) == units


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("5000", None, 500000),
        ("1250.50", "EUR", 125050),
        ("1,234.56", "usd", 123456),
        ("1_000", "USD", 100000),
        ("1250", "JPY", 1250),
        ("100.000", "JPY", 100),
        ("1.234", "KWD", 1234),
        ("1E+2", "JPY", 100),
        (5, "KWD", 5000),
        (Decimal("2.5"), "EUR", 250),
        ("", None, 0),
        (None, None, 0),
        ("1000000000000000", None, MAX_MINOR),
    ],
)
def test_parse_amount(text: object, currency: str | None, minor: int) -> None:
    assert parse_amount(text, currency) == minor  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("1e999999999", None, "too large"),
        ("9" * 500, None, "too large"),
        ("1000000000000000.01", None, "too large"),
        ("1e-999999999", None, "at most 2 decimals"),
        ("1.501", "EUR", "EUR takes at most 2 decimals"),
        ("1250.5", "JPY", "JPY takes no decimals"),
        ("1.2345", "KWD", "KWD takes at most 3 decimals"),
        ("NaN", None, "positive"),
        ("Infinity", None, "positive"),
        ("-5", None, "positive"),
        ("abc", None, "use a number"),
        ("1 2", None, "use a number"),
        (True, None, "use a number"),
    ],
)
def test_bad_amounts_are_one_sentence(text: object, currency: str | None, message: str) -> None:
    with pytest.raises(InvalidData, match=message):
        parse_amount(text, currency)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(123456, None, "1234.56"), (5, "JPY", "5"), (123456, "KWD", "123.456"), (-5, "EUR", "-0.05")],
)
def test_format_amount_uses_the_currency_decimals(minor: int, currency: str | None, text: str) -> None:
    assert format_amount(minor, currency) == text
    assert parse_amount(text.lstrip("-"), currency) == abs(minor)
