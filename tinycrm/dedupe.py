"""Likely duplicate contacts, their scores and reasons, and the plan for merging them.

Pure over plain contact records (the dicts of `store.contact_record`): no SQL, no clock. Pairs
are only ever compared inside blocks that share a key (an e-mail, a phone, a name token at
the same organisation, a pinyin spelling), never all against all, so 100,000 contacts take
seconds. Chinese names are compared in simplified characters (traditional folded through
OpenCC's character table) and by pinyin; organisations without legal suffixes and city or
province prefixes.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from tinycrm.errors import Conflict, CrmError
from tinycrm.gcpause import paused_gc
from tinycrm.normalize import email_key, fold, phone_key
from tinycrm.textindex import is_cjk

Record = Mapping[str, Any]  # a contact as the store returns it, or as a test writes it
# What duplicate finding reads of a contact (`Store.dedupe_records`): id, kind, name, org, e-mails, phones.
Row = tuple[int, str, str, "str | None", Sequence[str], Sequence[str]]

DEFAULT_MIN_SCORE = 70
# A block larger than this (a very common first name at one big organisation) is not
# compared pair by pair: only identical names inside it are.
BLOCK_MAX = 300
FUZZY_MIN = 85
# Taken off a names-only score for each kind (e-mails, phones) both records have and none shared.
CONFLICT_PENALTY = 10

_LATIN_SUFFIXES = frozenset((
    "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag",
    "sa", "sarl", "sas", "bv", "nv", "plc", "pty", "srl", "spa", "oy", "ab", "as", "kk", "llp", "lp",
    "pllc", "pc", "ug", "kg", "se", "aps",
))
_CJK_SUFFIXES = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "总公司", "分公司", "公司",
)
_PLACES = (
    "中国 北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽"
    " 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃"
    " 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 广州 深圳 佛山 东莞"
    " 珠海 中山 惠州 江门 汕头 湛江 肇庆 茂名 梅州 清远 韶关 揭阳 潮州"
    " 阳江 河源 云浮 汕尾 杭州 宁波 温州 绍兴 嘉兴 湖州 金华 台州 丽水"
    " 衢州 舟山 义乌 南京 苏州 无锡 常州 南通 扬州 徐州 镇江 泰州 盐城"
    " 连云港 淮安 宿迁 昆山 成都 绵阳 宜宾 武汉 宜昌 襄阳 长沙 株洲 湘潭"
    " 郑州 洛阳 济南 青岛 烟台 潍坊 威海 临沂 淄博 合肥 芜湖 福州 厦门"
    " 泉州 漳州 莆田 南昌 赣州 西安 咸阳 兰州 西宁 银川 乌鲁木齐 拉萨 昆明"
    " 贵阳 南宁 桂林 柳州 海口 三亚 石家庄 唐山 保定 廊坊 太原 大同 沈阳"
    " 大连 鞍山 长春 哈尔滨 大庆 呼和浩特 包头 台北 高雄 台中 新北 桃园"
).split()
_TRADES = tuple(
    "科技 电子 贸易 物流 软件 网络 食品 机械 实业 建材 医药 传媒 文化 咨询 投资 信息 技术 工程 制造 服装"
    " 家具 电器 通讯 设备 化工 能源 环保 置业 地产 商贸 印刷 包装 纺织 五金 塑胶 餐饮 汽车 电气".split()
)
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_PUNCT = re.compile(r"[^\w\s]")
_NAME_JOINERS = str.maketrans("", "", " ·・.-'")


@functools.cache
def _place_re() -> re.Pattern[str]:
    """A province or city at the start of a name, with its 省/市/区 (compiled on first use: ~5 ms)."""
    return re.compile(
        "^(?:" + "|".join(sorted(_PLACES, key=len, reverse=True)) + ")(?:省|市|自治区|特别行政区|区|县)?"
    )


@functools.cache
def _cjk_re() -> re.Pattern[str]:
    """CJK characters as one class (compiled on first use: ~10 ms that `contact add` need not pay)."""
    return re.compile(
        "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef]"
    )


def has_cjk(text: str | None) -> bool:
    """True when the text holds a CJK character; ASCII text answers without looking further."""
    return text is not None and not text.isascii() and _cjk_re().search(text) is not None


# --- keys ------------------------------------------------------------------------------------


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character at a time, from OpenCC's own character table."""
    from importlib.resources import files

    table: dict[int, str] = {}
    text = files("opencc").joinpath("dictionary").joinpath("TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = first
    return table


def to_simplified(text: str) -> str:
    """Chinese text with traditional characters folded to simplified (`張偉` → `张伟`), for matching."""
    return text.translate(_t2s_table()) if has_cjk(text) else text


@functools.cache
def _syllable(ch: str) -> str:
    """The pinyin of one character, as the search index reads it: pypinyin without its phrase
    dictionary (the same reading for one character, and ~300 ms less to import)."""
    from tinycrm.textindex import _char_pinyin

    return _char_pinyin(ch)


def pinyin(name: str) -> tuple[str, ...]:
    """The pinyin syllables of a Chinese name (`张伟` → zhang, wei); empty for other names."""
    han = [ch for ch in to_simplified(name or "") if is_cjk(ch)]
    return tuple(s for s in (_syllable(ch) for ch in han) if s)


def name_key(name: str | None) -> str:
    """The form two writings of one name share: folded, simplified, CJK without spaces."""
    key = to_simplified(fold(name))
    if has_cjk(key):
        return key.translate(_NAME_JOINERS)
    return key


@functools.cache
def org_key(name: str | None) -> str:
    """An organisation's name without legal suffix or place (深圳市腾飞科技有限公司 → 腾飞科技)."""
    folded = to_simplified(fold(name))
    if not folded:
        return ""
    bare = _PARENS.sub(" ", folded).strip() or folded
    if has_cjk(bare):
        core = bare.replace(" ", "")
        company = False
        for suffix in _CJK_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix) + 1:
                core, company = core[: -len(suffix)], True
                break
        # A company name is place + trade name + trade + form: the place goes from a company
        # (a legal form, or a trade at the end: 佛山企业电子 ≈ 企业电子), and only when three
        # characters stay; elsewhere the place is the name (上海大学 ≠ 北京大学, 中国银行 ≠ 上海银行).
        company = company or core.endswith(_TRADES)
        while company and (match := _place_re().match(core)) and len(core) - match.end() >= 3:
            core = core[match.end():]
        return core
    words = _PUNCT.sub(" ", bare.replace(".", "")).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    return "".join(words) or folded.replace(" ", "")


