"""Birthdays and anniversaries as exporters write them, turned into the store's two forms.

The store keeps `YYYY-MM-DD` or, for a date without a year, `--MM-DD` (see
`tinycrm.dates.parse_birthday`). Exporters write many more: `19800322`, `--0322`, `3/22/1980`
(Outlook, month first), `0/0/00` (Outlook's "no date"), `1604-03-22` (Apple's year-less
placeholder), ISO timestamps, `1980年3月22日`. A date without a year stays without one.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..dates import BIRTH_YEARS

_ISO = re.compile(r"(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ][\d:.]*(?:Z|[+-]\d\d:?\d\d)?)?")
_NO_YEAR = re.compile(r"--(\d{1,2})-?(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})")
_CJK = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
APPLE_NO_YEAR = 1604
"""The year Apple's Contacts writes for a birthday entered without one (with X-APPLE-OMIT-YEAR)."""
NO_DATE = {"", "0/0/00", "0/0/0000", "00/00/0000", "0000-00-00", "--", "00.00.0000"}


def _form(year: int | None, month: int, day: int) -> str:
    try:
        date(year if year and year > 0 else 2000, month, day)
    except ValueError:
        raise ValueError(f"no such day: {year or '--'}-{month}-{day}") from None
    if year in (None, 0, APPLE_NO_YEAR):
        return f"--{month:02d}-{day:02d}"
    lo, hi = BIRTH_YEARS
    if not lo <= year <= hi:  # Gmail's X-ABDATE:1776-07-04: a date the store cannot keep
        raise ValueError(f"{year:04d}-{month:02d}-{day:02d} is out of range: years from {lo} to {hi}")
    return f"{year:04d}-{month:02d}-{day:02d}"


@lru_cache(maxsize=4096)
def parse_date(text: str, *, day_first: bool = False, omit_year: int | None = None) -> str | None:
    """A date in any exporter's writing as `YYYY-MM-DD` / `--MM-DD`; None for "no date".

    `day_first` reads `22/3/1980` as 22 March (month first, as Outlook writes, otherwise);
    `omit_year` is a vCard's X-APPLE-OMIT-YEAR: that year means "no year". Raises ValueError
    for text that is not a date, or one whose year the store refuses (outside BIRTH_YEARS).
    """
    s = text.strip()
    if s in NO_DATE:
        return None
    m = _NO_YEAR.fullmatch(s)
    if m:
        return _form(None, int(m[1]), int(m[2]))
    m = _ISO.fullmatch(s)
    if m:
        year = int(m[1])
        return _form(None if year == omit_year else year, int(m[2]), int(m[3]))
    m = _SLASHED.fullmatch(s)
    if m:
        a, b, c = m[1], m[2], m[3]
        if len(a) == 4:  # 1980/3/22
            return _form(int(a), int(b), int(c))
        month, day = (int(b), int(a)) if day_first else (int(a), int(b))
        if month > 12 >= day:  # unambiguous the other way round
            month, day = day, month
        year = int(c)
        if len(c) <= 2:  # two-digit years as Outlook writes them
            year += 1900 if year >= 30 else 2000
        return _form(year, month, day)
    m = _CJK.fullmatch(s)
    if m:
        return _form(int(m[1]) if m[1] else None, int(m[2]), int(m[3]))
    raise ValueError(f"'{text}' is not a date")
