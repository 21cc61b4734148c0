"""The REF resolver under random text: one contact or a CrmError (not found, ambiguous), never
anything else, and resolving writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.errors import CrmError
from tinycrm.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
REF_WORDS = ("ada", "Ada Lovelace", "张伟", "zw", "+1 202 555 0100", "(202) 555-0100", "2025550100",
             "ADA@EXAMPLE.COM", "@", ".", "1", "2", "0", "-1", "99999999999999999999", " ", "%", "_",
             "'", '"', "*", "\\", "\x00", "é", "伟")  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A small book with names, e-mails, phones and Chinese names that a REF may find."""
    db = Path(tmp_path_factory.mktemp("refs")) / "crm.db"
    with Store.open(db, "tester", clock=lambda: NOW) as opened:
        opened.add_contact("Ada Lovelace", emails=["ada@example.com"], phones=["+1 202 555 0100"])
        opened.add_contact("Ada King")
        opened.add_contact("张伟", emails=["zhang@example.cn"])
        opened.add_contact("张伟强")
        opened.add_contact("Acme", kind="org")
        yield opened


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(REF_WORDS), st.text(max_size=4)), max_size=8).map("".join))
def test_any_ref_finds_one_contact_or_is_a_crm_error_and_writes_nothing(store: Store, ref: str) -> None:
    history = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    changes = store.conn.total_changes
    try:
        found = store.resolve(ref)
    except CrmError:
        found = None
    if found is not None:
        assert found["id"] == store.get_contact(found["id"])["id"]
    assert store.conn.execute("SELECT count(*) FROM history").fetchone()[0] == history
    assert store.conn.total_changes == changes