# --- prepared records ------------------------------------------------------------------------


class Pair(NamedTuple):
    """Two records that look like one, with the score and reasons that say why.

    A named tuple, not a dataclass: 100,000 contacts can make 175,000 of them, and a frozen
    dataclass takes more than twice as long to build.
    """

    a: int
    b: int
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Records that are likely one customer: ids ascending, the weakest link's score, all reasons."""

    ids: tuple[int, ...]
    score: int
    reasons: tuple[str, ...]
    pairs: tuple[Pair, ...]

    def to_json(self) -> dict:
        """The `dupes --json` shape of a group."""
        return {
            "ids": list(self.ids),
            "score": self.score,
            "reasons": list(self.reasons),
            "pairs": [{"a": p.a, "b": p.b, "score": p.score, "reasons": list(p.reasons)} for p in self.pairs],
        }


@dataclass(slots=True)
class _Entry:
    id: int
    kind: str
    name: str
    folded: str  # fold(name) without spaces: tells traditional from simplified writings apart
    key: str
    cjk: bool
    pinyin: str
    spelled: str  # pinyin run together, or a latin name without spaces: `zhangwei` either way
    tokens: tuple[str, ...]
    org: str
    emails: frozenset[str]
    phones: frozenset[str]


def _phone_keys(phones: Iterable[str], region: str | None) -> frozenset[str]:
    keys = set()
    for p in phones or ():
        try:
            keys.add(phone_key(p, region))
        except CrmError:
            continue  # a stored phone that no longer parses is no evidence either way
    return frozenset(keys)


