"""Filters at their limits: depth, length, huge numbers and far dates are sentences, not crashes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from tinycrm import query
from tinycrm.errors import FilterError
from tinycrm.store.schema import MIGRATIONS

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    yield conn
    conn.close()


def run(conn: sqlite3.Connection, text: str) -> list:
    where, params = query.compile_contacts(query.parse(text), now=NOW, user="me")
    deals_where, deals_params = query.compile_deals(query.parse(text), now=NOW, user="me")
    conn.execute(f"SELECT c.id FROM contact c WHERE {where}", params).fetchall()
    sql = f"SELECT d.id FROM deal d JOIN contact c ON c.id = d.contact_id WHERE {deals_where}"
    return conn.execute(sql, deals_params).fetchall()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 500 + "x" + ")" * 500, "at most 16 levels"),
        ("(" * 5000 + "x" + ")" * 5000, "at most 16 levels"),
        ("-" * 3000 + "x", "at most 16 levels"),
        ("-(" * 1000 + "x" + ")" * 1000, "at most 16 levels"),
        (" ".join(f"t{i}" for i in range(2000)), "2000 terms, at most 100"),
        (" OR ".join(f"tag:t{i}" for i in range(3000)), "3000 terms, at most 100"),
        ("value>" + "9" * 60, "numbers up to 100,000,000,000,000"),
        ("won>=1e999999999", "won needs a number"),
        ("deals>=99999999999999999999", "numbers up to"),
        ("created>9999-12-31", "dates must fall between 1900 and 2199"),
        ("created<0001-01-01", "dates must fall between 1900 and 2199"),
        ("last>999999d", "durations are at most 100 years"),
        ("due<8000y", "durations are at most 100 years"),
    ],
)
def test_filters_past_their_limits_are_one_sentence(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        query.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 16 + "x" + ")" * 16,
        "-" * 16 + "x",
        " ".join(f"tag:t{i}" for i in range(100)),
        " OR ".join(f"name:n{i}" for i in range(100)),
        " ".join(f"(stage:s{i} OR value>{i})" for i in range(50)),
        " ".join(["(" * 14 + " OR ".join(f"last>{i + 1}d" for i in range(10)) + ")" * 14] * 9),
        "value>100000000000000 created>2199-12-31 last>100y due<36525d",
    ],
)
def test_filters_at_their_limits_run_on_sqlite(db: sqlite3.Connection, text: str) -> None:
    run(db, text)


def test_negated_groups_at_the_depth_limit_run_on_sqlite(db: sqlite3.Connection) -> None:
    text = "x"
    for i in range(8):  # each level is a '-' and a '(': 16 in all
        text = f"-(stage:s{i} OR value>{i} {text})"
    run(db, text)
    with pytest.raises(FilterError, match="at most 16 levels"):
        query.parse(f"-({text})")
