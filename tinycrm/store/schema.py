"""The schema, as numbered migrations. `PRAGMA user_version` holds the applied number.

Each migration is a list of SQL statements run inside one transaction. Add a migration
to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

DEFAULT_STAGES = [
    # name, probability %, position, days in stage before the deal counts as stale
    ("lead", 10, 1, 30),
    ("qualified", 25, 2, 21),
    ("proposal", 50, 3, 14),
    ("negotiation", 75, 4, 14),
    ("won", 100, 5, None),
    ("lost", 0, 6, None),
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    Migration = list[str] | Callable[[sqlite3.Connection], None]

# tables whose ids must never be reused (a script holding id 5 must never reach another record)
_NEVER_REUSED = ("contact", "interaction", "deal", "deal_stage", "reminder", "history")
# ISO 4217 currencies whose minor unit is not 1/100, and its exponent (see tinycrm.money)
_NOT_CENTS = (
    ("BIF", 0), ("CLP", 0), ("DJF", 0), ("GNF", 0), ("ISK", 0), ("JPY", 0), ("KMF", 0),
    ("KRW", 0), ("PYG", 0), ("RWF", 0), ("UGX", 0), ("UYI", 0), ("VND", 0), ("VUV", 0),
    ("XAF", 0), ("XOF", 0), ("XPF", 0), ("BHD", 3), ("IQD", 3), ("JOD", 3), ("KWD", 3),
    ("LYD", 3), ("OMR", 3), ("TND", 3), ("CLF", 4), ("UYW", 4),
)

# the furthest open stage (by position) a deal's stage history went to, NULL when it names
# none: what `deal.reached` holds (migration 4 fills it, the store keeps it, `check` compares)
REACHED_SQL = (
    "(SELECT h.stage FROM deal_stage h JOIN stage s ON s.name = h.stage WHERE h.deal_id = {deal}"
    " AND s.name NOT IN ('won', 'lost') ORDER BY s.position DESC, s.name LIMIT 1)"
)


def _migration_2(conn: sqlite3.Connection) -> None:
    """Ids never reused (AUTOINCREMENT), money in each currency's own minor unit, notify claims.

    Tables are rebuilt the way SQLite documents (new table, copy, drop, rename; foreign keys
    are off while the migration runs). The sequence of each table starts above every id it
    ever gave out, including rows since deleted, as far as history remembers them.
    """
    for table in _NEVER_REUSED:
        create = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
        indexes = [
            row[0]
            for row in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table,),
            )
        ]
        new_sql = (
            create.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {table}_v2 (", 1)
            .replace("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,", 1)
            # a whole import is one history row per batch of ids (store/bulk.py)
            .replace(
                "CHECK (op IN ('insert', 'update', 'delete'))",
                "CHECK (op IN ('insert', 'update', 'delete', 'bulk'))",
            )
        )
        conn.execute(new_sql)
        conn.execute(f"INSERT INTO {table}_v2 SELECT * FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")
        for sql in indexes:
            conn.execute(sql)
        high = conn.execute(
            f"SELECT max(COALESCE((SELECT MAX(id) FROM {table}), 0),"
            " COALESCE((SELECT MAX(row_id) FROM history WHERE tbl = ?), 0))",
            (table,),
        ).fetchone()[0]
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (table, high))
    for code, places in _NOT_CENTS:  # stored as cents until now
        if places < 2:
            conn.execute(
                "UPDATE deal SET value_minor = (value_minor + 50) / 100 WHERE currency = ?", (code,)
            )
        else:
            conn.execute(
                f"UPDATE deal SET value_minor = value_minor * {10 ** (places - 2)} WHERE currency = ?",
                (code,),
            )
    # a notification is claimed ('sending') inside a write transaction before it is sent, so
    # parallel cron runs send it once; a failed send releases the claim
    conn.execute("ALTER TABLE notified ADD COLUMN state TEXT NOT NULL DEFAULT 'sent'")
    conn.execute("CREATE INDEX history_user_tx ON history(user, txid)")
    # since when the current owner has the customer: the shared pool's rules count from it
    conn.execute("ALTER TABLE contact ADD COLUMN owner_since TEXT")
    conn.execute("UPDATE contact SET owner_since = created_at WHERE owner IS NOT NULL")
    conn.execute("CREATE INDEX contact_owner ON contact(owner, owner_since)")
    # where a contact came from, so re-importing the same file adds nobody: a vCard UID (also
    # what the vCard export writes back) and source ids (a vdir's file name, another CRM's id)
    conn.execute("ALTER TABLE contact ADD COLUMN uid TEXT")
    conn.execute("ALTER TABLE contact ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'")
    conn.execute(
        "CREATE TABLE contact_key_v2 (contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'tag', 'uid', 'source')), value TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO contact_key_v2 SELECT contact_id, kind, value FROM contact_key")
    conn.execute("DROP TABLE contact_key")
    conn.execute("ALTER TABLE contact_key_v2 RENAME TO contact_key")
    conn.execute("CREATE INDEX contact_key_value ON contact_key(kind, value, contact_id)")
    conn.execute("CREATE INDEX contact_key_contact ON contact_key(contact_id, kind, value)")
    # the stored health score (tinycrm.health), what `health<40` filters on
    conn.execute("ALTER TABLE contact ADD COLUMN health INTEGER")
    conn.execute("CREATE INDEX contact_health ON contact(health)")  # not partial: see test_agenda's plans
    # the activity report counts by time, kind and user without reading the rows
    conn.execute("DROP INDEX interaction_at")
    conn.execute("CREATE INDEX interaction_at_cover ON interaction(at, kind, user, contact_id)")
    _rekey_contacts(conn)


def _rekey_contacts(conn: sqlite3.Connection) -> None:
    """E-mail and phone keys in their normal form (tinycrm.normalize), for every contact."""
    import os

    from .. import normalize
    from .contacts import index_entries

    region = normalize.default_region(None, os.environ)
    cur = conn.execute("SELECT * FROM contact")
    cols = [d[0] for d in cur.description]
    conn.execute("DELETE FROM contact_key")
    for values in cur.fetchall():
        row = dict(zip(cols, values))
        _, _, keys = index_entries(row, region)
        conn.executemany(
            "INSERT INTO contact_key(contact_id, kind, value) VALUES (?, ?, ?)",
            [(row["id"], kind, value) for kind, value in keys],
        )


# 4, part one: each deal's furthest open stage reached, kept by the store wherever a stage changes
# (store/deals.py), so `report funnel` is one grouped read of deal_funnel instead of a walk
# through every deal's stage history; lost deals are read by status from the same index;
# won deals by customer for `report rfm`; interactions by kind for `report activity`;
# and `due` reads birthdays, cadences and deals' close dates from covering indexes, in
# place of the three they replace: a few contiguous index pages, not a table row a few
# pages apart per contact (store/due.py `_CONTACT_COLUMNS`, what `tinycrm.reminders` reads)
_MIGRATION_4_SQL = [
    # the type or label of each e-mail, phone and address (`work`, `cell`, Apple's custom
    # labels), as vCards and CSV exports carry them: {"value": "label"}, written back by the exporters
    "ALTER TABLE contact ADD COLUMN labels TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE deal ADD COLUMN reached TEXT",
    f"UPDATE deal SET reached = {REACHED_SQL.format(deal='deal.id')}",
    "CREATE INDEX deal_funnel ON deal(status, reached, owner, currency, created_at, closed_at,"
    " value_minor, contact_id, lost_reason)",
    # `report rfm`: won deals per customer and currency in the order it groups them, no sort
    # (the status is a column too, or the index would not cover the query)
    "CREATE INDEX deal_won ON deal(contact_id, currency, status, closed_at, value_minor)"
    " WHERE status = 'won'",
    # `report activity`: a window's interactions of one kind are one range, counted unsorted
    "CREATE INDEX interaction_kind_at ON interaction(kind, at, user, contact_id)",
    "DROP INDEX contact_birthday_md",
    "CREATE INDEX contact_birthday_cover ON contact(substr(birthday, -5), birthday_lunar,"
    " deleted_at, id, name, birthday, anniversaries, every, last_contacted_at, created_at)"
    " WHERE birthday IS NOT NULL",
    "DROP INDEX contact_next_touch",
    "CREATE INDEX contact_next_touch_cover ON contact(next_touch_at, id, deleted_at, name,"
    " birthday, birthday_lunar, anniversaries, every, last_contacted_at, created_at)"
    " WHERE next_touch_at IS NOT NULL",
    # and open deals by close date, with the columns `due` reads of them (store/due.py)
    "DROP INDEX deal_close",
    "CREATE INDEX deal_close_cover ON deal(close_date, id, contact_id, title, stage, status,"
    " stage_entered_at) WHERE status = 'open'",
]


def _migration_4(conn: sqlite3.Connection) -> None:
    """Schema 4 in one step: `_MIGRATION_4_SQL`, then the stored name sort key."""
    for sql in _MIGRATION_4_SQL:
        conn.execute(sql)
    _name_sort_column(conn)


def _name_sort_column(conn: sqlite3.Connection) -> None:
    """A stored sort key per contact (`textindex.sort_key`: pinyin of Chinese names, folded latin).

    The store keeps it on every write of a name (store/contacts.py `_contact_values`, the undo
    of store/unit.py); `check` reports a key that no longer matches its name.
    """
    from ..textindex import sort_key

    conn.execute("ALTER TABLE contact ADD COLUMN name_sort TEXT NOT NULL DEFAULT ''")
    rows = conn.execute("SELECT id, name FROM contact").fetchall()
    conn.executemany("UPDATE contact SET name_sort = ? WHERE id = ?", [(sort_key(n), i) for i, n in rows])
    conn.execute("CREATE INDEX contact_name_sort ON contact(name_sort)")  # the id rides along (rowid)


MIGRATIONS: list[Migration] = [
    # 1: the whole first model
    [
        """CREATE TABLE contact (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'org')),
            name TEXT NOT NULL,
            org TEXT,
            org_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
            title TEXT,
            emails TEXT NOT NULL DEFAULT '[]',
            phones TEXT NOT NULL DEFAULT '[]',
            addresses TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            birthday TEXT,
            birthday_lunar INTEGER NOT NULL DEFAULT 0,
            anniversaries TEXT NOT NULL DEFAULT '[]',
            every TEXT,
            notes TEXT,
            owner TEXT,
            tier TEXT,
            fields TEXT NOT NULL DEFAULT '{}',
            aliases TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            last_contacted_at TEXT,
            next_touch_at TEXT,
            deleted_at TEXT
        )""",
        "CREATE INDEX contact_name ON contact(name COLLATE NOCASE)",
        "CREATE INDEX contact_last ON contact(last_contacted_at)",
        "CREATE INDEX contact_next_touch ON contact(next_touch_at) WHERE next_touch_at IS NOT NULL",
        "CREATE INDEX contact_org_id ON contact(org_id)",
        "CREATE INDEX contact_deleted ON contact(deleted_at) WHERE deleted_at IS NOT NULL",
        # birthdays by month-day, so `due` reads only the few in its window
        "CREATE INDEX contact_birthday_md ON contact(substr(birthday, -5), birthday_lunar)"
        " WHERE birthday IS NOT NULL",
        "CREATE INDEX contact_anniversaries ON contact(id) WHERE anniversaries != '[]'",
        # e-mails, phones and tags, one row each, for REF look-up, tag filters and dedupe
        """CREATE TABLE contact_key (
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'tag')),
            value TEXT NOT NULL
        )""",
        "CREATE INDEX contact_key_value ON contact_key(kind, value, contact_id)",
        "CREATE INDEX contact_key_contact ON contact_key(contact_id, kind, value)",
        "CREATE VIRTUAL TABLE contact_fts USING fts5(doc, tokenize='unicode61 remove_diacritics 2',"
        " prefix='2 3')",
        # names (and aliases) by trigram: any substring of 3+ characters, for REF look-up
        "CREATE VIRTUAL TABLE contact_name_fts USING fts5(name, tokenize='trigram')",
        """CREATE TABLE interaction (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'note',
            at TEXT NOT NULL,
            summary TEXT NOT NULL,
            body TEXT,
            deal_id INTEGER REFERENCES deal(id) ON DELETE SET NULL,
            user TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX interaction_contact_at ON interaction(contact_id, at)",
        "CREATE INDEX interaction_at ON interaction(at)",
        "CREATE INDEX interaction_deal ON interaction(deal_id) WHERE deal_id IS NOT NULL",
        # rowid = tinycrm.store.interactions.search_key(at, id): time-ordered, so the newest matches
        # come straight off the index
        "CREATE VIRTUAL TABLE interaction_fts USING fts5(doc, interaction_id UNINDEXED,"
        " tokenize='unicode61 remove_diacritics 2')",
        """CREATE TABLE stage (
            name TEXT PRIMARY KEY,
            probability INTEGER NOT NULL,
            position INTEGER NOT NULL,
            stale_days INTEGER
        )""",
        """CREATE TABLE deal (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            value_minor INTEGER NOT NULL DEFAULT 0,
            currency TEXT NOT NULL DEFAULT 'USD',
            stage TEXT NOT NULL,
            probability INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
            close_date TEXT,
            lost_reason TEXT,
            key INTEGER NOT NULL DEFAULT 0,
            owner TEXT,
            stage_entered_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        )""",
        "CREATE INDEX deal_contact ON deal(contact_id)",
        "CREATE INDEX deal_status_stage ON deal(status, stage)",
        "CREATE INDEX deal_close ON deal(close_date) WHERE status = 'open'",
        # stale deals: open ones that entered their stage before that stage's limit
        "CREATE INDEX deal_open_stage_entered ON deal(stage, stage_entered_at) WHERE status = 'open'",
        """CREATE TABLE deal_stage (
            id INTEGER PRIMARY KEY,
            deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            user TEXT
        )""",
        "CREATE INDEX deal_stage_deal ON deal_stage(deal_id)",
        """CREATE TABLE reminder (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER REFERENCES contact(id) ON DELETE CASCADE,
            deal_id INTEGER REFERENCES deal(id) ON DELETE CASCADE,
            interaction_id INTEGER REFERENCES interaction(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            due TEXT NOT NULL,
            anchor TEXT,
            all_day INTEGER NOT NULL DEFAULT 1,
            every TEXT,
            from_done INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'manual',
            done_at TEXT,
            owner TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX reminder_open_due ON reminder(due) WHERE done_at IS NULL",
        "CREATE INDEX reminder_contact ON reminder(contact_id)",
        # occurrences of derived items (birthday, cadence, deal) marked done or snoozed
        """CREATE TABLE occurrence (
            key TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('done', 'snoozed')),
            until TEXT,
            at TEXT NOT NULL
        )""",
        # occurrences already notified, so cron does not send them twice
        "CREATE TABLE notified (key TEXT PRIMARY KEY, at TEXT NOT NULL)",
        """CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            txid INTEGER NOT NULL,
            at TEXT NOT NULL,
            user TEXT,
            command TEXT,
            tbl TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            contact_id INTEGER,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            before TEXT,
            after TEXT,
            undone_at TEXT
        )""",
        "CREATE INDEX history_tx ON history(txid)",
        "CREATE INDEX history_contact ON history(contact_id)",
        "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    # 2: ids never reused, money in minor units per currency, notify claims, bulk history
    _migration_2,
    # 3: list orders served by indexes, so a page is read, not sorted (store/deals.py
    # `_deal_page`, store/reminders.py `list_reminders`); long cadences for `due`; an
    # e-mail's Message-ID, so `log --eml` records the same message once;
    # and the reports read deals and their stage history from covering indexes, in the order
    # they group them (store/reports.py): no row of the tables and no sort of 50,000 rows.
    # deal_report leads with the currency, which no query looks deals up by: led by the
    # status, the planner took it for `status = 'won' AND contact_id = ?` look-ups too
    [
        "CREATE INDEX deal_list_order ON deal(status = 'open', stage, close_date IS NULL, close_date)",
        "CREATE INDEX reminder_done_due ON reminder(due) WHERE done_at IS NOT NULL",
        # `due` reads month and year cadences a few days ahead (store/due.py cadence_contacts)
        "CREATE INDEX contact_next_touch_long ON contact(next_touch_at)"
        " WHERE next_touch_at IS NOT NULL AND substr(every, -1) IN ('m', 'y')",
        "ALTER TABLE interaction ADD COLUMN message_id TEXT",
        "CREATE UNIQUE INDEX interaction_message ON interaction(message_id) WHERE message_id IS NOT NULL",
        "CREATE INDEX deal_report ON deal(currency, status, stage, owner, close_date, contact_id,"
        " value_minor, probability, stage_entered_at, created_at, closed_at, updated_at, lost_reason)",
        "DROP INDEX deal_stage_deal",
        # in id order within a deal, as a deal's history is read
        "CREATE INDEX deal_stage_cover ON deal_stage(deal_id, id, stage, entered_at, user)",
    ],
    # 4: the furthest stage of each deal, the report and due covering indexes, names sorted as
    # spoken, the labels of e-mails, phones and addresses
    _migration_4,
]

SCHEMA_VERSION = len(MIGRATIONS)

_TABLES_1 = frozenset({
    "contact", "contact_key", "deal", "deal_stage", "history", "interaction", "notified",
    "occurrence", "reminder", "setting", "stage",
    *(f"{fts}{part}" for fts in ("contact_fts", "contact_name_fts", "interaction_fts")
      for part in ("", "_config", "_content", "_data", "_docsize", "_idx")),
})  # fmt: skip
# the tables a book of each version holds, no more and no fewer (a test checks them)
_TABLES_2 = _TABLES_1 | {"sqlite_sequence"}
TABLES: dict[int, frozenset[str]] = {1: _TABLES_1, 2: _TABLES_2, 3: _TABLES_2, 4: _TABLES_2}