@functools.lru_cache(maxsize=1 << 16)
def _name_parts(name: str) -> tuple[str, str, bool, str, str, tuple[str, ...]]:
    """Everything about a name that scoring needs, once per distinct name (names repeat a lot)."""
    key = name_key(name)
    cjk = has_cjk(key)
    if cjk:
        syllables = tuple(s for s in (_syllable(ch) for ch in key if is_cjk(ch)) if s)
        return fold(name).replace(" ", ""), key, True, " ".join(syllables), "".join(syllables), ()
    words = _PUNCT.sub(" ", key).split()
    return fold(name).replace(" ", ""), key, False, "", "".join(words), tuple(sorted(words))


def _row(record: Record) -> Row:
    """A record as the tuple duplicate finding reads (what `Store.dedupe_records` returns)."""
    return (record["id"], record.get("kind") or "person", record.get("name") or "", record.get("org"),
            record.get("emails") or (), record.get("phones") or ())


def _entry(record: Record, region: str | None) -> _Entry:
    """A record with everything scoring compares, worked out once."""
    return _row_entry(_row(record), region)


def _row_entry(row: Row, region: str | None) -> _Entry:
    cid, kind, name, org, emails, phones = row
    folded, key, cjk, spelled_pinyin, spelled, tokens = _name_parts(name)
    return _Entry(
        cid, kind, name, folded, key, cjk, spelled_pinyin, spelled, tokens,
        org_key(name if kind == "org" else org),
        frozenset(email_key(e) for e in emails if e),
        _phone_keys(phones, region),
    )


@functools.lru_cache(maxsize=1 << 16)
def _name_blocks(name: str) -> tuple[str, ...]:
    """The name parts of a person's block keys, once per name (`n`: the name spelled, `t`: one word).

    Each word goes with the first letters, and again with the last letters, of the others: a
    typo in one word keeps the other word's blocks (unless it hits both ends), and a common
    first name at a big firm does not make one huge block.
    """
    spelled, tokens = _name_parts(name)[4:]
    blocks = ["n\x1f" + spelled]
    if len(tokens) > 1:
        for x, t in enumerate(tokens):
            others = [o for y, o in enumerate(tokens) if y != x]
            blocks.append(f"t\x1f{t}\x1f<{''.join(o[0] for o in others)}")
            blocks.append(f"t\x1f{t}\x1f>{''.join(o[-1] for o in others)}")
    return tuple(dict.fromkeys(blocks))


def record_keys(record: Record, region: str | None = None) -> list[tuple[str, str]]:
    """The (kind, value) look-up keys a store keeps for a contact: e-mails, phones, names, organisation.

    `email`/`phone` answer REFs and refuse duplicates at the door; `name` (the folded,
    simplified name, and the pinyin run together) and `org` (org_key) find the candidates
    of `similar_name_warning` with one indexed query.
    """
    kind = record.get("kind") or "person"
    name = record.get("name") or ""
    keys = [("email", k) for k in dict.fromkeys(email_key(e) for e in record.get("emails") or () if e)]
    keys += [("phone", k) for k in sorted(_phone_keys(record.get("phones") or (), region))]
    _, key, _, _, spelled, _ = _name_parts(name)
    keys += [("name", k) for k in dict.fromkeys((key, spelled)) if k]
    org = org_key(name if kind == "org" else record.get("org"))
    if org:
        keys.append(("org", org))
    return keys


# --- scoring ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 17)
def _names_alike(kind: str, a_name: str, b_name: str) -> tuple[int, str]:
    """How alike two names are (0–100) and the words for it, cached: a book holds far fewer
    distinct name pairs than candidate pairs."""
    if kind == "org":
        a_org, b_org = org_key(a_name), org_key(b_name)
        if a_org and a_org == b_org:
            same = fold(a_name) == fold(b_name)
            return 100, "same name" if same else "same organisation name without legal suffix or place"
        from rapidfuzz import fuzz

        sim = round(fuzz.ratio(a_org, b_org))
        return sim, f"similar organisation name ({sim})"
    a_folded, a_key, a_cjk, a_pinyin, a_spelled, _ = _name_parts(a_name)
    b_folded, b_key, b_cjk, b_pinyin, b_spelled, _ = _name_parts(b_name)
    if a_key and a_key == b_key:
        if a_cjk and a_folded != b_folded:
            return 100, "same name in traditional and simplified characters"
        return 100, "same name"
    if a_cjk or b_cjk:
        if a_spelled and a_spelled == b_spelled:
            return 90, f"same pinyin ({a_pinyin or b_pinyin})"
        if a_cjk and b_cjk:
            from rapidfuzz import fuzz

            sim = round(fuzz.ratio(a_key, b_key))
            return sim, f"similar name ({sim})"
        return 0, ""
    from rapidfuzz import fuzz

    sim = round(fuzz.token_sort_ratio(a_key, b_key))
    return sim, f"similar name ({sim})"


