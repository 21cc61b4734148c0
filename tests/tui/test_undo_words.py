"""The words `u` uses to name the change it would take back (tinycrm.tui.undo.describe)."""

from __future__ import annotations

import pytest

from tinycrm.tui.undo import command_words, describe


def row(table: str, op: str, before: dict | None, after: dict | None, row_id: int = 7) -> dict:
    """A history row as `Store.history()` gives it."""
    changes = {}
    if before is not None and after is not None:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    return {"table": table, "op": op, "row_id": row_id, "before": before, "after": after, "changes": changes}


@pytest.mark.parametrize(
    ("rows", "lines"),
    [
        ([row("interaction", "insert", None, {"summary": "Oops"})], ["interaction “Oops” added"]),
        (
            [row("deal", "update", {"title": "Audit", "stage": "lead", "value_minor": 1},
                 {"title": "Audit", "stage": "proposal", "value_minor": 2, "closed_at": "x"})],
            ["deal “Audit” changed (stage, value)"],
        ),
        ([row("contact", "update", {"name": "张伟", "deleted_at": None},
              {"name": "张伟", "deleted_at": "t"})],
         ["contact “张伟” moved to the trash"]),
        ([row("contact", "update", {"name": "Ada", "deleted_at": "t"}, {"name": "Ada", "deleted_at": None})],
         ["contact “Ada” restored from the trash"]),
        ([row("reminder", "update", {"text": "Call", "done_at": None}, {"text": "Call", "done_at": "t"})],
         ["reminder “Call” marked done"]),
        ([row("reminder", "delete", {"text": "Call"}, None)], ["reminder “Call” removed"]),
        ([row("deal_stage", "insert", None, {"stage": "won"})], []),  # bookkeeping goes unsaid
        ([row("occurrence", "insert", None, {"key": "birthday:12:2026-03-10", "state": "done"})],
         ["a birthday marked done"]),  # never the internal key
        ([row("occurrence", "insert", None, {"key": "cadence:3:2026-03-01", "state": "snoozed"})],
         ["a keep-in-touch date snoozed"]),
        ([row("contact", "bulk", None, {"ids": [1, 2]}), row("contact", "bulk", None, {"ids": [3]})],
         ["3 contacts added"]),
        ([row("contact", "insert", None, {"name": n}) for n in "DCBA"],
         ["contact “A” added", "contact “B” added", "contact “C” added", "and 1 more"]),
        ([row("interaction", "insert", None, {"summary": "x" * 60})], [f"interaction “{'x' * 39}…” added"]),
    ],
)
def test_undo_names_each_record_the_change_touched(rows, lines) -> None:
    assert describe(rows) == lines


@pytest.mark.parametrize("first_page", [1, 2, 100])
def test_the_change_named_is_the_users_own_newest_one_however_far_back(
    db, monkeypatch, first_page: int
) -> None:
    from pilot_helpers import fixed_clock

    from tinycrm.store import Store
    from tinycrm.tui import undo

    monkeypatch.setattr(undo, "FIRST_PAGE", first_page)
    with Store.open(db, "tester", clock=fixed_clock) as mine:
        ada = mine.resolve("Ada Lovelace")["id"]
        mine.log(ada, "Mine", kind="call", follow_up=fixed_clock())  # two rows: interaction + reminder
    with Store.open(db, "bob", clock=fixed_clock) as bob:
        for n in range(5):
            bob.log(ada, f"Bob {n}", kind="call")
        rows = undo.last_own_change(bob)
        assert rows is not None
        assert {r["user"] for r in rows} == {"bob"}
    with Store.open(db, "tester", clock=fixed_clock) as mine:
        rows = undo.last_own_change(mine)
    assert rows is not None
    assert [r["command"] for r in rows] == ["log Ada Lovelace", "log Ada Lovelace"]
    assert sorted(r["table"] for r in rows) == ["interaction", "reminder"]


def test_nothing_is_named_when_the_user_has_no_change(db) -> None:
    from pilot_helpers import fixed_clock

    from tinycrm.store import Store
    from tinycrm.tui.undo import last_own_change

    with Store.open(db, "nobody", clock=fixed_clock) as store:
        assert last_own_change(store) is None


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("log Ada Lovelace", "log Ada Lovelace"),
        ("remind done birthday:12:2026-03-10", "remind done a birthday"),
        ("remind snooze cadence:7:2026-11-20", "remind snooze a keep-in-touch date"),
        ("remind done deal-stale:3:proposal:2026-11-10", "remind done a deal waiting too long in its stage"),
        ("remind done reminder:5:2026-11-22T09:00:00Z", "remind done reminder 5"),
        ("remind done 5", "remind done 5"),
        ("contact add cadence:fan", "contact add cadence:fan"),  # a name, not a key
    ],
)
def test_undo_names_a_command_without_internal_keys(command, words) -> None:
    assert command_words(command) == words
