"""Generate a large tinycrm book for benchmarks: 100,000 contacts (30% Chinese names),
1,000,000 interactions, 50,000 deals and 20,000 reminders, as PRODUCT.md's table says.

Rows go in with raw `executemany` inside one transaction (the store's per-row path with
history would take minutes); the derived columns (search documents, e-mail/tag keys,
last-contacted and next-touch times) are filled exactly as the store fills them.

    python bench/generate.py bench/out/big.db [--contacts 100000] [--interactions 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinycrm import textindex  # noqa: E402
from tinycrm.dates import utc_iso  # noqa: E402
from tinycrm.store import Store, name_document, next_touch, search_key  # noqa: E402
from tinycrm.store.schema import REACHED_SQL  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
SURNAMES_ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_ZH = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲建国建华志强"
ORGS_ZH = ["佛山企业电子有限公司", "深圳华星科技有限公司", "广州南方贸易有限公司", "上海东方物流有限公司",
           "北京中科软件有限公司", "杭州云海网络有限公司", "成都天府食品有限公司", "武汉光谷机械有限公司"]
FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "John",
         "Radia", "Guido", "Anita", "Tim", "Sophie", "Lars", "Ingrid", "Pierre", "Marta", "Yusuf",
         "Amara", "Diego", "Hana", "Olga", "Raj", "Priya", "Kofi", "Elena", "Mateo", "Noor"]
LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
        "Allen", "Backus", "Perlman", "Rossum", "Borg", "Berners", "Wilson", "Nielsen", "Svensson",
        "Dubois", "Kowalska", "Demir", "Okafor", "Garcia", "Sato", "Ivanova", "Patel", "Sharma",
        "Mensah", "Rossi", "Fernandez", "Haddad"]
ORGS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne",
        "Soylent", "Wonka", "Aperture", "Vandelay", "Pied Piper", "Massive Dynamic", "Oscorp"]
TAGS = ["vip", "partner", "lead", "supplier", "press", "friend", "investor", "churned"]
KINDS = ["call", "email", "meeting", "message", "visit", "note"]
WORDS = ["invoice", "proposal", "renewal", "demo", "pricing", "contract", "support", "meeting",
         "follow-up", "onboarding", "报价", "合同", "发票", "续约", "演示", "会议"]
STAGES = [("lead", 10), ("qualified", 25), ("proposal", 50), ("negotiation", 75), ("won", 100), ("lost", 0)]


def generate(path: Path, contacts: int, interactions: int, deals: int, reminders: int, seed: int) -> None:
    """Fill a new database at `path`."""
    rng = random.Random(seed)
    if path.exists():
        path.unlink()
    store = Store.open(path, "bench", clock=lambda: NOW)
    conn = store.conn
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    contact_rows, fts_rows, key_rows, name_rows = [], [], [], []
    created = {}
    for cid in range(1, contacts + 1):
        if rng.random() < 0.3:
            name = rng.choice(SURNAMES_ZH) + "".join(rng.choice(GIVEN_ZH) for _ in range(rng.choice((1, 2))))
            org = rng.choice(ORGS_ZH)
            email = f"user{cid}@example.cn"
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            org = rng.choice(ORGS)
            email = f"{first.lower()}.{last.lower()}{cid}@{org.lower().replace(' ', '')}.com"
        phone = f"+1 555 {cid:07d}"
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2)))
        every = rng.choice((None, None, None, "30d", "60d", "90d"))
        made = NOW - timedelta(days=rng.randint(1, 1500))
        created[cid] = made
        birthday = f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.4 else None
        contact_rows.append((
            cid, "person", name, org, None, json.dumps([email]), json.dumps([phone]), json.dumps(tags, ensure_ascii=False),
            birthday, 1 if (birthday and rng.random() < 0.05) else 0, every, rng.choice(("A", "B", "C", None)),
            "bench", utc_iso(made), utc_iso(made),
        ))
        fts_rows.append((cid, textindex.document(name, org, email, phone, *tags, pinyin_of=name)))
        name_rows.append((cid, name_document(name, [])))
        key_rows += [(cid, "email", email.lower()), (cid, "phone", phone.replace(" ", ""))]
        key_rows += [(cid, "tag", t) for t in tags]
    conn.executemany(
        "INSERT INTO contact(id, kind, name, org, title, emails, phones, tags, birthday, birthday_lunar,"
        " every, tier, owner, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        contact_rows,
    )
    conn.executemany("INSERT INTO contact_fts(rowid, doc) VALUES (?, ?)", fts_rows)
    conn.executemany("INSERT INTO contact_name_fts(rowid, name) VALUES (?, ?)", name_rows)
    conn.executemany("INSERT INTO contact_key(contact_id, kind, value) VALUES (?, ?, ?)", key_rows)
    print(f"contacts: {contacts} in {time.perf_counter() - t0:.1f}s", flush=True)

    t1 = time.perf_counter()
    last: dict[int, str] = {}
    batch, fts = [], []
    for iid in range(1, interactions + 1):
        cid = rng.randint(1, contacts)
        at = utc_iso(NOW - timedelta(minutes=rng.randint(1, 525600)))
        summary = f"{rng.choice(KINDS)} about {rng.choice(WORDS)} {rng.choice(WORDS)}"
        batch.append((iid, cid, rng.choice(KINDS), at, summary, "bench", at))
        fts.append((search_key(at, iid), textindex.document(summary), iid))
        if at > last.get(cid, ""):
            last[cid] = at
        if len(batch) >= 50000:
            conn.executemany("INSERT INTO interaction(id, contact_id, kind, at, summary, user, created_at)"
                             " VALUES (?,?,?,?,?,?,?)", batch)
            conn.executemany("INSERT INTO interaction_fts(rowid, doc, interaction_id) VALUES (?, ?, ?)", fts)
            batch, fts = [], []
    if batch:
        conn.executemany("INSERT INTO interaction(id, contact_id, kind, at, summary, user, created_at)"
                         " VALUES (?,?,?,?,?,?,?)", batch)
        conn.executemany("INSERT INTO interaction_fts(rowid, doc, interaction_id) VALUES (?, ?, ?)", fts)
    print(f"interactions: {interactions} in {time.perf_counter() - t1:.1f}s", flush=True)

    everies = dict(conn.execute("SELECT id, every FROM contact WHERE every IS NOT NULL").fetchall())
    conn.executemany(
        "UPDATE contact SET last_contacted_at = ?, next_touch_at = ? WHERE id = ?",
        [(last.get(cid), next_touch(everies.get(cid), last.get(cid), utc_iso(created[cid])), cid)
         for cid in range(1, contacts + 1) if cid in last or cid in everies],
    )

    t2 = time.perf_counter()
    deal_rows, stage_rows = [], []
    for did in range(1, deals + 1):
        stage, prob = rng.choice(STAGES)
        status = stage if stage in ("won", "lost") else "open"
        entered = utc_iso(NOW - timedelta(days=rng.randint(0, 120)))
        close = (NOW + timedelta(days=rng.randint(-60, 120))).strftime("%Y-%m-%d")
        deal_rows.append((did, rng.randint(1, contacts), f"Deal {did} {rng.choice(WORDS)}",
                          rng.randint(100, 5_000_000) * 100, rng.choice(("USD", "EUR", "CNY")), stage, prob,
                          status, close, 1 if rng.random() < 0.05 else 0, "bench", entered, entered, entered,
                          entered if status != "open" else None))
        stage_rows.append((did, stage, entered, "bench"))
    conn.executemany(
        "INSERT INTO deal(id, contact_id, title, value_minor, currency, stage, probability, status, close_date,"
        " key, owner, stage_entered_at, created_at, updated_at, closed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        deal_rows,
    )
    conn.executemany("INSERT INTO deal_stage(deal_id, stage, entered_at, user) VALUES (?,?,?,?)", stage_rows)
    conn.execute(f"UPDATE deal SET reached = {REACHED_SQL.format(deal='deal.id')}")  # as the store keeps it
    rem_rows = []
    for rid in range(1, reminders + 1):
        due = utc_iso(NOW + timedelta(hours=rng.randint(-24 * 30, 24 * 90)))
        done = utc_iso(NOW) if rng.random() < 0.5 else None
        rem_rows.append((rid, rng.randint(1, contacts), f"Reminder {rid}: {rng.choice(WORDS)}", due,
                         rng.choice((None, None, "weekly", "monthly")), "manual", done, "bench", due, due))
    conn.executemany(
        "INSERT INTO reminder(id, contact_id, text, due, every, source, done_at, owner, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        rem_rows,
    )
    for table in ("contact_fts", "contact_name_fts", "interaction_fts"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    conn.execute("COMMIT")
    print(f"deals and reminders in {time.perf_counter() - t2:.1f}s", flush=True)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    print(f"total {time.perf_counter() - t0:.1f}s, {path.stat().st_size / 1e6:.0f} MB at {path}")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--deals", type=int, default=50_000)
    parser.add_argument("--reminders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    generate(args.path, args.contacts, args.interactions, args.deals, args.reminders, args.seed)


if __name__ == "__main__":
    main()