def _score_pair(a: _Entry, b: _Entry) -> tuple[int, tuple[str, ...]]:
    """The score (0–100) of two prepared records and the reasons, the same whichever comes first."""
    if a.kind != b.kind:
        return 0, ()
    if a.id > b.id:
        a, b = b, a
    emails, phones = a.emails & b.emails, a.phones & b.phones
    facts = (a.kind, a.name, b.name, bool(a.org) and a.org == b.org, bool(a.org or b.org),
             bool(a.emails and b.emails), bool(a.phones and b.phones))
    if not emails and not phones:
        return _judged_by_names(*facts)  # most pairs: the same few names over and over
    return _judge(*facts, tuple(sorted(emails)), tuple(sorted(phones)))


def _judge(kind: str, a_name: str, b_name: str, same_org: bool, any_org: bool, both_emails: bool,
           both_phones: bool, emails: tuple[str, ...] = (), phones: tuple[str, ...] = ()
           ) -> tuple[int, tuple[str, ...]]:
    """The score and reasons of a pair from what it shares: names, organisation, e-mails, phones."""
    sim, why = _names_alike(kind, a_name, b_name)
    if not emails and not phones and sim < min(FUZZY_MIN, 90):
        return 0, ()  # only names can speak, and these are not alike enough (most candidate pairs)
    found: list[tuple[int, str]] = []
    for k in emails:
        found.append((98 if sim >= 80 else 88 if sim >= 50 else 75, f"same e-mail {k}"))
    for k in phones:
        if sim >= 90:
            found.append((95, f"same phone {k}"))
        elif sim >= 80:
            found.append((80, f"same phone {k}"))
        else:  # one line shared by a family or a switchboard: a hint, not a duplicate
            found.append((40, f"same phone {k} but different names"))
    if kind == "org":
        if sim >= 92:
            found.append((92 if sim == 100 else sim - 5, why))
    elif same_org:
        at = "at the same organisation"
        if sim == 100:
            found.append((95 if "traditional" in why else 90, f"{why} {at}"))
        elif sim == 90 and why.startswith("same pinyin"):
            found.append((85, f"{why} {at}"))
        elif sim >= FUZZY_MIN:
            found.append((sim - 10, f"{why} {at}"))
    elif not any_org and sim >= 90 and (sim == 100 or why.startswith("same pinyin")):
        found.append((70 if sim == 100 else 65, f"{why}, no organisation to tell them apart"))
    if not found:
        return 0, ()
    scores = sorted((s for s, _ in found), reverse=True)
    strong = sum(1 for s in scores[1:] if s >= DEFAULT_MIN_SCORE)
    total = min(100, scores[0] + 3 * strong)
    if not (emails or phones):
        # Only the names agree: e-mails or phones that both have and that all differ speak
        # against one person (two people at one firm with like names), one kind at a time.
        against = [what for what, both in (("e-mails", both_emails), ("phones", both_phones)) if both]
        if against:
            total -= CONFLICT_PENALTY * len(against)
            found.append((0, f"but different {' and '.join(against)}"))
    if sim >= 80 and not any(r.startswith(why) for _, r in found):
        found.append((0, why))  # how alike the names are, beside an e-mail or a phone
    return total, tuple(r for _, r in found)


_judged_by_names = functools.lru_cache(maxsize=1 << 16)(_judge)


