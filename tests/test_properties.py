"""Property tests: any text into any parser gives a value or a CrmError, and soon.

`deadline` bounds each example's time; hypothesis reports the slow input when one spins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm import money, query
from tinycrm.dates import (
    PLAN_YEARS,
    parse_birthday,
    parse_duration,
    parse_rule,
    parse_since,
    parse_when,
)
from tinycrm.errors import CrmError
from tinycrm.io.email import parse_message
from tinycrm.store.schema import MIGRATIONS

NOW = datetime(2026, 11, 22, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))
FAST = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def only_crm_errors(parse: Callable[[], object]) -> object:
    """The parser's value, or None when it refused with a CrmError; anything else fails the test."""
    try:
        return parse()
    except CrmError:
        return None


def pieces(*words: str) -> st.SearchStrategy[str]:
    """Text built from meaningful pieces and random characters, so parsers get past their first check."""
    return st.lists(st.one_of(st.sampled_from(words), st.text(max_size=4)), max_size=12).map("".join)


WHEN_WORDS = ("today", "fri", "next ", "+", "-", "d", "w", "m", "y", "h", "min", " ", ":", "T",
              "2026-", "9999-", "0001-", "12-31", "02-29", "23:59", "99", "0", "1")  # fmt: skip
RULE_WORDS = ("FREQ=", "DAILY", "SECONDLY", "HOURLY", "YEARLY", "MONTHLY", ";", "BYMONTH=", "2",
              "BYMONTHDAY=", "29", "30", "-1", "BYDAY=", "MO", "INTERVAL=", "UNTIL=", "20270101T000000Z",
              "BYSETPOS=", "BYHOUR=", ",", "COUNT=", "RRULE:", "9999", "y", "d")  # fmt: skip
FILTER_WORDS = ("(", ")", "-", " OR ", " AND ", " ", '"', "tag:", "value>", "won>=", "deals>=",
                "last>", "created>", "due<", "is:", "stale", "9999-12-31", "2026-01-01", "30d",
                "999999999999999999999", "1e9", "k", "张伟", "zw", ":", "=", "<=")  # fmt: skip


@FAST
@given(pieces(*WHEN_WORDS))
def test_parse_when_gives_a_plan_date_or_a_crm_error(text: str) -> None:
    found = only_crm_errors(lambda: parse_when(text, NOW))
    if found is not None:
        assert PLAN_YEARS[0] <= found.at.year <= PLAN_YEARS[1]  # type: ignore[attr-defined]


@FAST
@given(pieces(*WHEN_WORDS))
def test_parse_since_gives_a_plan_date_or_a_crm_error(text: str) -> None:
    found = only_crm_errors(lambda: parse_since(text, NOW))
    if found is not None:
        assert PLAN_YEARS[0] <= found.year <= PLAN_YEARS[1]  # type: ignore[attr-defined]


@FAST
@given(pieces(*WHEN_WORDS))
def test_parse_duration_is_at_most_a_hundred_years(text: str) -> None:
    found = only_crm_errors(lambda: parse_duration(text))
    if found is not None:
        assert NOW + found <= NOW.replace(year=NOW.year + 101)  # type: ignore[operator]


@FAST
@given(pieces(*RULE_WORDS))
def test_parse_rule_and_its_next_occurrence_are_bounded(text: str) -> None:
    rule = only_crm_errors(lambda: parse_rule(text))
    if rule is not None:
        for anchor in (datetime(1900, 1, 1, tzinfo=timezone.utc), NOW):
            nxt = rule.next_after(anchor, after=NOW)  # type: ignore[attr-defined]
            assert nxt is None or nxt > NOW


@FAST
@given(pieces("-", "--", "1800", "2199", "9999", "0000", "02", "29", "12", "31", "1"), st.booleans())
def test_parse_birthday_is_a_stored_date_in_range_or_a_crm_error(text: str, lunar: bool) -> None:
    found = only_crm_errors(lambda: parse_birthday(text, lunar=lunar))
    if isinstance(found, str) and not found.startswith("--"):
        assert 1800 <= int(found[:4]) <= 2199


@FAST
@given(
    pieces("1", "0", "9", ".", ",", "_", "e", "E", "+", "-", "NaN", "Inf", " ", "999999999999"),
    st.sampled_from([None, "EUR", "JPY", "KWD", "CLF", "xyz"]),
)
def test_parse_amount_is_exact_minor_units_or_a_crm_error(text: str, currency: str | None) -> None:
    found = only_crm_errors(lambda: money.parse_amount(text, currency))
    if found is not None:
        assert isinstance(found, int)
        assert 0 <= found <= money.MAX_MINOR


@pytest.fixture(scope="module")
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    yield conn
    conn.close()


@settings(max_examples=400, deadline=2000, suppress_health_check=list(HealthCheck))
@given(st.one_of(pieces(*FILTER_WORDS), st.text(max_size=60)))
def test_any_filter_text_runs_on_sqlite_or_is_a_filter_error(db: sqlite3.Connection, text: str) -> None:
    run_filter(db, text)


