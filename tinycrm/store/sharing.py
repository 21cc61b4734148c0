"""Sharing a book with a Unix group: the file, its -wal/-shm, backups and folder group-writable.

SQLite creates a book's `-wal` and `-shm` with the book's own mode bits, and a file made in a
setgid folder takes the folder's group, so once the book is 0660 and its folder 2770 owned by
the group, every file SQLite makes later stays usable by the group too. `share --off` goes
back to 0600 (folder 0700).
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from ..errors import CrmError, InvalidData

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

COMPANIONS = ("-wal", "-shm", "-journal")


def _files(book: Path) -> list[Path]:
    found = [book] + [book.with_name(book.name + suffix) for suffix in COMPANIONS]
    backups = book.parent / "backups"
    if backups.is_dir():
        found += sorted(backups.glob(f"{book.stem}-*.db"))
    found += sorted(book.parent.glob(f"{book.name}.v*.bak"))
    found += sorted(book.parent.glob(f"{book.stem}-before-restore-*.db"))
    return [p for p in found if p.exists()]


def share(book: Path, group: str | None) -> dict[str, Any]:
    """Make the book usable by `group` (None: back to owner-only); what was changed."""
    if not book.is_file():
        raise CrmError(f"no tinycrm database at {book}")
    gid = -1
    if group is not None:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise InvalidData(f"no Unix group '{group}' on this machine (see /etc/group)") from None
    file_mode, dir_mode = (0o660, 0o2770) if group is not None else (0o600, 0o700)
    folders = [book.parent] + ([book.parent / "backups"] if (book.parent / "backups").is_dir() else [])
    changed: list[str] = []
    try:
        for path in [*folders, *_files(book)]:
            if group is not None:
                os.chown(path, -1, gid)
            os.chmod(path, dir_mode if path.is_dir() else file_mode)
            changed.append(str(path))
    except PermissionError as exc:
        raise CrmError(
            f"cannot change {exc.filename}: only its owner (or root) can share it; "
            "ask them to run `tinycrm share` once"
        ) from None
    return {"group": group, "mode": oct(file_mode), "folder_mode": oct(dir_mode), "files": changed}


def shared_mode(book: Path) -> int:
    """The mode new files beside the book get: the book's own read/write bits (0600 or 0660)."""
    try:
        return stat.S_IMODE(book.stat().st_mode) & 0o660 or 0o600
    except OSError:
        return 0o600