def _index(rows: Sequence[Row], region: str | None) -> tuple[
        bytearray, set[tuple[int, int]], set[int], dict[tuple[str, str, str], list[int]]]:
    """One pass over the rows (ascending ids): what blocking needs of each, worked out once.

    Returns each row's flags (1: it has an e-mail, 2: a phone), the row pairs that share an
    e-mail or a phone (only a star when a block is too big to pair in full), the rows of
    such crowded blocks, and the rows of each (kind, org_key, name).
    """
    flags = bytearray(len(rows))
    mail_first: dict[str, int] = {}
    mail_shared: dict[str, list[int]] = {}  # only the keys seen twice get a list
    phone_first: dict[str, int] = {}
    phone_shared: dict[str, list[int]] = {}
    combos: dict[tuple[str, str, str], list[int]] = {}
    for i, (_, kind, name, org, emails, phones) in enumerate(rows):
        if emails and (mails := {email_key(e) for e in emails if e}):
            flags[i] = 1
            for key in mails:
                if (j := mail_first.setdefault(key, i)) != i:
                    mail_shared.setdefault(key, [j]).append(i)
        if phones:
            if len(phones) == 1:  # most contacts: no set built
                try:
                    numbers: Iterable[str] = (phone_key(phones[0], region),)
                except CrmError:
                    numbers = ()
            else:
                numbers = _phone_keys(phones, region)
            if numbers:
                flags[i] |= 2
                for key in numbers:
                    if (j := phone_first.setdefault(key, i)) != i:
                        phone_shared.setdefault(key, [j]).append(i)
        combo = (kind, org_key(name if kind == "org" else org), name)
        members = combos.get(combo)
        if members is None:
            combos[combo] = [i]
        else:
            members.append(i)
    strong: set[tuple[int, int]] = set()
    crowded: set[int] = set()
    for members in (*mail_shared.values(), *phone_shared.values()):
        if len(members) > BLOCK_MAX:  # one shared address: a star joins them all
            crowded.update(members)
            strong.update((members[0], j) for j in members[1:])
        else:
            strong.update(itertools.combinations(members, 2))
    return flags, strong, crowded, combos


def _ordered(rows_g: list[int], rows_h: list[int], same: bool) -> Iterator[tuple[int, int, bool]]:
    """The row pairs (i < j) of two groups of rows, and whether i is of the first group."""
    if same:
        for x, i in enumerate(rows_g):
            for j in rows_g[x + 1:]:
                yield i, j, True
        return
    for i in rows_g:
        for j in rows_h:
            yield (i, j, True) if i < j else (j, i, False)


