"""Settings: key → value pairs (default currency, saved filters, …), and the change counter."""

from __future__ import annotations

from ..lazy import json
from .unit import UnitOfWork

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SAVED_FILTER_PREFIX = "filter:"
POOL_SETTING = "pool"


class SettingStore(UnitOfWork):
    """Settings and saved filters."""

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or the default."""
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def pool_rule(self) -> dict[str, Any] | None:
        """The pool's rule (days, per-tier days, warn, cooldown, max claims), if one is set.

        Read by every `due` (cron applies the rule), so it lives here, not with the team's parts.
        """
        text = self.setting(POOL_SETTING)
        return json.loads(text) if text else None

    def saved_filters(self) -> dict[str, str]:
        """Saved filters by name (settings `filter:NAME`), sorted by name."""
        rows = self.conn.execute(
            "SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key", (SAVED_FILTER_PREFIX + "%",)
        )
        return {key[len(SAVED_FILTER_PREFIX) :]: value for key, value in rows}

    def save_filter(self, name: str, text: str) -> None:
        """Save a filter under a name, as a setting."""
        self.set_setting(SAVED_FILTER_PREFIX + name.strip(), text)

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self.write(f"set {key}"):
            self.conn.execute(
                "INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)", (key, value)
            )

    def data_version(self) -> int:
        """SQLite's per-connection change counter: it moves when another connection commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

