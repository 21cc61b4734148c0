"""A small team on one file: claim and release, the pool's rule (warning, return, cool-down,
claim limit), hand-over as one undo step, targets and attainment computed by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tinycrm.errors import Conflict, InvalidData
from tinycrm.services import team
from tinycrm.store import Store

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def book(tmp_path: Path):
    clock = Clock()
    db = tmp_path / "crm.db"
    stores = {u: Store.open(db, u, clock=clock) for u in ("alice", "bob", "carol")}
    yield stores, clock
    for store in stores.values():
        store.close()


def test_claim_and_release_move_a_customer_through_the_pool(book) -> None:
    (s, clock) = book
    s["alice"].add_contact("Ada Lovelace", owner="")
    assert [c["name"] for c in s["bob"].pool()] == ["Ada Lovelace"]
    assert team.claim(s["bob"], "ada", now_local=clock.now)["owner"] == "bob"
    with pytest.raises(Conflict, match="belongs to bob"):
        team.claim(s["carol"], "ada", now_local=clock.now)
    with pytest.raises(Conflict, match="belongs to bob, not to you \\(carol\\)"):
        team.release(s["carol"], "ada")
    assert team.release(s["bob"], "ada")["owner"] is None
    assert [c["name"] for c in s["alice"].list_contacts("owner:me")] == []
    history = s["alice"].history(1)
    assert [h["command"] for h in history[:2]] == [
        "contact release Ada Lovelace", "contact claim Ada Lovelace",
    ]


def test_an_idle_customer_returns_on_the_right_day_with_a_warning_before(book) -> None:
    (s, clock) = book
    team.set_rule(s["alice"], days=30, warn=5)
    ada = s["alice"].add_contact("Ada Lovelace")  # alice owns her from T0
    s["alice"].log(ada["id"], "kick-off")
    s["bob"].log(ada["id"], "bob's call does not count for alice")
    clock.now = T0 + timedelta(days=24)
    assert team.warnings(s["alice"], now_local=clock.now) == []
    clock.now = T0 + timedelta(days=25)
    (warning,) = team.warnings(s["alice"], now_local=clock.now, user="alice")
    assert warning["returns_at"] == "2026-12-01T09:00:00Z"
    assert team.apply_rule(s["alice"], now_local=clock.now) == []
    clock.now = T0 + timedelta(days=30)
    (moved,) = team.apply_rule(s["carol"], now_local=clock.now)
    assert moved["owner"] == "alice"
    assert s["alice"].get_contact(ada["id"])["owner"] is None


def test_per_tier_days_cool_down_and_claim_limit(book) -> None:
    (s, clock) = book
    team.set_rule(s["alice"], days=60, cooldown=7, max_claims=2)
    team.set_rule(s["alice"], tier="A", days=10)
    a = s["alice"].add_contact("Key Customer", tier="A")
    b = s["alice"].add_contact("Other Customer")
    clock.now = T0 + timedelta(days=10)
    assert [m["id"] for m in team.apply_rule(s["alice"], now_local=clock.now)] == [a["id"]]
    assert s["alice"].get_contact(b["id"])["owner"] == "alice"
    with pytest.raises(Conflict, match="cool-down 7 days"):
        team.claim(s["alice"], str(a["id"]), now_local=clock.now)
    clock.now += timedelta(days=7)
    assert team.claim(s["alice"], str(a["id"]), now_local=clock.now)["owner"] == "alice"
    for name in ("P1", "P2", "P3"):
        s["carol"].add_contact(name, owner="")
    team.claim(s["bob"], "P1", now_local=clock.now)
    team.claim(s["bob"], "P2", now_local=clock.now)
    with pytest.raises(Conflict, match="claimed 2 customers today"):
        team.claim(s["bob"], "P3", now_local=clock.now)
    clock.now += timedelta(days=1)
    assert team.claim(s["bob"], "P3", now_local=clock.now)["owner"] == "bob"


def test_hand_over_moves_customers_open_deals_and_reminders_as_one_undo_step(book) -> None:
    (s, clock) = book
    ada = s["alice"].add_contact("Ada Lovelace", tags=["vip"])
    grace = s["alice"].add_contact("Grace Hopper")
    s["bob"].add_contact("Bob's own")
    won = s["alice"].add_deal(ada["id"], "Old deal")
    s["alice"].move_deal(won["id"], "won")
    s["alice"].add_deal(ada["id"], "Open deal")
    s["alice"].add_reminder(grace["id"], T0 + timedelta(days=1), "call")
    moved = team.reassign(s["carol"], "alice", "bob")
    assert moved["names"] == ["Ada Lovelace", "Grace Hopper"]
    assert len(moved["deals"]) == 1
    assert len(moved["reminders"]) == 1
    owners = {d["title"]: d["owner"] for d in s["bob"].list_deals()}
    assert owners == {"Open deal": "bob", "Old deal": "alice"}
    mine = {c["name"] for c in s["bob"].list_contacts("owner:me")}
    assert mine == {"Ada Lovelace", "Grace Hopper", "Bob's own"}
    s["carol"].undo()
    assert {c["name"] for c in s["alice"].list_contacts("owner:me")} == {"Ada Lovelace", "Grace Hopper"}
    assert s["alice"].list_reminders()[0]["owner"] == "alice"


def test_targets_and_attainment_by_hand(book) -> None:
    (s, clock) = book
    clock.now = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    now = clock.now
    team.set_target(s["alice"], "alice", "2026-12", "10000", "EUR", now_local=now)
    team.set_target(s["alice"], "bob", "2026-12", "4000", "EUR", now_local=now)
    team.set_target(s["alice"], "bob", "2026-12", "500000", "JPY", now_local=now)
    ada = s["alice"].add_contact("Ada")
    for title, value, cur, who in (("A1", "2500", "EUR", "alice"), ("A2", "1250.50", "EUR", "alice"),
                                   ("B1", "4400", "EUR", "bob"), ("B2", "125000", "JPY", "bob")):
        deal = s[who].add_deal(ada["id"], title, value=value, currency=cur, owner=who)
        s[who].move_deal(deal["id"], "won")
    lost = s["bob"].add_deal(ada["id"], "lost one", value="999", currency="EUR", owner="bob")
    s["bob"].move_deal(lost["id"], "lost")
    report = team.attainment(s["carol"], "2026-12", now_local=now)
    people = {(r["user"], r["currency"]): (r["won"], r["target"], r["percent"]) for r in report["people"]}
    assert people == {
        ("alice", "EUR"): ("3750.50", "10000.00", 37.5),
        ("bob", "EUR"): ("4400.00", "4000.00", 110.0),
        ("bob", "JPY"): ("125000", "500000", 25.0),
    }
    assert report["team"] == [
        {"currency": "EUR", "won": "8150.50", "target": "14000.00", "percent": 58.2},
        {"currency": "JPY", "won": "125000", "target": "500000", "percent": 25.0},
    ]
    assert team.attainment(s["carol"], "2026-Q4", now_local=now)["people"][0]["target"] is None
    with pytest.raises(InvalidData, match="invalid period"):
        team.period_bounds("2026-13", now)


def test_owner_none_is_the_pool_in_every_filter(book) -> None:
    (s, clock) = book
    s["alice"].add_contact("Mine")
    s["alice"].add_contact("Pooled", owner="")
    assert [c["name"] for c in s["bob"].list_contacts("owner:none")] == ["Pooled"]
    assert [c["name"] for c in s["alice"].list_contacts("owner:me")] == ["Mine"]
    assert [c["name"] for c in s["alice"].list_contacts("-owner:none")] == ["Mine"]
