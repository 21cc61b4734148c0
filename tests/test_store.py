"""The storage layer: the file, transactions, migrations, history and undo, REFs, money, search."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tinycrm.dates import utc_iso
from tinycrm.errors import Ambiguous, Conflict, CrmError, InvalidData, NotFound, SchemaTooNew
from tinycrm.money import format_amount, parse_amount
from tinycrm.store import Store
from tinycrm.store.schema import SCHEMA_VERSION

FIXED = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)  # a Tuesday
FIXED_ISO = "2026-03-10T09:00:00Z"

# tables whose rows undo must put back exactly (history itself is bookkeeping)
DATA_TABLES = ("contact", "contact_key", "interaction", "deal", "deal_stage", "reminder", "occurrence")


class Clock:
    """A clock that tests move by hand."""

    def __init__(self, now: datetime = FIXED) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "t.db"


@pytest.fixture
def store(db_path, clock):
    st = Store.open(db_path, "tester", clock=clock)
    yield st
    st.close()


@pytest.fixture
def ada(store) -> dict:
    return store.add_contact(
        "Ada Lovelace", emails=["Ada@Example.com"], phones=["+44 20 7946 0000"], tags=["vip"]
    )


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def snapshot(store: Store) -> dict:
    """Every data row and every search-index document, order-independent."""
    snap = {}
    for table in DATA_TABLES:
        snap[table] = sorted(map(repr, store.conn.execute(f"SELECT * FROM {table}")))
    for table in ("contact_fts", "interaction_fts"):
        snap[table] = sorted(store.conn.execute(f"SELECT rowid, doc FROM {table}"))
    return snap


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(records) -> list[str]:
    return [r["name"] for r in records]


# ---------------------------------------------------------------- the file


def test_file_is_created_owner_only_with_its_parent(tmp_path, clock):
    path = tmp_path / "new" / "dir" / "crm.db"
    with Store.open(path, "tester", clock=clock) as st:
        st.add_contact("Ada Lovelace")  # a write, so -wal and -shm exist
        for suffix in ("", "-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            assert side.exists(), suffix
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, suffix


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_every_write_opens_begin_immediate(store, ada):
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.log(ada["id"], "called")
    store.edit_contact(ada["id"], add_tags=["x"])
    store.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]


# ---------------------------------------------------------------- transactions


@pytest.mark.parametrize(
    ("label", "write"),
    [
        ("bad e-mail among good ones",
         lambda st, c: st.add_contact("Bob", emails=["b@x.com", "not-an-email", "c@x.com"])),
        ("bad phone", lambda st, c: st.add_contact("Bob", phones=["+1 555 0100", "12"])),
        ("log with a bad deal id", lambda st, c: st.log(c["id"], "called", deal_id=999)),
        ("log with a bad kind", lambda st, c: st.log(c["id"], "called", kind="fax")),
        ("deal with a bad amount", lambda st, c: st.add_deal(c["id"], "X", value="1.234")),
        ("deal with a bad stage", lambda st, c: st.add_deal(c["id"], "X", stage="closing")),
        ("edit with a bad tag", lambda st, c: st.edit_contact(c["id"], name="New", add_tags=["a b"])),
        ("edit with a bad birthday", lambda st, c: st.edit_contact(c["id"], birthday="2026-02-30")),
    ],
)
def test_a_failing_write_leaves_nothing(store, ada, label, write):
    before = snapshot(store)
    history = count(store, "history")
    with pytest.raises(CrmError):
        write(store, ada)
    assert snapshot(store) == before, label
    assert count(store, "history") == history


def test_a_failure_in_the_middle_of_a_write_rolls_all_of_it_back(store, ada, monkeypatch):
    before = snapshot(store)
    history = count(store, "history")

    def boom(contact_id: int) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_touch", boom)  # runs after the interaction row is inserted
    with pytest.raises(RuntimeError):
        store.log(ada["id"], "called", follow_up=FIXED + timedelta(days=3))
    assert snapshot(store) == before
    assert count(store, "history") == history
    assert not store.conn.in_transaction


# ---------------------------------------------------------------- migrations


def test_a_fresh_file_gets_the_current_schema_version(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert [s["name"] for s in store.stages()] == [
        "lead", "qualified", "proposal", "negotiation", "won", "lost",
    ]


def test_reopening_keeps_the_data(db_path, clock, store, ada):
    store.close()
    with Store.open(db_path, "tester", clock=clock) as again:
        assert again.resolve("ada")["id"] == ada["id"]
        assert again.schema_version() == SCHEMA_VERSION


def test_a_file_from_a_newer_tinycrm_is_refused_and_left_untouched(db_path, clock):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    digest = sha256(db_path)
    with pytest.raises(SchemaTooNew, match="newer tinycrm"):
        Store.open(db_path, "tester", clock=clock)
    assert sha256(db_path) == digest
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert not db_path.with_name(db_path.name + "-journal").exists()


def test_an_sqlite_file_that_is_not_tinycrm_is_refused_and_left_untouched(db_path, clock):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos(path) VALUES ('a.jpg')")
    conn.commit()
    conn.close()
    digest = sha256(db_path)
    with pytest.raises(CrmError, match="not a tinycrm database"):
        Store.open(db_path, "tester", clock=clock)
    assert sha256(db_path) == digest
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused(db_path, clock):
    db_path.write_bytes(b"this is a text file, not a database\n" * 100)
    digest = sha256(db_path)
    with pytest.raises(CrmError, match="not a tinycrm database"):
        Store.open(db_path, "tester", clock=clock)
    assert sha256(db_path) == digest


# ---------------------------------------------------------------- history


def test_history_records_who_when_before_and_after(store, clock, ada):
    clock.tick(hours=1)
    store.edit_contact(ada["id"], name="Ada King")
    deal = store.add_deal(ada["id"], "Engine", value="5000")
    store.log(ada["id"], "called", deal_id=deal["id"])
    store.move_deal(deal["id"], "proposal")
    store.trash_contact(ada["id"])
    items = store.history(ada["id"])
    by_command = {}
    for item in items:
        by_command.setdefault(item["command"], []).append(item)
        assert item["user"] == "tester"
        assert item["at"] in (FIXED_ISO, "2026-03-10T10:00:00Z")

    add = by_command["contact add Ada Lovelace"][0]
    assert (add["op"], add["table"], add["before"], add["after"]["name"]) == (
        "insert", "contact", None, "Ada Lovelace",
    )
    assert add["at"] == FIXED_ISO
    edit = by_command["contact edit Ada Lovelace"][0]
    assert edit["op"] == "update"
    assert edit["changes"]["name"] == ["Ada Lovelace", "Ada King"]
    assert edit["at"] == "2026-03-10T10:00:00Z"
    log = by_command["log Ada King"][0]
    assert (log["table"], log["op"], log["after"]["summary"]) == ("interaction", "insert", "called")
    move = next(i for i in by_command["deal move Engine"] if i["table"] == "deal")
    assert move["changes"]["stage"] == ["lead", "proposal"]
    trash = by_command["contact rm Ada King"][0]
    assert trash["before"]["deleted_at"] is None
    assert trash["after"]["deleted_at"] == "2026-03-10T10:00:00Z"


def test_history_of_one_contact_leaves_out_the_others(store, ada):
    bob = store.add_contact("Bob Smith")
    store.log(bob["id"], "met")
    assert {h["contact_id"] for h in store.history(ada["id"])} == {ada["id"]}
    assert {h["contact_id"] for h in store.history()} == {ada["id"], bob["id"]}


def test_history_is_newest_first_and_limited(store, ada):
    for n in range(5):
        store.log(ada["id"], f"call {n}")
    items = store.history(limit=3)
    assert [i["after"]["summary"] for i in items] == ["call 4", "call 3", "call 2"]


# ---------------------------------------------------------------- undo


def _deal(st: Store, c: dict) -> dict:
    return st.add_deal(c["id"], "Engine", value="5000")


UNDOABLE = {
    "add contact": (lambda st, c: None, lambda st, c, _: st.add_contact("Bob", emails=["b@x.com"])),
    "edit with tags": (
        lambda st, c: None,
        lambda st, c, _: st.edit_contact(c["id"], name="Ada King", add_tags=["gold"], rm_tags=["vip"],
                                         add_emails=["ada@king.org"], set_fields={"x": "1"}),
    ),
    "log": (lambda st, c: None, lambda st, c, _: st.log(c["id"], "called")),
    "log with a follow-up": (
        lambda st, c: st.log(c["id"], "earlier", at=FIXED - timedelta(days=9)),
        lambda st, c, _: st.log(c["id"], "called", kind="call", follow_up=FIXED + timedelta(days=3)),
    ),
    "add deal": (lambda st, c: None, lambda st, c, _: _deal(st, c)),
    "deal move": (_deal, lambda st, c, d: st.move_deal(d["id"], "negotiation")),
    "deal won": (_deal, lambda st, c, d: st.move_deal(d["id"], "won")),
    "deal lost": (_deal, lambda st, c, d: st.move_deal(d["id"], "lost", reason="price")),
    "deal edit": (_deal, lambda st, c, d: st.edit_deal(d["id"], value="7000.50", key=True)),
    "trash": (lambda st, c: None, lambda st, c, _: st.trash_contact(c["id"])),
    "restore": (lambda st, c: st.trash_contact(c["id"]), lambda st, c, _: st.restore_contact(c["id"])),
    "add reminder": (lambda st, c: None,
                     lambda st, c, _: st.add_reminder(c["id"], FIXED + timedelta(days=1), "send invoice")),
    "reminder delete": (
        lambda st, c: st.add_reminder(c["id"], FIXED + timedelta(days=1), "send invoice"),
        lambda st, c, r: st.delete_reminder(r["id"]),
    ),
    "reminder done": (
        lambda st, c: st.add_reminder(c["id"], FIXED + timedelta(days=1), "send invoice"),
        lambda st, c, r: st.update_reminder(r["id"], "remind done", done_at=FIXED),
    ),
    "occurrence": (
        lambda st, c: None, lambda st, c, _: st.set_occurrence(f"birthday:{c['id']}:2026", "done"),
    ),
}


@pytest.mark.parametrize("kind", list(UNDOABLE))
def test_undo_takes_back_each_kind_of_change(store, clock, ada, kind):
    setup, change = UNDOABLE[kind]
    made = setup(store, ada)
    clock.tick(minutes=5)
    before = snapshot(store)
    change(store, ada, made)
    assert snapshot(store) != before
    clock.tick(minutes=5)
    store.undo()
    assert snapshot(store) == before


def test_undo_of_an_edit_restores_the_search_index(store, ada):
    store.edit_contact(ada["id"], name="Grace Hopper")
    assert names(store.search("grace")["contacts"]) == ["Grace Hopper"]
    store.undo()
    assert names(store.search("lovelace")["contacts"]) == ["Ada Lovelace"]
    assert store.search("grace")["contacts"] == []
    assert store.resolve("lovelace")["id"] == ada["id"]
    assert store.list_contacts("tag:vip")[0]["id"] == ada["id"]


def test_undo_of_a_log_restores_last_contacted_and_drops_the_follow_up(store, clock, ada):
    store.log(ada["id"], "first", at=FIXED - timedelta(days=10))
    first = store.get_contact(ada["id"])["last_contacted_at"]
    clock.tick(days=1)
    store.log(ada["id"], "second", follow_up=clock.now + timedelta(days=3))
    assert store.get_contact(ada["id"])["last_contacted_at"] == "2026-03-11T09:00:00Z"
    assert [r["source"] for r in store.list_reminders(contact_id=ada["id"])] == ["follow-up"]
    store.undo()
    assert store.get_contact(ada["id"])["last_contacted_at"] == first == "2026-02-28T09:00:00Z"
    assert store.list_reminders(contact_id=ada["id"]) == []
    assert [i["summary"] for i in store.timeline(ada["id"])] == ["first"]
    assert store.search("second")["interactions"] == []


def test_undo_of_a_deal_move_restores_its_stage_history(store, ada):
    deal = _deal(store, ada)
    store.move_deal(deal["id"], "proposal")
    store.move_deal(deal["id"], "won")
    store.undo()
    back = store.get_deal(deal["id"])
    assert (back["stage"], back["status"], back["probability"], back["closed_at"]) == (
        "proposal", "open", 50, None,
    )
    assert [s["stage"] for s in back["stages"]] == ["lead", "proposal"]


def test_undo_of_a_trash_brings_the_contact_back(store, ada):
    store.trash_contact(ada["id"])
    assert store.list_contacts() == []
    store.undo()
    assert names(store.list_contacts()) == ["Ada Lovelace"]


def test_undo_twice_takes_back_two_changes(store, ada):
    store.edit_contact(ada["id"], name="Ada King")
    store.log(ada["id"], "called")
    first, second = store.undo(), store.undo()
    assert (first["command"], second["command"]) == ("log Ada King", "contact edit Ada Lovelace")
    assert store.get_contact(ada["id"])["name"] == "Ada Lovelace"
    assert store.timeline(ada["id"]) == []
    third = store.undo()
    assert third["command"] == "contact add Ada Lovelace"
    assert store.list_contacts() == []


def test_undo_marks_history_undone_and_reports_what_it_took_back(store, ada):
    store.log(ada["id"], "called", follow_up=FIXED + timedelta(days=1))
    result = store.undo()
    assert result == {"txid": result["txid"], "command": "log Ada Lovelace", "user": "tester",
                      "at": FIXED_ISO, "changes": 2}
    undone = [h for h in store.history() if h["txid"] == result["txid"]]
    assert len(undone) == 2
    assert all(h["undone_at"] == FIXED_ISO for h in undone)


def test_nothing_to_undo_is_a_conflict(store):
    with pytest.raises(Conflict, match="nothing to undo"):
        store.undo()


def test_undo_after_undoing_everything_is_a_conflict(store, ada):
    store.undo()
    with pytest.raises(Conflict):
        store.undo()


# ---------------------------------------------------------------- REF


@pytest.fixture
def book(store) -> dict[str, int]:
    people = {
        "ada": store.add_contact("Ada Lovelace", emails=["ada@example.com"]),
        "grace": store.add_contact("Grace Hopper", phones=["+86 138-0000-0000"]),
        "zhang": store.add_contact("张伟", org="佛山企业电子有限公司"),
        "ann": store.add_contact("Ann"),
        "anna": store.add_contact("Anna Smith"),
        "joanna": store.add_contact("Joanna Brown"),
    }
    return {k: v["id"] for k, v in people.items()}


@pytest.mark.parametrize(
    ("ref", "who"),
    [
        ("1", "ada"),
        ("ada@example.com", "ada"),
        ("ADA@Example.COM", "ada"),
        ("+8613800000000", "grace"),
        ("+86 138 0000 0000", "grace"),
        ("+86 (138) 0000-0000", "grace"),
        ("lovelace", "ada"),
        ("LOVE", "ada"),
        ("velac", "ada"),
        ("hopp", "grace"),
        ("Grace Hopper", "grace"),
        ("伟", "zhang"),
        ("张伟", "zhang"),
        ("ann", "ann"),  # the exact full name wins over Anna and Joanna
        ("ANN", "ann"),
        ("joan", "joanna"),
    ],
)
def test_resolve_finds_one_contact(store, book, ref, who):
    assert store.resolve(ref)["id"] == book[who]


def test_resolve_a_phone_stored_without_spaces(store):
    contact = store.add_contact("Li Na", phones=["+8613912345678"])
    assert store.resolve("+86 139-1234-5678")["id"] == contact["id"]


def test_an_ambiguous_cjk_ref_lists_the_candidates(store, book):
    store.add_contact("王伟")
    with pytest.raises(Ambiguous) as err:
        store.resolve("伟")
    message = str(err.value)
    assert "张伟" in message
    assert "王伟" in message
    assert "\n" not in message
    assert sorted(c["name"] for c in err.value.candidates) == ["张伟", "王伟"]


def test_an_ambiguous_latin_ref_lists_the_candidates(store, book):
    with pytest.raises(Ambiguous, match="Anna Smith.*Joanna Brown|Joanna Brown.*Anna Smith"):
        store.resolve("anna")


@pytest.mark.parametrize("ref", ["nobody", "", "   ", "nobody@example.com", "+1 999 999 9999", "99"])
def test_resolve_not_found(store, book, ref):
    with pytest.raises(NotFound):
        store.resolve(ref)


def test_resolve_leaves_out_the_trash_unless_asked(store, book):
    store.trash_contact(book["grace"])
    for ref in (str(book["grace"]), "hopper", "+8613800000000"):
        with pytest.raises(NotFound):
            store.resolve(ref)
        assert store.resolve(ref, include_trash=True)["id"] == book["grace"]


def test_resolve_ignores_a_trashed_namesake(store, book):
    other = store.add_contact("Ada Byron")
    store.trash_contact(other["id"])
    assert store.resolve("ada")["id"] == book["ada"]


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("5000", 500000),
        ("1,250.50", 125050),
        ("0.1", 10),
        ("0.05", 5),
        ("  42 ", 4200),
        ("1_000", 100000),
        ("", 0),
        (None, 0),
        (7, 700),
        (Decimal("19.99"), 1999),
    ],
)
def test_parse_amount_is_exact(text, minor):
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["1.234", "-5", "abc", "nan", "NaN", "inf", "-inf", "Infinity", "5 EUR",
                                  "1e30"])
def test_parse_amount_rejects(text):
    with pytest.raises(InvalidData, match="invalid amount"):
        parse_amount(text)


def test_amounts_add_up_exactly():
    assert parse_amount("0.1") + parse_amount("0.2") == parse_amount("0.3")
    assert format_amount(parse_amount("0.1") + parse_amount("0.2")) == "0.30"


@pytest.mark.parametrize(
    ("minor", "text"),
    [(0, "0.00"), (5, "0.05"), (125050, "1250.50"), (500000, "5000.00"), (-150, "-1.50"),
     (10**17, "1000000000000000.00")],
)
def test_format_amount(minor, text):
    assert format_amount(minor) == text


def test_deal_values_round_trip_exactly(store, ada):
    deals = [store.add_deal(ada["id"], f"d{n}", value=v) for n, v in enumerate(["0.1", "0.2", "1,250.50"])]
    assert [d["value"] for d in deals] == ["0.10", "0.20", "1250.50"]
    assert sum(d["value_minor"] for d in deals) == 125080


# ---------------------------------------------------------------- deals


def test_a_new_deal_starts_open_in_its_stage_with_the_stage_probability(store, ada):
    deal = store.add_deal(ada["id"], "Engine", value="5000", currency="eur", stage="proposal",
                          close_date="2026-04-30", key=True)
    assert {k: deal[k] for k in ("title", "value", "currency", "stage", "probability", "status",
                                 "close_date", "key", "owner", "contact_id")} == {
        "title": "Engine", "value": "5000.00", "currency": "EUR", "stage": "proposal",
        "probability": 50, "status": "open", "close_date": "2026-04-30", "key": True,
        "owner": "tester", "contact_id": ada["id"],
    }
    assert deal["stages"] == [{"stage": "proposal", "entered_at": FIXED_ISO, "user": "tester"}]


def test_deal_moves_record_their_stage_history(store, clock, ada):
    deal = _deal(store, ada)
    clock.tick(days=1)
    store.move_deal(deal["id"], "qualified")
    clock.tick(days=1)
    moved = store.move_deal(deal["id"], "negotiation")
    assert [(s["stage"], s["entered_at"]) for s in moved["stages"]] == [
        ("lead", FIXED_ISO), ("qualified", "2026-03-11T09:00:00Z"), ("negotiation", "2026-03-12T09:00:00Z"),
    ]
    assert (moved["probability"], moved["stage_entered_at"]) == (75, "2026-03-12T09:00:00Z")


def test_a_won_deal_is_closed_at_full_probability(store, ada):
    won = store.move_deal(_deal(store, ada)["id"], "won")
    assert (won["status"], won["stage"], won["probability"], won["closed_at"]) == (
        "won", "won", 100, FIXED_ISO,
    )


def test_a_lost_deal_keeps_its_reason(store, ada):
    lost = store.move_deal(_deal(store, ada)["id"], "lost", reason="  too expensive ")
    assert (lost["status"], lost["probability"], lost["lost_reason"]) == ("lost", 0, "too expensive")


def test_reopening_a_closed_deal_clears_the_close(store, ada):
    deal = _deal(store, ada)
    store.move_deal(deal["id"], "lost", reason="price")
    back = store.move_deal(deal["id"], "proposal")
    assert (back["status"], back["lost_reason"], back["closed_at"]) == ("open", None, None)


@pytest.mark.parametrize("stage", ["lead", "won", "lost"])
def test_moving_a_deal_where_it_already_is_is_a_conflict(store, ada, stage):
    deal = _deal(store, ada)
    if stage != "lead":
        store.move_deal(deal["id"], stage)
    history = count(store, "history")
    with pytest.raises(Conflict, match="already"):
        store.move_deal(deal["id"], stage)
    assert count(store, "history") == history


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stage": "closing"}, "invalid stage"),
        ({"stage": "won"}, "open stage"),
        ({"currency": "EURO"}, "invalid currency"),
        ({"probability": 150}, "invalid probability"),
        ({"close_date": "2026-02-30"}, "invalid date"),
        ({"value": "-1"}, "invalid amount"),
    ],
)
def test_add_deal_rejects_bad_values(store, ada, kwargs, message):
    with pytest.raises(InvalidData, match=message):
        store.add_deal(ada["id"], "X", **kwargs)
    assert count(store, "deal") == 0


def test_a_deal_for_an_unknown_deal_id_is_not_found(store):
    with pytest.raises(NotFound):
        store.get_deal(42)
    with pytest.raises(NotFound):
        store.move_deal(42, "won")


# ---------------------------------------------------------------- forget


def _full_life(store: Store, name: str, email: str) -> int:
    c = store.add_contact(name, emails=[email], tags=["vip"])
    deal = store.add_deal(c["id"], f"{name} deal", value="100")
    store.move_deal(deal["id"], "proposal")
    store.log(c["id"], f"called {name}", deal_id=deal["id"], follow_up=FIXED + timedelta(days=2))
    store.add_reminder(c["id"], FIXED + timedelta(days=5), f"visit {name}")
    store.edit_contact(c["id"], add_tags=["gold"])
    return c["id"]


def test_forget_erases_rows_search_entries_and_history_of_that_contact_only(store):
    ada = _full_life(store, "Ada Lovelace", "ada@example.com")
    bob = _full_life(store, "Bob Smith", "bob@example.com")
    bob_history = store.history(bob)
    bob_snapshot = snapshot(store)
    store.forget_contact(ada)

    for table, column in (("contact", "id"), ("interaction", "contact_id"), ("deal", "contact_id"),
                          ("reminder", "contact_id"), ("contact_key", "contact_id")):
        left = store.conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (ada,)).fetchone()[0]
        assert left == 0, table
    dump = "\n".join(store.conn.iterdump())
    assert "Lovelace" not in dump
    assert "ada@example.com" not in dump
    assert store.search("lovelace") == {"contacts": [], "deals": [], "interactions": []}
    assert {h["contact_id"] for h in store.history()} == {bob}

    assert store.history(bob) == bob_history
    assert names(store.search("bob")["contacts"]) == ["Bob Smith"]
    assert count(store, "interaction") == 1
    for table in ("interaction", "deal", "reminder"):
        assert len(snapshot(store)[table]) == len(bob_snapshot[table]) // 2


def test_undo_after_forget_takes_back_someone_else_s_change(store):
    ada = _full_life(store, "Ada Lovelace", "ada@example.com")
    store.add_contact("Bob Smith")
    store.forget_contact(ada)
    assert store.undo()["command"] == "contact add Bob Smith"
    with pytest.raises(Conflict):
        store.undo()


def test_forget_erases_the_contact_s_done_occurrences_only(store):
    bob = store.add_contact("Bob Smith")
    store.add_deal(bob["id"], "Bob's first deal", value="1")
    bob_deal = store.add_deal(bob["id"], "Bob deal", value="1")
    ada = store.add_contact("Ada Lovelace")
    ada_deal = store.add_deal(ada["id"], "Ada deal", value="1")
    assert bob_deal["id"] == ada["id"] == 2  # the same number for different records
    kept = [f"birthday:{bob['id']}:2026-05-01", f"deal-close:{bob_deal['id']}:2026-04-01",
            f"cadence:{bob['id']}:2026-03-01"]
    erased = [f"birthday:{ada['id']}:2026-05-01", f"deal-close:{ada_deal['id']}:2026-04-01",
              f"cadence:{ada['id']}:2026-03-01", f"anniversary:{ada['id']}:wedding:2026-06-01"]
    for key in kept + erased:
        store.set_occurrence(key, "done")
    store.forget_contact(ada["id"])
    assert sorted(store.occurrences()) == sorted(kept)
    history_keys = {h["after"]["key"] for h in store.history(limit=100) if h["table"] == "occurrence"}
    assert history_keys == set(kept)


def test_forget_reaches_into_the_trash(store, ada):
    store.trash_contact(ada["id"])
    store.forget_contact(ada["id"])
    with pytest.raises(NotFound):
        store.get_contact(ada["id"], include_trash=True)


# ---------------------------------------------------------------- listing


@pytest.fixture
def listed(store, clock) -> dict[str, int]:
    ids = {}
    for name, days_ago in (("Carol", 3), ("alice", None), ("Bob", 1), ("dave", 10)):
        ids[name] = store.add_contact(name)["id"]
        if days_ago is not None:
            store.log(ids[name], "hi", at=FIXED - timedelta(days=days_ago))
        clock.tick(minutes=1)
    return ids


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["alice", "Bob", "Carol", "dave"]),
        ("-name", ["dave", "Carol", "Bob", "alice"]),
        ("created", ["Carol", "alice", "Bob", "dave"]),
        ("-created", ["dave", "Bob", "alice", "Carol"]),
        ("last", ["dave", "Carol", "Bob", "alice"]),
        ("-last", ["Bob", "Carol", "dave", "alice"]),  # never contacted: last either way
        ("id", ["Carol", "alice", "Bob", "dave"]),
    ],
)
def test_list_contacts_sorts(store, listed, sort, order):
    assert names(store.list_contacts(sort=sort)) == order


def test_list_contacts_pages(store, listed):
    pages = [names(store.list_contacts(limit=2, offset=n)) for n in (0, 2, 4)]
    assert pages == [["alice", "Bob"], ["Carol", "dave"], []]


def test_list_contacts_rejects_an_unknown_sort(store, listed):
    with pytest.raises(InvalidData, match="invalid sort 'shoe'"):
        store.list_contacts(sort="shoe")


def test_list_contacts_leaves_out_the_trash(store, listed):
    store.trash_contact(listed["Bob"])
    assert "Bob" not in names(store.list_contacts())
    assert names(store.list_contacts("is:trash")) == ["Bob"]
    assert store.count_contacts() == 3


# ---------------------------------------------------------------- search


def test_search_finds_contacts_deals_and_interactions(store, ada):
    store.add_deal(ada["id"], "Analytical engine", value="1")
    store.log(ada["id"], "talked about the engine design")
    found = store.search("engine")
    assert names(found["contacts"]) == []
    assert [d["title"] for d in found["deals"]] == ["Analytical engine"]
    assert [i["summary"] for i in found["interactions"]] == ["talked about the engine design"]
    assert names(store.search("ada")["contacts"]) == ["Ada Lovelace"]
    assert names(store.search("example.com")["contacts"]) == ["Ada Lovelace"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("张伟", ["张伟", "张伟明"]),
        ("王伟", ["王伟"]),
        ("伟明", ["张伟明"]),
        ("伟", ["张伟", "张伟明", "王伟"]),
        ("zw", ["张伟", "张伟明"]),  # pinyin initials match as a prefix: zw, zwm
        ("zhangweiming", ["张伟明"]),
        ("佛山", ["王伟"]),
    ],
)
def test_search_finds_chinese_substrings(store, text, found):
    store.add_contact("张伟")
    store.add_contact("王伟", org="佛山企业电子有限公司")
    store.add_contact("张伟明")
    assert sorted(names(store.search(text)["contacts"])) == sorted(found)


def test_search_finds_chinese_interactions(store, ada):
    store.log(ada["id"], "讨论了电子元件采购")
    assert len(store.search("元件")["interactions"]) == 1
    assert store.search("件元")["interactions"] == []


def test_search_leaves_out_the_trash(store, ada):
    store.trash_contact(ada["id"])
    assert store.search("ada")["contacts"] == []


def test_search_needs_a_text(store):
    with pytest.raises(InvalidData):
        store.search("  ")


# ---------------------------------------------------------------- contacts and logging


def test_add_contact_normalises_its_lists(store):
    c = store.add_contact(" Ada ", emails=["a@x.com", "A@X.com"], phones=["+1 555 0100", "+15550100"],
                          tags=["#vip", "VIP", "gold"], fields={"source": "web"})
    assert (c["name"], c["emails"], c["phones"], c["tags"], c["fields"]) == (
        "Ada", ["a@x.com"], ["+1 555 0100"], ["vip", "gold"], {"source": "web"},
    )
    assert (c["owner"], c["created_at"], c["updated_at"], c["last_contacted_at"]) == (
        "tester", FIXED_ISO, FIXED_ISO, None,
    )


def test_log_sets_last_contacted_to_the_newest_interaction(store, ada):
    store.log(ada["id"], "later", at=FIXED)
    store.log(ada["id"], "back-dated", at=FIXED - timedelta(days=30))
    assert store.get_contact(ada["id"])["last_contacted_at"] == FIXED_ISO


def test_log_with_a_follow_up_adds_a_reminder(store, ada):
    rec = store.log(ada["id"], "sent proposal", kind="email", follow_up=FIXED + timedelta(days=3))
    reminder = rec["follow_up"]
    assert (reminder["source"], reminder["due"], reminder["contact_id"], reminder["interaction_id"]) == (
        "follow-up", "2026-03-13T09:00:00Z", ada["id"], rec["id"],
    )


def test_log_with_a_deal_of_another_contact_is_refused(store, ada):
    bob = store.add_contact("Bob")
    deal = store.add_deal(bob["id"], "B", value="1")
    with pytest.raises(InvalidData, match="another contact"):
        store.log(ada["id"], "x", deal_id=deal["id"])


def test_log_on_a_trashed_contact_is_not_found(store, ada):
    store.trash_contact(ada["id"])
    with pytest.raises(NotFound):
        store.log(ada["id"], "x")


def test_restore_of_a_contact_not_in_the_trash_is_a_conflict(store, ada):
    with pytest.raises(Conflict):
        store.restore_contact(ada["id"])


# ---------------------------------------------------------------- concurrency


def test_two_connections_writing_at_once_lose_nothing(db_path, clock, store, ada):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Store.open(db_path, f"user{n}", clock=clock) as st:
                for i in range(50):
                    st.log(ada["id"], f"call {n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_interactions(ada["id"]) == 100
    assert len({h["txid"] for h in store.history(limit=1000)}) == 101  # each write its own txid


def test_undo_of_done_after_snooze_puts_the_snooze_back(store):
    key = "birthday:1:2026-11-22"
    store.set_occurrence(key, "snoozed", FIXED)
    store.set_occurrence(key, "done")
    assert store.occurrences()[key]["state"] == "done"
    store.undo()
    assert store.occurrences()[key] == {"state": "snoozed", "until": utc_iso(FIXED)}
    store.undo()
    assert key not in store.occurrences()


def test_an_older_file_is_backed_up_then_migrated(tmp_path, monkeypatch):
    import tinycrm.store.connection as store_module

    path = tmp_path / "old.db"
    with Store.open(path, "tester", clock=lambda: FIXED) as old:
        old.add_contact("Ada Lovelace")
    newer = [*store_module.MIGRATIONS, ["ALTER TABLE contact ADD COLUMN nickname TEXT"]]
    monkeypatch.setattr(store_module, "MIGRATIONS", newer)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(newer))
    tables = dict(store_module.TABLES)
    tables[len(newer)] = tables[len(newer) - 1]
    monkeypatch.setattr(store_module, "TABLES", tables)
    with Store.open(path, "tester", clock=lambda: FIXED) as new:
        assert new.schema_version() == len(newer)
        assert new.resolve("ada")["name"] == "Ada Lovelace"
        new.conn.execute("SELECT nickname FROM contact").fetchall()
    backup = tmp_path / f"old.db.v{len(newer) - 1}.bak"
    assert backup.exists()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(newer) - 1
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Ada Lovelace",)]


def test_records_carry_the_contract_keys_first_in_their_order(store):
    """tinycrm.models defines the scripting contract's keys once; every record leads with them."""
    from tinycrm import models

    ada = store.add_contact("Ada Lovelace")
    records = {
        "contact": ada,
        "interaction": store.log(ada["id"], "hello", follow_up=FIXED),
        "deal": store.add_deal(ada["id"], "Audit"),
        "reminder": store.list_reminders()[0],
    }
    for kind, record in records.items():
        assert list(record)[: len(models.KEYS[kind])] == list(models.KEYS[kind]), kind
