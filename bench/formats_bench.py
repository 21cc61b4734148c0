"""In-process read rates of the import formats, each next to its floor measured in the same run.

    python bench/formats_bench.py [ROWS]

Floor: `csv.reader` over the same decoded text into lists (nothing else). Measured: the bytes of a
plain `name,email,phone,company,notes` sheet, of a Google-style sheet, and of a vCard 3.0 file
turned into drafts (`tinycrm.formats`). Best of three runs each.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Callable

from tinycrm.formats.csv import read_csv
from tinycrm.formats.vcard import read_vcards


def plain_sheet(rows: int) -> bytes:
    """A spreadsheet export of `rows` contacts, 30% with Chinese names."""
    lines = ["name,email,phone,company,notes"]
    for i in range(rows):
        name = f"张伟{i}" if i % 10 < 3 else f"Person {i}"
        lines.append(f"{name},p{i}@example.com,+1 202 555 {i % 10000:04d},Acme {i % 50},note {i}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def google_sheet(rows: int) -> bytes:
    """A current Google Contacts export of `rows` contacts."""
    lines = [
        "First Name,Last Name,Organization Name,Labels,E-mail 1 - Label,E-mail 1 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Birthday,Notes"
    ]
    for i in range(rows):
        lines.append(
            f"Ada{i},Lovelace,Engines,* myContacts ::: vip,* Work,a{i}@example.com,Mobile,"
            f"+44 20 7946 {i % 10000:04d},--12-10,note {i}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def vcards(rows: int) -> bytes:
    """A vCard 3.0 file of `rows` cards."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nN:{i};Person;;;\r\nEMAIL;TYPE=work:p{i}@example.com"
        "\r\nTEL;TYPE=cell:+1 202 555 {p:04d}\r\nORG:Acme\r\nEND:VCARD\r\n"
    )
    return "".join(card.format(i=i, p=i % 10000) for i in range(rows)).encode()


def best(fn: Callable[[], int]) -> float:
    """The best of three wall-clock times of `fn`, in seconds."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print rows per second for each reader beside the floor."""
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    plain, google, cards = plain_sheet(rows), google_sheet(rows), vcards(rows // 10)
    text = plain.decode()
    floor = best(lambda: len(list(csv.reader(io.StringIO(text, newline="")))))
    print(f"{'csv.reader floor (plain)':32} {rows / floor:>12,.0f} rows/s")
    for label, data, reader, n in (
        ("read_csv plain", plain, read_csv, rows),
        ("read_csv google", google, read_csv, rows),
        ("read_vcards 3.0", cards, read_vcards, rows // 10),
    ):
        seconds = best(lambda data=data, reader=reader: len(list(reader(data))))
        print(f"{label:32} {n / seconds:>12,.0f} rows/s  ({seconds * 1000:.0f} ms for {n:,})")


if __name__ == "__main__":
    main()
