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

MIGRATIONS: list[list[str]] = [
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
        # rowid = tinycrm.store.search_key(at, id): time-ordered, so the newest matches
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
]

SCHEMA_VERSION = len(MIGRATIONS)
