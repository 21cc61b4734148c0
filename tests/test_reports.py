"""The dashboard's numbers: exact money per currency, local months and days, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tinycrm import reports
from tinycrm.store import Store

FIXED = datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(FIXED)


@pytest.fixture
def store(tmp_path, clock: Clock):
    s = Store.open(tmp_path / "t.db", "tester", clock=clock)
    yield s
    s.close()


def test_empty_book_has_zero_everywhere(store: Store) -> None:
    h = reports.headline(store, FIXED)
    assert h["open_pipeline"] == {"count": 0, "counts": {}, "totals": {}}
    assert h["weighted_forecast"] == {"totals": {}}
    assert h["won_this_month"]["count"] == 0
    assert h["overdue_followups"] == 0
    assert h["stale_contacts"] == 0
    assert h["currency"] == "USD"
    assert [s["stage"] for s in reports.pipeline_by_stage(store)] == [
        "lead", "qualified", "proposal", "negotiation", "won", "lost",
    ]  # fmt: skip


def test_open_pipeline_and_forecast_are_exact_per_currency(store: Store) -> None:
    ada = store.add_contact("Ada Lovelace")["id"]
    store.add_deal(ada, "a", value="1000.10", stage="lead")  # 10%
    store.add_deal(ada, "b", value="0.01", stage="qualified")  # 25% of a cent
    store.add_deal(ada, "c", value="2500", currency="EUR", stage="negotiation")  # 75%
    h = reports.headline(store, FIXED)
    assert h["open_pipeline"]["count"] == 3
    assert h["open_pipeline"]["counts"] == {"EUR": 1, "USD": 2}
    assert h["open_pipeline"]["totals"] == {"EUR": Decimal("2500"), "USD": Decimal("1000.11")}
    forecast = h["weighted_forecast"]["totals"]
    assert forecast["USD"] == Decimal("100.0125")  # 100.01 + 0.0025, no float rounding
    assert forecast["EUR"] == Decimal("1875")
    assert all(isinstance(v, Decimal) for v in forecast.values())


def test_pipeline_by_stage_counts_totals_and_weights(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    store.add_deal(ada, "a", value=100, stage="proposal")
    store.add_deal(ada, "b", value=300, stage="proposal")
    lost = store.add_deal(ada, "c", value=50, stage="lead")["id"]
    store.move_deal(lost, "lost", reason="price")
    rows = {r["stage"]: r for r in reports.pipeline_by_stage(store)}
    assert rows["proposal"]["count"] == 2
    assert rows["proposal"]["totals"] == {"USD": Decimal("400")}
    assert rows["proposal"]["weighted"] == {"USD": Decimal("200")}
    assert rows["lead"]["count"] == 0
    assert rows["lost"]["count"] == 1
    assert rows["lost"]["weighted"] == {"USD": Decimal("0")}


def test_open_totals_of_the_stages_equal_the_headline(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    store.add_deal(ada, "a", value="100.01", stage="lead")
    store.add_deal(ada, "b", value="0.03", stage="negotiation")
    store.add_deal(ada, "c", value="7", currency="EUR", stage="proposal")
    store.move_deal(store.add_deal(ada, "d", value=50)["id"], "won")
    head = reports.headline(store, FIXED)
    sums = reports.open_totals(reports.pipeline_by_stage(store))
    assert sums["count"] == head["open_pipeline"]["count"] == 3
    assert sums["totals"] == head["open_pipeline"]["totals"]
    assert sums["weighted"] == head["weighted_forecast"]["totals"]


def test_closed_deals_can_be_limited_to_recent_ones(store: Store, clock: Clock) -> None:
    ada = store.add_contact("Ada")["id"]
    clock.at = FIXED - timedelta(days=90)
    store.move_deal(store.add_deal(ada, "old", value=10)["id"], "won")
    clock.at = FIXED
    store.move_deal(store.add_deal(ada, "new", value=20)["id"], "won")
    rows = reports.pipeline_by_stage(store, closed_since=FIXED - timedelta(days=30))
    recent = {r["stage"]: r for r in rows}
    assert recent["won"]["count"] == 1
    assert recent["won"]["totals"] == {"USD": Decimal("20")}


def test_won_this_month_uses_the_local_month(store: Store, clock: Clock) -> None:
    ada = store.add_contact("Ada")["id"]
    shanghai = ZoneInfo("Asia/Shanghai")
    # 30 April 20:00 UTC is already 1 May 04:00 in Shanghai
    clock.at = datetime(2026, 4, 30, 20, 0, tzinfo=timezone.utc)
    store.move_deal(store.add_deal(ada, "may in shanghai", value=7)["id"], "won")
    clock.at = datetime(2026, 4, 30, 10, 0, tzinfo=timezone.utc)
    store.move_deal(store.add_deal(ada, "april everywhere", value=5)["id"], "won")
    in_utc = reports.headline(store, FIXED)["won_this_month"]
    in_shanghai = reports.headline(store, FIXED.astimezone(shanghai))["won_this_month"]
    assert in_utc == {"month": "2026-05", "count": 0, "counts": {}, "totals": {}}
    assert in_shanghai == {
        "month": "2026-05", "count": 1, "counts": {"USD": 1}, "totals": {"USD": Decimal("7")},
    }


def test_won_by_month_lists_every_month_oldest_first(store: Store, clock: Clock) -> None:
    ada = store.add_contact("Ada")["id"]
    for when, value in [
        (datetime(2026, 5, 2, tzinfo=timezone.utc), "10.50"),
        (datetime(2026, 5, 9, tzinfo=timezone.utc), "0.50"),
        (datetime(2026, 2, 9, tzinfo=timezone.utc), "3"),
        (datetime(2025, 5, 9, tzinfo=timezone.utc), "99"),  # 13 months ago: outside
    ]:
        clock.at = when
        store.move_deal(store.add_deal(ada, "d", value=value)["id"], "won")
    clock.at = when
    store.move_deal(store.add_deal(ada, "euros", value=1, currency="EUR")["id"], "won")
    months = reports.won_by_month(store, FIXED, months=12)
    assert len(months) == 12
    assert months[0] == ("2025-06", Decimal(0))
    assert months[-1] == ("2026-05", Decimal("11.00"))
    assert dict(months)["2026-02"] == Decimal(3)
    assert reports.won_by_month(store, FIXED, months=2, currency="EUR") == [
        ("2026-04", Decimal(0)), ("2026-05", Decimal(0)),
    ]  # fmt: skip


def test_overdue_followups_are_open_reminders_due_before_today(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    today = datetime(2026, 5, 14, tzinfo=timezone.utc)
    store.add_reminder(ada, today - timedelta(days=3), "late")
    store.add_reminder(ada, today - timedelta(minutes=1), "late too")
    store.add_reminder(ada, today, "due today: not overdue")
    done = store.add_reminder(None, today - timedelta(days=1), "done already")
    store.update_reminder(done["id"], "remind done", done_at=FIXED)
    store.log(ada, "called", follow_up=today - timedelta(days=1))
    assert reports.headline(store, FIXED)["overdue_followups"] == 3


def test_stale_contacts_match_the_is_stale_filter(store: Store, clock: Clock) -> None:
    clock.at = FIXED - timedelta(days=100)
    quiet = store.add_contact("Quiet", every="30d")["id"]
    store.add_contact("Fresh", every="30d")
    store.add_contact("No cadence")
    gone = store.add_contact("Gone", every="30d")["id"]
    store.trash_contact(gone)
    clock.at = FIXED - timedelta(days=5)
    store.log(store.resolve("Fresh")["id"], "hello")
    clock.at = FIXED
    assert reports.headline(store, FIXED)["stale_contacts"] == 1
    assert store.count_contacts("is:stale") == 1
    assert store.list_contacts("is:stale")[0]["id"] == quiet


def test_trashed_contacts_deals_are_left_out(store: Store) -> None:
    gone = store.add_contact("Gone")["id"]
    store.add_deal(gone, "x", value=100)
    store.trash_contact(gone)
    assert reports.headline(store, FIXED)["open_pipeline"]["count"] == 0


def test_activity_by_week_counts_interactions_per_local_week(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    # FIXED is Thursday 14 May 2026; its week starts Monday 11 May
    store.log(ada, "a", kind="call", at=datetime(2026, 5, 11, 0, 0, tzinfo=timezone.utc))
    store.log(ada, "b", kind="call", at=datetime(2026, 5, 13, 9, 0, tzinfo=timezone.utc))
    store.log(ada, "c", kind="email", at=datetime(2026, 5, 10, 23, 59, tzinfo=timezone.utc))
    store.log(ada, "d", at=datetime(2026, 1, 1, tzinfo=timezone.utc))  # too old for 4 weeks
    weeks = reports.activity_by_week(store, FIXED, weeks=4)
    assert [w["week"] for w in weeks] == ["2026-04-20", "2026-04-27", "2026-05-04", "2026-05-11"]
    assert weeks[-1] == {"week": "2026-05-11", "count": 2}
    assert weeks[-2] == {"week": "2026-05-04", "count": 1}
    gone = store.add_contact("Gone")["id"]
    store.log(gone, "e", at=datetime(2026, 5, 12, tzinfo=timezone.utc))
    store.trash_contact(gone)
    assert reports.activity_by_week(store, FIXED, weeks=1) == [{"week": "2026-05-11", "count": 2}]


@pytest.mark.parametrize(
    ("amount", "currency", "places", "text"),
    [
        (Decimal("1234567.891"), "USD", 2, "USD 1,234,567.89"),
        (Decimal("0.005"), None, 2, "0.01"),  # half-up, as people round
        (Decimal("20000.50"), "USD", 0, "USD 20,001"),
        (Decimal("100.0125"), "EUR", 0, "EUR 100"),
    ],
)
def test_format_money(amount: Decimal, currency: str | None, places: int, text: str) -> None:
    assert reports.format_money(amount, currency, places=places) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal(950), "950"),
        (Decimal(12500), "12.5k"),
        (Decimal(1250000), "1.25M"),
        (Decimal(0), "0"),
        (Decimal(100000), "100k"),
        (Decimal(200000000), "200M"),
    ],
)
def test_format_compact(amount: Decimal, text: str) -> None:
    assert reports.format_compact(amount) == text


def test_jsonable_turns_decimals_into_exact_strings(store: Store) -> None:
    ada = store.add_contact("Ada")["id"]
    store.add_deal(ada, "a", value="0.10")
    out = reports.jsonable(reports.headline(store, FIXED))
    assert out["open_pipeline"]["totals"] == {"USD": "0.10"}
    assert out["weighted_forecast"]["totals"] == {"USD": "0.01"}


def test_reports_module_needs_no_ui() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tinycrm.reports, tinycrm.demo;"
        " print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
