"""History and due items in people's words (tinycrm.wording): tables of inputs and their sentences."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.cells import cut, width
from tinycrm.reminders import DueItem, due_items
from tinycrm.wording import (
    Change,
    birthday_words,
    clean,
    deal_status,
    describe,
    describe_json,
    due_headline,
    due_rows,
    duration,
    every_words,
    format_due_table,
    format_history_table,
    format_table,
    group_counts,
    money,
    short,
    span,
    wanted_names,
    when_words,
)

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # a Monday

# --- rows as the store writes them into history --------------------------------------------


def contact(**fields):
    row = {
        "id": 1, "kind": "person", "name": "Ada Lovelace", "org": None, "org_id": None, "title": None,
        "emails": "[]", "phones": "[]", "addresses": "[]", "tags": "[]", "birthday": None,
        "birthday_lunar": 0, "anniversaries": "[]", "every": None, "notes": None, "owner": "ann",
        "tier": None, "fields": "{}", "aliases": "[]", "created_at": "2026-11-01T09:00:00Z",
        "updated_at": "2026-11-01T09:00:00Z", "last_contacted_at": None, "next_touch_at": None,
        "deleted_at": None, "owner_since": "2026-11-01T09:00:00Z", "uid": None, "sources": "[]",
    }  # fmt: skip
    row.update(fields)
    return row


def deal(**fields):
    row = {
        "id": 5, "contact_id": 1, "title": "Audit", "value_minor": 123450, "currency": "EUR",
        "stage": "lead", "probability": 10, "status": "open", "close_date": None, "lost_reason": None,
        "key": 0, "owner": "ann", "stage_entered_at": "2026-11-01T09:00:00Z",
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z", "closed_at": None,
    }  # fmt: skip
    row.update(fields)
    return row


def reminder(**fields):
    row = {
        "id": 3, "contact_id": 1, "deal_id": None, "interaction_id": None, "text": "send invoice",
        "due": "2026-12-03T23:00:00Z", "anchor": "2026-12-03T23:00:00Z", "all_day": 1, "every": None,
        "from_done": 0, "source": "manual", "done_at": None, "owner": "ann",
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z",
    }  # fmt: skip
    row.update(fields)
    return row


def interaction(**fields):
    row = {
        "id": 9, "contact_id": 1, "kind": "call", "at": "2026-11-30T09:00:00Z",
        "summary": "called about the invoice", "body": None, "deal_id": None, "user": "ann",
        "created_at": "2026-11-30T09:00:00Z",
    }  # fmt: skip
    row.update(fields)
    return row


def stage_row(**fields):
    row = {"id": 8, "deal_id": 5, "stage": "proposal", "entered_at": "2026-11-30T09:00:00Z", "user": "ann"}
    row.update(fields)
    return row


def entry(table, op, before=None, after=None, *, txid=1, command="cmd", row_id=None, user="ann"):
    """One history row as `Store.history()` returns it."""
    source = after or before or {}
    rid = row_id if row_id is not None else source.get("id", 1)
    return {
        "id": txid, "txid": txid, "at": "2026-11-30T09:00:00Z", "user": user, "command": command,
        "table": table, "row_id": rid,
        "contact_id": rid if table == "contact" else source.get("contact_id"),
        "op": op, "changes": {}, "before": before, "after": after, "undone_at": None,
    }  # fmt: skip


def update(table, before, **changes):
    return entry(table, "update", before, {**before, **changes})


ADA = contact()
ZHANG = contact(id=2, name="张伟", org="佛山企业电子有限公司")

HISTORY = [
    # (name, rows of one change, the sentence it reads as)
    ("contact added", [entry("contact", "insert", None, ADA)], "Ada Lovelace added"),
    ("chinese contact added", [entry("contact", "insert", None, ZHANG, row_id=2)], "张伟 added"),
    (
        "e-mail added",
        [update("contact", ADA, emails='["countess@example.com"]', updated_at="2026-11-30T09:00:00Z")],
        "Ada Lovelace: e-mail countess@example.com added",
    ),
    (
        "tag removed and title changed",
        [update("contact", contact(tags='["vip"]', title="CEO"), tags="[]", title="CTO")],
        "Ada Lovelace: title CEO → CTO; tag vip removed",
    ),
    ("title set", [update("contact", ADA, title="CTO")], "Ada Lovelace: title set to CTO"),
    (
        "title cleared",
        [update("contact", contact(title="CEO"), title=None)],
        "Ada Lovelace: title CEO removed",
    ),
    (
        "phone added",
        [update("contact", ADA, phones='["+1 202 555 0100"]')],
        "Ada Lovelace: phone +1 202 555 0100 added",
    ),  # fmt: skip
    (
        "year-less birthday",
        [update("contact", ADA, birthday="--03-12")],
        "Ada Lovelace: birthday set to 12 March",
    ),
    (
        "29 February",
        [update("contact", contact(birthday="--02-29"), birthday=None)],
        "Ada Lovelace: birthday 29 February removed",
    ),  # fmt: skip
    (
        "birthday with a year",
        [update("contact", ADA, birthday="1815-12-10")],
        "Ada Lovelace: birthday set to 10 December 1815",
    ),  # fmt: skip
    (
        "lunar birthday",
        [update("contact", ZHANG, birthday="--08-15", birthday_lunar=1)],
        "张伟: birthday set to lunar month 8, day 15",
    ),  # fmt: skip
    (
        "anniversary",
        [update("contact", ADA, anniversaries='[{"label": "wedding", "date": "--06-01", "lunar": false}]')],
        "Ada Lovelace: anniversary wedding 1 June added",
    ),
    (
        "custom field",
        [update("contact", contact(fields='{"plan": "basic"}'), fields='{"plan": "pro"}')],
        "Ada Lovelace: plan basic → pro",
    ),  # fmt: skip
    ("cadence", [update("contact", ADA, every="30d")], "Ada Lovelace: keep in touch every 30 days"),
    (
        "cadence changed",
        [update("contact", contact(every="30d"), every="2w")],
        "Ada Lovelace: keep in touch every 30 days → every 2 weeks",
    ),  # fmt: skip
    (
        "claimed",
        [update("contact", contact(owner=None), owner="bob", owner_since="2026-11-30T09:00:00Z")],
        "Ada Lovelace: claimed by bob",
    ),  # fmt: skip
    (
        "released",
        [update("contact", ADA, owner=None, owner_since=None)],
        "Ada Lovelace: back to the pool (was ann's)",
    ),  # fmt: skip
    (
        "renamed",
        [update("contact", contact(name="Ada"), name="Ada Lovelace")],
        "Ada Lovelace: name Ada → Ada Lovelace",
    ),
    ("trash", [update("contact", ADA, deleted_at="2026-11-30T09:00:00Z")], "Ada Lovelace moved to the trash"),
    (
        "restore",
        [update("contact", contact(deleted_at="2026-11-30T09:00:00Z"), deleted_at=None)],
        "Ada Lovelace restored from the trash",
    ),  # fmt: skip
    (
        "chinese organisation",
        [update("contact", ZHANG, org="佛山企业电子有限公司二厂")],
        "张伟: organisation 佛山企业电子有限公司 → 佛山企业电子有限公司二厂",
    ),
    (
        "deal added, its first stage row left out",
        [entry("deal", "insert", None, deal()), entry("deal_stage", "insert", None, stage_row(stage="lead"))],
        "deal Audit added for Ada Lovelace (1,234.50 EUR, lead)",
    ),
    (
        "deal in yen has no decimals",
        [entry("deal", "insert", None, deal(value_minor=1234567, currency="JPY"))],
        "deal Audit added for Ada Lovelace (1,234,567 JPY, lead)",
    ),
    (
        "deal in dinars has three decimals",
        [entry("deal", "insert", None, deal(value_minor=1234567, currency="KWD"))],
        "deal Audit added for Ada Lovelace (1,234.567 KWD, lead)",
    ),
    (
        "deal moved, with its stage row",
        [
            update("deal", deal(), stage="proposal", probability=50, stage_entered_at="2026-11-30T09:00:00Z"),
            entry("deal_stage", "insert", None, stage_row()),
        ],
        "deal Audit: lead → proposal",
    ),
    (
        "deal won",
        [
            update(
                "deal",
                deal(stage="proposal", probability=50),
                stage="won",
                probability=100,
                status="won",
                closed_at="2026-11-30T09:00:00Z",
            ),
            entry("deal_stage", "insert", None, stage_row(stage="won")),
        ],
        "deal Audit won",
    ),  # fmt: skip
    (
        "deal lost with a reason",
        [
            update(
                "deal",
                deal(stage="proposal"),
                stage="lost",
                probability=0,
                status="lost",
                lost_reason="price",
            )
        ],
        "deal Audit lost (price)",
    ),
    ("deal lost without one", [update("deal", deal(), stage="lost", status="lost")], "deal Audit lost"),
    (
        "deal reopened",
        [update("deal", deal(stage="lost", status="lost"), stage="lead", status="open")],
        "deal Audit reopened in lead",
    ),  # fmt: skip
    (
        "deal value in another currency",
        [update("deal", deal(), value_minor=1200000, currency="CNY")],
        "deal Audit: value 1,234.50 EUR → 12,000.00 CNY",
    ),
    ("key deal", [update("deal", deal(), key=1)], "deal Audit: marked as a key deal"),
    (
        "close date",
        [update("deal", deal(), close_date="2026-12-04")],
        "deal Audit: expected close set to 4 Dec",
    ),
    (
        "chinese deal",
        [entry("deal", "insert", None, deal(title="ERP 二期", value_minor=0, contact_id=2))],
        "deal ERP 二期 added for 张伟 (lead)",
    ),  # fmt: skip
    (
        "call logged with a follow-up",
        [
            entry("interaction", "insert", None, interaction()),
            entry("reminder", "insert", None, reminder(source="follow-up", text="Follow up: called about")),
        ],
        "logged a call with Ada Lovelace: called about the invoice; follow up 4 Dec",
    ),
    (
        "note logged",
        [entry("interaction", "insert", None, interaction(kind="note", summary="likes tea"))],
        "logged a note on Ada Lovelace: likes tea",
    ),  # fmt: skip
    (
        "reminder added",
        [entry("reminder", "insert", None, reminder())],
        "reminder 'send invoice' added for Ada Lovelace, due 4 Dec",
    ),
    (
        "personal reminder",
        [entry("reminder", "insert", None, reminder(contact_id=None, every="1w"))],
        "reminder 'send invoice' added, due 4 Dec, every week",
    ),
    (
        "reminder done",
        [update("reminder", reminder(), done_at="2026-11-30T09:00:00Z")],
        "reminder 'send invoice' done",
    ),
    ("reminder removed", [entry("reminder", "delete", reminder(), None)], "reminder 'send invoice' removed"),
    (
        "birthday occurrence done",
        [
            entry(
                "occurrence",
                "insert",
                None,
                {
                    "key": "birthday:1:2026-03-12",
                    "state": "done",
                    "until": None,
                    "at": "2026-03-12T09:00:00Z",
                },
                row_id=4,
            )
        ],
        "Ada Lovelace's birthday (12 Mar) done",
    ),  # fmt: skip
    (
        "cadence occurrence snoozed",
        [
            entry(
                "occurrence",
                "insert",
                None,
                {
                    "key": "cadence:1:2026-11-06",
                    "state": "snoozed",
                    "until": "2026-12-03T23:00:00Z",
                    "at": "x",
                },
                row_id=4,
            )
        ],
        "keep in touch with Ada Lovelace snoozed to 4 Dec",
    ),  # fmt: skip
    (
        "import",
        [
            entry("contact", "bulk", None, {"ids": list(range(1, 1001))}, command="import"),
            entry("contact", "bulk", None, {"ids": list(range(1001, 1205))}, command="import"),
        ],
        "imported 1,204 contacts",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("rows", "expected"), [h[1:] for h in HISTORY], ids=[h[0] for h in HISTORY])
def test_history_reads_as_a_sentence(rows, expected):
    rows = [{**r, "txid": 7, "command": r["command"]} for r in rows]
    changes = describe(list(reversed(rows)), contacts={1: "Ada Lovelace", 2: "张伟"}, tz=TZ)
    assert [c.summary for c in changes] == [expected]
    assert changes[0].txid == 7


def test_history_names_come_from_the_rows_then_from_the_caller():
    rows = [entry("interaction", "insert", None, interaction(contact_id=12), txid=2)]
    assert describe(rows)[0].summary == "logged a call with contact #12: called about the invoice"
    assert wanted_names(rows) == ({12}, set())
    assert (
        describe(rows, contacts={12: "王小明"})[0].summary
        == "logged a call with 王小明: called about the invoice"
    )
    earlier = [*rows, entry("contact", "insert", None, contact(id=12, name="王小明"), txid=1)]
    assert wanted_names(earlier) == (set(), set())
    assert describe(earlier)[0].summary == "logged a call with 王小明: called about the invoice"


def test_history_groups_rows_by_change_newest_first():
    rows = [
        entry("deal_stage", "insert", None, stage_row(), txid=3),
        update("deal", deal(), stage="proposal", probability=50) | {"txid": 3},
        entry("deal", "insert", None, deal(), txid=2),
        entry("contact", "insert", None, ADA, txid=1),
    ]
    assert [(c.txid, c.summary) for c in describe(rows)] == [
        (3, "deal Audit: lead → proposal"),
        (2, "deal Audit added for Ada Lovelace (1,234.50 EUR, lead)"),
        (1, "Ada Lovelace added"),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        [update("contact", ADA, updated_at="2026-11-30T10:00:00Z")],
        [
            update(
                "contact", ADA, last_contacted_at="2026-11-30T10:00:00Z", next_touch_at="2026-12-30T10:00:00Z"
            )
        ],
        [update("contact", ADA, owner_since="2026-11-30T10:00:00Z", org_id=7, uid="x", sources='["a"]')],
        [update("contact", contact(emails='["a@x", "b@x"]'), emails='["b@x", "a@x"]')],
        [entry("deal_stage", "insert", None, stage_row())],
        [entry("mystery", "insert", None, {"a": 1})],
        [update("deal", deal(), updated_at="later", stage_entered_at="later")],
    ],
    ids=[
        "updated_at",
        "derived",
        "bookkeeping",
        "same list reordered",
        "stage row alone",
        "unknown",
        "deal times",
    ],
)
def test_a_change_that_changes_nothing_yields_nothing(rows):
    assert describe(rows) == []


def test_history_never_prints_internal_columns_or_json_text():
    rows = [
        update("contact", contact(tags='["vip"]'), tags='["vip", "key"]', updated_at="z", next_touch_at="z")
    ]
    text = describe(rows)[0].summary
    assert text == "Ada Lovelace: tag key added"
    for leaked in ("updated_at", "next_touch", "[", '"', "None"):
        assert leaked not in text


def test_history_values_are_shortened_at_a_word_boundary():
    notes = "met at the conference in Lisbon and talked for hours about the engine and its cards"
    text = describe([update("contact", ADA, notes=notes)])[0].summary
    assert text == "Ada Lovelace: notes set to met at the conference in Lisbon and…"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("evil\x1b[31mred", "evil\ufffd[31mred"),
        ("two\nlines\r\n\tand tabs", "two lines and tabs"),
        ("bidi\u202eoverride", "bidi\ufffdoverride"),
        ("mark\u200fhere", "mark\ufffdhere"),
        ("bell\x07", "bell\ufffd"),
        ("张伟", "张伟"),
        ("emoji 👩‍💻 stays", "emoji 👩‍💻 stays"),
    ],
)
def test_control_characters_are_never_printed_raw(value, expected):
    assert clean(value) == expected
    summary = describe([update("contact", ADA, title=value)])[0].summary
    assert not any(ch in summary for ch in "\x1b\n\u202e")


def test_merge_reads_as_one_sentence_without_the_moves():
    rows = [
        update("interaction", interaction(contact_id=2), contact_id=1),
        entry("contact", "delete", contact(id=2, name="A. Lovelace"), None, row_id=2),
        update("contact", ADA, aliases='["A. Lovelace"]'),
    ]
    rows = [{**r, "command": "merge A. Lovelace into Ada Lovelace"} for r in rows]
    assert describe(list(reversed(rows)))[0].summary == (
        "A. Lovelace merged into Ada Lovelace; Ada Lovelace: alias A. Lovelace added"
    )


def test_a_handover_is_counted_not_listed():
    rows = [
        update("contact", ADA, owner="bob", owner_since="z"),
        update("contact", ZHANG, owner="bob", owner_since="z") | {"row_id": 2},
        update("deal", deal(), owner="bob"),
        update("reminder", reminder(), owner="bob"),
    ]
    rows = [{**r, "command": "contact reassign ann → bob"} for r in rows]
    assert describe(rows)[0].summary == "2 contacts, 1 deal and 1 reminder handed from ann to bob"
    pool = [update("contact", ADA, owner=None), update("contact", ZHANG, owner=None) | {"row_id": 2}]
    assert describe(pool)[0].summary == "2 contacts back to the pool (were ann's)"


def test_a_change_of_many_records_names_a_few_and_counts_the_rest():
    rows = [update("contact", contact(id=n, name=f"P{n}"), title="CTO") | {"row_id": n} for n in range(1, 11)]
    (change,) = describe(rows)
    assert len(change.sentences) == 10
    assert change.summary == "P10: title set to CTO; P9: title set to CTO; P8: title set to CTO; and 7 more"


def test_undone_changes_say_so():
    row = {**entry("contact", "insert", None, ADA), "undone_at": "2026-11-30T10:00:00Z"}
    assert describe([row])[0].undone is True
    assert describe([entry("contact", "insert", None, ADA)])[0].undone is False


def test_history_json_has_real_objects_and_a_summary():
    rows = [update("contact", contact(tags='["vip"]', birthday_lunar=0), tags="[]", title="CTO")]
    rows[0]["changes"] = {"tags": ['["vip"]', "[]"], "title": [None, "CTO"]}
    item = describe_json(rows)[0]
    assert item["before"]["tags"] == ["vip"]
    assert item["after"]["tags"] == []
    assert item["after"]["fields"] == {}
    assert item["after"]["birthday_lunar"] is False
    assert item["changes"]["tags"] == [["vip"], []]
    assert item["summary"] == "Ada Lovelace: title set to CTO; tag vip removed"
    assert json.loads(json.dumps(item, ensure_ascii=False)) == item


def test_history_json_keeps_internal_rows_with_their_change_summary():
    rows = [entry("deal_stage", "insert", None, stage_row(), txid=3),
            update("deal", deal(), stage="proposal") | {"txid": 3}]  # fmt: skip
    assert [i["summary"] for i in describe_json(rows)] == ["deal Audit: lead → proposal"] * 2
    assert describe_json([entry("deal_stage", "insert", None, stage_row())])[0]["summary"] == ""


def test_change_to_json_is_plain_data():
    change = describe([entry("contact", "insert", None, ADA)])[0]
    assert isinstance(change, Change)
    assert change.to_json() == {
        "txid": 1, "at": "2026-11-30T09:00:00Z", "user": "ann", "command": "cmd", "contact_ids": [1],
        "summary": "Ada Lovelace added", "sentences": ["Ada Lovelace added"], "undone": False,
    }  # fmt: skip


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["[]", "{}", "[1, {\"a\": null}]", "{\"x\": [1]}", "--02-29", "1990-13-45", "30d",
                     "2026-11-30T09:00:00Z",
                     "birthday:x:y", "deal-stale:5:proposal:2026-12-14", "won", "lost", "open"]),
)  # fmt: skip
_columns = st.sampled_from([
    "id", "name", "title", "emails", "tags", "phones", "fields", "anniversaries", "birthday",
    "birthday_lunar",
    "every", "owner", "deleted_at", "stage", "status", "lost_reason", "value_minor", "currency", "key",
    "close_date", "probability", "contact_id", "deal_id", "summary", "kind", "text", "due", "done_at",
    "all_day",
    "source", "state", "until", "ids", "value", "updated_at",
])  # fmt: skip
_rows = st.one_of(
    st.none(), st.dictionaries(_columns, _scalars, max_size=12), st.text(max_size=10), st.integers()
)
_entries = st.fixed_dictionaries(
    {},
    optional={
        "txid": st.one_of(st.integers(0, 3), st.none(), st.text(max_size=3),
                          st.lists(st.integers(), max_size=2)),
        "table": st.sampled_from(["contact", "deal", "deal_stage", "interaction", "reminder", "occurrence",
                                  "setting", "other"]),
        "op": st.sampled_from(["insert", "update", "delete", "bulk", "other"]),
        "row_id": _scalars, "contact_id": _scalars, "command": _scalars, "user": _scalars, "at": _scalars,
        "undone_at": _scalars,
        "changes": st.one_of(_scalars, st.dictionaries(_columns, st.lists(_scalars, max_size=3))),
        "before": _rows, "after": _rows,
    },
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_entries, max_size=6))
def test_describe_never_raises_on_arbitrary_rows(rows):
    for change in describe(rows, tz=TZ):
        assert change.sentences
        for sentence in change.sentences:
            assert isinstance(sentence, str)
            assert not any(ch in sentence for ch in "\x1b\n\r\x00")
    json.dumps(describe_json(rows), default=str)
    wanted_names(rows)


# --- small words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "lunar", "expected"),
    [
        ("--03-12", False, "12 March"),
        ("--02-29", False, "29 February"),
        ("1990-03-12", False, "12 March 1990"),
        ("--08-15", True, "lunar month 8, day 15"),
        ("1985-01-30", True, "lunar month 1, day 30 1985"),
        ("garbage", False, "garbage"),
        ("--13-40", False, "--13-40"),
    ],
)
def test_birthdays_in_words_never_raw(stored, lunar, expected):
    assert birthday_words(stored, lunar) == expected


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (123450, "EUR", "1,234.50 EUR"),
        (5, "USD", "0.05 USD"),
        (1234567, "JPY", "1,234,567 JPY"),
        (1234567, "KWD", "1,234.567 KWD"),
        (120000000, "CNY", "1,200,000.00 CNY"),
        (-123450, "EUR", "-1,234.50 EUR"),
        (0, "JPY", "0 JPY"),
        ("oops", "EUR", "oops EUR"),
        (1.5, "EUR", "1.5 EUR"),
        (True, "EUR", "True EUR"),
    ],
)
def test_money_in_words_is_exact_per_currency(minor, currency, expected):
    assert money(minor, currency) == expected


@pytest.mark.parametrize(
    ("deal_row", "expected"),
    [
        ({"status": "won", "stage": "won", "probability": 100}, "won"),
        ({"status": "lost", "stage": "lost", "lost_reason": "price"}, "lost (price)"),
        ({"status": "lost", "stage": "lost", "lost_reason": None}, "lost"),
        ({"status": "open", "stage": "proposal", "probability": 50}, "proposal 50%"),
        ({"status": "open", "stage": "谈判", "probability": 75}, "谈判 75%"),
        ({"status": "lost", "lost_reason": "too\nexpensive\x1b"}, "lost (too expensive\ufffd)"),
    ],
)
def test_deal_status_never_says_won_twice(deal_row, expected):
    assert deal_status(deal_row) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "1 day"), (3, "3 days"), (13, "13 days"), (14, "2 weeks"), (21, "3 weeks"), (59, "8 weeks"),
     (60, "2 months"), (200, "6 months"), (365, "1 year"), (800, "2 years")],
)  # fmt: skip
def test_spans_read_as_people_say_them(days, expected):
    assert span(days) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("30d", "30 days"), ("1w", "1 week"), ("2w", "2 weeks"), ("3m", "3 months"),
                           ("1y", "1 year"), ("12h", "12 hours"), ("weekly", "weekly")],
)  # fmt: skip
def test_durations_in_words(text, expected):
    assert duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30d", "every 30 days"), ("1w", "every week"), ("2w", "every 2 weeks"), ("monthly", "every month"),
     ("Daily", "every day"), ("FREQ=MONTHLY;BYMONTHDAY=1", "repeating FREQ=MONTHLY;BYMONTHDAY=1")],
)  # fmt: skip
def test_cadences_and_rules_in_words(text, expected):
    assert every_words(text) == expected


@pytest.mark.parametrize(
    ("text", "cells", "expected"),
    [
        ("called about the invoice", 40, "called about the invoice"),
        ("called about the invoice", 20, "called about the…"),
        ("called about the invoice", 16, "called about…"),
        ("佛山企业电子有限公司", 9, "佛山企业…"),
        ("佛山企业电子有限公司", 10, "佛山企业…"),
        ("supercalifragilistic", 8, "superca…"),
        ("abc", 0, ""),
    ],
)
def test_long_text_is_cut_with_an_ellipsis_to_fit(text, cells, expected):
    assert cut(text, cells) == expected
    assert width(cut(text, cells)) <= cells


@pytest.mark.parametrize(
    ("text", "cells"),
    [("Ada", 3), ("Zoë", 3), ("e\u0301", 1), ("张伟", 4), ("佛山企业电子有限公司", 20), ("ＡＢ", 4), ("", 0),
     ("王小明 Ltd", 10)],
)  # fmt: skip
def test_width_counts_terminal_cells(text, cells):
    assert width(text) == cells


def test_short_cleans_then_cuts():
    assert short("a\nb " * 30, 10) == "a b a b a…"


# --- what is due -------------------------------------------------------------------------


def item(source, text, due, *, all_day=True, contact=None, key=None, overdue=False, id_=None):
    return DueItem(key or f"{source}:1:{due.date()}", id_, 1 if contact else None, None, text, due, all_day,
                   None, source, contact, overdue)  # fmt: skip


def day(n, hour=0, minute=0):
    return (NOW + timedelta(days=n)).replace(hour=hour, minute=minute)


@pytest.mark.parametrize(
    ("due", "all_day", "expected"),
    [
        (day(0), True, "today"),
        (day(1), True, "tomorrow"),
        (day(4), True, "Fri 4 Dec"),
        (day(-1), True, "1 day overdue"),
        (day(-3), True, "3 days overdue"),
        (day(-14), True, "2 weeks overdue"),
        (day(-90), True, "3 months overdue"),
        (day(0, 14, 30), False, "today 14:30"),
        (day(1, 9), False, "tomorrow 09:00"),
        (day(0, 7), False, "3 hours overdue"),
        (day(0, 9, 50), False, "10 minutes overdue"),
        (day(-2, 9), False, "2 days overdue"),
        (day(40), True, "Sat 9 Jan 2027"),
        (datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc), False, "tomorrow 09:00"),
    ],
)
def test_due_dates_read_relative_to_today(due, all_day, expected):
    assert when_words(due, all_day, NOW) == expected


DUE_WHAT = [
    (
        "cadence with a last contact",
        item("cadence", "Keep in touch with Ada Lovelace (every 30d, last 49 days ago)", day(-19),
             contact="Ada Lovelace",
             key="cadence:172:2026-11-11"),
        "keep in touch with Ada Lovelace (every 30 days; last contact 12 Oct)",
    ),
    (
        "cadence, never contacted, chinese name",
        item("cadence", "Keep in touch with 张伟 (every 2w, never contacted)", day(-3), contact="张伟"),
        "keep in touch with 张伟 (every 2 weeks; never contacted)",
    ),
    (
        "stale deal",
        item("deal", "Deal 'Audit' stale in proposal for 21 days", day(-7),
             key="deal-stale:5:proposal:2026-11-23"),
        "deal Audit has been in proposal for 3 weeks",
    ),
    (
        "deal not stale yet: never 'for 0 days'",
        item("deal", "Deal 'ERP 二期' stale in proposal for 0 days", day(14),
             key="deal-stale:6:proposal:2026-12-14"),
        "deal ERP 二期 will have been in proposal for 2 weeks",
    ),
    (
        "deal close date",
        item("deal", "Deal 'Audit' expected to close", day(4), key="deal-close:5:2026-12-04"),
        "deal Audit is expected to close",
    ),
    ("manual", item("manual", "send invoice", day(1), key="reminder:3:2026-12-01T00:00:00Z"), "send invoice"),
    ("birthday", item("birthday", "Ada Lovelace's birthday (turns 40)", day(3), contact="Ada Lovelace"),
     "Ada Lovelace's birthday (turns 40)"),
    ("control characters", item("manual", "pay\x1b[2J\nnow", day(0)), "pay\ufffd[2J now"),
]  # fmt: skip


@pytest.mark.parametrize(("due_item", "expected"), [d[1:] for d in DUE_WHAT], ids=[d[0] for d in DUE_WHAT])
def test_due_items_say_what_in_words_without_keys(due_item, expected):
    (row,) = due_rows([due_item], NOW)
    assert row.what == expected
    assert due_item.key not in row.what
    assert row.key == due_item.key


def test_due_rows_group_overdue_then_today_then_later():
    items = [
        item("manual", "later one", day(3)),
        item("manual", "today all day", day(0)),
        item("manual", "this morning", day(0, 8), all_day=False),
        item("manual", "this afternoon", day(0, 15), all_day=False),
        item("manual", "last week", day(-7)),
    ]
    rows = due_rows(items, NOW)
    assert [(r.group, r.what) for r in rows] == [
        ("overdue", "this morning"),
        ("overdue", "last week"),
        ("today", "today all day"),
        ("today", "this afternoon"),
        ("later", "later one"),
    ]
    assert group_counts(rows) == {"overdue": 2, "today": 2, "later": 1}
    assert due_headline(rows) == "2 overdue, 2 today, 1 coming up"
    assert due_headline(rows[2:4]) == "2 today"
    assert due_headline([]) == ""


def test_due_rows_from_the_real_engine_have_no_internal_keys():
    contacts = [
        {
            "id": 172,
            "name": "Ada Lovelace",
            "every": "30d",
            "last_contacted_at": "2026-10-12T09:00:00Z",
            "created_at": "2026-01-01T00:00:00Z",
            "birthday": "--12-03",
        }
    ]
    deals = [{"id": 5, "contact_id": 172, "title": "Audit", "status": "open", "stage": "proposal",
              "stage_entered_at": "2026-11-30T08:00:00Z"}]  # fmt: skip
    items = due_items(
        contacts=contacts, deals=deals, now=NOW, tz=TZ, until=day(20), stage_limits={"proposal": 14}
    )
    rows = due_rows(items, NOW)
    table = format_due_table(rows, 100)
    for leaked in ("cadence:", "deal-stale:", " 0 days", "172"):
        assert leaked not in table
    assert [(r.when, r.what, r.who) for r in rows] == [
        (
            "2 weeks overdue",
            "keep in touch with Ada Lovelace (every 30 days; last contact 12 Oct)",
            "Ada Lovelace",
        ),
        ("Thu 3 Dec", "Ada Lovelace's birthday", "Ada Lovelace"),
        ("Mon 14 Dec", "deal Audit will have been in proposal for 2 weeks", "Ada Lovelace"),
    ]


def _rows_for_table():
    return due_rows(
        [
            item("manual", "call back about the ERP 二期 quotation and the delivery dates for next year",
                 day(-3),
                 contact="佛山企业电子有限公司"),
            item("birthday", "张伟's birthday", day(0), contact="张伟"),
            item("manual", "send invoice", day(4, 9), all_day=False),
        ],
        NOW,
    )  # fmt: skip


def test_due_table_has_headers_and_aligned_columns():
    text = format_due_table(_rows_for_table(), 80)
    lines = text.splitlines()
    assert lines[0].split() == ["When", "What", "Who"]
    what_at = {width(line[: line.index(word)]) for line, word in
               zip(lines, ["What", "call back", "张伟's", "send invoice"])}  # fmt: skip
    assert len(what_at) == 1  # the What column starts at the same cell on every line
    assert lines[3].startswith("Fri 4 Dec 09:00")


@pytest.mark.parametrize("cells", [40, 60, 80, 120])
def test_due_table_lines_never_exceed_the_width(cells):
    text = format_due_table(_rows_for_table(), cells)
    assert all(width(line) <= cells for line in text.splitlines())
    assert "…" in text if cells < 120 else True


def test_due_table_is_empty_when_nothing_is_due():
    assert format_due_table([], 80) == ""


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=30)),
                       st.integers(-60, 60)),
             min_size=1, max_size=5),
    st.integers(20, 160),
)  # fmt: skip
def test_due_table_keeps_its_columns_whatever_the_text(specs, cells):
    rows = due_rows([item("manual", text, day(n), contact=who) for text, who, n in specs], NOW)
    lines = format_due_table(rows, cells).splitlines()
    assert len(lines) == len(rows) + 1  # no text breaks a line
    assert all(width(line) <= cells for line in lines)


def test_history_table_says_when_who_and_what_in_one_line_each():
    rows = [
        {**entry("contact", "insert", None, ZHANG, txid=2, user="王芳"), "at": "2026-11-30T09:05:00Z"},
        {**entry("contact", "insert", None, ADA, txid=1), "at": "2025-12-31T23:30:00Z",
         "undone_at": "2026-01-01T00:00:00Z"},
    ]  # fmt: skip
    text = format_history_table(describe(rows), 80, tz=TZ, today=NOW.date())
    assert "2025" not in format_history_table(describe(rows), 80, tz=TZ, today=NOW.date())
    assert "30 Nov 2026 10:05" in format_history_table(describe(rows), 80, tz=TZ, today=date(2027, 1, 5))
    assert text.splitlines() == [
        "When          By    What",
        "30 Nov 10:05  王芳  张伟 added",
        "1 Jan 00:30   ann   Ada Lovelace added (undone)",
    ]


def test_history_table_cuts_long_changes_to_the_width():
    notes = "a very long note " * 20
    changes = describe([update("contact", ADA, notes=notes)])
    for cells in (30, 50, 80):
        lines = format_history_table(changes, cells).splitlines()
        assert len(lines) == 2
        assert all(width(line) <= cells for line in lines)
        assert lines[1].endswith("…")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40)), min_size=1, max_size=4
    ),
    st.integers(12, 120),
)
def test_tables_keep_every_line_within_the_width(rows, cells):
    rows = [tuple(clean(c) for c in row) for row in rows]
    lines = format_table(("A", "B", "C"), rows, cells, give_way=((1, 5),)).splitlines()
    assert len(lines) == len(rows) + 1
    assert all(width(line) <= cells for line in lines)


# --- import hygiene: on the start-up path of `due` and `history` -------------------------


def test_wording_imports_no_ui_library_no_sqlite_and_no_dataclasses():
    code = (
        "import sys, tinycrm.wording; bad = [m for m in ('typer', 'rich', 'textual', 'sqlite3',"
        " 'dataclasses',"
        " 'typing', 'tinycrm.store', 'decimal') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- a real book's history, told back ------------------------------------------------------


def test_a_real_books_history_reads_as_a_story(tmp_path):
    from tinycrm import agenda
    from tinycrm.services import team
    from tinycrm.store import Store

    ticks = itertools.count()
    start = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    store = Store.open(tmp_path / "book.db", "ann", lambda: start + timedelta(seconds=next(ticks)))
    ada = store.add_contact(
        "Ada Lovelace", emails=["ada@example.com"], tags=["vip"], title="CEO", every="30d"
    )
    zhang = store.add_contact("张伟", org="佛山企业电子有限公司", birthday="--02-29")
    dup = store.add_contact("A. Lovelace", emails=["countess@example.com"])
    store.edit_contact(ada["id"], add_emails=["countess2@example.com"], rm_tags=["vip"], title="CTO")
    store.edit_contact(ada["id"], title="CTO")  # changes nothing: no history, no sentence
    audit = store.add_deal(ada["id"], "Audit", value="1234.5", currency="EUR")
    store.move_deal(audit["id"], "proposal")
    store.move_deal(audit["id"], "lost", reason="price")
    erp = store.add_deal(zhang["id"], "ERP 二期", value="12345", currency="JPY")
    store.move_deal(erp["id"], "won")
    store.log(ada["id"], "called about the invoice", kind="call", follow_up=datetime(2026, 12, 4, tzinfo=TZ))
    rent = store.add_reminder(None, datetime(2026, 12, 1, tzinfo=TZ), "pay rent", every="monthly")
    agenda.mark_done(store, rent["id"], NOW)
    agenda.snooze(store, rent["id"], datetime(2026, 12, 10, 9, 0, tzinfo=TZ), now_local=NOW)
    store.set_occurrence(f"cadence:{ada['id']}:2026-11-30", "snoozed", datetime(2026, 12, 2, tzinfo=TZ))
    store.add_contacts([{"name": f"P{i}"} for i in range(1204)])
    team.release(store, "张伟")
    store.merge_contacts(ada["id"], [dup["id"]], {"aliases": ["A. Lovelace"]})
    store.trash_contact(zhang["id"])

    history = store.history(limit=200)
    assert wanted_names(history) == (set(), set())
    assert [c.summary for c in describe(history, tz=TZ)] == [
        "张伟 moved to the trash",
        "A. Lovelace merged into Ada Lovelace; Ada Lovelace: alias A. Lovelace added",
        "张伟: back to the pool (was ann's)",
        "imported 1,204 contacts",
        "keep in touch with Ada Lovelace snoozed to 2 Dec",
        "reminder 'pay rent' snoozed to 10 Dec 09:00",
        "reminder 'pay rent' done; next due 1 Jan",
        "reminder 'pay rent' added, due 1 Dec, every month",
        "logged a call with Ada Lovelace: called about the invoice; follow up 4 Dec",
        "deal ERP 二期 won",
        "deal ERP 二期 added for 张伟 (12,345 JPY, lead)",
        "deal Audit lost (price)",
        "deal Audit: lead → proposal",
        "deal Audit added for Ada Lovelace (1,234.50 EUR, lead)",
        "Ada Lovelace: title CEO → CTO; e-mail countess2@example.com added; tag vip removed",
        "A. Lovelace added",
        "张伟 added",
        "Ada Lovelace added",
    ]
    as_json = describe_json(history, tz=TZ)
    assert json.loads(json.dumps(as_json, ensure_ascii=False)) == as_json
    first = as_json[-1]
    assert first["after"]["emails"] == ["ada@example.com"]
    assert first["summary"] == "Ada Lovelace added"
