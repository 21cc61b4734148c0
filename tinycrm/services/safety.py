"""`backup`, `restore`, `check`: a consistent copy while others write, a checked restore, the health."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from ..errors import Conflict, InvalidData
from ..store.safety import inspect_book, rotate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..store import Store


def backup_folder() -> Path:
    """Where backups go when no file is named: `backups/` in the user data directory."""
    from ..config import default_db_path

    return default_db_path().parent / "backups"


def backup_book(
    store: Store, target: str | None, *, now: datetime, keep: int | None = None
) -> dict[str, Any]:
    """Copy the book to `target` (default: timestamped, in the data directory), keeping the last `keep`."""
    stem = store.path.stem
    if target:
        path = Path(target).expanduser()
        if path.is_dir() or target.endswith(("/", os.sep)):
            path = path / f"{stem}-{now:%Y%m%d-%H%M%S}.db"
    else:
        path = backup_folder() / f"{stem}-{now:%Y%m%d-%H%M%S}.db"
    if path.resolve() == store.path.resolve():
        raise InvalidData("a backup cannot overwrite the book itself")
    store.backup_to(path)
    removed = rotate(path.parent, f"{stem}-", keep) if keep else []
    info = inspect_book(path)
    return {"path": str(path), "contacts": info["contacts"], "removed": [str(p) for p in removed]}


def restore_book(store: Store, source: str, *, now: datetime) -> dict[str, Any]:
    """Replace the book by a checked backup; the replaced book is kept beside it first."""
    path = Path(source).expanduser()
    if path.resolve() == store.path.resolve():
        raise Conflict("that file is the book itself")
    info = inspect_book(path)  # damaged, foreign or newer: refused before anything changes
    kept = store.path.with_name(f"{store.path.stem}-before-restore-{now:%Y%m%d-%H%M%S}.db")
    store.backup_to(kept)
    store.restore_from(path)
    return {"restored": str(path), "contacts": info["contacts"], "kept": str(kept)}


def check_book(store: Store, progress: Callable[[str], None] | None = None) -> list[str]:
    """What is wrong with the book, in words (empty: nothing); `progress` hears each step."""
    return store.check(progress)
