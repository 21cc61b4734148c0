"""Each deal's furthest open stage reached (`deal.reached`, migration 4): kept by every stage
change, brought back by undo and redo, carried by merge, import and restore, checked by `check`,
and what `report funnel` counts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from schema3 import as_schema_3

from tinycrm import reports
from tinycrm.services.transfer import export_book, import_book
from tinycrm.store import Store

NOW = datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "t.db", "tester", clock=lambda: NOW)
    yield s
    s.close()


def reached(store: Store, deal_id: int) -> str | None:
    return store.conn.execute("SELECT reached FROM deal WHERE id = ?", (deal_id,)).fetchone()[0]


@pytest.mark.parametrize(
    ("start", "moves", "expected"),
    [
        ("lead", [], "lead"),
        ("proposal", [], "proposal"),
        ("lead", ["qualified"], "qualified"),
        ("lead", ["proposal", "qualified"], "proposal"),  # moving back keeps the furthest
        ("lead", ["negotiation", "lead", "qualified"], "negotiation"),
        ("qualified", ["won"], "qualified"),  # won and lost are not open stages
        ("lead", ["proposal", "lost"], "proposal"),
        ("lead", ["lost", "negotiation"], "negotiation"),  # reopened
    ],
)
def test_stored_stage_reached_follows_every_stage_change(
    store: Store, start: str, moves: list[str], expected: str
) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine", stage=start)["id"]
    for stage in moves:
        store.move_deal(deal, stage)
    assert reached(store, deal) == expected
    assert store.check() == []


def test_undo_and_redo_bring_the_stage_reached_back(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine")["id"]
    store.move_deal(deal, "negotiation")
    store.undo()
    assert reached(store, deal) == "lead"
    store.redo()
    assert reached(store, deal) == "negotiation"
    store.move_deal(deal, "lost", reason="price")
    store.undo()
    assert reached(store, deal) == "negotiation"
    assert store.check() == []


def test_undo_of_a_move_made_before_the_column_existed_recomputes_it(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine")["id"]
    store.move_deal(deal, "proposal")
    for hid, before, after in store.conn.execute(  # history as schema 3 wrote it: no `reached`
        "SELECT id, before, after FROM history WHERE tbl = 'deal'"
    ).fetchall():
        strip = [json.dumps({k: v for k, v in json.loads(x).items() if k != "reached"}) if x else None
                 for x in (before, after)]  # fmt: skip
        store.conn.execute("UPDATE history SET before = ?, after = ? WHERE id = ?", (*strip, hid))
    store.undo()
    assert reached(store, deal) == "lead"
    assert store.check() == []


def test_merge_carries_the_stage_reached_and_its_undo_too(store: Store) -> None:
    keep = store.add_contact("Ada Lovelace")["id"]
    other = store.add_contact("Ada L.")["id"]
    deal = store.add_deal(other, "engine")["id"]
    store.move_deal(deal, "proposal")
    store.merge_contacts(keep, [other], {})
    assert (store.get_deal(deal)["contact_id"], reached(store, deal)) == (keep, "proposal")
    store.undo()
    assert (store.get_deal(deal)["contact_id"], reached(store, deal)) == (other, "proposal")
    assert store.check() == []


def test_import_of_a_json_book_sets_the_stage_reached_from_its_history(store: Store, tmp_path: Path) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine")["id"]
    store.move_deal(deal, "negotiation")
    store.move_deal(deal, "qualified")
    book = json.dumps(export_book(store, "", now=NOW)).encode()
    with Store.open(tmp_path / "other.db", "tester", clock=lambda: NOW) as other:
        import_book(other, book)
        assert [r[0] for r in other.conn.execute("SELECT reached FROM deal")] == ["negotiation"]
        assert other.check() == []
        other.undo()  # the import's deals go, nothing is left to disagree
        assert other.conn.execute("SELECT count(*) FROM deal").fetchone()[0] == 0


def test_check_reports_a_wrong_stored_stage_reached(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine")["id"]
    store.move_deal(deal, "proposal")
    store.conn.execute("UPDATE deal SET reached = 'lead' WHERE id = ?", (deal,))
    assert store.check() == ["1 deals whose stored furthest stage does not match their stage history"]
    store.conn.execute("UPDATE deal SET reached = NULL WHERE id = ?", (deal,))
    assert len(store.check()) == 1


def test_restoring_a_schema_3_backup_fills_the_stage_reached(store: Store, tmp_path: Path) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    deal = store.add_deal(ada, "engine")["id"]
    store.move_deal(deal, "negotiation")
    store.move_deal(deal, "lost")
    old = tmp_path / "old.db"
    store.backup_to(old)
    with sqlite3.connect(old) as conn:  # as schema 3 left it
        as_schema_3(conn)
    shutil.copy(old, tmp_path / "kept.db")
    store.move_deal(deal, "lead")
    store.restore_from(tmp_path / "kept.db")
    assert reached(store, deal) == "negotiation"
    assert store.check() == []


def test_funnel_counts_a_deal_as_far_as_its_stored_stage_reached(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    back = store.add_deal(ada, "went back", stage="lead")["id"]
    store.move_deal(back, "proposal")
    store.move_deal(back, "qualified")
    lost = store.add_deal(ada, "lost late", stage="negotiation")["id"]
    store.move_deal(lost, "lost", reason="price")
    store.add_deal(ada, "new")
    report = reports.funnel(store, NOW)
    assert [(s["stage"], s["reached"]) for s in report["stages"]] == [
        ("lead", 3), ("qualified", 2), ("proposal", 2), ("negotiation", 1), ("won", 0),
    ]  # fmt: skip
    assert report["lost_at"] == [{"stage": "negotiation", "count": 1}]
