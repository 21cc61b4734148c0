"""The bulk path stores exactly what `add_contact` stores row by row: every table, every index entry.

The same rows go into two books, one through `Store.add_contacts` and one through
`add_contact` per row, and every table is compared — the contacts (health and tier
included), their e-mail/phone/tag/uid/source keys, the full-text and trigram documents and
the terms the full-text indexes hold (read through `fts5vocab`), the index definitions —
except `history`, which holds one `bulk` row per batch instead of one row per contact.
Both ways of writing the indexes are checked: kept up row by row, and dropped and built
again after the rows.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.store import Store, bulk
from tinycrm.store.tiers import set_tier

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
_SURNAMES = "张王李赵刘陈杨黄周吴"
_GIVEN = "伟芳娜敏静丽强磊军洋"


def _rows(count: int) -> list[dict[str, Any]]:
    """Contacts in the shapes imports bring: Chinese names, e-mails in any case, phones in any writing."""
    rows: list[dict[str, Any]] = [
        {"name": "Analytical Engines Ltd", "kind": "org", "emails": ["info@engines.example"]},
        {"name": "Ada Lovelace", "org": "analytical engines ltd", "emails": ["Ada@Engines.EXAMPLE"],
         "phones": ["(202) 555-0100", "+1 202 555 0100"], "tags": ["#vip", "VIP", "math"],
         "every": "30d", "birthday": "1815-12-10", "notes": 'said "yes"\\no', "uid": "urn:uuid:ada",
         "sources": ["ada.vcf"], "aliases": ["Countess of Lovelace"], "fields": {"shoe": "9"},
         "title": " Analyst "},
        {"name": "Grace Hopper", "org": "Navy", "phones": ["+44 20 7946 0000 ext. 12"], "tier": "B"},
        {"name": "  Émile Zola  ", "emails": ["émile@exemple.fr"], "owner": "someone"},
        {"name": "佛山企业电子有限公司", "kind": "org", "phones": ["+86 138 0013 8000"]},
        {"name": "李雷", "org": "佛山企业电子有限公司", "emails": ["li@example.cn"], "tags": ["客户"]},
        {"name": "Acme", "kind": "org"},  # already in the book: persons link to the older one
        {"name": "Wile E. Coyote", "org": "ACME"},
    ]
    for i in range(count):
        name = _SURNAMES[i % 10] + _GIVEN[(i // 10) % 10] if i % 10 < 3 else f"Person {i}"
        rows.append({"name": name, "emails": [f"p{i}@Example.com"], "phones": [f"+1 202 555 {i:04d}"],
                     "org": "Acme" if i % 7 == 0 else None, "tags": ["lead"] if i % 3 == 0 else []})
    return rows


def _book(tmp_path: Path, name: str, tiers: bool = False) -> Store:
    store = Store.open(tmp_path / name, "tester", clock=lambda: NOW)
    store.add_contact("Acme", kind="org")
    if tiers:
        set_tier(store, "A", "tag:vip")
    return store


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; the full-text indexes as the terms they hold."""
    conn = sqlite3.connect(path)
    out: dict[str, list[tuple[Any, ...]]] = {}
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in names:
        if table == "history" or table.endswith(("_data", "_idx")):  # the FTS b-trees: by terms below
            continue
        rows = conn.execute(f"SELECT * FROM {table}").fetchall()
        if table == "sqlite_sequence":
            rows = [r for r in rows if r[0] != "history"]
        out[table] = sorted(rows, key=repr)
    for fts in ("contact_fts", "contact_name_fts"):
        conn.execute(f"CREATE VIRTUAL TABLE temp.v_{fts} USING fts5vocab(main, {fts}, instance)")
        out[f"terms of {fts}"] = sorted(conn.execute(f"SELECT * FROM temp.v_{fts}").fetchall())
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    out["schema"] = sorted(schema, key=repr)
    conn.close()
    return out


@pytest.mark.parametrize("tiers", [False, True], ids=["no tier rules", "tier rules"])
@pytest.mark.parametrize("rebuild", [False, True], ids=["indexes kept up", "indexes built after"])
def test_bulk_import_stores_what_add_contact_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuild: bool, tiers: bool
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN", 10 if rebuild else 10**9)
    rows = _rows(400)
    with _book(tmp_path, "bulk.db", tiers) as store:
        ids = store.add_contacts(rows)
    with _book(tmp_path, "one.db", tiers) as store:
        one = [store.add_contact(**row)["id"] for row in rows]
    assert ids == one
    made, expected = _tables(tmp_path / "bulk.db"), _tables(tmp_path / "one.db")
    assert made.keys() == expected.keys()
    for table in expected:
        assert made[table] == expected[table], table
    assert len(made["terms of contact_fts"]) > 2000  # the comparison saw the index, not nothing
    ada = next(r for r in made["contact"] if r[2] == "Ada Lovelace")
    assert ada[16] == ("A" if tiers else None)  # tier rules applied to bulk rows too


def test_bulk_import_into_a_book_keeps_its_indexes_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN", 10)
    with _book(tmp_path, "bulk.db") as store:
        store.add_contacts(_rows(50))
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT contact_id FROM contact_key WHERE kind = 'email' AND value = ?", ("x",)
        ).fetchall()
        assert "contact_key_value" in str(plan)
        assert store.resolve("p7@example.com")["name"] == "Person 7"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


_NAMES = ["张伟", "重庆银行", "长城", "行长", "乐乐", "曾国藩", "单雄信", "朴槿惠", "佛山企业电子有限公司",
          "たなか"]  # fmt: skip


