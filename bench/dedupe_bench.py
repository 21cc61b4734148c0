"""`dupes` on 100,000 contacts: time of `dedupe.find_groups` in the process, precision and recall.

The book is generated in memory (no database: find_groups is pure over records), 30% Chinese
names, with duplicates planted of five kinds, each a copy of an existing contact changed the
way people really enter a customer twice:

- email:   the same e-mail in another case, no phone, the organisation left out;
- phone:   the same phone written another way (`(202) 555-0123`, `+86-138-…`), no e-mail;
- typo:    one letter swapped, dropped or doubled in the name, no e-mail or phone;
- trad:    a Chinese name in traditional characters, no e-mail or phone;
- org:     the organisation with/without its legal suffix or city prefix, no e-mail or phone.

A pair counts as found when both records land in one group. Precision is over all the pairs
inside the groups found (planted or not: two different people at one firm who happen to
share a name count against it), recall over the planted pairs.

    python bench/dedupe_bench.py [--contacts 100000] [--per-kind 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import FIRST, GIVEN_ZH, LAST, SURNAMES_ZH  # noqa: E402

from tinycrm import dedupe  # noqa: E402

MORE_FIRST = ["Alice", "Bruno", "Chloe", "David", "Emma", "Felix", "Greta", "Hugo", "Iris", "Jonas", "Karin",
              "Leo", "Mia", "Nils", "Oscar", "Paula", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
              "Wendy", "Xavier", "Yara", "Zoe", "Aiko", "Bilal", "Carmen", "Dmitri", "Esra", "Fatima",
              "Goran", "Helga", "Ines", "Jamal", "Kenji", "Lucia", "Malik", "Nadia"]
SYLLABLES = ["ber", "car", "dell", "fen", "gar", "hol", "kin", "lan", "mor", "nor", "pel", "ros", "san",
             "ter", "val", "wick", "ton", "ley", "son", "man", "berg", "ford", "stein", "ari", "ovic"]
ORG_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne",
             "Soylent", "Wonka", "Aperture", "Vandelay", "Piper", "Massive", "Oscorp", "Blue", "Red", "North",
             "Delta", "Apex", "Summit", "Vertex", "Nova", "Orbit", "Pioneer", "Harbor", "Maple", "Cedar",
             "Granite", "Silver", "Golden", "Quantum", "Atlas", "Beacon", "Crest", "Echo", "Falcon", "Lumen"]
ORG_KINDS = ["Labs", "Systems", "Foods", "Logistics", "Media", "Partners", "Works", "Health", "Energy",
             "Software", "Capital", "Design", "Robotics", "Textiles", "Motors", "Studio", "Analytics"]
SUFFIXES = ["Inc.", "Ltd", "LLC", "GmbH", "Corp.", "Co.", "S.A.", "Limited", "plc"]
CITIES_ZH = ["佛山", "深圳", "广州", "上海", "北京", "杭州", "成都", "武汉", "南京", "苏州", "东莞", "厦门"]
CORE_ZH = ("华星东方南中科云海天府光谷腾飞企业新宏达金盛泰安恒信隆鑫博远瑞丰嘉和汇通永昌"
           "创维美佳富康宝利鼎盛凯旋锦程乐源明辉振兴德润伟业长城联合智达卓越天马红日青松祥和万家")
TRADE_ZH = ["科技", "电子", "贸易", "物流", "软件", "网络", "食品", "机械", "建材", "医药"]
GIVEN_MORE = "浩宇晨阳欣怡子轩梓涵一诺思远嘉怡俊杰雨桐志明文博佳琪家豪婉婷国栋海燕春梅建平"


def _s2t() -> dict[int, str]:
    """Simplified → traditional, the inverse of dedupe's folding table (for planting trad names)."""
    table: dict[int, str] = {}
    for trad, simp in dedupe._t2s_table().items():
        table.setdefault(ord(simp), chr(trad))
    return table


