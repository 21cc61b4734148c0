"""The shortcuts the reports take on a big book give the figures of the long way: `rfm` listing
a segment's first few customers (ties put in name order by SQLite) and `activity --by owner`
when one person logged every interaction of the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
import test_report_commands as _same
from test_report_commands import NOW, Clock

from tinycrm import reports
from tinycrm.store import Store

clock, store = _same.clock, _same.store  # the same book and clock as the report commands' tests


@pytest.fixture
def customers(store: Store, clock: Clock) -> None:
    """24 customers, many with the same scores, names out of id order, two owners, rises and falls."""
    names = ["Zoe", "Yan", "Xia", "Wu", "Vera", "Uma", "Tom", "Sam", "Rui", "Quinn", "Pia", "Oli",
             "Ned", "Mia", "Leo", "Kai", "Jo", "Ivy", "Hal", "Gus", "Fay", "Eve", "Dan", "Cy"]  # fmt: skip
    for n, name in enumerate(names):
        cid = store.add_contact(name, owner="ann" if n % 3 else "ben")["id"]
        for k in range(1 + n % 3):  # 1–3 won deals, some long ago, some in this period
            clock.at = NOW - timedelta(days=(n % 4) * 70 + k * 40 + 1)
            value, currency = str(100 * (1 + n % 2)), "USD" if n % 5 else "EUR"
            deal = store.add_deal(cid, f"d{k}", value=value, currency=currency)
            store.move_deal(deal["id"], "won")
    clock.at = NOW


def _trim(report: dict, listed: int) -> dict:
    """A report listing every customer, cut to the first `listed` of each segment."""
    for part in [report, *report["groups"]]:
        for seg in part["segments"]:
            seg["customers"] = seg["customers"][:listed]
    return report


@pytest.mark.parametrize("by", [None, "owner"])
@pytest.mark.parametrize(("listed", "top"), [(1, 1), (2, 1), (3, 2), (30, 10)])
def test_rfm_listing_the_first_customers_gives_the_full_reports_first_ones(
    store: Store, customers: None, by: str | None, listed: int, top: int
) -> None:
    full = reports.rfm(store, NOW, by=by, top=top)
    assert sum(s["count"] for s in full["segments"]) == 24
    assert any(len({c["score"] for c in s["customers"]}) < s["count"] for s in full["segments"])  # ties
    assert reports.rfm(store, NOW, by=by, top=top, listed=listed) == _trim(full, listed)


def test_rfm_ties_are_listed_by_name(store: Store, customers: None) -> None:
    full = reports.rfm(store, NOW)
    for seg in full["segments"]:
        keys = [(-(c["r"] + c["f"] + c["m"]), c["name"], c["id"]) for c in seg["customers"]]
        assert keys == sorted(keys)
    ups = full["changes"]["USD"]["up"]
    assert [(-m["change"], m["name"]) for m in ups] == sorted((-m["change"], m["name"]) for m in ups)


@pytest.mark.parametrize(
    ("owners", "other", "found"),
    [
        (["ann"], None, ["ann"]),
        ([None], None, [None]),
        (["ann", None], None, [None, "ann"]),
        (["ben", "ann", "cy"], None, ["ann", "ben"]),
        (["ann"], "zed", ["ann", "zed"]),  # a contact with no won deal still counts
    ],
)
def test_rfm_by_owner_groups_each_owners_customers_however_many_owners_the_book_has(
    store: Store, clock: Clock, owners: list[str | None], other: str | None, found: list[str | None]
) -> None:
    from tinycrm.store import reports as sql

    for n in range(12):
        cid = store.add_contact(f"C{n:02}", owner=owners[n % len(owners)])["id"]
        clock.at = NOW - timedelta(days=n * 9 + 1)
        store.move_deal(store.add_deal(cid, "d", value=str(100 + n), currency="USD")["id"], "won")
    if other:
        store.add_contact("Prospect", owner=other)
    gone = store.add_contact("Gone", owner=owners[0])["id"]
    store.move_deal(store.add_deal(gone, "d", value="5", currency="USD")["id"], "won")
    store.trash_contact(gone)
    clock.at = NOW
    assert sql.contact_owners(store) == found
    full = reports.rfm(store, NOW, by="owner")
    listed = reports.rfm(store, NOW, by="owner", listed=2)
    assert listed == _trim(full, 2)
    assert [g["owner"] for g in full["groups"]] == sorted(set(owners), key=lambda o: (o is None, o or ""))
    for group in full["groups"]:
        assert all(c["owner"] == group["owner"] for s in group["segments"] for c in s["customers"])
        assert group["customers"] == sum(o == group["owner"] for o in (owners * 12)[:12])


def test_activity_by_owner_with_one_person_gives_the_whole_books_figures(store: Store, clock: Clock) -> None:
    ada = store.add_contact("Ada")["id"]
    bob = store.add_contact("Bob")["id"]
    gone = store.add_contact("Gone")["id"]
    for days, who, kind in [(1, ada, "call"), (2, ada, "email"), (9, bob, "call"), (15, bob, "meeting"),
                            (3, gone, "call")]:  # fmt: skip
        store.log(who, "hello", kind=kind, at=NOW - timedelta(days=days))
    store.trash_contact(gone)
    whole = reports.activity(store, NOW, periods=3)
    grouped = reports.activity(store, NOW, periods=3, by="owner")
    assert [g["owner"] for g in grouped["groups"]] == ["tester"]
    mine = grouped["groups"][0]
    for key in ("periods", "interactions", "kinds", "contacts_touched"):
        assert mine[key] == whole[key] == grouped[key]
    assert whole["kinds"] == {"call": 2, "email": 1, "meeting": 1}
    assert whole["contacts_touched"] == 2


def test_activity_by_owner_with_two_people_keeps_them_apart(store: Store, tmp_path) -> None:
    ada = store.add_contact("Ada")["id"]
    store.log(ada, "mine", kind="call", at=NOW - timedelta(days=1))
    with Store.open(tmp_path / "t.db", "zed", clock=lambda: NOW) as other:
        other.log(ada, "theirs", kind="email", at=NOW - timedelta(days=2))
        other.log(ada, "again", kind="call", at=NOW - timedelta(days=3))
    grouped = reports.activity(store, NOW, periods=1, by="owner")
    assert [(g["owner"], g["kinds"], g["contacts_touched"]) for g in grouped["groups"]] == [
        ("tester", {"call": 1}, 1), ("zed", {"call": 1, "email": 1}, 1),
    ]  # fmt: skip
    assert (grouped["kinds"], grouped["contacts_touched"]) == ({"call": 2, "email": 1}, 1)


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_rfm_limit_lists_that_many_per_segment_in_json_and_names_them_in_the_table(
    store: Store,
    customers: None,
    limit: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`report rfm --json --limit N` is a page: each segment's first N customers, its count still all."""
    import json

    from tinycrm.cli.dispatch import main

    full = reports.jsonable(reports.rfm(store, NOW))
    store.close()
    monkeypatch.setenv("TINYCRM_DB", str(store.path))
    monkeypatch.setenv("TINYCRM_NOW", NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))
    monkeypatch.setenv("TZ", "UTC")
    capsys.readouterr()
    assert main(["report", "rfm", "--json", "--limit", str(limit)]) == 0
    assert json.loads(capsys.readouterr().out) == _trim(full, limit)
    assert main(["report", "rfm", "--limit", str(limit)]) == 0
    table = capsys.readouterr().out
    for seg in full["segments"]:
        named = [c["name"] for c in seg["customers"][:limit]]
        more = seg["count"] - len(named)
        assert ", ".join(named) + (f" and {more} more" if more > 0 else "") in table
