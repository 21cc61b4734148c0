"""Health scores, tier rules and the terminal charts, each figure worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tinycrm import charts, tiers
from tinycrm.errors import FilterError, InvalidData, NotFound
from tinycrm.health import HealthFacts, health_score
from tinycrm.store import Store
from tinycrm.store import health as store_health
from tinycrm.store import tiers as store_tiers
from tinycrm.tiers import TierChange, TierRule

NOW = datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


class Clock:
    def __init__(self, when: datetime) -> None:
        self.at = when

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(tmp_path, clock: Clock):
    s = Store.open(tmp_path / "t.db", "tester", clock=clock)
    yield s
    s.close()


# ---------------------------------------------------------------- health


def facts(
    last: float | None = None, cadence: float | None = None, created: float = 10, **counts: int
) -> HealthFacts:
    """Facts of a contact: days since its last interaction and its cadence in days."""
    base = days_ago(last if last is not None else created)
    return HealthFacts(
        1,
        int(days_ago(created).timestamp()),
        int(days_ago(last).timestamp()) if last is not None else None,
        int((base + timedelta(days=cadence)).timestamp()) if cadence else None,
        **counts,
    )


@pytest.mark.parametrize(
    ("case", "points", "score"),
    [
        # new, never contacted, nothing open: full recency, no activity
        (facts(), {"recency": 50, "followups": 20, "deals": 15, "activity": 0}, 85),
        # two cadences since the last call: 50 × (90 − 60) / 60 = 25; one overdue, one of two deals stuck
        (
            facts(60, 30, overdue=1, open_deals=2, stale_deals=1),
            {"recency": 25, "followups": 10, "deals": 7, "activity": 0},
            42,
        ),
        # no cadence: 90 days; 100 days: 50 × (270 − 100) // 180 = 47; floors at zero
        (
            facts(100, overdue=3, open_deals=2, stale_deals=2),
            {"recency": 47, "followups": 0, "deals": 0, "activity": 0},
            47,
        ),
        # three cadences or more: nothing for recency
        (facts(200, 30), {"recency": 0, "followups": 20, "deals": 15, "activity": 0}, 35),
        (facts(1, 30, recent=1), {"recency": 50, "followups": 20, "deals": 15, "activity": 8}, 93),
        (facts(1, 30, recent=2), {"recency": 50, "followups": 20, "deals": 15, "activity": 12}, 97),
        (
            facts(1, 30, recent=7, open_deals=1),
            {"recency": 50, "followups": 20, "deals": 15, "activity": 15},
            100,
        ),
    ],
)
def test_health_score_adds_up_its_factors(case: HealthFacts, points: dict, score: int) -> None:
    health = health_score(case, NOW)
    assert {r["factor"]: r["points"] for r in health.reasons} == points
    assert health.score == score
    assert 0 <= health.score <= 100


def test_health_reasons_say_why_in_words() -> None:
    reasons = health_score(
        facts(60, 30, overdue=2, open_deals=3, stale_deals=1, recent=1), NOW
    ).reasons
    assert [r["why"] for r in reasons] == [
        "last contact 60 days ago, cadence 30 days",
        "2 overdue follow-ups",
        "1 of 3 open deals stuck in their stage",
        "1 interaction in the last 30 days",
    ]


def test_health_from_the_store_counts_overdue_stale_and_recent(store: Store, clock: Clock) -> None:
    clock.at = days_ago(200)
    ada = store.add_contact("Ada", every="30d")["id"]
    quiet = store.add_contact("Quiet")["id"]
    clock.at = days_ago(30)
    store.add_deal(ada, "stuck", value=10, stage="proposal")  # proposal allows 14 days
    clock.at = days_ago(1)
    store.add_deal(ada, "fresh", value=10, stage="proposal")
    store.log(ada, "called", at=days_ago(40))
    store.log(ada, "wrote", at=days_ago(20))
    store.add_reminder(ada, days_ago(3), "overdue")
    store.add_reminder(ada, NOW + timedelta(days=3), "not yet")
    clock.at = NOW
    health = store_health.contact_health(store, ada, NOW)
    # last contact 20 days ago within 30: 50; 1 overdue: 10; 1 of 2 stuck: 7; 1 recent: 8
    assert {r["factor"]: r["points"] for r in health.reasons} == {
        "recency": 50,
        "followups": 10,
        "deals": 7,
        "activity": 8,
    }
    assert health.score == 75
    # quiet: added 200 days ago, no cadence (90): 50 × (270 − 200) // 180 = 19, then 20 + 15 + 0
    assert store_health.healths(store, NOW)[quiet].score == 54
    scores = {cid: h.score for cid, h in store_health.healths(store, NOW).items()}
    assert store_health.health_scores(store, NOW) == scores
    with pytest.raises(NotFound):
        store_health.contact_health(store, 999, NOW)


def test_recompute_health_stores_the_scores_a_health_filter_reads(store: Store, clock: Clock) -> None:
    clock.at = days_ago(400)
    old = store.add_contact("Old")["id"]  # the unit of work scores it as it commits: 85 then
    clock.at = NOW
    new = store.add_contact("New")["id"]
    assert store_health.recompute_health(store, NOW) == 1  # only Old has decayed since
    rows = dict(store.conn.execute("SELECT id, health FROM contact").fetchall())
    assert rows == {old: 35, new: 85}
    assert store.conn.execute("SELECT id FROM contact WHERE health < 40").fetchall() == [(old,)]
    assert store_health.recompute_health(store, NOW) == 0  # unchanged: nothing written
    assert store.setting("health:computed_at") == "2026-05-14T10:00:00Z"
    store.add_reminder(new, NOW - timedelta(days=2), "overdue")  # the write rescores its contact
    assert store_health.recompute_health(store, NOW + timedelta(hours=1), [new]) == 0
    assert store.conn.execute("SELECT health FROM contact WHERE id = ?", (new,)).fetchone() == (75,)
    assert store.setting("health:computed_at") == "2026-05-14T10:00:00Z"  # everyone's: unchanged


# ---------------------------------------------------------------- tiers (pure)

A, B = TierRule("A", "won>=1000"), TierRule("B", "deals>=1")


@pytest.mark.parametrize(
    ("rules", "name", "text", "position", "expected"),
    [
        ([], "A", "won>=1000", None, [A]),
        ([A], "B", "deals>=1", None, [A, B]),
        ([A, B], "B", "deals>=2", 1, [TierRule("B", "deals>=2"), A]),
        ([A, B], "a", "won>=5", None, [TierRule("a", "won>=5"), B]),  # names compare without case
        ([A], "C", "tag:x", 9, [A, TierRule("C", "tag:x")]),
    ],
)
def test_tier_rules_keep_their_order(
    rules: list, name: str, text: str, position: int | None, expected: list
) -> None:
    assert tiers.set_rule(rules, name, text, position=position) == expected


@pytest.mark.parametrize("name", ["", "two words", "a:b", '"q"', "OR", "x" * 33])
def test_tier_names_must_be_one_filterable_word(name: str) -> None:
    with pytest.raises(InvalidData):
        tiers.set_rule([], name, "tag:x")


def test_tier_needs_a_filter_and_removing_an_unknown_one_fails() -> None:
    with pytest.raises(InvalidData):
        tiers.set_rule([], "A", "  ")
    with pytest.raises(NotFound):
        tiers.remove_rule([A], "Z")
    assert tiers.remove_rule([A, B], "a") == [B]


def test_first_match_and_changes() -> None:
    assert tiers.first_match([False, True, True], [A, B, TierRule("C", "x")]) == "B"
    assert tiers.first_match([False, False], [A, B]) is None
    assert tiers.changes({1: "A", 2: None, 3: "B"}, {1: "A", 2: "B", 3: None}) == [
        TierChange(2, None, "B"),
        TierChange(3, "B", None),
    ]


def test_rules_round_trip_through_json() -> None:
    rules = [TierRule("金牌", "won>=50000 OR deals>=5"), B]
    assert tiers.from_json(tiers.to_json(rules)) == rules
    assert tiers.from_json(None) == []


# ---------------------------------------------------------------- tiers (store)


@pytest.fixture
def book(store: Store) -> dict[str, int]:
    ids = {n: store.add_contact(n)["id"] for n in ("Big", "Small", "None", "Hand")}
    store.move_deal(store.add_deal(ids["Big"], "x", value=5000)["id"], "won")
    store.add_deal(ids["Small"], "y", value=10)
    store.edit_contact(ids["Hand"], tier="Z")
    return ids


def test_tier_apply_gives_each_contact_the_first_rule_it_matches(store: Store, book: dict) -> None:
    store_tiers.set_tier(store, "B", "deals>=1")
    store_tiers.set_tier(store, "A", "won>=1000", position=1)
    assert [r.name for r in store_tiers.tier_rules(store)] == ["A", "B"]
    changed = store_tiers.apply_tiers(store)
    assert changed == [
        TierChange(book["Big"], None, "A"),
        TierChange(book["Small"], None, "B"),
        TierChange(book["Hand"], "Z", None),
    ]
    assert store.count_contacts("tier:A") == 1
    assert store_tiers.apply_tiers(store) == []  # nothing left to change


def test_tier_apply_is_in_history_and_one_undo_step(store: Store, book: dict) -> None:
    store_tiers.set_tier(store, "A", "won>=1000")
    store_tiers.apply_tiers(store)
    entry = store.history(book["Big"], limit=1)[0]
    assert (entry["command"], entry["before"], entry["after"]) == (
        "tier apply",
        {"tier": None},
        {"tier": "A"},
    )
    store.undo()
    assert store.get_contact(book["Big"])["tier"] is None
    assert store.get_contact(book["Hand"])["tier"] == "Z"


def test_tier_apply_for_one_contact_and_dry_run(store: Store, book: dict) -> None:
    store_tiers.set_tier(store, "A", "won>=1000")
    assert store_tiers.apply_tiers(store, contact_ids=[book["Big"]]) == [TierChange(book["Big"], None, "A")]
    assert store_tiers.apply_tiers(store, dry_run=True) == [TierChange(book["Hand"], "Z", None)]
    assert store.get_contact(book["Hand"])["tier"] == "Z"


def test_without_rules_apply_changes_nothing(store: Store, book: dict) -> None:
    assert store_tiers.apply_tiers(store) == []
    assert store.get_contact(book["Hand"])["tier"] == "Z"


def test_a_bad_filter_is_refused_before_it_is_stored(store: Store) -> None:
    with pytest.raises(FilterError):
        store_tiers.set_tier(store, "A", "value>>3")
    assert store_tiers.tier_rules(store) == []
    store_tiers.set_tier(store, "A", "tag:x")
    assert store_tiers.remove_tier(store, "A") == []


# ---------------------------------------------------------------- charts


@pytest.mark.parametrize(
    ("value", "top", "cells", "ascii", "drawn"),
    [
        (10, 10, 8, False, "████████"),
        (5, 10, 8, False, "████"),
        (1, 10, 4, False, "▍"),  # 0.4 cell: three eighths
        (0, 10, 8, False, ""),
        (3, 0, 8, False, ""),  # nothing to scale by: no division by zero
        (5, 10, 8, True, "####"),
        (Decimal("2.5"), Decimal(10), 4, True, "#"),
    ],
)
def test_bar_lengths(value: Decimal, top: Decimal, cells: int, ascii: bool, drawn: str) -> None:
    assert charts.bar(value, top, cells, ascii=ascii) == drawn


def test_bar_with_a_part_draws_it_solid_over_a_light_rest() -> None:
    assert charts.bar(8, 8, 8, part=2) == "██░░░░░░"
    assert charts.bar(8, 8, 8, part=2, ascii=True) == "##------"


def test_bars_align_labels_of_any_width_and_fit_the_width() -> None:
    lines = charts.bars([("lead", 10, "10"), ("佛山", 5, "5"), ("won", 0, "0")], width_cells=30, ascii=True)
    assert lines == [
        "lead  ####################  10",
        "佛山  ##########             5",
        "won                          0",
    ]
    assert charts.bars([]) == []
