"""Opening a book: file checks, pragmas, the schema check, numbered migrations, backups.

A book is one SQLite file in WAL mode with `foreign_keys=ON` and a busy timeout. A file
that is not ours (another program's SQLite file, a newer tinycrm's, a tinycrm book with a
table missing or foreign tables added) is refused and left byte-identical; an older one is
backed up (0600) beside itself and migrated in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time

from ..errors import CrmError, NotFound, SchemaTooNew
from .schema import DEFAULT_STAGES, MIGRATIONS, SCHEMA_VERSION, TABLES

TYPE_CHECKING = False
if TYPE_CHECKING:  # paths are text here: pathlib is not on the start-up path (tinycrm.config.db_location)
    from pathlib import Path

    PathText = str | os.PathLike[str]

BUSY_TIMEOUT_S = 30  # how long a write waits for another one before it gives up, in words


class NotOurs(CrmError):
    """The file is not a tinycrm book (or not one this version can read); it is left untouched."""


def check_path(path: PathText, *, create: bool) -> None:
    """Refuse what cannot be a book before SQLite touches it; a missing file only when `create`."""
    if os.path.islink(path) and not os.path.exists(path):
        raise CrmError(f"{path} is a link to a file that does not exist")
    if os.path.exists(path):
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise CrmError(f"{path} is a folder, not a tinycrm database")
        if not stat.S_ISREG(mode):
            raise CrmError(f"{path} is not a regular file (a device or a pipe?), so it cannot hold a book")
        return
    if not create:
        raise NotFound(f"no tinycrm database at {path} (a command that writes, such as "
                       "`tinycrm contact add NAME`, creates one)")


NETWORK_FS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ceph",
              "glusterfs", "fuse.glusterfs", "lustre", "davfs", "fuse.davfs2")  # fmt: skip
MOUNTS: PathText = "/proc/self/mounts"


def network_fs(path: PathText) -> str | None:
    """The type of the network filesystem `path` lives on, or None (local, or not knowable)."""
    try:
        with open(MOUNTS, encoding="utf-8", errors="surrogateescape") as mounts:
            lines = mounts.read().splitlines()
    except OSError:
        return None
    target = os.path.realpath(path if os.path.exists(path) else os.path.dirname(os.path.abspath(path)))
    best, kind = "", None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = str(target) == point or str(target).startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind if kind in NETWORK_FS else None


def connect(path: PathText, *, create: bool = True, allow_network_fs: bool = False) -> sqlite3.Connection:
    """Connect with the file (and its -wal/-shm, which SQLite gives the same mode) 0600."""
    check_path(path, create=create)
    kind = None if allow_network_fs else network_fs(path)
    if kind:
        raise CrmError(
            f"{path} is on a network filesystem ({kind}): SQLite's WAL needs shared memory on one "
            "host, and two machines writing would corrupt the book; keep it on a local disk, or "
            "pass --allow-network-fs if only this machine ever opens it"
        )
    if not os.path.exists(path):
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise CrmError(f"cannot create {path}: {exc.strerror or exc}") from None
    old = os.umask(0o077)
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        check_schema(path, version, tables)
        if version:
            use_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise CrmError(_open_error(path, exc)) from None
    finally:
        os.umask(old)
    return conn


def _open_error(path: PathText, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a tinycrm database (not a readable SQLite file)"
    if "readonly" in text or "unable to open" in text:
        return f"cannot open {path}: the file or its folder is read-only or not accessible"
    return f"cannot open {path}: {text}"


def check_schema(path: PathText, version: int, tables: set[str]) -> None:
    """Refuse a file whose schema is not ours, before anything is written to it."""
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer tinycrm (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade tinycrm — the file was not changed"
        )
    if version < 0 or (version == 0 and tables):
        raise NotOurs(f"{path} is an SQLite file but not a tinycrm database; it was not changed")
    if version == 0:
        return
    expected = TABLES[version]
    missing = sorted(expected - tables)
    # SQLite's own tables (ANALYZE's statistics, AUTOINCREMENT's sequence) belong to any book
    foreign = sorted(t for t in tables - expected if not t.startswith("sqlite_"))
    if missing:
        raise NotOurs(
            f"{path} is a damaged tinycrm book (missing table {', '.join(missing)}); "
            "restore it from a backup (tinycrm restore FILE)"
        )
    if foreign:
        raise NotOurs(
            f"{path} holds tables tinycrm does not know ({', '.join(foreign[:5])}); "
            "it is not a tinycrm book, and it was not changed"
        )


def use_wal(conn: sqlite3.Connection) -> None:
    """Put the book in WAL mode, waiting out others as the busy timeout would.

    Switching the journal mode needs the file to itself, and SQLite answers "database is
    locked" at once, without its busy handler, while another connection holds any lock — as
    happens when the TUI's connections open a new book at the same moment."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(conn: sqlite3.Connection, path: PathText) -> None:
    """Bring the book to SCHEMA_VERSION, backing up an older one first (one transaction)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version:
        backup(conn, f"{os.fspath(path)}.v{version}.bak")  # FILE.vN.bak beside the file
    else:
        use_wal(conn)  # a new book is made in WAL mode, never switched while others read it
    conn.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt; checked before commit
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        for number in range(current + 1, SCHEMA_VERSION + 1):
            step = MIGRATIONS[number - 1]
            if callable(step):
                step(conn)
            else:
                for statement in step:
                    conn.execute(statement)
            if number == 1:
                conn.executemany(
                    "INSERT INTO stage(name, probability, position, stale_days) VALUES (?, ?, ?, ?)",
                    DEFAULT_STAGES,
                )
            conn.execute(f"PRAGMA user_version = {number}")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise CrmError(f"{path}: migration would break references between records; nothing was changed")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    use_wal(conn)


def backup(conn: sqlite3.Connection, target: str | os.PathLike[str]) -> Path:
    """A consistent online copy of the database (SQLite's backup API), mode 0600."""
    from pathlib import Path

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal/-shm beside it
    finally:
        dest.close()
    return target