def make_book(contacts: int, per_kind: int, seed: int) -> tuple[list[dict], dict[str, set[tuple[int, int]]]]:
    """The records and, per kind, the planted (original, copy) id pairs."""
    rng = random.Random(seed)
    lasts = LAST + [rng.choice(SYLLABLES).title() + rng.choice(SYLLABLES) for _ in range(900)]
    lasts = sorted(set(lasts))
    firsts = FIRST + MORE_FIRST
    given = GIVEN_ZH + GIVEN_MORE
    orgs_latin = sorted({f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}" for _ in range(4000)})
    orgs_zh = sorted({rng.choice(CITIES_ZH) + "".join(rng.sample(CORE_ZH, 2)) + rng.choice(TRADE_ZH)
                      for _ in range(6000)})
    records: list[dict] = []
    for cid in range(1, contacts + 1):
        if rng.random() < 0.3:
            name = rng.choice(SURNAMES_ZH) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
            core = rng.choice(orgs_zh)
            org = core + "有限公司" if rng.random() < 0.8 else core
            email = f"user{cid}@example.cn"
            phone = f"+86 13{rng.randint(0, 9)} {rng.randint(0, 9999):04d} {cid % 10000:04d}"
        else:
            first, last = rng.choice(firsts), rng.choice(lasts)
            name = f"{first} {last}"
            core = rng.choice(orgs_latin)
            org = f"{core} {rng.choice(SUFFIXES)}" if rng.random() < 0.5 else core
            email = f"{first.lower()}.{last.lower()}{cid}@{core.lower().replace(' ', '')}.com"
            phone = f"+1 {rng.randint(201, 989)} {rng.randint(200, 999)} {cid % 10000:04d}"
        records.append({"id": cid, "kind": "person", "name": name, "org": org, "emails": [email],
                        "phones": [phone], "aliases": []})
    s2t = _s2t()
    planted: dict[str, set[tuple[int, int]]] = {k: set() for k in ("email", "phone", "typo", "trad", "org")}
    next_id = contacts + 1
    used: set[int] = set()

    def pick(chinese: bool | None = None) -> dict:
        while True:
            rec = records[rng.randrange(contacts)]
            if rec["id"] in used or (chinese is not None and dedupe.has_cjk(rec["name"]) != chinese):
                continue
            used.add(rec["id"])
            return rec

    def plant(kind: str, original: dict, **changes: object) -> None:
        nonlocal next_id
        copy = {**original, "id": next_id, "emails": [], "phones": [], **changes}
        records.append(copy)
        planted[kind].add((original["id"], next_id))
        next_id += 1

    for _ in range(per_kind):
        rec = pick()
        plant("email", rec, emails=[rec["emails"][0].upper() if rng.random() < 0.5 else rec["emails"][0].title()],
              org=None)
    for _ in range(per_kind):
        rec = pick()
        p = rec["phones"][0]
        if p.startswith("+1 "):
            _, area, mid, last = p.split()
            other = rng.choice((f"({area}) {mid}-{last}", f"{area}{mid}{last}", f"1-{area}-{mid}-{last}"))
        else:
            other = rng.choice((p.replace(" ", "-"), p.replace(" ", ""), p[4:].replace(" ", "")))
        plant("phone", rec, phones=[other])
    for _ in range(per_kind):
        rec = pick(chinese=False)
        name = rec["name"]
        i = rng.randrange(1, len(name) - 1)
        how = rng.choice(("swap", "drop", "double"))
        if how == "swap" and name[i] != " " and name[i + 1] != " ":
            name = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        elif how == "drop" and name[i] != " ":
            name = name[:i] + name[i + 1:]
        else:
            name = name[:i] + name[i] + name[i:]
        plant("typo", rec, name=name)
    for _ in range(per_kind):
        rec = pick(chinese=True)
        trad = rec["name"].translate(s2t)
        if trad == rec["name"]:
            trad = trad[0] + trad[1:].translate(s2t)
        plant("trad", rec, name=trad)
    for _ in range(per_kind):
        rec = pick()
        org = rec["org"]
        if dedupe.has_cjk(org):
            city = next((c for c in CITIES_ZH if org.startswith(c)), "")
            bare = org.removesuffix("有限公司")
            other = bare[len(city):] if rng.random() < 0.5 else (bare + "有限公司" if bare == org else city + "市" + bare[len(city):])
        else:
            words = org.split()
            other = " ".join(words[:2]) if len(words) > 2 else f"{org.upper()}, {rng.choice(SUFFIXES)}"
        plant("org", rec, org=other)
    rng.shuffle(records)
    return records, planted


def main() -> None:
    """Generate, run find_groups once, print time, precision and recall."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--per-kind", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-score", type=int, default=dedupe.DEFAULT_MIN_SCORE)
    args = parser.parse_args()
    records, planted = make_book(args.contacts, args.per_kind, args.seed)
    print(f"book: {len(records)} records, {sum(map(len, planted.values()))} planted duplicates", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    groups = dedupe.find_groups(records, min_score=args.min_score, region="US")
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    found = {pair for g in groups for pair in combinations(g.ids, 2)}
    truth = {tuple(sorted(p)) for pairs in planted.values() for p in pairs}
    hits = found & truth
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"find_groups: {elapsed:.2f} s wall, {cpu:.2f} s CPU (load average {load:.1f}),"
          f" {len(groups)} groups, {len(found)} pairs in them")
    print(f"precision {len(hits) / max(1, len(found)):.4f}  recall {len(hits) / max(1, len(truth)):.4f}")
    for kind, pairs in planted.items():
        got = sum(1 for p in pairs if tuple(sorted(p)) in found)
        print(f"  recall {kind:6} {got / max(1, len(pairs)):.4f} ({got}/{len(pairs)})")
    wrong = Counter(re.sub(r"\S+@\S+|\+\d+|\d+|\(.*?\)", "…", r)
                    for g in groups for p in g.pairs if (p.a, p.b) not in truth for r in p.reasons)
    for reason, n in wrong.most_common(5):
        print(f"  unplanted pairs with reason: {n:5} {reason}")


if __name__ == "__main__":
    main()