def run_filter(db: sqlite3.Connection, text: str) -> None:
    """Parse a filter; when it parses, its SQL runs and its canonical text parses back to it."""
    expr = only_crm_errors(lambda: query.parse(text))
    if expr is None:
        return
    where, params = query.compile_contacts(expr, now=NOW, user="me")  # type: ignore[arg-type]
    db.execute(f"SELECT c.id FROM contact c WHERE {where}", params).fetchall()
    where, params = query.compile_deals(expr, now=NOW, user="me")  # type: ignore[arg-type]
    db.execute(f"SELECT d.id FROM deal d JOIN contact c ON c.id = d.contact_id WHERE {where}", params)
    assert query.parse(query.describe(expr)) == expr  # type: ignore[arg-type]


@settings(max_examples=50, deadline=5000, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 40), st.integers(1, 300), st.sampled_from(["(", "-", "-("]))
def test_deep_or_long_filters_are_a_filter_error_or_run(db: sqlite3.Connection, depth: int, terms: int,
                                                        opener: str) -> None:  # fmt: skip
    closer = ")" * opener.count("(")
    text = opener * depth + " ".join(f"t{i}" for i in range(terms)) + closer * depth
    run_filter(db, text)


HEADER_NAMES = ("From", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type",
                "Content-Transfer-Encoding", "MIME-Version")  # fmt: skip
HEADER_WORDS = ("=?utf-8?q?", "=?x-unknown?b?", "=?ISO-2022-JP?B?", "?=", "<", ">", "@", '"', "\\",
                "(", ")", ",", ";", ":", "a@b.com", "text/plain; charset=", "utf-8", "*0=", "*1*=", "''",
                "multipart/mixed; boundary=b", "--b", "base64", "quoted-printable", "=E2=98",
                "Fri, 31 Dec 9999 23:59:59 -1200", " ", "\t", "é", "\xff", "text/html; charset=", "gb2312",
                "=?gb2312?b?1cXPyMn6?=", "<p>", "<script>", "</div", "&nbsp;", "&#x", "\xc3")  # fmt: skip


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """Structured messages: real header names with broken values, then a body."""
    lines = []
    if draw(st.booleans()):
        lines.append("From a@b.com Mon Jan  1 00:00:00 2024")
    for _ in range(draw(st.integers(0, 8))):
        lines.append(f"{draw(st.sampled_from(HEADER_NAMES))}: {draw(pieces(*HEADER_WORDS))}")
    body = draw(pieces(*HEADER_WORDS, "\n"))
    return ("\n".join(lines) + "\n\n" + body).encode("utf-8", "surrogateescape")


@settings(max_examples=300, deadline=2000, suppress_health_check=list(HealthCheck))
@given(st.one_of(messages(), st.binary(max_size=400)))
def test_any_message_bytes_give_a_message_or_a_crm_error(data: bytes) -> None:
    found = only_crm_errors(lambda: parse_message(data))
    if found is not None:
        assert isinstance(found["subject"], str)  # type: ignore[index]
        assert isinstance(found["body"], str)  # type: ignore[index]
        at = found["at"]  # type: ignore[index]
        assert at is None or at.utcoffset().total_seconds() == 0


FORMAT_WORDS = ("BEGIN:VCALENDAR", "BEGIN:VCARD", "END:VCARD", "BEGIN:VEVENT", "VERSION:3.0", "FN:", "N:;",
                "EMAIL;TYPE=work:", "TEL:", "a@b.co", "{", "}", "[", "]", '"contacts":', '"name":',
                "name,email", ",", ";", ":", "\ufeff", "\r\n", "\n", " ", "=", "=C3=A9", "张伟",
                "é")  # fmt: skip


@settings(max_examples=300, deadline=2000, suppress_health_check=list(HealthCheck))
@given(pieces(*FORMAT_WORDS), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "gb18030"]),
       st.sampled_from([None, "x.csv", "x.vcf", "x.json", "x.ics"]))  # fmt: skip
def test_any_file_through_detection_gives_records_or_a_crm_error(text: str, codec: str,
                                                                 name: str | None) -> None:  # fmt: skip
    from tinycrm.errors import BadRow
    from tinycrm.formats import read_contacts
    from tinycrm.formats.draft import Draft

    data = text.encode(codec, "replace")
    items = only_crm_errors(lambda: list(read_contacts(data, name=name)))
    for item in items or []:  # type: ignore[attr-defined]
        assert isinstance(item, (Draft, BadRow))


@settings(max_examples=60, deadline=5000, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["a.vcf", "b.VCF", "c.txt", ".hidden.vcf", "d.vcf"]),
                          st.one_of(pieces(*FORMAT_WORDS).map(str.encode), st.binary(max_size=200))),
                max_size=5, unique_by=lambda f: f[0]))  # fmt: skip
def test_any_vdir_gives_records_or_a_crm_error(files: list[tuple[str, bytes]]) -> None:
    import tempfile
    from pathlib import Path

    from tinycrm.errors import BadRow
    from tinycrm.formats import read_path
    from tinycrm.formats.draft import Draft

    with tempfile.TemporaryDirectory() as folder:
        for name, data in files:
            (Path(folder) / name).write_bytes(data)
        items = only_crm_errors(lambda: list(read_path(folder)))
        for item in items or []:  # type: ignore[attr-defined]
            assert isinstance(item, (Draft, BadRow))
