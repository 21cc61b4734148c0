"""Screen switches (issue 12): the frame at once, the data from a worker after it, one load per
visit, and no reload at all when nothing the screen shows has changed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from pilot_helpers import NOW, fixed_clock, settle
from textual.widgets import Static

from tinycrm import agenda, reports
from tinycrm.store import Store
from tinycrm.tui.app import CrmApp

SIZE = (120, 35)


@pytest.fixture
def collect_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every run of the agenda's engine, in order."""
    calls: list[object] = []
    real = agenda.collect

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(agenda, "collect", counted)
    return calls


def summary(app: CrmApp) -> str:
    return str(app.screen.query_one("#agenda-summary", Static).render())


async def test_a_switch_shows_the_frame_before_the_data_then_the_data(db, monkeypatch) -> None:
    release = threading.Event()
    real = agenda.collect

    def slow(*args, **kwargs):
        release.wait(10)  # the worker is still reading when the frame must already be up
        return real(*args, **kwargs)

    monkeypatch.setattr(agenda, "collect", slow)
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "agenda"
        assert app.screen.is_mounted
        assert summary(app) == "Agenda"  # the frame, its data not in yet
        assert app.screen.settling
        release.set()
        await settle(pilot)
        assert summary(app).startswith("Agenda · 0 overdue · 0 today · 1 in the next 7 days")


async def test_a_first_visit_loads_once(db, collect_calls) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
    assert len(collect_calls) == 1  # Textual resumes a new mode's screen twice


async def test_switching_back_keeps_the_data_when_nothing_changed(db, collect_calls) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("2", "1", "2", "3", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert len(collect_calls) == 1
        assert "1 in the next 7 days" in summary(app)


async def test_switching_back_reloads_after_a_change_from_another_process(db, collect_calls) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        with Store.open(db, "someone", clock=fixed_clock) as other:  # as cron or a shell would
            other.add_reminder(None, NOW + timedelta(days=1), "Call the bank")
        await pilot.press("2")
        await settle(pilot)
        assert len(collect_calls) == 2
        assert "2 in the next 7 days" in summary(app)


async def test_switching_back_reloads_when_the_owner_scope_moved(db, monkeypatch) -> None:
    calls: list[object] = []
    real = reports.dashboard
    monkeypatch.setattr(reports, "dashboard", lambda *a, **k: calls.append(a) or real(*a, **k))
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("4", "1")  # the same screen, then back to contacts
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("1")
        await settle(pilot)
        app.cycle_scope()
        await pilot.press("4")
        await settle(pilot)
        assert len(calls) == 2


async def test_a_first_visit_does_not_parse_every_stylesheet_again(db, monkeypatch) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        refreshes: list[bool] = []
        real = app.refresh_css
        monkeypatch.setattr(
            app, "refresh_css", lambda animate=True: refreshes.append(animate) or real(animate)
        )
        await pilot.press("3")
        await settle(pilot)
        assert refreshes == []
        await pilot.press("ctrl+t")  # a theme change still restyles the screens shown later
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert refreshes


async def test_the_other_screens_are_imported_once_the_contacts_show(db, monkeypatch) -> None:
    runs: list[bool] = []
    monkeypatch.setattr(CrmApp, "_import_screens", lambda self: runs.append(True))
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "a")
        await settle(pilot)
    assert runs == [True]
