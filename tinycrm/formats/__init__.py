"""Readers and writers of the files people move contacts in and out with: no store, no SQL.

Readers yield `Draft`s (one contact each, shaped for `Store.add_contact`) and `BadRow`s (a
record of which nothing usable could be made, with its line); writers take the records the
store returns. `read_contacts` picks the reader from the content.
"""

from __future__ import annotations

import csv as csvlib  # not `csv`: importing the submodule .csv rebinds that name here
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

from ..errors import BadRow, InvalidData, UsageError
from .detect import decode, sniff_format
from .draft import Draft

Item = Draft | BadRow
FORMATS = ("csv", "vcard", "json")


def detect_format(data: bytes, name: str | None = None) -> str:
    """`csv`, `vcard`, `json` or `ics` (which `read_contacts` refuses), from the content, then the name."""
    head = data[:4096]
    text = decode(head).text if head else ""
    return sniff_format(text, name)


def read_contacts(
    data: bytes,
    *,
    format: str | None = None,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[Item]:
    """The contacts of one file or stdin, in any format; a JSON book gives only its contacts
    here (use `jsonbook.read_book` for deals, interactions and reminders)."""
    fmt = format or detect_format(data, name)
    if fmt == "ics":
        raise InvalidData(
            f"{name or 'stdin'} is an iCalendar file (events and to-dos), not contacts: "
            "import reads csv, vcard and json"
        )
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}': use {', '.join(FORMATS)}")
    if mapping and fmt != "csv":
        raise UsageError("--map applies to CSV files only")
    if fmt == "csv":
        from .csv import read_csv

        return read_csv(data, mapping=mapping)
    if fmt == "vcard":
        from .vcard import read_vcards

        return read_vcards(data, source_id=None)
    from .jsonbook import read_book

    book = read_book(data)
    return iter([*book.contacts, *book.errors])


def read_path(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[Item]:
    """The contacts of a file, or of a vdir (a folder of `.vcf` files, the file name as source id)."""
    p = Path(path)
    if p.is_dir():
        if format not in (None, "vcard"):
            raise UsageError(f"{p} is a folder: only a vdir of vCards can be imported from one")
        from .vcard import read_vdir

        return read_vdir(p)
    return read_contacts(p.read_bytes(), format=format, name=p.name, mapping=mapping)


def write_rejects(rows: Iterable[BadRow], out: TextIO) -> int:
    """`--rejects FILE`: each record left out, as a CSV of where it was, why, and what it held."""
    writer = csvlib.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "reason", "record"])
    count = 0
    for row in rows:
        where = str(row).split(": ", 1)[0]
        writer.writerow([where.removeprefix("line "), row.reason, row.raw])
        count += 1
    return count