def _linked(combos: Sequence[tuple[str, str, str]], rows_of: Sequence[list[int]], crowded: set[int]
            ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The name blocks: pairs of (kind, org, name) groups whose rows all pair, and crowded row pairs.

    A name block (one firm and one word of the name) pairs two groups when their names are
    alike: names that are not can only score through an e-mail or a phone, and those blocks
    pair them already, unless they were too big (then such rows pair here whatever their
    names). An oversized block pairs only the groups of one name_key.
    """
    at: dict[str, dict[str, list[int]]] = {}  # org_key → name part → groups: one block each
    for g, (kind, org, name) in enumerate(combos):
        if kind == "org":  # an organisation: its org_key
            if not org:
                continue
            parts: tuple[str, ...] = ("o",)
        else:  # a person: the name spelled and each word there; without one, the name spelled
            parts = _name_blocks(name)
            if not org:
                if parts[0] == "n\x1f":
                    continue
                parts = parts[:1]
        blocks = at.get(org)
        if blocks is None:
            blocks = at[org] = {}
        for part in parts:
            got = blocks.get(part)
            if got is None:
                blocks[part] = [g]
            else:
                got.append(g)
    weak = min(FUZZY_MIN, 90)
    linked: set[tuple[int, int]] = set()
    loose: set[tuple[int, int]] = set()
    for part, groups in (block for blocks in at.values() for block in blocks.items()):
        size = len(rows_of[groups[0]]) if len(groups) == 1 else sum(len(rows_of[g]) for g in groups)
        if size < 2:
            continue
        if size > BLOCK_MAX:
            same: dict[str, list[int]] = defaultdict(list)
            for g in groups:
                same[_name_parts(combos[g][2])[1]].append(g)
            for bucket in same.values():
                if 1 < sum(len(rows_of[g]) for g in bucket) <= BLOCK_MAX:
                    linked.update((g, h) for x, g in enumerate(bucket) for h in bucket[x:])
            continue
        kind = "org" if part == "o" else "person"
        for x, g in enumerate(groups):
            name = combos[g][2]
            for h in groups[x:]:
                if g == h and len(rows_of[g]) < 2:
                    continue
                if _names_alike(kind, name, combos[h][2])[0] >= weak:
                    linked.add((g, h))
                elif crowded:
                    loose.update((i, j) for i, j, _ in _ordered(rows_of[g], rows_of[h], g == h)
                                 if i in crowded or j in crowded)
    return linked, loose


def _row_pairs(rows: Sequence[Row], min_score: int, region: str | None) -> list[Pair]:
    """The pairs of rows (ids ascending in each, pairs in no order) scoring at least `min_score`.

    Most pairs share only their names: their verdict is one per pair of groups and what each
    row has (an e-mail, a phone), so it is looked up, not worked out, for each pair of rows.
    """
    flags, strong, crowded, by_combo = _index(rows, region)
    combos, rows_of = list(by_combo), list(by_combo.values())
    linked, loose = _linked(combos, rows_of, crowded)
    ids = [row[0] for row in rows]
    found = []
    for g, h in linked:
        kind, org, name = combos[g]
        other_kind, other_org, other = combos[h]
        same_org, any_org = bool(org) and org == other_org, bool(org or other_org)
        verdicts: dict[int, tuple[int, tuple[str, ...]]] = {}
        for i, j, forward in _ordered(rows_of[g], rows_of[h], g == h):
            if strong and (i, j) in strong:
                continue  # scored below, with what they share
            if crowded and (i in crowded or j in crowded):
                loose.add((i, j))  # they may share an address of a crowded block
                continue
            code = (flags[i] & flags[j]) | (4 if forward else 0)
            verdict = verdicts.get(code)
            if verdict is None:
                if kind != other_kind:
                    verdict = (0, ())
                else:
                    a, b = (name, other) if forward else (other, name)
                    verdict = _judged_by_names(kind, a, b, same_org, any_org, bool(code & 1), bool(code & 2))
                verdicts[code] = verdict
            if verdict[0] >= min_score:
                found.append(Pair(ids[i], ids[j], *verdict))
    entries: dict[int, _Entry] = {}
    for i, j in strong | loose:
        if (one := entries.get(i)) is None:
            one = entries[i] = _row_entry(rows[i], region)
        if (two := entries.get(j)) is None:
            two = entries[j] = _row_entry(rows[j], region)
        verdict = _score_pair(one, two)
        if verdict[0] >= min_score:
            found.append(Pair(ids[i], ids[j], *verdict))
    return found


def find_pairs(records: Iterable[Record], *, min_score: int = DEFAULT_MIN_SCORE,
               region: str | None = None) -> list[Pair]:
    """Every pair of records scoring at least `min_score`, compared within blocks only."""
    return find_row_pairs([_row(r) for r in records], min_score=min_score, region=region)


def find_row_pairs(rows: Iterable[Row], *, min_score: int = DEFAULT_MIN_SCORE,
                   region: str | None = None) -> list[Pair]:
    """`find_pairs` over the store's rows (`Store.dedupe_records`): no record dict built per contact."""
    # Hundreds of thousands of small objects and none of them cyclic: the collector's full
    # passes over a growing heap would double the time.
    with paused_gc():
        found = _row_pairs(sorted(rows, key=itemgetter(0)), min_score, region)
        found.sort()  # by ids: no two pairs have the same two
        return found


def find_groups(records: Iterable[Record], *, min_score: int = DEFAULT_MIN_SCORE,
                region: str | None = None) -> list[Group]:
    """Groups of likely duplicates, strongest first; the same groups whatever the records' order."""
    return find_row_groups([_row(r) for r in records], min_score=min_score, region=region)


def find_row_groups(rows: Iterable[Row], *, min_score: int = DEFAULT_MIN_SCORE,
                    region: str | None = None) -> list[Group]:
    """`find_groups` over the store's rows (`Store.dedupe_records`)."""
    with paused_gc():
        return _grouped(_row_pairs(sorted(rows, key=itemgetter(0)), min_score, region))


def _grouped(pairs: list[Pair]) -> list[Group]:
    """The connected groups of pairs, each with its ids, pairs (ascending), weakest best link and reasons.

    The pairs come in any order: each group's few are sorted, not all 175,000 at once.
    """
    joined: dict[int, list[int]] = {}  # id → the ids of its group so far (one list per group)
    for a, b, _, _ in pairs:
        one, other = joined.get(a), joined.get(b)
        if one is None:
            if other is None:
                joined[a] = joined[b] = [a, b]
            else:
                other.append(a)
                joined[a] = other
        elif other is None:
            one.append(b)
            joined[b] = one
        elif one is not other:
            if len(one) < len(other):
                one, other = other, one
            one.extend(other)
            for x in other:
                joined[x] = one
    members: dict[int, list[Pair]] = {}
    for p in pairs:
        key = id(joined[p[0]])
        got = members.get(key)
        if got is None:
            members[key] = [p]
        else:
            got.append(p)
    groups = []
    reasons_of = itemgetter(3)
    for found in members.values():
        found.sort()
        best: dict[int, int] = {}
        get = best.get
        for a, b, score, _ in found:
            if get(a, score - 1) < score:
                best[a] = score
            if get(b, score - 1) < score:
                best[b] = score
        reasons = dict.fromkeys(itertools.chain.from_iterable(map(reasons_of, found)))
        groups.append(Group(tuple(sorted(best)), min(best.values()), tuple(reasons), tuple(found)))
    groups.sort(key=lambda g: (-g.score, g.ids))
    return groups


def similar_names(name: str, org: str | None, candidates: Iterable[Record], *, kind: str = "person",
                  ignore_id: int | None = None) -> list[tuple[Record, str]]:
    """The candidates whose name is very similar (same pinyin or fuzzy, same organisation), each with why."""
    new = _entry({"id": 0, "kind": kind, "name": name, "org": org}, None)
    hits: list[tuple[Record, str]] = []
    for record in candidates:
        if record["id"] == ignore_id or (record.get("kind") or "person") != kind:
            continue
        other = _entry({**record, "emails": (), "phones": ()}, None)
        sim, why = _names_alike(new.kind, new.name, other.name)
        if kind == "org":
            if sim >= 92:
                hits.append((record, why))
            continue
        same_org = bool(new.org) and new.org == other.org
        if sim == 100 and (same_org or not new.org or not other.org):
            hits.append((record, why))
        elif same_org and (why.startswith("same pinyin") or sim >= FUZZY_MIN):
            hits.append((record, why))
    return hits


def similar_name_warning(name: str, org: str | None, candidates: Iterable[Record], *, kind: str = "person",
                         ignore_id: int | None = None) -> str | None:
    """The warning `contact add` prints for a very similar name (same pinyin or fuzzy, same organisation)."""
    hits = similar_names(name, org, candidates, kind=kind, ignore_id=ignore_id)
    if not hits:
        return None
    shown = ", ".join(
        f"#{r['id']} {r.get('name')}" + (f" ({r['org']})" if r.get("org") else "") + f": {why}"
        for r, why in hits[:3]
    )
    more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
    return f"similar contact already exists: {shown}{more}"


# --- merging ---------------------------------------------------------------------------------

_SCALARS = ("org", "title", "every", "owner", "tier")
_LISTS = ("emails", "phones", "tags", "addresses")


@dataclass(frozen=True)
class Plan:
    """What KEEP ends with: `fields` for the store's update, `record` the result, `steps` in words."""

    keep_id: int
    other_ids: tuple[int, ...]
    fields: dict[str, Any]
    record: dict[str, Any]
    steps: tuple[str, ...]


def _list_key(name: str, value: Any, region: str | None) -> Any:
    if name == "emails":
        return email_key(value)
    if name == "phones":
        try:
            return phone_key(value, region)
        except CrmError:
            return fold(value)
    if name == "tags":
        return fold(value.lstrip("#"))
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _kept_under(custom: dict[str, Any], key: str) -> list[Any]:
    """The values already kept for `key` under suffixed names by an earlier merge."""
    return [v for k, v in custom.items() if k.startswith(f"{key} (#")]


def _free_key(custom: dict[str, Any], key: str, other_id: int) -> str:
    """`key (#12)`, `key (#12) 2`…: a custom-field name not taken yet."""
    candidate, n = f"{key} (#{other_id})", 2
    while candidate in custom:
        candidate, n = f"{key} (#{other_id}) {n}", n + 1
    return candidate


def merge_plan(keep: Record, others: Sequence[Record], *, region: str | None = None) -> Plan:
    """How to fold `others` into `keep` so that nothing the user entered is lost; KEEP wins each clash."""
    ids = [o["id"] for o in others]
    if keep["id"] in ids or len(set(ids)) != len(ids):
        raise Conflict("a contact cannot be merged into itself")
    result: dict[str, Any] = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
              for k, v in keep.items()}
    for name in (*_LISTS, "anniversaries", "aliases"):
        result[name] = list(result.get(name) or [])
    result["fields"] = dict(result.get("fields") or {})
    result["labels"] = dict(result.get("labels") or {})
    steps: list[str] = []
    for other in others:
        oid = other["id"]
        if (other.get("kind") or "person") != (keep.get("kind") or "person"):
            raise Conflict(
                f"cannot merge #{oid} ({other.get('kind')}) into #{keep['id']} ({keep.get('kind')})"
            )
        steps.append(f"merge #{oid} {other.get('name')} into #{keep['id']} {keep.get('name')}")
        # names: the other's name and aliases become aliases
        known = {fold(result.get("name"))} | {fold(a) for a in result["aliases"]}
        for alias in [other.get("name"), *(other.get("aliases") or [])]:
            if alias and fold(alias) not in known:
                result["aliases"].append(alias)
                known.add(fold(alias))
                steps.append(f"alias: {alias}")
        for name in _LISTS:
            have = {_list_key(name, v, region) for v in result[name]}
            for value in other.get(name) or []:
                k = _list_key(name, value, region)
                if k not in have:
                    result[name].append(value)
                    have.add(k)
                    steps.append(f"{name[:-1] if name != 'addresses' else 'address'}: add {value}")
        for value, label in (other.get("labels") or {}).items():  # the type of an e-mail, phone…
            result["labels"].setdefault(value, label)
        for item in other.get("anniversaries") or []:
            if item not in result["anniversaries"]:
                result["anniversaries"].append(item)
                steps.append(f"anniversary: add {item.get('label')} {item.get('date')}")
        custom = result["fields"]
        for key, value in (other.get("fields") or {}).items():
            if key not in custom:
                custom[key] = value
                steps.append(f"field {key}: {value}")
            elif custom[key] != value and value not in _kept_under(custom, key):
                new_key = _free_key(custom, key, oid)
                custom[new_key] = value
                steps.append(f"field {new_key}: {value} (KEEP has {key}={custom[key]})")
        for name in _SCALARS:
            value = other.get(name)
            if value in (None, ""):
                continue
            if result.get(name) in (None, ""):
                result[name] = value
                steps.append(f"{name}: {value}")
            elif result[name] != value:
                new_key = _free_key(custom, name, oid)
                custom[new_key] = value
                steps.append(f"field {new_key}: {value} (KEEP has {name}={result[name]})")
        if other.get("birthday"):
            written = other["birthday"] + (" (lunar)" if other.get("birthday_lunar") else "")
            if not result.get("birthday"):
                result["birthday"] = other["birthday"]
                result["birthday_lunar"] = bool(other.get("birthday_lunar"))
                steps.append(f"birthday: {written}")
            elif (result["birthday"], bool(result.get("birthday_lunar"))) != (
                    other["birthday"], bool(other.get("birthday_lunar"))):
                new_key = _free_key(custom, "birthday", oid)
                custom[new_key] = written
                steps.append(f"field {new_key}: {written}")
        notes = (other.get("notes") or "").strip()
        if notes and notes not in (result.get("notes") or ""):
            marker = f"--- merged from #{oid} {other.get('name')} ---"
            before = f"{result['notes'].rstrip()}\n\n" if result.get("notes") else ""
            result["notes"] = f"{before}{marker}\n{notes}"
            steps.append(f"notes: append those of #{oid}")
    changed = {k: v for k, v in result.items() if k in _MERGED and v != _normalised(keep.get(k), k)}
    return Plan(keep["id"], tuple(ids), changed, result, tuple(steps))


_MERGED = frozenset((*_SCALARS, *_LISTS, "anniversaries", "aliases", "fields", "notes", "birthday",
                     "birthday_lunar", "labels"))


def _normalised(value: Any, name: str) -> Any:
    if name in (*_LISTS, "anniversaries", "aliases"):
        return list(value or [])
    if name in ("fields", "labels"):
        return dict(value or {})
    return value
