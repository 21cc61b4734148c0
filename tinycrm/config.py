"""Where the book is (`--db`, `$TINYCRM_DB`, platform default) and who is acting (`--user`, login)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError


def default_db_path() -> Path:
    """The platform's user data directory, via platformdirs (imported only when needed)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("tinycrm", appauthor=False)) / "tinycrm.db"


def resolve_db_path(option: str | os.PathLike[str] | None) -> Path:
    """`--db`, else `$TINYCRM_DB`, else the platform default; an empty path is a usage error."""
    if option is not None:
        if not str(option).strip():
            raise UsageError("--db needs a file name, not an empty string")
        return Path(option).expanduser()
    env = os.environ.get("TINYCRM_DB")
    if env is not None:
        if not env.strip():
            raise UsageError("$TINYCRM_DB is set but empty: name a file or unset it")
        return Path(env).expanduser()
    return default_db_path()


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
