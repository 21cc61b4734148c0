"""`tinycrm demo`: a realistic sample book, made through the Store API so it is real data.

Everything goes through the same Store methods the commands use (so the book carries
history and `tinycrm undo` takes the whole demo back: it is one transaction). To give the
book a past — contacts added months ago, deals that moved through the stages and closed
in earlier months — the store's clock is set to each event's time while it is recorded,
and put back afterwards. The book is a function of (`now`, `seed`, `contacts`) only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from .dates import local_at
from .store import Store

CN_SURNAMES = [
    ("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"),
    ("罗", "Luo"), ("高", "Gao"),
]  # fmt: skip
CN_GIVEN = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("洋", "Yang"), ("敏", "Min"), ("静", "Jing"),
    ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("丽", "Li"), ("勇", "Yong"), ("艳", "Yan"),
    ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
    ("华", "Hua"), ("建国", "Jianguo"), ("晓东", "Xiaodong"), ("婷", "Ting"), ("鹏", "Peng"),
    ("慧", "Hui"), ("海燕", "Haiyan"),
]  # fmt: skip
CN_FIRST = [(0, 0), (1, 1), (2, 2), (3, 3)]  # 张伟, 王芳, 李娜, 刘洋 come first
CN_ORGS = [
    ("佛山企业电子有限公司", "fs-dianzi.cn"),
    ("深圳华星科技有限公司", "huaxing-tech.cn"),
    ("广州恒达贸易有限公司", "hengda-trade.cn"),
    ("上海云帆信息技术有限公司", "yunfan-it.cn"),
    ("杭州青禾网络科技有限公司", "qinghe.net.cn"),
    ("北京中科智联软件有限公司", "zkzl-soft.cn"),
    ("东莞立信精密制造有限公司", "lixin-precision.cn"),
    ("苏州瑞丰新材料有限公司", "ruifeng-materials.cn"),
]
INTL_FIRST = [
    "Ada", "Grace", "Alan", "Linus", "Margaret", "Sofia", "Liam", "Noah", "Emma", "Olivia",
    "Lucas", "Mia", "Hugo", "Chloé", "Mateo", "Isabella", "Priya", "Arjun", "Yuki", "Hiroshi",
    "Fatima", "Omar", "Ingrid", "Lars", "Zoë", "Tomás", "Aisha", "Kwame", "Elena", "Dmitri",
    "Nora", "Felix", "Clara", "Jonas", "Amara", "Diego", "Hannah", "Samuel", "Leila", "Marco",
]  # fmt: skip
INTL_LAST = [
    "Lovelace", "Hopper", "Turing", "Hamilton", "Berg", "Müller", "García", "Rossi", "Dubois",
    "Nakamura", "Sato", "Patel", "Sharma", "Okafor", "Mensah", "Johansson", "Novak", "Kowalski",
    "O'Brien", "Fernández", "Silva", "Haddad", "Kim", "Nguyen", "Schmidt", "Jensen", "Costa",
    "Ivanova", "Andersson", "Moreau", "Wright", "Taylor", "Brown", "Ahmed", "Virtanen",
]  # fmt: skip
INTL_ORGS = [
    ("Acme Corp", "acme.example"),
    ("Globex", "globex.example"),
    ("Initech", "initech.example"),
    ("Northwind Traders", "northwind.example"),
    ("Contoso Ltd", "contoso.example"),
    ("Fabrikam Inc", "fabrikam.example"),
    ("Tailspin Toys", "tailspin.example"),
    ("Wide World Importers", "wideworld.example"),
    ("Adventure Works", "adventure-works.example"),
    ("Blue Yonder Airlines", "blueyonder.example"),
    ("Coho Winery", "coho.example"),
    ("Lucerne Publishing", "lucerne.example"),
    ("Alpine Ski House", "alpineski.example"),
    ("Fourth Coffee", "fourthcoffee.example"),
    ("Woodgrove Bank", "woodgrove.example"),
    ("Trey Research", "treyresearch.example"),
]
TITLES = ["CEO", "CTO", "Head of Sales", "Purchasing Manager", "Operations Lead", "Founder",
          "Project Manager", "IT Director", "Marketing Manager", "CFO", None, None]  # fmt: skip
CN_TITLES = ["总经理", "采购经理", "技术总监", "销售总监", "项目经理", "财务总监", None]
TAGS = ["vip", "partner", "lead", "customer", "supplier", "press", "referral", "event-2025"]
TEAM = ["li.na", "sam"]

DEAL_TITLES = [
    "Website redesign", "Annual support renewal", "ERP integration", "Pilot: 20 seats",
    "Training workshop", "Cloud migration", "Data audit", "Mobile app MVP", "Security review",
    "Dashboard rollout", "Licence upgrade", "Consulting retainer",
]  # fmt: skip
CN_DEAL_TITLES = ["ERP 系统升级", "年度维保合同", "生产线改造", "小程序开发", "数据中台项目", "培训服务"]
LOST_REASONS = ["price", "went with a competitor", "no budget this year", "project cancelled",
                "no response", "timing"]  # fmt: skip
CN_LOST_REASONS = ["预算不足", "选择了竞争对手", "项目取消"]

SUMMARIES = {
    "call": ["Call about the proposal", "Quick check-in call", "Discussed pricing", "Call: next steps",
             "Intro call", "Support call about the invoice"],
    "email": ["Sent the quote", "Sent meeting notes", "Replied about delivery dates",
              "Sent the contract draft", "Newsletter follow-up"],
    "meeting": ["Meeting at their office", "Demo of the new release", "Quarterly review",
                "Workshop on requirements", "Lunch meeting"],
    "message": ["Texted about the schedule", "WhatsApp: confirmed the date", "Chat about the pilot"],
    "visit": ["Site visit", "Visited the factory", "Trade fair stand visit"],
    "note": ["Budget approved next quarter", "Decision maker is the CFO", "Prefers e-mail",
             "Asked for references"],
}  # fmt: skip
CN_SUMMARIES = {
    "call": ["电话沟通报价", "电话回访", "讨论付款方式"],
    "email": ["发送合同草案", "发送报价单", "邮件确认交期"],
    "meeting": ["上门拜访，演示产品", "季度业务回顾会议", "需求调研会"],
    "message": ["微信确认会议时间", "微信发送资料"],
    "visit": ["参观工厂", "展会现场交流"],
    "note": ["客户预算下季度批准", "决策人是财务总监"],
}
KIND_WEIGHTS = [("email", 30), ("call", 25), ("meeting", 15), ("message", 15), ("note", 10), ("visit", 5)]
OPEN_STAGES = ["lead", "qualified", "proposal", "negotiation"]
CLOSED = ("won", "lost")
REMINDER_TEXTS = ["Send the revised quote", "Ask about the budget", "Prepare the demo",
                  "Renewal reminder", "Check payment received", "Call back about the pilot",
                  "发送新版报价", "确认合同签署"]  # fmt: skip


@contextmanager
def _clock_at(store: Store, when: Callable[[], datetime]) -> Iterator[None]:
    """Let the store record events at the demo's chosen times, and restore its clock."""
    saved = store.clock
    store.clock = when
    try:
        yield
    finally:
        store.clock = saved


