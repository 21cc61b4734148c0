"""import and export as a user moves in and out: one change, nobody twice, nothing dropped."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.errors import BadRow, InvalidData
from tinycrm.services.transfer import export_book, import_book, import_contacts, read_source
from tinycrm.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "crm.db", "tester", clock=lambda: NOW) as opened:
        yield opened


def _read(name: str) -> list:
    return list(read_source(str(FIXTURES / name), data=None, format=None, mapping=None))


def _import(store: Store, name: str, **kw):
    return import_contacts(store, _read(name), **kw)


@pytest.mark.parametrize(
    "name",
    ["google_new.csv", "google_old.csv", "outlook.csv", "thunderbird.csv", "hubspot.csv",
     "chinese_gb18030.csv", "apple_ios.vcf", "android_21.vcf", "rfc6350.vcf", "corrupt_photo.vcf", "vdir"],
)
def test_every_exporter_shape_imports_and_reimporting_adds_nobody(store: Store, name: str) -> None:
    first = _import(store, name, skip_errors=True)
    created = first.counts()["create"]
    assert created >= 1
    assert store.count_contacts() == created
    again = _import(store, name, skip_errors=True)
    assert again.counts()["create"] == 0
    assert store.count_contacts() == created
    assert store.check() == []


def test_a_dry_run_says_per_row_what_would_happen_and_writes_nothing(store: Store) -> None:
    store.add_contact("Grace Hopper", emails=["grace@example.mil"])
    result = _import(store, "google_new.csv", dry_run=True)
    actions = {o.name: o.action for o in result.outcomes}
    assert actions["Grace Brewster Hopper"] == "update"
    (why,) = [o.why for o in result.outcomes if o.action == "update"]
    assert "same e-mail grace@example.mil as #1" in why
    assert store.count_contacts() == 1
    assert store.history()[0]["command"] == "contact add Grace Hopper"


def test_an_import_is_one_undo_step(store: Store) -> None:
    _import(store, "thunderbird.csv")
    assert store.count_contacts() > 0
    store.undo()
    assert store.count_contacts() == 0


def test_a_bad_row_aborts_everything_with_its_line_unless_skip_errors(store: Store) -> None:
    items = _read("chinese_gb18030.csv")
    bad = [i.line for i in items if isinstance(i, BadRow)]
    assert bad == [5]
    with pytest.raises(InvalidData, match="line 5: no name"):
        import_contacts(store, items)
    assert store.count_contacts() == 0
    result = import_contacts(store, items, skip_errors=True)
    good = len(items) - 1
    assert result.counts() == {"create": good, "update": 0, "skip": 0, "reject": 1}
    assert [r.line for r in result.rejects] == [5]
    assert store.count_contacts() == good


def test_on_duplicate_skip_and_new(store: Store) -> None:
    store.add_contact("Linus Torvalds", emails=["linus@example.org"])
    assert _import(store, "thunderbird.csv", on_duplicate="skip").counts()["update"] == 0
    assert store.get_contact(1)["emails"] == ["linus@example.org"]
    before = store.count_contacts()
    _import(store, "thunderbird.csv", on_duplicate="new")
    assert store.count_contacts() > before


def test_merging_into_an_existing_contact_keeps_what_it_had(store: Store) -> None:
    store.add_contact("Grace", emails=["grace@example.mil"], notes="met at the conference", tags=["vip"])
    _import(store, "google_new.csv")
    grace = store.resolve("grace@example.mil")
    assert grace["name"] == "Grace"  # the book's own name wins
    assert "vip" in grace["tags"]
    assert grace["notes"].startswith("met at the conference")
    assert "+1 202 555 0100" in grace["phones"]


def test_a_json_book_round_trips_everything(store: Store, tmp_path: Path) -> None:
    ada = store.add_contact("Ada Lovelace", emails=["ada@example.com"], tags=["vip"], birthday="--12-10",
                            anniversaries=[{"label": "wedding", "date": "1835-07-08"}], fields={"x": "1"},
                            every="30d", notes="first programmer")
    org = store.add_contact("Analytical Engines", kind="org")
    store.log(ada["id"], "called about the engine", kind="call", at=NOW - timedelta(days=3),
              follow_up=NOW + timedelta(days=2))
    deal = store.add_deal(ada["id"], "Engine", value="1234.50", currency="GBP", close_date="2026-12-31",
                          key=True)
    store.move_deal(deal["id"], "proposal")
    store.add_reminder(ada["id"], NOW + timedelta(days=5), "send notes", every="monthly")
    book = export_book(store, "", now=NOW)
    data = json.dumps(book).encode()
    with Store.open(tmp_path / "empty.db", "tester", clock=lambda: NOW) as empty:
        result = import_book(empty, data)
        assert result.counts()["create"] == 2
        again = export_book(empty, "", now=NOW)

    def same(doc: dict) -> dict:
        def clean(rec: dict) -> dict:
            return {k: v for k, v in rec.items() if k not in ("id", "updated_at", "created_at", "contact_id",
                                                             "deal_id", "interaction_id", "last_contacted_at",
                                                             "next_touch_at", "org_id")}
        keys = ("contacts", "interactions", "deals", "reminders")
        return {key: [clean(r) for r in doc[key]] for key in keys}

    assert same(again) == same(book)
    assert org["name"] in [c["name"] for c in again["contacts"]]
    assert again["deals"][0]["stages"][-1]["stage"] == "proposal"
    with Store.open(tmp_path / "empty.db", "tester", clock=lambda: NOW) as empty:
        assert import_book(empty, data).counts()["create"] == 0  # the same book again adds nobody


def test_stdin_and_a_vdir_as_sources(store: Store, tmp_path: Path) -> None:
    data = (FIXTURES / "rfc6350.vcf").read_bytes()
    result = import_contacts(store, read_source("-", data=data, format=None, mapping=None))
    assert result.counts()["create"] >= 1
    vdir = tmp_path / "contacts"
    shutil.copytree(FIXTURES / "vdir", vdir)
    first = import_contacts(store, read_source(str(vdir), data=None, format=None, mapping=None))
    assert first.counts()["create"] >= 1
    again = import_contacts(store, read_source(str(vdir), data=None, format=None, mapping=None))
    assert again.counts()["create"] == 0
