"""Store reads the full-screen interface needs and `Store` does not (yet) offer.

Kept apart from store.py while that module is being edited; each function takes an open
`Store` and uses only its connection, so they can move into the class unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from .store import Store

SAVED_FILTER_PREFIX = "filter:"


def data_version(store: Store) -> int:
    """SQLite's per-connection change counter: it moves when another connection commits."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0]


def next_reminders(store: Store, contact_ids: Iterable[int]) -> dict[int, str]:
    """The soonest open stored reminder (UTC text) of each of these contacts."""
    ids = list(contact_ids)
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = store.conn.execute(
            "SELECT contact_id, MIN(due) FROM reminder WHERE done_at IS NULL"
            f" AND contact_id IN ({','.join('?' * len(chunk))}) GROUP BY contact_id",
            chunk,
        )
        out.update({cid: due for cid, due in rows})
    return out


def saved_filters(store: Store) -> dict[str, str]:
    """Saved filters by name (settings `filter:NAME`), sorted by name."""
    rows = store.conn.execute(
        "SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key",
        (SAVED_FILTER_PREFIX + "%",),
    )
    return {key[len(SAVED_FILTER_PREFIX) :]: value for key, value in rows}


def save_filter(store: Store, name: str, text: str) -> None:
    """Save a filter under a name, through the store's settings."""
    store.set_setting(SAVED_FILTER_PREFIX + name.strip(), text)
