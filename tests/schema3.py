"""A book as schema 3 left it: migration 4 taken back, for the upgrade tests."""

from __future__ import annotations

import sqlite3


def as_schema_3(conn: sqlite3.Connection) -> None:
    """Take back migration 4: a book as schema 3 left it."""
    conn.execute("DROP INDEX deal_funnel")
    conn.execute("DROP INDEX deal_won")
    conn.execute("DROP INDEX interaction_kind_at")
    conn.execute("ALTER TABLE deal DROP COLUMN reached")
    conn.execute("DROP INDEX contact_name_sort")
    conn.execute("ALTER TABLE contact DROP COLUMN name_sort")
    conn.execute("ALTER TABLE contact DROP COLUMN labels")
    conn.execute("DROP INDEX contact_birthday_cover")
    conn.execute("DROP INDEX contact_next_touch_cover")
    conn.execute("CREATE INDEX contact_birthday_md ON contact(substr(birthday, -5), birthday_lunar)")
    conn.execute("CREATE INDEX contact_next_touch ON contact(next_touch_at) WHERE next_touch_at IS NOT NULL")
    conn.execute("DROP INDEX deal_close_cover")
    conn.execute("CREATE INDEX deal_close ON deal(close_date) WHERE status = 'open'")
    conn.execute("PRAGMA user_version = 3")
