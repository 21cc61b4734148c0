"""A new book opened by several connections at once (the TUI's workers on first start)."""

from __future__ import annotations

import threading
from pathlib import Path

from tinycrm.store import Store


def test_connections_opening_a_new_book_together_never_see_database_is_locked(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def open_and_read(path: Path) -> None:
        try:
            with Store.open(path, "tester") as store:
                store.count_contacts()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    for trial in range(100):
        path = tmp_path / f"{trial}.db"
        threads = [threading.Thread(target=open_and_read, args=(path,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    with Store.open(tmp_path / "0.db", "tester") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
