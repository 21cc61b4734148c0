"""A small book on a fixed clock, and helpers to wait for the app's workers."""

from __future__ import annotations

import asyncio
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from pilot_helpers import NOW, fixed_clock

from tinycrm.store import Store


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no pytest async plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**args))
    return True


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local time is UTC so that dates on screen do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")


def fill_book(store: Store) -> dict[str, int]:
    """Seven people, two with Chinese names and companies; Ada has a history."""
    ids = {}
    ids["ada"] = store.add_contact(
        "Ada Lovelace", org="Acme Corp", emails=["ada@acme.example"], tags=["vip"], tier="A",
        title="Countess", every="30d",
    )["id"]
    ids["grace"] = store.add_contact("Grace Hopper", org="US Navy", tags=["vip", "partner"], tier="A")["id"]
    ids["alan"] = store.add_contact("Alan Turing", org="Bletchley Park", tags=["lead"], tier="B")["id"]
    ids["zhang"] = store.add_contact("张伟", org="佛山企业电子有限公司", tags=["customer"], tier="B")["id"]
    ids["wang"] = store.add_contact("王芳", org="深圳华星科技有限公司", tags=["supplier"])["id"]
    ids["linus"] = store.add_contact("Linus Torvalds", org="Linux Foundation")["id"]
    ids["margaret"] = store.add_contact("Margaret Hamilton", org="MIT", tags=["vip"], tier="C")["id"]
    store.log(ids["ada"], "Called about the invoice", kind="call", at=NOW - timedelta(days=3))
    store.log(ids["ada"], "Sent the proposal", kind="email", at=NOW - timedelta(days=10))
    store.log(ids["zhang"], "讨论了报价", kind="meeting", at=NOW - timedelta(days=40))
    store.add_deal(ids["ada"], "Analytical engine", value="12000", currency="EUR", stage="proposal",
                   close_date="2026-04-30", key=True)
    store.add_reminder(ids["ada"], NOW + timedelta(days=2), "Send the revised quote")
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database file holding the small book."""
    path = tmp_path / "t.db"
    with Store.open(path, "tester", clock=fixed_clock) as store:
        fill_book(store)
    return path


@pytest.fixture
def ids(db: Path) -> dict[str, int]:
    """Contact ids by short name."""
    with Store.open(db, "tester", clock=fixed_clock) as store:
        return {
            "ada": store.resolve("Ada Lovelace")["id"],
            "grace": store.resolve("Grace")["id"],
            "zhang": store.resolve("张伟")["id"],
        }


@pytest.fixture
def store(db: Path):
    """Another connection to the same file, as the CLI or cron would have."""
    with Store.open(db, "tester", clock=fixed_clock) as store:
        yield store


@pytest.fixture
def app(db: Path):
    """The app on the small book with the fixed clock."""
    from tinycrm.tui.app import CrmApp

    return CrmApp(db, "tester", clock=fixed_clock)
