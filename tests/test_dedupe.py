"""Likely duplicates found with their reasons, nothing paired that should not be, merges that lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dedupe_before
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm import dedupe
from tinycrm.dedupe import (
    find_groups,
    find_pairs,
    merge_plan,
    org_key,
    pinyin,
    record_keys,
    similar_name_warning,
    to_simplified,
)
from tinycrm.errors import Conflict

ROOT = Path(__file__).resolve().parent.parent


def person(cid: int, name: str, org: str | None = None, *, emails=(), phones=(), **more) -> dict:
    return {"id": cid, "kind": "person", "name": name, "org": org, "emails": list(emails),
            "phones": list(phones), "aliases": [], **more}


def company(cid: int, name: str, **more) -> dict:
    return {"id": cid, "kind": "org", "name": name, "org": None, "emails": [], "phones": [], "aliases": [],
            **more}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme Inc.", "ACME"),
        ("Acme, Inc", "acme"),
        ("The Acme Company", "Acme"),
        ("Acme Corp.", "Acme GmbH"),
        ("Pied Piper LLC", "PiedPiper"),
        ("Globex S.A.", "Globex"),
        ("佛山企业电子有限公司", "企业电子"),
        ("深圳市腾飞科技有限公司", "腾飞科技"),
        ("騰飛科技（深圳）有限公司", "腾飞科技"),
        ("广东省佛山市企业电子有限公司", "企业电子"),
        ("腾飞科技股份有限公司", "腾飞科技"),
        ("佛山企业电子", "企业电子"),
        ("ＡＣＭＥ　Ｉｎｃ", "acme"),
    ],
)
def test_org_key_drops_legal_suffixes_and_places(one, other):
    assert org_key(one) == org_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("北京大学", "上海大学"),  # the place is the name when no company form or trade follows
        ("上海银行", "北京银行"),
        ("中国银行股份有限公司", "上海银行股份有限公司"),  # too little would stay without the place
        ("Acme", "Acme Robotics"),
        ("腾飞科技有限公司", "腾达科技有限公司"),
    ],
)
def test_org_key_keeps_what_tells_organisations_apart(one, other):
    assert org_key(one) != org_key(other)


def test_traditional_folds_to_simplified_and_pinyin():
    assert to_simplified("張偉 陳國華") == "张伟 陈国华"
    assert to_simplified("Ada") == "Ada"
    assert pinyin("張偉") == ("zhang", "wei")
    assert pinyin("Ada") == ()


@pytest.mark.parametrize(
    ("record", "keys"),
    [
        (person(1, "張偉", "深圳市腾飞科技有限公司", emails=["ZW@x.cn"], phones=["138 0000 0000"]),
         [("email", "zw@x.cn"), ("phone", "+8613800000000"), ("name", "张伟"), ("name", "zhangwei"),
          ("org", "腾飞科技")]),
        (person(2, "Ada  Lovelace", None, phones=["+1 202 555 0100", "(202) 555-0100"]),
         [("phone", "+12025550100"), ("name", "ada lovelace"), ("name", "adalovelace")]),
        (company(3, "Acme Inc."), [("name", "acme inc."), ("name", "acmeinc"), ("org", "acme")]),
    ],
)
def test_record_keys_for_the_store(record, keys):
    assert record_keys(record, "CN" if record["id"] == 1 else "US") == keys


def _reasons(records, **kwargs) -> list[tuple[tuple[int, ...], int, tuple[str, ...]]]:
    return [(g.ids, g.score, g.reasons) for g in find_groups(records, region="US", **kwargs)]


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        ([person(1, "Grace Hopper", emails=["grace@navy.mil"]),
          person(2, "Grace Hopper", "US Navy", emails=["GRACE@Navy.mil"])], "same e-mail grace@navy.mil"),
        ([person(1, "Ada Lovelace", phones=["+1 202 555 0100"]),
          person(2, "Ada Lovelace", phones=["(202) 555-0100"])], "same phone +12025550100"),
        ([person(1, "Ada Lovelace", "Acme Inc."), person(2, "Ada Lovleace", "ACME")],
         "similar name (92) at the same organisation"),
        ([person(1, "Ada Lovelace", "Acme Inc."), person(2, "ada  lovelace", "Acme")],
         "same name at the same organisation"),
        ([person(1, "張偉", "佛山企业电子有限公司"), person(2, "张伟", "企业电子")],
         "same name in traditional and simplified characters at the same organisation"),
        ([person(1, "张伟", "腾飞科技"), person(2, "章炜", "深圳市腾飞科技有限公司")],
         "same pinyin (zhang wei) at the same organisation"),
        ([person(1, "张伟", "腾飞科技"), person(2, "Zhang Wei", "腾飞科技有限公司")],
         "same pinyin (zhang wei) at the same organisation"),
        ([company(1, "深圳市腾飞科技有限公司"), company(2, "腾飞科技")],
         "same organisation name without legal suffix or place"),
        ([company(1, "Acme Inc."), company(2, "ACME")],
         "same organisation name without legal suffix or place"),
        ([person(1, "Ada Lovelace"), person(2, "Ada Lovelace")],
         "same name, no organisation to tell them apart"),
    ],
)
def test_dupes_each_reason(records, reason):
    groups = _reasons(records)
    assert len(groups) == 1
    ids, score, reasons = groups[0]
    assert ids == (1, 2)
    assert reason in reasons
    assert dedupe.DEFAULT_MIN_SCORE <= score <= 100


def test_dupes_more_evidence_scores_higher():
    email_only = _reasons([person(1, "Ada Lovelace", emails=["ada@x.org"]),
                           person(2, "Ada King", emails=["ADA@x.org"])])
    email_and_phone = _reasons([person(1, "Ada Lovelace", emails=["ada@x.org"], phones=["+12025550100"]),
                                person(2, "Ada Lovelace", emails=["ADA@x.org"], phones=["202 555 0100"])])
    assert email_only[0][1] < email_and_phone[0][1] == 100


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([person(1, "John Smith", "Acme"), person(2, "John Brown", "Acme"),
                      person(3, "John Smith", "Globex"), person(4, "Jon Smyth", "Initech")],
                     id="common-first-names"),
        pytest.param([person(1, "张伟", "腾飞科技"), person(2, "张伟", "华星电子"),
                      person(3, "王芳", "腾飞科技")], id="same-chinese-name-different-orgs"),
        pytest.param([person(1, "Ada Lovelace", "Acme", phones=["+1 202 555 0100"]),
                      person(2, "Byron Lovelace", "Acme", phones=["(202) 555-0100"])],
                     id="family-sharing-a-phone"),
        pytest.param([person(1, "Ada Lovelace", "Acme"), person(2, "Ada Lovelace", None)],
                     id="one-without-org"),
        pytest.param([company(1, "北京大学"), company(2, "上海大学")], id="universities"),
        pytest.param([company(1, "Acme"), person(2, "Acme")], id="person-and-organisation"),
        pytest.param([person(1, "Li Na", "Acme"), person(2, "Li Hua", "Acme")], id="short-names"),
        pytest.param([person(1, "Ada Lovelace", "Acme", emails=["ada@acme.com"], phones=["+12025550100"]),
                      person(2, "Ada Lovelance", "Acme", emails=["al@acme.com"], phones=["+12025550111"])],
                     id="like-names-each-with-their-own-details"),
    ],
)
def test_dupes_pairs_nothing_in_books_without_duplicates(records):
    assert _reasons(records) == []


def test_dupes_shared_phone_between_different_names_is_only_a_hint():
    """A family or a switchboard shares one line: shown below the default threshold, never merged by it."""
    records = [person(1, "Ada Lovelace", phones=["+12025550100"]),
               person(2, "Byron Lovelace", phones=["2025550100"])]
    assert _reasons(records) == []
    hint = _reasons(records, min_score=30)
    assert hint
    assert "same phone +12025550100 but different names" in hint[0][2]


def test_dupes_groups_chain_and_report_the_weakest_link():
    records = [person(1, "Ada Lovelace", "Acme", emails=["ada@acme.com"]),
               person(2, "Ada Lovelace", "Acme Inc.", emails=["ADA@acme.com"]),
               person(3, "Ada Lovleace", "ACME"),
               person(4, "Grace Hopper", "Navy")]
    [(ids, score, reasons)] = _reasons(records)
    assert ids == (1, 2, 3)
    pairs = find_pairs(records, region="US")
    assert score == min(max(p.score for p in pairs if i in (p.a, p.b)) for i in ids)
    assert "same e-mail ada@acme.com" in reasons


def test_dupes_min_score_filters():
    records = [person(1, "Ada Lovelace", "Acme"), person(2, "Ada Lovleace", "Acme")]
    score = _reasons(records)[0][1]
    assert _reasons(records, min_score=score + 1) == []


def test_dupes_json_shape():
    group = find_groups([person(1, "A B", emails=["a@b.c"]), person(2, "A B", emails=["A@B.C"])])[0]
    data = group.to_json()
    assert set(data) == {"ids", "score", "reasons", "pairs"}
    assert data["pairs"][0]["a"] == 1
    assert data["pairs"][0]["b"] == 2
    json.dumps(data)


def test_dupes_oversized_block_compares_identical_names_only(monkeypatch):
    monkeypatch.setattr(dedupe, "BLOCK_MAX", 5)
    records = [person(i, f"Ada Lx{i:02d}e", "Acme") for i in range(1, 20)]
    records += [person(100, "Ada Lovelace", "Acme"), person(101, "Ada Lovelace", "Acme"),
                person(102, "Ada Lovelcae", "Acme")]
    assert [g.ids for g in find_groups(records)] == [(100, 101)]


def test_dupes_oversized_email_block_still_groups(monkeypatch):
    monkeypatch.setattr(dedupe, "BLOCK_MAX", 5)
    records = [person(i, "Ada Lovelace", emails=["ada@x.org"]) for i in range(1, 12)]
    assert [g.ids for g in find_groups(records)] == [tuple(range(1, 12))]


def test_dupes_skips_unreadable_stored_phones():
    records = [person(1, "A", phones=["call me"]), person(2, "B", phones=["call me"])]
    assert find_groups(records) == []


BOOK = [
    person(1, "Ada Lovelace", "Acme Inc.", emails=["ada@acme.com"], phones=["+1 202 555 0100"]),
    person(2, "Ada Lovelace", "ACME", emails=["ADA@acme.com"]),
    person(3, "Ada Lovleace", "Acme"),
    person(4, "張偉", "佛山企业电子有限公司"),
    person(5, "张伟", "企业电子"),
    person(6, "章伟", "企业电子"),
    person(7, "Byron Lovelace", "Acme", phones=["(202) 555-0100"]),
    company(8, "深圳市腾飞科技有限公司"),
    company(9, "腾飞科技"),
    person(10, "Grace Hopper", "Navy", phones=["2025550199"]),
    person(11, "Grace Hopper", None, phones=["+1 202 555 0199"]),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(BOOK), st.integers(min_value=30, max_value=100))
def test_find_groups_is_order_independent(shuffled, min_score):
    assert find_groups(shuffled, min_score=min_score, region="US") == find_groups(
        BOOK, min_score=min_score, region="US")


def test_similar_name_warning_for_organisations_and_edits():
    candidates = [company(1, "深圳市腾飞科技有限公司"), person(2, "腾飞科技", "Acme")]
    assert "#1" in similar_name_warning("腾飞科技", None, candidates, kind="org")
    assert similar_name_warning("腾飞科技", None, candidates, kind="org", ignore_id=1) is None
    assert similar_name_warning("北京大学", None, [company(3, "上海大学")], kind="org") is None


@pytest.mark.parametrize(
    ("name", "org", "expected"),
    [
        ("Ada Lovelce", "Acme", "#1 Ada Lovelace"),
        ("章炜", "腾飞科技", "same pinyin"),
        ("張偉", "深圳市腾飞科技有限公司", "traditional and simplified"),
        ("Ada Lovelace", None, "#1 Ada Lovelace"),
        ("Ada Lovelace", "Globex", None),
        ("Ada Lovelce", None, None),
        ("Grace Hopper", "Acme", None),
        ("张伟", "Globex", None),
        ("张伟", None, "#2 张伟"),
    ],
)
def test_similar_name_warning(name, org, expected):
    candidates = [person(1, "Ada Lovelace", "Acme Inc."), person(2, "张伟", "腾飞科技")]
    warning = similar_name_warning(name, org, candidates)
    if expected is None:
        assert warning is None
    else:
        assert warning is not None
        assert expected in warning


# --- merge -----------------------------------------------------------------------------------

KEEP = person(1, "Ada Lovelace", "Acme", emails=["ada@acme.com"], phones=["+12025550100"], tags=["vip"],
              title="Countess", notes="met at the analytical engine demo", fields={"source": "fair"},
              birthday="1815-12-10", birthday_lunar=False, anniversaries=[], addresses=[], owner="ada",
              tier="A", every="30d")
OTHER = person(2, "A. Lovelace", "Acme Inc.", emails=["ADA@acme.com", "ada@home.org"],
               phones=["(202) 555-0100", "+442079460958"], tags=["VIP", "partner"], title="Mathematician",
               notes="prefers e-mail", fields={"source": "web", "size": "10"}, birthday="1815-12-11",
               birthday_lunar=False,
               anniversaries=[{"label": "founded", "date": "1843-01-01", "lunar": False}],
               addresses=[{"city": "London"}], owner="bob", tier=None, every=None, aliases=["Augusta Ada"])


def test_merge_plan_keep_wins_and_keeps_the_rest():
    plan = merge_plan(KEEP, [OTHER], region="US")
    rec = plan.record
    assert rec["name"] == "Ada Lovelace"
    assert rec["aliases"] == ["A. Lovelace", "Augusta Ada"]
    assert rec["emails"] == ["ada@acme.com", "ada@home.org"]
    assert rec["phones"] == ["+12025550100", "+442079460958"]
    assert rec["tags"] == ["vip", "partner"]
    assert rec["title"] == "Countess"
    assert rec["fields"]["title (#2)"] == "Mathematician"
    assert rec["org"] == "Acme"
    assert rec["fields"]["org (#2)"] == "Acme Inc."
    assert rec["fields"]["source"] == "fair"
    assert rec["fields"]["source (#2)"] == "web"
    assert rec["fields"]["size"] == "10"
    assert rec["fields"]["birthday (#2)"] == "1815-12-11"
    assert rec["fields"]["owner (#2)"] == "bob"
    assert rec["anniversaries"] == OTHER["anniversaries"]
    assert rec["addresses"] == [{"city": "London"}]
    assert rec["notes"] == (
        "met at the analytical engine demo\n\n--- merged from #2 A. Lovelace ---\nprefers e-mail"
    )
    assert plan.keep_id == 1
    assert plan.other_ids == (2,)
    assert "name" not in plan.fields
    assert plan.fields["emails"] == rec["emails"]
    assert plan.steps[0] == "merge #2 A. Lovelace into #1 Ada Lovelace"


def test_merge_plan_fills_what_keep_lacks():
    keep = person(1, "张伟", None)
    other = person(2, "張偉", "腾飞科技", title="经理", birthday="1990-02-03", birthday_lunar=True)
    plan = merge_plan(keep, [other])
    assert plan.fields["org"] == "腾飞科技"
    assert plan.fields["title"] == "经理"
    assert plan.fields["birthday"] == "1990-02-03"
    assert plan.fields["birthday_lunar"] is True
    assert plan.fields["aliases"] == ["張偉"]


def test_merge_plan_is_pure_and_repeatable():
    before = json.dumps([KEEP, OTHER], sort_keys=True)
    first = merge_plan(KEEP, [OTHER])
    assert merge_plan(KEEP, [OTHER]) == first
    assert json.dumps([KEEP, OTHER], sort_keys=True) == before


def test_merge_plan_of_several_keeps_every_clash_apart():
    others = [person(2, "B", fields={"k": "2"}), person(3, "C", fields={"k": "3"}),
              person(4, "D", fields={"k": "2"})]
    plan = merge_plan(person(1, "A", fields={"k": "1"}), others)
    assert plan.record["fields"] == {"k": "1", "k (#2)": "2", "k (#3)": "3"}
    assert plan.record["aliases"] == ["B", "C", "D"]


@pytest.mark.parametrize(
    ("keep", "others"),
    [
        (person(1, "A"), [person(1, "A")]),
        (person(1, "A"), [person(2, "B"), person(2, "B")]),
        (person(1, "A"), [company(2, "A")]),
    ],
)
def test_merge_plan_refuses_impossible_merges(keep, others):
    with pytest.raises(Conflict):
        merge_plan(keep, others)


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8)
_record = st.fixed_dictionaries({
    "name": _text,
    "org": st.none() | _text,
    "title": st.none() | _text,
    "emails": st.lists(st.sampled_from(["a@x.org", "A@X.org", "b@y.org", "c@z.org"]), max_size=3),
    "phones": st.lists(st.sampled_from(["+12025550100", "(202) 555-0100", "+8613800000000", "555 0100"]),
                       max_size=3),
    "tags": st.lists(st.sampled_from(["vip", "VIP", "partner", "lead"]), max_size=3),
    "fields": st.dictionaries(st.sampled_from(["k", "source", "size", "k (#2)"]), _text, max_size=3),
    "notes": st.none() | _text,
    "birthday": st.none() | st.sampled_from(["1990-01-01", "1991-02-02"]),
    "birthday_lunar": st.booleans(),
    "aliases": st.lists(_text, max_size=2),
    "anniversaries": st.lists(st.fixed_dictionaries({"label": st.sampled_from(["wed", "met"]),
                                                     "date": st.sampled_from(["2000-01-01", "2001-01-01"]),
                                                     "lunar": st.booleans()}), max_size=2),
})


def _everything_in(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


@settings(max_examples=150, deadline=None)
@given(_record, st.lists(_record, min_size=1, max_size=3))
def test_merge_plan_loses_no_value(keep, others):
    keep = {"id": 1, "kind": "person", **keep}
    others = [{"id": i, "kind": "person", **o} for i, o in enumerate(others, start=2)]
    rec = merge_plan(keep, others, region="US").record
    kept = _everything_in(rec)
    for other in [keep, *others]:
        for name in (other["name"], *other["aliases"]):
            assert dedupe.fold(name) in {dedupe.fold(n) for n in (rec["name"], *rec["aliases"])}
        for e in other["emails"]:
            assert e.lower() in {x.lower() for x in rec["emails"]}
        for p in other["phones"]:
            assert dedupe.phone_key(p, "US") in {dedupe.phone_key(x, "US") for x in rec["phones"]}
        for t in other["tags"]:
            assert t.lower() in {x.lower() for x in rec["tags"]}
        for value in (*other["fields"].values(), other["org"], other["title"], other["birthday"]):
            if value:
                assert json.dumps(value, ensure_ascii=False)[1:-1] in kept
        if other["notes"]:
            assert other["notes"].strip() in (rec["notes"] or "")
        for item in other["anniversaries"]:
            assert item in rec["anniversaries"]


def test_dedupe_imports_no_heavy_module():
    """`contact add` imports dedupe for its warning: the heavy libraries load only when a name needs them."""
    code = (
        "import json, sys\n"
        "from tinycrm import dedupe\n"
        "dedupe.org_key('Acme Inc.'); dedupe.name_key('Ada Lovelace')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    heavy = ("rapidfuzz", "pypinyin", "opencc", "phonenumbers", "email_validator", "sqlite3")
    assert [m for m in json.loads(result.stdout) if m.split(".")[0] in heavy] == []


def test_dupes_same_name_with_different_details_scores_lower():
    bare = [person(1, "Ada Lovelace", "Acme"), person(2, "Ada Lovelace", "Acme")]
    detailed = [person(1, "Ada Lovelace", "Acme", emails=["a@acme.com"], phones=["+12025550100"]),
                person(2, "Ada Lovelace", "Acme", emails=["b@acme.com"], phones=["+12025550111"])]
    [(_, bare_score, _)] = _reasons(bare)
    [(_, detailed_score, reasons)] = _reasons(detailed)
    assert detailed_score == bare_score - 2 * dedupe.CONFLICT_PENALTY
    assert "but different e-mails and phones" in reasons


_names = st.sampled_from(["Ada Lovelace", "Ada Lovleace", "ada lovelace", "Grace Hopper", "张伟", "張偉",
                          "章伟", "Zhang Wei", "Byron Lovelace"])
_orgs = st.sampled_from([None, "Acme", "Acme Inc.", "Globex", "佛山企业电子有限公司", "企业电子"])
_book = st.lists(
    st.tuples(_names, _orgs, st.lists(st.sampled_from(["a@x.org", "A@X.ORG", "b@y.org"]), max_size=1),
              st.lists(st.sampled_from(["+12025550100", "(202) 555-0100", "2025550111"]), max_size=1)),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_book, st.randoms(use_true_random=False))
def test_find_groups_is_order_independent_on_any_book(rows, rnd):
    records = [person(i, name, org, emails=e, phones=p) for i, (name, org, e, p) in enumerate(rows, start=1)]
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert find_groups(shuffled, region="US") == find_groups(records, region="US")


def _every_candidate(records, region):
    """The blocking before names were judged per pair of distinct names: every pair in a block."""
    from collections import defaultdict

    blocks = defaultdict(list)
    for i, record in enumerate(records):
        for key in dict.fromkeys(dedupe_before.record_blocks(record, region)):
            blocks[key].append(i)
    pairs = set()
    for key, members in blocks.items():
        if len(members) > dedupe.BLOCK_MAX:
            if key[0] in ("e", "p"):
                pairs.update((members[0], j) for j in members[1:])
                continue
            same = defaultdict(list)
            for i in members:
                same[dedupe._name_parts(records[i].get("name") or "")[1]].append(i)
            groups = [m for m in same.values() if 1 < len(m) <= dedupe.BLOCK_MAX]
        else:
            groups = [members]
        for group in groups:
            pairs.update((i, j) for x, i in enumerate(group) for j in group[x + 1:])
    return pairs


_NAMES = ["Ada Lovelace", "Ada Lovelcae", "Ada Lee", "Ada Long", "Ada Lovelace-King", "Ada Byron",
          "Alan Turing", "Alan Turnig",
          "张伟", "張偉", "章伟", "Zhang Wei", "Grace Hopper", "Grace H."]
_ORGS = [None, "Acme", "ACME Inc.", "Navy"]
_MAILS = ["ada@x.org", "ADA@x.org", "alan@y.org", "g@navy.mil"]
_PHONES = ["+1 202 555 0100", "(202) 555-0100", "+86 138 0000 0000", "2025550199"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_ORGS),
                          st.lists(st.sampled_from(_MAILS), max_size=2),
                          st.lists(st.sampled_from(_PHONES), max_size=2)), min_size=2, max_size=40),
       st.sampled_from([3, 300]))
def test_dupes_pairs_equal_scoring_every_candidate(rows, block_max):
    """Judging names once per pair of distinct names finds exactly what scoring every pair did."""
    records = [person(i + 1, name, org, emails=mails, phones=phones)
               for i, (name, org, mails, phones) in enumerate(rows)]
    saved = dedupe.BLOCK_MAX
    dedupe.BLOCK_MAX = block_max  # small blocks too: the oversized e-mail and phone stars
    try:
        found = dedupe.find_pairs(records, region="US")
        expected = []
        for i, j in _every_candidate(records, "US"):
            a, b = dedupe._entry(records[i], "US"), dedupe._entry(records[j], "US")
            score, reasons = dedupe._score_pair(a, b)
            if score >= dedupe.DEFAULT_MIN_SCORE:
                expected.append(dedupe.Pair(a.id, b.id, score, reasons))
    finally:
        dedupe.BLOCK_MAX = saved
    assert found == sorted(expected, key=lambda p: (p.a, p.b))


_KINDS = st.sampled_from(["person", "person", "org"])
_ORG_NAMES = ["Acme Inc.", "ACME", "Acme GmbH", "佛山企业电子有限公司", "企业电子"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KINDS, st.sampled_from(_NAMES), st.sampled_from(_ORG_NAMES),
                          st.sampled_from(_ORGS), st.lists(st.sampled_from(_MAILS), max_size=2),
                          st.lists(st.sampled_from(_PHONES), max_size=2)), min_size=2, max_size=40),
       st.sampled_from([2, 3, 300]), st.sampled_from([0, 40, 70, 90]), st.randoms(use_true_random=False))
def test_dupes_scored_per_group_of_names_equal_scoring_each_pair_as_before(rows, block_max, min_score, rnd):
    """The pairs, scores and reasons of main before the change (tests/dedupe_before.py), on any book."""
    records = [company(i + 1, org_name, emails=mails, phones=phones) if kind == "org"
               else person(i + 1, name, org, emails=mails, phones=phones)
               for i, (kind, name, org_name, org, mails, phones) in enumerate(rows)]
    rnd.shuffle(records)
    saved = dedupe.BLOCK_MAX
    dedupe.BLOCK_MAX = block_max  # tiny blocks too: oversized name blocks, crowded e-mail and phone stars
    try:
        found = dedupe.find_pairs(records, min_score=min_score, region="US")
        expected = dedupe_before.find_pairs(records, min_score=min_score, region="US")
    finally:
        dedupe.BLOCK_MAX = saved
    assert found == expected


def test_dupes_on_store_rows_equal_dupes_on_records():
    """The store's tuples and the records a test writes give the same groups."""
    records = [person(3, "Ada Lovelace", "Acme", emails=["ada@x.org"]),
               person(1, "Ada Lovelcae", "ACME Inc."),
               person(2, "张伟", phones=["+1 202 555 0100"]), person(4, "張偉", phones=["(202) 555-0100"]),
               company(5, "Acme Inc."), company(6, "ACME")]
    rows = [dedupe._row(r) for r in records]
    assert dedupe.find_row_groups(rows, region="US") == find_groups(records, region="US")
    assert [g.ids for g in find_groups(records, region="US")] == [(2, 4), (5, 6), (1, 3)]
