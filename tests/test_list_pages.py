"""A page of deals or reminders is read off an index (no sort of the whole table), and it is
exactly the first rows of the whole list, in the same order, whatever the deals and reminders hold."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost", "parked"]  # parked: unknown

deal_rows = st.lists(
    st.tuples(
        st.sampled_from(STAGES),
        st.sampled_from(["open", "won", "lost"]),
        st.one_of(st.none(), st.sampled_from(["2026-12-01", "2026-12-02", "2027-01-15"])),
        st.booleans(),  # the contact is in the trash
    ),
    max_size=25,
)


def _book(folder: str) -> Store:
    store = Store.open(Path(folder) / "crm.db", "alice", clock=lambda: NOW)
    store.add_contact("Ada Lovelace")
    store.add_contact("Grace Hopper")
    return store


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=deal_rows, same_position=st.booleans())
def test_a_page_of_deals_is_the_head_of_the_whole_list(
    rows: list[tuple[str, str, str | None, bool]], same_position: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder, _book(folder) as store:
        for number, (stage, status, close, trashed) in enumerate(rows):
            deal = store.add_deal(2 if trashed else 1, f"deal {number}")
            # states the commands do not make (a stage the table does not know, a won deal in
            # an open stage) must still come out in the list's order
            store.conn.execute(
                "UPDATE deal SET stage = ?, status = ?, close_date = ? WHERE id = ?",
                (stage, status, close, deal["id"]),
            )
        if same_position:  # two stages at one position: their deals interleave by close date
            store.conn.execute("UPDATE stage SET position = 2 WHERE name = 'proposal'")
        store.trash_contact(2)
        whole = [d["id"] for d in store.list_deals()]
        for limit in range(1, len(rows) + 2):
            assert [d["id"] for d in store.list_deals(limit=limit)] == whole[:limit]
        filtered = [d["id"] for d in store.list_deals("status:open")]
        assert [d["id"] for d in store.list_deals("status:open", limit=3)] == filtered[:3]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.booleans()), max_size=20),
    include_done=st.booleans(),
)
def test_a_page_of_reminders_is_the_head_of_the_whole_list(
    rows: list[tuple[int, bool, bool]], include_done: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder, _book(folder) as store:
        for number, (days, done, trashed) in enumerate(rows):
            rem = store.add_reminder(2 if trashed else 1, NOW + timedelta(days=days), f"r{number}")
            if done:
                store.conn.execute("UPDATE reminder SET done_at = ? WHERE id = ?", ("2026-11-29", rem["id"]))
        store.trash_contact(2)
        whole = store.list_reminders(include_done=include_done)
        assert [r["done_at"] is not None for r in whole] == sorted(r["done_at"] is not None for r in whole)
        assert store.count_reminders(include_done=include_done) == len(whole)
        for limit in range(1, len(rows) + 2):
            assert store.list_reminders(include_done=include_done, limit=limit) == whole[:limit]


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT id FROM deal d WHERE (d.status = 'open') = 1 AND d.stage IN (?)"
         " ORDER BY d.close_date IS NULL, d.close_date, d.id LIMIT 20", "deal_list_order"),
        ("SELECT id FROM reminder r WHERE r.done_at IS NULL ORDER BY r.due, r.id LIMIT 20",
         "reminder_open_due"),
        ("SELECT id FROM reminder r WHERE r.done_at IS NOT NULL ORDER BY r.due, r.id LIMIT 20",
         "reminder_done_due"),
        ("SELECT id FROM contact c INDEXED BY contact_next_touch_long WHERE c.next_touch_at IS NOT NULL"
         " AND substr(c.every, -1) IN ('m', 'y') AND c.next_touch_at > ? ORDER BY c.next_touch_at, c.id",
         "contact_next_touch_long"),
    ],
)
def test_list_pages_are_read_off_an_index_without_a_sort(tmp_path: Path, sql: str, index: str) -> None:
    with _book(str(tmp_path)):
        pass
    conn = sqlite3.connect(tmp_path / "crm.db")
    plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, ["lead"][: sql.count("?")]))
    conn.close()
    assert index in plan
    assert "TEMP B-TREE" not in plan


@pytest.fixture
def sixty_reminders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TINYCRM_NOW", "2026-11-30T09:00:00Z")
    monkeypatch.setenv("TZ", "UTC")
    book = tmp_path / "crm.db"
    with _book(str(tmp_path)) as store:
        for day in range(60):
            store.add_reminder(1, NOW + timedelta(days=day), f"call {day}")
    return book


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    from tinycrm.cli.dispatch import main

    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "terminal", "rows", "more"),
    [
        ([], False, 50, None),
        ([], True, 50, "10 more — use --limit N to see them (--json lists them all)"),
        (["--limit", "5"], True, 5, None),
        (["--limit", "100"], True, 60, None),
    ],
)
def test_remind_list_shows_a_page_and_says_how_many_more(
    sixty_reminders: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    args: list[str], terminal: bool, rows: int, more: str | None,
) -> None:
    monkeypatch.setattr("tinycrm.commands.remind.is_terminal", lambda: terminal)
    lines = _run(capsys, "--db", str(sixty_reminders), "remind", "list", *args).splitlines()
    assert sum("call " in line for line in lines) == rows
    assert (lines[-1] if more else None) == more


@pytest.mark.parametrize(("args", "count"), [([], 60), (["--limit", "7"], 7)])
def test_remind_list_json_is_the_whole_list_unless_limited(
    sixty_reminders: Path, capsys: pytest.CaptureFixture[str], args: list[str], count: int
) -> None:
    import json

    listed = json.loads(_run(capsys, "--db", str(sixty_reminders), "remind", "list", "--json", *args))
    assert [r["text"] for r in listed] == [f"call {day}" for day in range(count)]


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats(allow_nan=False))


@settings(max_examples=300)
@given(
    fields=st.tuples(
        st.text(), st.none() | st.integers(), st.none() | st.integers(), st.none() | st.integers(),
        st.text(), st.booleans() | st.integers(0, 1), st.none() | st.text(), st.text(),
        st.none() | st.text(), st.booleans(), scalars | st.lists(scalars, max_size=3),
    ),
    day=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30)),
    zone=st.sampled_from([timezone.utc, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Berlin")]),
)
def test_due_json_items_are_encoded_as_json_encoder_does(fields: tuple, day: datetime, zone: tzinfo) -> None:
    import json

    from tinycrm.commands.remind import due_document
    from tinycrm.reminders import DueItem

    key, id_, contact_id, deal_id, text, all_day, every, source, contact, overdue, odd = fields
    due = day.replace(tzinfo=timezone.utc)
    items = [
        DueItem(key, id_, contact_id, deal_id, text, due, all_day, every, source, contact, overdue),
        DueItem(text, odd, None, odd, key, due, not all_day, odd, text, odd, odd),  # any value
    ]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    expected = "[\n  " + ",\n  ".join(encode(i.to_json(zone)) for i in items) + "\n]\n"
    assert due_document(items, zone) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(
    st.tuples(st.sampled_from(["7d", "2w", "1m", "3m", "1y"]), st.integers(0, 9), st.booleans()), max_size=20
))
def test_due_reads_cadences_as_one_range_did(rows: list[tuple[str, int, bool]]) -> None:
    from tinycrm.store import due

    until, wide = "2026-11-23T02:00:00Z", "2026-11-27T00:00:00Z"
    with tempfile.TemporaryDirectory() as folder, _book(folder) as store:
        for number, (every, day, trashed) in enumerate(rows):
            contact = store.add_contact(f"Person {number}", every=every)
            store.conn.execute(
                "UPDATE contact SET next_touch_at = ?, deleted_at = ? WHERE id = ?",
                (f"2026-11-{20 + day:02d}T01:00:00Z", "2026-11-01T00:00:00Z" if trashed else None,
                 contact["id"]),
            )
        one_range = [
            row[0] for row in store.conn.execute(
                "SELECT c.id FROM contact c WHERE c.next_touch_at IS NOT NULL AND c.next_touch_at <= ?"
                " AND (c.next_touch_at <= ? OR substr(c.every, -1) IN ('m', 'y')) AND c.deleted_at IS NULL"
                " ORDER BY c.next_touch_at, c.id",
                (wide, until),
            )
        ]
        assert [c["id"] for c in due.cadence_contacts(store, until, wide)] == one_range


@settings(max_examples=300)
@given(text=st.text(alphabet=st.sampled_from(["/", ".", "a", "é", " ", "~"]), min_size=1, max_size=12))
def test_a_book_path_is_spelled_as_pathlib_spells_it(text: str) -> None:
    from pathlib import PurePosixPath

    from tinycrm.config import path_text

    assert path_text(text) == str(PurePosixPath(text))