class _Timeline:
    """The moment the store believes it is, moved by the demo event by event."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(timezone.utc).replace(microsecond=0)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _value(rng: random.Random) -> int:
    """A deal value that looks quoted by a person: round, mostly small, a few large."""
    base = rng.choice([500, 800, 1200, 1500, 2000, 2500, 3000, 4500, 6000, 8000, 9500,
                       12000, 15000, 18000, 25000, 32000, 48000, 75000, 120000])  # fmt: skip
    return base


def fill(store: Store, *, now: datetime, contacts: int = 300, seed: int = 7) -> dict[str, int]:
    """Fill `store` with a sample book of `contacts` contacts around `now`; returns counts made.

    `now` is aware, in the user's zone ("today" is its day); nothing is recorded after it.
    """
    if now.tzinfo is None:
        raise ValueError("naive now")
    rng = random.Random(seed)
    clock = _Timeline(now)
    made = {"contacts": 0, "orgs": 0, "interactions": 0, "deals": 0, "reminders": 0}
    today = now.date()
    tz = now.tzinfo
    year_ago = now - timedelta(days=365)

    def moment(start: datetime, end: datetime) -> datetime:
        span = max(int((end - start).total_seconds()), 1)
        at = start + timedelta(seconds=rng.randrange(span))
        local = at.astimezone(tz)
        return local.replace(hour=rng.randint(8, 18), minute=rng.choice([0, 15, 30, 45]), second=0)

    def clamp(at: datetime) -> datetime:
        return min(at, now)

    with _clock_at(store, clock), store.write("demo"):
        n_orgs = max(2, contacts // 12)
        n_cn_orgs = min(len(CN_ORGS), max(1, round(n_orgs * 0.3)))
        picked = CN_ORGS[:n_cn_orgs] + INTL_ORGS[: min(len(INTL_ORGS), n_orgs - n_cn_orgs)]
        orgs: list[tuple[str, str, bool]] = []
        for i, (name, domain) in enumerate(picked):
            chinese = i < n_cn_orgs
            clock.set(moment(year_ago - timedelta(days=60), year_ago))
            store.add_contact(
                name,
                kind="org",
                emails=[f"info@{domain}"],
                phones=[
                    f"+86 757 {rng.randint(8000, 8999)} {rng.randint(1000, 9999)}"
                    if chinese
                    else f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                ],
                tags=rng.sample(["customer", "partner", "supplier"], 1),
                tier=rng.choice(["A", "B", "C", None]),
            )
            orgs.append((name, domain, chinese))
            made["orgs"] += 1
        made["contacts"] += made["orgs"]

        people: list[dict] = []
        n_people = max(contacts - len(orgs), 1)
        n_cn = 0
        seen_names: set[str] = set()
        for i in range(n_people):
            chinese = i % 10 in (0, 4, 7)  # three in ten
            for _attempt in range(8):  # a new name if it can; a big book has namesakes
                if chinese:
                    s, g = (
                        CN_FIRST[n_cn]
                        if n_cn < len(CN_FIRST)
                        else (rng.randrange(len(CN_SURNAMES)), rng.randrange(len(CN_GIVEN)))
                    )
                    name = CN_SURNAMES[s][0] + CN_GIVEN[g][0]
                    local_part = f"{CN_GIVEN[g][1]}.{CN_SURNAMES[s][1]}".lower()
                else:
                    first = "Ada" if i == 3 else rng.choice(INTL_FIRST)
                    last = "Lovelace" if i == 3 else rng.choice(INTL_LAST)
                    name = f"{first} {last}"
                    local_part = f"{first}.{last}".lower().replace("'", "")
                    local_part = local_part.encode("ascii", "ignore").decode() or "contact"
                if name not in seen_names:
                    break
            if chinese:
                n_cn += 1
                org_pool = [o for o in orgs if o[2]]
                title = rng.choice(CN_TITLES)
                phone = f"+86 1{rng.randint(30, 89)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            else:
                org_pool = [o for o in orgs if not o[2]]
                title = rng.choice(TITLES)
                phone = f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            seen_names.add(name)
            org = rng.choice(org_pool) if org_pool and rng.random() < 0.75 else None
            domain = org[1] if org else rng.choice(["mail.example", "gmail.example", "qq.example"])
            emails = [f"{local_part}{i}@{domain}"]
            if rng.random() < 0.15:
                emails.append(f"{local_part}.private{i}@mail.example")
            roll = rng.random()
            every = "30d" if roll < 0.12 else "60d" if roll < 0.2 else None
            birthday = None
            lunar = False
            if rng.random() < 0.35:
                born = date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28))
                birthday = born.isoformat()
                lunar = chinese and rng.random() < 0.3
            if i in (5, 40):  # a birthday today and one in a few days, so the agenda shows them
                shift = 0 if i == 5 else 3
                soon = today + timedelta(days=shift)
                birthday = f"{1980 + i % 15:04d}-{soon.month:02d}-{soon.day:02d}"
                lunar = False
            tags = rng.sample(TAGS, rng.choice([0, 0, 1, 1, 1, 2, 3]))
            # most of the book is old, a few contacts are new this month
            created = moment(year_ago - timedelta(days=45), year_ago + timedelta(days=90))
            if rng.random() < 0.2:
                created = moment(year_ago + timedelta(days=90), now - timedelta(days=3))
            clock.set(created)
            record = store.add_contact(
                name,
                org=org[0] if org else None,
                title=title,
                emails=emails,
                phones=[phone] if rng.random() < 0.8 else [],
                tags=tags,
                tier=rng.choice(["A", "B", "B", "C", "C", None, None, None]),
                birthday=birthday,
                birthday_lunar=lunar,
                every=every,
                owner=store.user if rng.random() < 0.7 else rng.choice(TEAM),
                notes=rng.choice(
                    [
                        None,
                        None,
                        "Met at the spring trade fair",
                        "Referred by a customer",
                        "展会认识",
                        "Prefers calls in the morning",
                    ]
                ),  # fmt: skip
            )
            people.append(
                {"id": record["id"], "chinese": chinese, "created": created, "every": every, "deals": []}
            )
            made["contacts"] += 1

        # deals: about one for every three people, in every stage
        for person in people:
            if rng.random() > 0.38:
                continue
            for _ in range(rng.choice([1, 1, 1, 2])):
                roll = rng.random()
                final = (
                    "won" if roll < 0.22 else "lost" if roll < 0.34
                    else OPEN_STAGES[min(int((roll - 0.34) / 0.66 * 4), 3)]
                )  # fmt: skip
                # closed deals end anywhere in the past year after one to three months;
                # open ones started in the last five weeks and moved on since
                if final in CLOSED:
                    first = max(person["created"], year_ago) + timedelta(days=10)
                    end = moment(first, now - timedelta(days=1))
                    start = end - timedelta(days=rng.randint(10, 90))
                else:
                    start = moment(now - timedelta(days=35), now - timedelta(days=2))
                    end = now - timedelta(days=rng.randint(0, 12), hours=rng.randint(1, 8))
                start = max(start, person["created"] + timedelta(hours=1))
                end = clamp(max(end, start + timedelta(hours=1)))
                chinese = person["chinese"]
                title = rng.choice(CN_DEAL_TITLES if chinese else DEAL_TITLES)
                close = today + timedelta(days=rng.randint(-10, 75))
                if rng.random() < 0.05:
                    close = today
                clock.set(start)
                deal = store.add_deal(
                    person["id"], title, value=_value(rng), stage="lead",
                    close_date=close.isoformat() if final in OPEN_STAGES or rng.random() < 0.5 else None,
                    key=rng.random() < 0.12,
                )  # fmt: skip
                path = (
                    OPEN_STAGES[1 : OPEN_STAGES.index(final) + 1]
                    if final in OPEN_STAGES
                    else (OPEN_STAGES[1 : rng.randint(1, 4)] + [final])
                )
                at = start
                step = (end - start) / max(len(path), 1)
                for n, stage in enumerate(path, 1):
                    at = end if n == len(path) else start + step * (n - rng.uniform(0, 0.5))
                    clock.set(at)
                    reasons = CN_LOST_REASONS if chinese else LOST_REASONS
                    store.move_deal(
                        deal["id"], stage, reason=rng.choice(reasons) if stage == "lost" else None
                    )
                person["deals"].append((deal["id"], start, at))
                made["deals"] += 1

        # interactions over the past year; cadence contacts partly overdue on purpose
        kinds = [k for k, _ in KIND_WEIGHTS]
        weights = [w for _, w in KIND_WEIGHTS]
        for person in people:
            count = rng.choice([0, 1, 2, 4, 6, 8, 10, 12, 15, 20, 25]) + 2 * len(person["deals"])
            begin = max(person["created"], year_ago)
            end = now - timedelta(hours=1)
            if person["every"]:
                count = max(count, 1)
                days = int(person["every"].rstrip("d"))
                if rng.random() < 0.25:  # overdue: nothing within the cadence
                    end = now - timedelta(days=days + rng.randint(1, 40))
                else:  # kept in touch: one contact within the cadence
                    end = now - timedelta(days=rng.randint(1, days - 5))
            if end <= begin:
                end = begin + timedelta(hours=1)
            summaries = CN_SUMMARIES if person["chinese"] else SUMMARIES
            for n in range(count):
                kind = rng.choices(kinds, weights=weights)[0]
                at = clamp(end if n == 0 and person["every"] else moment(begin, end))
                deal_id = None
                if person["deals"] and rng.random() < 0.5:
                    deal_id = rng.choice(person["deals"])[0]
                clock.set(at)
                store.log(person["id"], rng.choice(summaries[kind]), kind=kind, at=at, deal_id=deal_id)
                made["interactions"] += 1

        # follow-ups and reminders: a few overdue, some today, some this week
        midnight = local_at(today, tz)
        for k in range(max(6, contacts // 20)):
            person = rng.choice(people)
            offset = [-6, -3, -1, 0, 0, 1, 2, 4, 6][k % 9]
            clock.set(now - timedelta(days=max(1, 2 - offset), hours=rng.randint(1, 8)))
            summaries = CN_SUMMARIES if person["chinese"] else SUMMARIES
            store.log(
                person["id"], rng.choice(summaries["call"]), kind="call",
                at=clock.at, follow_up=midnight + timedelta(days=offset),
            )  # fmt: skip
            made["interactions"] += 1
            made["reminders"] += 1
        for k in range(max(6, contacts // 25)):
            person = rng.choice(people)
            offset = [-9, -2, 0, 0, 1, 3, 5, 7][k % 8]
            clock.set(now - timedelta(days=rng.randint(10, 40)))
            due = midnight + timedelta(days=offset)
            timed = k % 5 == 4
            if timed:
                due = due.replace(hour=15)
            store.add_reminder(
                person["id"], due, rng.choice(REMINDER_TEXTS), all_day=not timed,
                every="monthly" if k % 7 == 6 else None,
            )  # fmt: skip
            made["reminders"] += 1
    return made