def _in_child(code: str) -> Any:
    import json
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def test_pinyin_is_read_without_the_phrase_dictionary_and_reads_the_same() -> None:
    expected = _in_child(
        "import json; from pypinyin import lazy_pinyin\n"
        f"names = {_NAMES!r}\n"
        "out = []\n"
        "for name in names:\n"
        "    full = [''.join(lazy_pinyin(ch, errors='ignore')) for ch in name]\n"
        "    full = [p for p in full if p]\n"
        "    out.append([''.join(p[0] for p in full), ''.join(full)] if full else [])\n"
        "print(json.dumps(out))"
    )
    got = _in_child(
        "import json, os, sys; from tinycrm import textindex\n"
        f"out = [textindex.pinyin_tokens(n) for n in {_NAMES!r}]\n"
        "phrases, env = 'pypinyin.phrases_dict' in sys.modules, 'PYPINYIN_NO_PHRASES' in os.environ\n"
        "print(json.dumps([out, phrases, env]))"
    )
    assert got == [expected, False, False]


def test_a_reimport_reads_the_contacts_it_matches_in_chunks_not_row_by_row(tmp_path: Path) -> None:
    from tinycrm.formats import read_contacts
    from tinycrm.services.transfer import import_contacts

    sheet = "name,email,phone,notes\r\n" + "".join(
        f"Person {i},p{i}@example.com,+1 202 555 {i:04d},\r\n" for i in range(1200)
    )
    again = sheet.replace(",\r\n", ",met at the fair\r\n")  # every row adds a note: 1,200 updates
    with Store.open(tmp_path / "crm.db", "tester", clock=lambda: NOW) as store:
        import_contacts(store, read_contacts(sheet.encode()))
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        result = import_contacts(store, read_contacts(again.encode()))
        store.conn.set_trace_callback(None)
        assert result.counts()["update"] == 1200
        reads = [s for s in statements if s.startswith("SELECT") and "FROM contact WHERE id IN" in s]
        assert len(reads) <= 3  # 500 ids a query, where it was two queries per matched row
        assert store.resolve("p7@example.com")["notes"] == "met at the fair"


_NAME_TEXT = st.text(st.sampled_from("Ada Lovelace张伟たな\u0301\u200b\t\x7f\"\\ ."), max_size=8)
_EMAILS = st.one_of(
    st.sampled_from(["ada@Example.COM", " p1@example.com ", "Ada.L+x@sub.example.org", "a..b@example.com",
                     "émile@exemple.fr", "ｐ@example.com", "no-at-sign", "", "   ", "x@y",
                     "a\"b@example.com"]),
    st.text(st.sampled_from("aZ.@-+_é "), max_size=12),
)
_PHONES = st.one_of(
    st.sampled_from(["+1 202 555 0100", "(202) 555-0100", "+86 138 0013 8000", "+1 202 055 0100",
                     "+7 912 345 6789", "2025550100", "+44 20 7946 0000 ext. 12", "１２３４５６７", "", "  ",
                     "+1  202\t555 0101", "12345", "call me"]),
    st.text(st.sampled_from("+0123456789 -()"), max_size=16),
)
_PLAIN_ROWS = st.lists(
    st.fixed_dictionaries(
        {"name": st.one_of(_NAME_TEXT, st.sampled_from(["Ada Lovelace", " Ada ", "张伟", "x" * 201]))},
        optional={"emails": st.lists(_EMAILS, max_size=1), "phones": st.lists(_PHONES, max_size=1),
                  "owner": st.sampled_from([None, "", " kim ", "kim"]), "kind": st.just("person")},
    ),
    min_size=1, max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_PLAIN_ROWS)
def test_a_plain_row_takes_the_fast_path_and_stores_what_the_general_path_stores(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]
) -> None:
    work = tmp_path_factory.mktemp("plain")
    errors: dict[str, list[str]] = {}
    made: dict[str, list[int | None]] = {}
    for label, plain in (("fast", bulk._PLAIN_FIELDS), ("general", frozenset())):
        saved, bulk._PLAIN_FIELDS = bulk._PLAIN_FIELDS, plain
        try:
            with _book(work, f"{label}.db") as store:
                errors[label] = []
                out = errors[label]
                made[label] = store.add_contacts(
                    [dict(row) for row in rows], on_error=lambda i, e, out=out: out.append(f"{i} {e}")
                )
        finally:
            bulk._PLAIN_FIELDS = saved
    assert made["fast"] == made["general"]
    assert errors["fast"] == errors["general"]
    assert _tables(work / "fast.db") == _tables(work / "general.db")


@pytest.mark.parametrize(
    "row",
    [{"name": "Ada Lovelace 3", "emails": ["p3@example.com"], "phones": ["+1 202 200 0003"]},
     {"name": "张伟伟", "emails": ["p0@example.com"], "phones": ["+1 202 200 0000"]},
     {"name": "Grace", "kind": "person", "owner": "kim"}, {"name": "Ken", "phones": ["(202) 555-0100"]}],
)
def test_the_common_shapes_of_a_sheet_take_the_fast_path(row: dict[str, Any]) -> None:
    assert bulk._plain_contact(row, 1, "2026-11-30T09:00:00Z", 50, "kim", "US") is not None


@pytest.mark.parametrize(
    "row",
    [{"name": "Ada", "org": "Acme"}, {"name": "Acme", "kind": "org"},
     {"name": "Ada", "emails": ["a@x.io", "b@x.io"]}, {"name": "Ada", "tags": ["vip"]}],
)
def test_other_rows_take_the_general_path(row: dict[str, Any]) -> None:
    plain = row.keys() <= bulk._PLAIN_FIELDS and row.get("kind", "person") == "person"
    assert not plain or bulk._plain_contact(row, 1, "2026-11-30T09:00:00Z", 50, "kim", "US") is None
