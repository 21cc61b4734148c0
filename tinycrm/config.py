"""Where the book is (`--db`, `$TINYCRM_DB`, platform default) and who is acting (`--user`, login)."""

from __future__ import annotations

import os

from .errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def default_db_path() -> Path:
    """The platform's user data directory, via platformdirs (imported only when needed)."""
    from pathlib import Path

    from platformdirs import user_data_dir

    return Path(user_data_dir("tinycrm", appauthor=False)) / "tinycrm.db"


def resolve_db_path(option: str | os.PathLike[str] | None) -> Path:
    """`--db`, else `$TINYCRM_DB`, else the platform default; an empty path is a usage error."""
    from pathlib import Path

    return Path(db_location(option))


def db_location(option: str | os.PathLike[str] | None) -> str:
    """`resolve_db_path` as text, spelled as `str(Path(...))` would, without importing pathlib.

    pathlib brings urllib.parse and ipaddress (~4 ms of every command's start-up); a book named
    by `--db` or `$TINYCRM_DB` opens without them.
    """
    if option is not None:
        if not str(option).strip():
            raise UsageError("--db needs a file name, not an empty string")
        return path_text(os.path.expanduser(os.fspath(option)))
    env = os.environ.get("TINYCRM_DB")
    if env is not None:
        if not env.strip():
            raise UsageError("$TINYCRM_DB is set but empty: name a file or unset it")
        return path_text(os.path.expanduser(env))
    return str(default_db_path())


def path_text(text: str) -> str:
    """`str(PurePosixPath(text))`: no empty or `.` parts, no trailing slash (`..` is kept)."""
    if os.sep != "/":  # pragma: no cover - Windows spells paths its own way
        from pathlib import Path

        return str(Path(text))
    root = "/" if text.startswith("/") else ""
    if text.startswith("//") and not text.startswith("///"):
        root = "//"  # POSIX keeps exactly two leading slashes
    parts = [part for part in text.split("/") if part not in ("", ".")]
    return root + "/".join(parts) if root or parts else "."


def is_explicit_path(option: str | os.PathLike[str] | None) -> bool:
    """True when the book was named (`--db` or `$TINYCRM_DB`), not the platform default."""
    return option is not None or os.environ.get("TINYCRM_DB") is not None


def default_user() -> str:
    """`$TINYCRM_USER`, else the login name."""
    env = os.environ.get("TINYCRM_USER")
    if env:
        return env
    # getpass.getuser's own order, without getpass's import of termios on every start-up
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        login = os.environ.get(name)
        if login:
            return login
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "me"
