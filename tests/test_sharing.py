"""share --group: the book, its -wal/-shm, backups and folder stay usable by the group."""

from __future__ import annotations

import grp
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tinycrm.errors import InvalidData
from tinycrm.services.safety import backup_book
from tinycrm.store import Store
from tinycrm.store.sharing import share

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_a_shared_book_keeps_its_group_modes_for_files_sqlite_makes_later(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    folder = tmp_path / "crm"
    book = folder / "crm.db"
    Store.open(book, "alice", clock=lambda: NOW).close()
    result = share(book, group)
    assert result["mode"] == "0o660"
    assert _mode(book) == "0o660"
    assert _mode(folder) == "0o2770"
    with Store.open(book, "bob", clock=lambda: NOW) as store:  # SQLite makes -wal and -shm now
        store.add_contact("Ada Lovelace")
        for suffix in ("-wal", "-shm"):
            companion = book.with_name(book.name + suffix)
            assert companion.exists()
            assert _mode(companion) == "0o660"
            assert companion.stat().st_gid == folder.stat().st_gid
        (folder / "backups").mkdir()
        made = backup_book(store, str(folder / "backups"), now=NOW)
    assert _mode(Path(made["path"])) == "0o660"
    share(book, None)
    assert _mode(book) == "0o600"
    assert _mode(folder) == "0o700"
    assert _mode(Path(made["path"])) == "0o600"


def test_an_unknown_group_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "crm.db"
    Store.open(book, "alice").close()
    with pytest.raises(InvalidData, match="no Unix group 'no-such-group-xyz'"):
        share(book, "no-such-group-xyz")
    assert _mode(book) == "0o600"
