"""Snapshots of the pipeline board, the agenda and the dashboard on a small demo book.

The book is `demo.fill` with a fixed seed on the fixed clock, so the pictures only change
when the screens (or the demo) do. Update with `pytest --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.crm_harness import NOW, ScreenApp, clock, settle
from tinycrm import demo
from tinycrm.store import Store
from tinycrm.tui.screens.agenda import AgendaScreen
from tinycrm.tui.screens.dashboard import DashboardScreen
from tinycrm.tui.screens.pipeline import PipelineScreen


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snap") / "demo.db"
    with Store.open(path, "tester", clock=clock) as store:
        demo.fill(store, now=NOW, contacts=60, seed=11)
    return path


def copy_of(book: Path, tmp_path: Path) -> Path:
    """A private copy, so that a screen's writes never leak into another snapshot."""
    target = tmp_path / "t.db"
    with Store.open(book, "tester", clock=clock) as store:
        store.backup(target)
    return target


def test_pipeline_board(snap_compare, book: Path, tmp_path: Path) -> None:
    app = ScreenApp(copy_of(book, tmp_path), PipelineScreen)
    assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


def test_pipeline_board_narrow_after_a_move(snap_compare, book: Path, tmp_path: Path) -> None:
    async def move(pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "shift+right")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = ScreenApp(copy_of(book, tmp_path), PipelineScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=move)


def test_dashboard(snap_compare, book: Path, tmp_path: Path) -> None:
    app = ScreenApp(copy_of(book, tmp_path), DashboardScreen)
    assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


def test_agenda(snap_compare, book: Path, tmp_path: Path) -> None:
    app = ScreenApp(copy_of(book, tmp_path), AgendaScreen)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)
