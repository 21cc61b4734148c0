"""The report commands' figures on small hand-made books, every number worked out by hand.

The sales book (deals and the team's activity) and the customer book (lifecycle, RFM)
are built through the Store API with a hand-moved clock; the comments next to each
expected figure say where it comes from. Now is Thursday 14 May 2026, 10:00 UTC.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tinycrm import charts, reports
from tinycrm.errors import UsageError
from tinycrm.store import Store
from tinycrm.store import health as store_health

NOW = datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc)
D = Decimal


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.utc)


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


def _deal(
    store: Store,
    clock: Clock,
    contact: int,
    title: str,
    value: str,
    currency: str,
    path: list[tuple[datetime, str]],
    reason: str | None = None,
    close: str | None = None,
) -> int:
    """A deal created at path[0] in its stage, then moved along the rest of the path."""
    clock.at, stage = path[0]
    deal = store.add_deal(contact, title, value=value, currency=currency, stage=stage, close_date=close)["id"]
    for when, stage in path[1:]:
        clock.at = when
        store.move_deal(deal, stage, reason=reason if stage == "lost" else None)
    clock.at = NOW
    return deal


@pytest.fixture
def sales(store: Store, clock: Clock) -> dict[str, int]:
    """Four open deals (one per stage), three won, four lost (one at each stage), and a week of calls.

    Owners: ann has Ada and Cy, ben has Bob and Dee (deals take their contact's owner).
    """
    clock.at = at(1, 1)
    ids = {
        "ada": store.add_contact("Ada", owner="ann", every="30d")["id"],
        "bob": store.add_contact("Bob", owner="ben")["id"],
        "cy": store.add_contact("Cy", owner="ann")["id"],
        "dee": store.add_contact("Dee", owner="ben")["id"],
    }
    ada, bob, cy, dee = ids["ada"], ids["bob"], ids["cy"], ids["dee"]
    store.user = "ann"
    _deal(store, clock, ada, "d1", "1000.00", "USD", [(at(5, 4, 10), "lead")])
    _deal(store, clock, ada, "d2", "200.50", "USD", [(at(4, 14, 10), "lead"), (at(5, 9, 10), "qualified")])
    _deal(
        store,
        clock,
        bob,
        "d3",
        "3000",
        "EUR",
        [(at(3, 15, 10), "lead"), (at(4, 1), "qualified"), (at(4, 14, 10), "proposal")],
        close="2026-06-10",
    )
    _deal(store, clock, bob, "d4", "400", "USD", [(at(4, 14, 10), "negotiation")], close="2026-05-01")
    _deal(
        store,
        clock,
        ada,
        "w1",
        "500",
        "USD",
        [(at(1, 10), "lead"), (at(1, 20), "proposal"), (at(2, 9), "won")],
    )
    _deal(store, clock, ada, "w2", "1500", "USD", [(at(4, 5), "qualified"), (at(5, 5), "won")])
    _deal(store, clock, cy, "w3", "800", "EUR", [(at(3, 1), "lead"), (at(5, 10), "won")])
    _deal(store, clock, dee, "l1", "100", "USD", [(at(2, 1), "lead"), (at(2, 10), "lost")], reason="price")
    _deal(
        store,
        clock,
        dee,
        "l2",
        "100",
        "USD",
        [(at(2, 1), "lead"), (at(2, 5), "qualified"), (at(2, 11), "lost")],
        reason="price",
    )
    _deal(
        store, clock, bob, "l3", "300", "USD", [(at(2, 1), "proposal"), (at(3, 1), "lost")], reason="timing"
    )
    _deal(store, clock, cy, "l4", "50", "EUR", [(at(2, 1), "negotiation"), (at(3, 2), "lost")])

    def log(user: str, contact: int, kind: str, when: datetime, follow: datetime | None = None) -> dict:
        store.user = user
        return store.log(contact, f"{kind} with {contact}", kind=kind, at=when, follow_up=follow)

    log("ann", ada, "call", at(5, 12, 9))
    on_time = log("ann", ada, "email", at(5, 13, 9), follow=at(5, 13))
    late = log("ben", bob, "call", at(5, 5, 10), follow=at(5, 6))
    log("ann", cy, "meeting", at(5, 11, 10), follow=at(5, 12))  # never done: overdue
    log("ann", cy, "note", at(4, 20))  # before the two weeks looked at
    log("ben", bob, "email", at(5, 14, 8))
    log("ann", bob, "message", at(5, 13, 12))  # ann touches one of ben's contacts
    store.update_reminder(on_time["follow_up"]["id"], "remind done", done_at=at(5, 13, 15))
    store.update_reminder(late["follow_up"]["id"], "remind done", done_at=at(5, 8))
    store.user = "tester"
    return ids


# ---------------------------------------------------------------- pipeline


def test_pipeline_counts_values_weights_and_ages_per_stage_and_currency(store: Store, sales: dict) -> None:
    rep = reports.pipeline(store, NOW)
    stages = {s["stage"]: s for s in rep["stages"]}
    assert [s["stage"] for s in rep["stages"]] == [
        "lead",
        "qualified",
        "proposal",
        "negotiation",
        "won",
        "lost",
    ]
    assert stages["lead"] == {
        "stage": "lead",
        "probability": 10,
        "count": 1,
        "counts": {"USD": 1},
        "totals": {"USD": D("1000.00")},
        "weighted": {"USD": D("100.00")},
        "avg_age_days": D("10.0"),  # in lead since 4 May 10:00
    }
    assert stages["qualified"]["weighted"] == {"USD": D("50.125")}  # 200.50 × 25 %, exactly
    assert stages["qualified"]["avg_age_days"] == D("5.0")
    assert stages["proposal"]["totals"] == {"EUR": D("3000")}
    assert stages["proposal"]["weighted"] == {"EUR": D("1500")}
    assert stages["proposal"]["avg_age_days"] == D("30.0")
    assert stages["negotiation"]["weighted"] == {"USD": D("300")}  # 400 × 75 %
    assert stages["won"]["count"] == 3
    assert stages["won"]["counts"] == {"EUR": 1, "USD": 2}
    assert stages["won"]["totals"] == {"EUR": D("800"), "USD": D("2000")}  # 500 + 1500, never + 800 EUR
    assert stages["won"]["avg_age_days"] is None
    assert stages["lost"]["count"] == 4
    assert stages["lost"]["totals"] == {"EUR": D("50"), "USD": D("500")}
    assert rep["open"] == {
        "count": 4,
        "totals": {"EUR": D("3000"), "USD": D("1600.50")},
        "weighted": {"EUR": D("1500"), "USD": D("450.125")},
    }
    assert rep["groups"] == []


def test_pipeline_by_owner_splits_the_same_figures(store: Store, sales: dict) -> None:
    rep = reports.pipeline(store, NOW, by="owner")
    groups = {g["owner"]: g for g in rep["groups"]}
    assert list(groups) == ["ann", "ben"]
    assert groups["ann"]["open"] == {
        "count": 2,
        "totals": {"USD": D("1200.50")},
        "weighted": {"USD": D("150.125")},
    }
    assert groups["ben"]["open"]["totals"] == {"EUR": D("3000"), "USD": D("400")}
    assert groups["ann"]["open"]["count"] + groups["ben"]["open"]["count"] == rep["open"]["count"]


def test_pipeline_since_limits_won_and_lost_to_deals_closed_in_the_window(store: Store, sales: dict) -> None:
    rep = reports.pipeline(store, NOW, since=at(5, 1))
    stages = {s["stage"]: s for s in rep["stages"]}
    assert stages["won"]["count"] == 2  # 5 and 10 May
    assert stages["won"]["totals"] == {"EUR": D("800"), "USD": D("1500")}
    assert stages["lost"]["count"] == 0
    assert rep["open"]["count"] == 4  # open deals do not depend on the window


def test_pipeline_and_the_dashboard_show_the_same_numbers(store: Store, sales: dict) -> None:
    rep = reports.pipeline(store, NOW)
    head = reports.headline(store, NOW)
    assert rep["open"]["count"] == head["open_pipeline"]["count"]
    assert rep["open"]["totals"] == head["open_pipeline"]["totals"]
    assert rep["open"]["weighted"] == head["weighted_forecast"]["totals"]
    board = reports.pipeline_by_stage(store)
    assert [(s["stage"], s["count"], s["totals"], s["weighted"]) for s in board] == [
        (s["stage"], s["count"], s["totals"], s["weighted"]) for s in rep["stages"]
    ]


# ---------------------------------------------------------------- forecast


def test_forecast_by_month_puts_won_in_the_past_and_expected_ahead(store: Store, sales: dict) -> None:
    rep = reports.forecast(store, NOW, back=3, ahead=2)
    periods = {p["period"]: p for p in rep["periods"]}
    assert list(periods) == ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    assert periods["2026-02"]["won"] == {"count": 1, "totals": {"USD": D("500")}}
    assert periods["2026-02"]["past"] is True
    assert periods["2026-05"]["past"] is False
    assert periods["2026-03"]["won"] == {"count": 0, "totals": {}}
    assert periods["2026-05"]["won"] == {"count": 2, "totals": {"USD": D("1500"), "EUR": D("800")}}
    assert periods["2026-06"]["expected"] == {
        "count": 1,
        "totals": {"EUR": D("3000")},
        "weighted": {"EUR": D("1500")},
    }
    assert periods["2026-05"]["expected"]["count"] == 0
    # d4 was expected on 1 May and is still open; d1 and d2 have no close date
    assert rep["overdue"] == {"count": 1, "totals": {"USD": D("400")}, "weighted": {"USD": D("300")}}
    assert rep["undated"] == {"count": 2, "totals": {"USD": D("1200.50")}, "weighted": {"USD": D("150.125")}}
    assert rep["later"]["count"] == rep["earlier"]["count"] == 0


def test_forecast_by_quarter(store: Store, sales: dict) -> None:
    rep = reports.forecast(store, NOW, period="quarter", back=1, ahead=1)
    periods = {p["period"]: p for p in rep["periods"]}
    assert list(periods) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert periods["2026-Q1"]["won"]["totals"] == {"USD": D("500")}
    assert periods["2026-Q2"]["won"]["totals"] == {"USD": D("1500"), "EUR": D("800")}
    assert periods["2026-Q2"]["expected"]["weighted"] == {"EUR": D("1500")}
    assert periods["2026-Q2"]["start"] == "2026-04-01"


def test_forecast_expected_parts_add_up_to_the_open_pipeline(store: Store, sales: dict) -> None:
    rep = reports.forecast(store, NOW, back=0, ahead=0)  # May alone: June's deal is `later`
    parts = [p["expected"] for p in rep["periods"]] + [
        rep[k] for k in ("overdue", "undated", "earlier", "later")
    ]
    assert sum(p["count"] for p in parts) == reports.pipeline(store, NOW)["open"]["count"] == 4
    assert rep["later"]["weighted"] == {"EUR": D("1500")}


# ---------------------------------------------------------------- funnel


def test_funnel_reached_conversion_win_rate_cycle_and_lost_reasons(store: Store, sales: dict) -> None:
    rep = reports.funnel(store, NOW)
    assert (rep["deals"], rep["open"], rep["won"], rep["lost"]) == (11, 4, 3, 4)
    assert rep["stages"] == [
        {"stage": "lead", "reached": 11, "conversion": D("81.8")},  # 9 / 11
        {"stage": "qualified", "reached": 9, "conversion": D("77.8")},  # 7 / 9
        {"stage": "proposal", "reached": 7, "conversion": D("71.4")},  # 5 / 7
        {"stage": "negotiation", "reached": 5, "conversion": D("60.0")},  # 3 / 5
        {"stage": "won", "reached": 3, "conversion": None},
    ]
    assert rep["win_rate"] == D("42.9")  # 3 / (3 + 4)
    assert rep["avg_cycle_days"] == D("43.3")  # (30 + 30 + 70) / 3
    assert rep["lost_reasons"] == [
        {"reason": "price", "count": 2},
        {"reason": "(no reason)", "count": 1},
        {"reason": "timing", "count": 1},
    ]
    assert rep["lost_at"] == [
        {"stage": "lead", "count": 1},
        {"stage": "qualified", "count": 1},
        {"stage": "proposal", "count": 1},
        {"stage": "negotiation", "count": 1},
    ]
    assert rep["totals"]["lost"] == {"USD": D("500"), "EUR": D("50")}


def test_funnel_since_takes_the_deals_created_in_the_window(store: Store, sales: dict) -> None:
    rep = reports.funnel(store, NOW, since=at(4, 1))  # d1, d2, d4, w2
    assert [s["reached"] for s in rep["stages"]] == [4, 3, 2, 2, 1]
    assert rep["win_rate"] == D("100.0")
    assert rep["avg_cycle_days"] == D("30.0")
    assert rep["lost_reasons"] == []
    assert rep["lost_at"] == []


def test_funnel_by_owner(store: Store, sales: dict) -> None:
    groups = {g["owner"]: g for g in reports.funnel(store, NOW, by="owner")["groups"]}
    # ann: d1, d2, w1, w2, w3, l4; ben: d3, d4, l1, l2, l3
    assert (groups["ann"]["deals"], groups["ann"]["won"], groups["ann"]["lost"]) == (6, 3, 1)
    assert groups["ann"]["win_rate"] == D("75.0")
    assert groups["ben"]["win_rate"] == D("0.0")
    assert groups["ben"]["avg_cycle_days"] is None


# ---------------------------------------------------------------- activity


def test_activity_counts_interactions_per_kind_and_week(store: Store, sales: dict) -> None:
    rep = reports.activity(store, NOW, periods=2)
    assert rep["since"] == "2026-05-04T00:00:00Z"
    assert rep["until"] == "2026-05-14T10:00:00Z"
    assert rep["periods"] == [
        {"period": "2026-W19", "start": "2026-05-04", "counts": {"call": 1}, "total": 1},
        {
            "period": "2026-W20",
            "start": "2026-05-11",
            "counts": {"call": 1, "email": 2, "meeting": 1, "message": 1},
            "total": 5,
        },
    ]
    assert rep["interactions"] == 6
    assert rep["kinds"] == {"call": 2, "email": 2, "meeting": 1, "message": 1}
    assert rep["contacts_touched"] == 3


def test_activity_follow_ups_on_time_late_and_overdue(store: Store, sales: dict) -> None:
    rep = reports.activity(store, NOW, periods=2)
    assert rep["followups"] == {
        "on_time": 1,
        "late": 1,
        "overdue": 1,
        "pending": 0,
        "on_time_rate": D("33.3"),
    }
    assert rep["deals_moved"] == {"count": 3, "by_stage": {"qualified": 1, "won": 2}}


def test_activity_by_owner_counts_a_contact_two_people_touched_once(store: Store, sales: dict) -> None:
    rep = reports.activity(store, NOW, periods=2, by="owner")
    groups = {g["owner"]: g for g in rep["groups"]}
    assert groups["ann"]["contacts_touched"] == 3  # Ada, Cy and Bob
    assert groups["ben"]["contacts_touched"] == 1
    assert rep["contacts_touched"] == 3
    assert groups["ann"]["followups"]["on_time"] == 1
    assert groups["ann"]["followups"]["overdue"] == 1
    assert groups["ben"]["followups"]["late"] == 1
    assert groups["ann"]["deals_moved"]["count"] == 3  # ann moved every deal


# ---------------------------------------------------------------- lifecycle and RFM


@pytest.fixture
def customers(store: Store, clock: Clock) -> dict[str, int]:
    """One customer in each lifecycle stage, two leads, and one up / one down in value."""
    clock.at = at(1, 1, year=2025)
    ids = {
        n: store.add_contact(n.title(), owner=o)["id"]
        for n, o in [
            ("eve", "ben"),
            ("ada", "ann"),
            ("cy", "ann"),
            ("fay", "ben"),
            ("gus", "ann"),
            ("ivy", "ben"),
            ("bob", "ben"),
            ("dee", "ben"),
            ("hal", "ann"),
        ]
    }
    store.edit_contact(ids["ada"], every="30d")

    def won(name: str, value: str, when: datetime, currency: str = "USD") -> None:
        _deal(
            store,
            clock,
            ids[name],
            f"{name} {value}",
            value,
            currency,
            [(when - timedelta(days=10), "lead"), (when, "won")],
        )

    won("eve", "100", at(6, 1, year=2025))
    won("ada", "500", at(2, 9))
    won("ada", "1500", at(5, 5))
    won("cy", "800", at(5, 10), "EUR")
    won("fay", "300", at(3, 1))
    won("gus", "200", at(4, 1))
    won("ivy", "700", at(1, 10))
    won("hal", "9999", at(5, 1))
    _deal(store, clock, ids["bob"], "open", "50", "USD", [(at(5, 1), "lead")])
    for name, when in [
        ("ada", at(5, 13)),
        ("cy", at(5, 11)),
        ("fay", at(1, 5)),
        ("gus", at(5, 1)),
        ("ivy", at(5, 1)),
    ]:
        clock.at = when
        store.log(ids[name], "hello", at=when)
    clock.at = NOW
    store.trash_contact(ids["hal"])
    return ids


def test_lifecycle_puts_each_contact_in_one_stage(store: Store, customers: dict) -> None:
    rep = reports.lifecycle(store, NOW)
    assert rep["since"] == "2026-04-14T10:00:00Z"
    assert rep["stages"] == {"lead": 2, "new": 1, "repeat": 1, "active": 2, "at_risk": 1, "churned": 1}
    assert (rep["contacts"], rep["customers"]) == (8, 6)  # Hal is in the trash
    assert rep["new_customers"] == 1  # Cy, first won 10 May
    assert rep["prospects"] == 3  # Bob, Dee, Cy had no won deal on 14 April
    assert rep["first_purchase_rate"] == D("33.3")
    assert rep["repeat_purchase_rate"] == D("16.7")  # Ada of 6
    assert rep["churn_rate"] == D("16.7")  # Eve of 6
    assert rep["definitions"] == {"at_risk_days": 90, "churn_days": 180}


def test_lifecycle_thresholds_are_parameters(store: Store, customers: dict) -> None:
    rep = reports.lifecycle(store, NOW, at_risk_days=200, churn_days=400)
    # Fay (no interaction since 5 Jan) is no longer at risk: active like Gus and Ivy; Eve
    # (deal 1 June 2025) is no longer churned, but never had an interaction: at risk
    assert rep["stages"] == {"lead": 2, "new": 1, "repeat": 1, "active": 3, "at_risk": 1, "churned": 0}


def test_lifecycle_by_owner(store: Store, customers: dict) -> None:
    groups = {g["owner"]: g for g in reports.lifecycle(store, NOW, by="owner")["groups"]}
    assert groups["ann"]["stages"] == {
        "lead": 0,
        "new": 1,
        "repeat": 1,
        "active": 1,
        "at_risk": 0,
        "churned": 0,
    }
    assert groups["ben"]["stages"] == {
        "lead": 2,
        "new": 0,
        "repeat": 0,
        "active": 1,
        "at_risk": 1,
        "churned": 1,
    }


def test_rfm_scores_segments_and_lifetime_value(store: Store, customers: dict) -> None:
    rep = reports.rfm(store, NOW)
    assert rep["customers"] == 6
    found = {c["name"]: c for s in rep["segments"] for c in s["customers"]}
    # recency days: Cy 4, Ada 9, Gus 43, Fay 74, Ivy 124, Eve 347; F: Ada 2, the rest 1;
    # M in USD: Eve 100 < Gus 200 < Fay 300 < Ivy 700 < Ada 2000; Cy alone in EUR
    assert {n: c["score"] for n, c in found.items()} == {
        "Ada": "455",
        "Cy": "511",
        "Eve": "111",
        "Ivy": "114",
        "Fay": "213",
        "Gus": "312",
    }
    assert {n: c["recency_days"] for n, c in found.items()} == {
        "Ada": 9,
        "Cy": 4,
        "Eve": 347,
        "Ivy": 124,
        "Fay": 74,
        "Gus": 43,
    }
    segments = {s["segment"]: [c["name"] for c in s["customers"]] for s in rep["segments"]}
    assert segments["loyal"] == ["Ada"]
    assert segments["new_customers"] == ["Cy"]
    assert segments["hibernating"] == ["Fay", "Ivy", "Eve"]  # best total score first
    assert segments["about_to_sleep"] == ["Gus"]
    assert segments["champions"] == []
    assert found["Ada"]["lifetime_value"] == {"USD": D("2000")}
    assert found["Cy"]["lifetime_value"] == {"EUR": D("800")}


def test_rfm_lists_who_bought_more_and_who_bought_less(store: Store, customers: dict) -> None:
    changes = reports.rfm(store, NOW)["changes"]  # 13 Feb – 14 May against 15 Nov – 13 Feb
    assert [(m["name"], m["previous"], m["current"], m["change"]) for m in changes["USD"]["up"]] == [
        ("Ada", D("500"), D("1500"), D("1000")),
        ("Fay", D(0), D("300"), D("300")),
        ("Gus", D(0), D("200"), D("200")),
    ]
    assert [(m["name"], m["change"]) for m in changes["USD"]["down"]] == [("Ivy", D("-700"))]
    assert [(m["name"], m["change"]) for m in changes["EUR"]["up"]] == [("Cy", D("800"))]


def test_rfm_quintiles_share_a_score_on_ties() -> None:
    assert reports.quintiles({1: 5, 2: 5, 3: 5}) == {1: 1, 2: 1, 3: 1}
    assert reports.quintiles({i: i for i in range(10)}) == {i: 1 + i // 2 for i in range(10)}
    assert reports.quintiles({}) == {}


@pytest.mark.parametrize(
    ("r", "f", "segment"),
    [
        (5, 5, "champions"),
        (4, 4, "loyal"),
        (1, 5, "cant_lose"),
        (2, 3, "at_risk"),
        (1, 1, "hibernating"),
        (3, 2, "about_to_sleep"),
        (3, 3, "need_attention"),
        (5, 2, "potential_loyalists"),
        (4, 1, "promising"),
        (5, 1, "new_customers"),
    ],
)
def test_rfm_segments_follow_the_rf_grid(r: int, f: int, segment: str) -> None:
    assert reports.rfm_segment(r, f) == segment


def test_every_rf_cell_has_a_segment() -> None:
    assert all(reports.rfm_segment(r, f) for r in range(1, 6) for f in range(1, 6))


# ---------------------------------------------------------------- every report


NAMES = ["pipeline", "forecast", "funnel", "activity", "lifecycle", "rfm"]


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_book_gives_zero_results(store: Store, name: str) -> None:
    rep = getattr(reports, name)(store, NOW)
    text = json.dumps(reports.jsonable(rep))  # no Decimal, no datetime left
    assert rep["report"] == name
    assert "NaN" not in text


def test_an_empty_book_has_no_rates_rather_than_a_division_by_zero(store: Store) -> None:
    funnel = reports.funnel(store, NOW)
    assert funnel["deals"] == 0
    assert funnel["win_rate"] is None
    assert funnel["avg_cycle_days"] is None
    assert all(s["reached"] == 0 and s["conversion"] is None for s in funnel["stages"])
    life = reports.lifecycle(store, NOW)
    assert life["customers"] == 0
    assert life["churn_rate"] is None
    assert life["first_purchase_rate"] is None
    assert reports.rfm(store, NOW)["customers"] == 0
    act = reports.activity(store, NOW)
    assert act["interactions"] == 0
    assert act["followups"]["on_time_rate"] is None
    assert reports.pipeline(store, NOW)["open"] == {"count": 0, "totals": {}, "weighted": {}}


@pytest.mark.parametrize("name", NAMES)
def test_reports_serialise_money_as_exact_strings(store: Store, sales: dict, name: str) -> None:
    text = json.dumps(reports.jsonable(getattr(reports, name)(store, NOW, by="owner")))
    assert "e+" not in text.lower()


@pytest.mark.parametrize("by", [None, "owner"])
@pytest.mark.parametrize("name", NAMES)
def test_report_json_is_the_jsonable_report_as_json_dumps_writes_it(
    store: Store, sales: dict, name: str, by: str | None
) -> None:
    from tinycrm import jsonout

    rep = getattr(reports, name)(store, NOW, by=by)
    assert jsonout.dumps(rep) == json.dumps(reports.jsonable(rep), ensure_ascii=False, indent=2)


def test_json_money_keeps_its_cents(store: Store, sales: dict) -> None:
    out = reports.jsonable(reports.pipeline(store, NOW))
    assert out["open"]["totals"] == {"EUR": "3000.00", "USD": "1600.50"}
    assert out["open"]["weighted"]["USD"] == "450.1250"


@pytest.mark.parametrize("name", NAMES)
def test_by_accepts_only_owner(store: Store, name: str) -> None:
    with pytest.raises(UsageError):
        getattr(reports, name)(store, NOW, by="stage")


@pytest.mark.parametrize("name", NAMES)
def test_since_after_until_is_a_usage_error(store: Store, name: str) -> None:
    with pytest.raises(UsageError):
        getattr(reports, name)(store, NOW, since=NOW, until=NOW - timedelta(days=1))


@pytest.mark.parametrize("name", ["activity", "lifecycle", "rfm"])
def test_a_since_after_now_without_until_is_a_usage_error(store: Store, name: str) -> None:
    with pytest.raises(UsageError):
        getattr(reports, name)(store, NOW, since=NOW + timedelta(days=1))


def test_health_serialises_with_its_reasons(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    out = json.loads(json.dumps(reports.jsonable(store_health.contact_health(store, ada, NOW))))
    assert out["score"] == 85
    assert [r["factor"] for r in out["reasons"]] == ["recency", "followups", "deals", "activity"]


@pytest.mark.parametrize(
    ("day", "unit", "label", "start"),
    [
        ("2026-05-14", "week", "2026-W20", "2026-05-11"),
        ("2026-05-14", "month", "2026-05", "2026-05-01"),
        ("2026-05-14", "quarter", "2026-Q2", "2026-04-01"),
        ("2027-01-01", "week", "2026-W53", "2026-12-28"),
    ],
)
def test_period_labels(day: str, unit: str, label: str, start: str) -> None:
    first = reports.period_start(datetime.fromisoformat(day).date(), unit)
    assert (reports.period_label(first, unit), first.isoformat()) == (label, start)


# ---------------------------------------------------------------- charts of the reports


def test_pipeline_chart_draws_one_currency_weighted_part_solid(store: Store, sales: dict) -> None:
    lines = charts.pipeline_chart(reports.pipeline(store, NOW), "USD", width_cells=40, ascii=True)
    # bars 40 − 11 (label) − 9 (value) − 4 = 16 cells for the top, 1,000: lead 16 (weighted 100: 2
    # solid), qualified 3.2 → 3 (50.125: 1 solid), proposal none in USD, negotiation 6.4 → 6 (300: 5)
    assert lines == [
        "lead         ##--------------  USD 1,000",
        "qualified    #--                 USD 201",
        "proposal                           USD 0",
        "negotiation  #####-              USD 400",
    ]


def test_funnel_and_segment_and_forecast_charts(store: Store, sales: dict) -> None:
    funnel = charts.funnel_chart(reports.funnel(store, NOW), width_cells=40, ascii=True)
    assert funnel[0].startswith("lead ")
    assert funnel[0].endswith("11 → 81.8%")
    assert funnel[-1].endswith(" 3")
    forecast = charts.forecast_chart(reports.forecast(store, NOW, back=1, ahead=1), "USD", width_cells=40)
    assert [line.split()[0] for line in forecast] == ["2026-04", "2026-05", "2026-06"]
    assert forecast[0].endswith("won USD 0")
    assert forecast[1].endswith("exp USD 0")  # May's USD deals are overdue or undated
    segments = {"segments": [{"segment": "loyal", "count": 2}, {"segment": "x", "count": 0}]}
    assert charts.segments_chart(segments, width_cells=20, ascii=True) == ["loyal  ##########  2"]
