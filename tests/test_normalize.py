"""Phones, e-mails and names normalised once, so that one customer written two ways is one key."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm import normalize
from tinycrm.errors import CrmError, InvalidData
from tinycrm.normalize import NormalPhone, default_region, email, email_key, fold, phone, phone_key

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("written", "region", "key"),
    [
        ("+1 202 555 0100", "US", "+12025550100"),
        ("(202) 555-0100", "US", "+12025550100"),
        ("2025550100", "US", "+12025550100"),
        ("202.555.0100", "US", "+12025550100"),
        ("1-202-555-0100", "US", "+12025550100"),
        ("+1 (202) 555-0100", "US", "+12025550100"),
        ("+12025550100", None, "+12025550100"),
        ("  +1 202 555 0100  ", None, "+12025550100"),
        ("+86 138 0000 0000", "CN", "+8613800000000"),
        ("13800000000", "CN", "+8613800000000"),
        ("138-0000-0000", "CN", "+8613800000000"),
        ("＋８６ １３８ ００００ ００００", "CN", "+8613800000000"),
        ("0757 8888 1234", "CN", "+8675788881234"),
        ("+44 (0)20 7946 0958", "US", "+442079460958"),
        ("+44 020 7946 0958", None, "+442079460958"),
        ("202 555 0100 ext. 12", "US", "+12025550100x12"),
        ("2025550100", None, "2025550100"),  # no region: kept as written, keyed by its digits
        ("12345", "US", "12345"),  # too short to be a number anywhere: kept
    ],
)
def test_phone_writings_give_one_key(written, region, key):
    assert phone_key(written, region) == key


@pytest.mark.parametrize(
    ("written", "region", "stored"),
    [
        ("(202) 555-0100", "US", NormalPhone("+12025550100", "+12025550100")),
        ("13800000000", "CN", NormalPhone("+8613800000000", "+8613800000000")),
        ("202 555 0100 x12", "US", NormalPhone("+12025550100 ext. 12", "+12025550100x12")),
        ("2025550100", None, NormalPhone("2025550100", "2025550100")),
        ("12 34 5", "US", NormalPhone("12 34 5", "12345")),
    ],
)
def test_phone_is_stored_in_e164_or_as_written(written, region, stored):
    assert phone(written, region) == stored


@pytest.mark.parametrize("word", ["call me", "1-800-FLOWERS", "", "   ", "12", "++1 202 555 0100",
                                  "202+555+0100", "n/a", "电话"])
def test_phone_refuses_words_and_scraps(word):
    with pytest.raises(InvalidData, match="invalid phone"):
        phone(word, "US")


def test_phone_fast_path_skips_phonenumbers(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("phonenumbers.parse called on an E.164 number")

    monkeypatch.setattr(phonenumbers, "parse", boom)
    assert phone_key("+12025550100") == "+12025550100"
    assert phone_key("+86 138 0000 0000") == "+8613800000000"


def test_phone_fast_path_agrees_with_phonenumbers():
    """A sample of the check that chose the slow calling codes: both paths give one key."""
    rng = random.Random(11)
    from phonenumbers.data import _COUNTRY_CODE_TO_REGION_CODE

    for code in sorted(_COUNTRY_CODE_TO_REGION_CODE):
        for _ in range(40):
            national = "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(5, 14 - len(str(code)))))
            written = f"+{code}{national}"
            if not normalize._fast_e164(written):
                continue
            parsed = phonenumbers.parse(written, None)
            if phonenumbers.is_possible_number(parsed):
                assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == written


@pytest.mark.parametrize(
    ("written", "stored", "key"),
    [
        ("ada@example.com", "ada@example.com", "ada@example.com"),
        ("  Ada@Example.COM ", "Ada@example.com", "ada@example.com"),
        ("ＡＤＡ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ADA@example.com", "ada@example.com"),
        ("grace.hopper+crm@navy.mil", "grace.hopper+crm@navy.mil", "grace.hopper+crm@navy.mil"),
        ("张伟@例子.中国", "张伟@例子.中国", "张伟@例子.中国"),
    ],
)
def test_email_writings_give_one_key(written, stored, key):
    assert email(written) == stored
    assert email_key(written) == key
    assert email_key(stored) == key


@pytest.mark.parametrize("bad", ["ada", "ada@", "@example.com", "ada@@example.com", "ada@example",
                                 "ada lovelace@example.com", "", "ada@exa mple.com", "ada@-example.com"])
def test_email_refuses_bad_syntax(bad):
    with pytest.raises(InvalidData, match="invalid e-mail"):
        email(bad)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("  Ada   Lovelace ", "ada lovelace"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("张　伟", "张 伟"),  # ideographic space
        (None, ""),
    ],
)
def test_fold_for_matching(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("setting", "env", "region"),
    [
        ("cn", {"LANG": "en_US.UTF-8"}, "CN"),
        (None, {"LANG": "zh_CN.UTF-8"}, "CN"),
        (None, {"LANG": "en_US"}, "US"),
        (None, {"LC_ALL": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "DE"),
        (None, {"LC_TELEPHONE": "en_GB.UTF-8", "LANG": "en_US.UTF-8"}, "GB"),
        (None, {"LANG": "C.UTF-8"}, None),
        (None, {"LANG": "POSIX"}, None),
        (None, {}, None),
        ("not a region", {"LANG": "en_US.UTF-8"}, "US"),
    ],
)
def test_default_region_from_setting_else_locale(setting, env, region):
    assert default_region(setting, env) == region


@given(st.text(max_size=40), st.sampled_from([None, "US", "CN", "GB", "ZZ"]))
def test_phone_raises_only_crm_errors(text, region):
    try:
        result = phone(text, region)
    except CrmError:
        return
    assert result.key
    assert phone_key(result.text, region) == result.key


@given(st.from_regex(r"\+?[0-9 ()\-.]{5,20}", fullmatch=True), st.sampled_from(["US", "CN"]))
def test_phone_key_is_stable_on_what_is_stored(text, region):
    try:
        first = phone(text, region)
    except CrmError:
        return
    assert phone(first.text, region).key == first.key


@given(st.text(max_size=60))
def test_email_raises_only_crm_errors(text):
    try:
        stored = email(text)
    except CrmError:
        return
    assert email_key(stored) == email_key(email(stored))


@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_normalize_imports_no_heavy_module():
    """`tinycrm log REF` imports this module: phonenumbers and email_validator must wait until needed."""
    code = (
        "import json, sys\n"
        "from tinycrm.normalize import phone_key, email_key\n"
        "phone_key('+1 202 555 0100'); email_key('Ada@Example.com')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert [m for m in loaded if m.split(".")[0] in ("phonenumbers", "email_validator", "idna")] == []


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9.+_'-]{1,12}@[A-Za-z0-9.-]{1,20}\.[A-Za-z]{1,6}", fullmatch=True))
def test_the_plain_email_fast_path_agrees_with_email_validator(address):
    from email_validator import EmailNotValidError, validate_email

    try:
        expected = validate_email(address, check_deliverability=False, allow_smtputf8=True).normalized
    except EmailNotValidError:
        expected = None
    try:
        got = normalize.email(address)
    except InvalidData:
        got = None
    assert got == expected


@pytest.mark.parametrize("written", ["+98000000", "+98 000 000", "+39000000"])
def test_phone_whose_zeros_phonenumbers_drops_keeps_its_key(written):
    """phonenumbers reads `+98000000` as `+9800000`, then `+980000`: kept as written, one key for ever."""
    first = phone(written, "US")
    assert phone(first.text, "US").key == first.key
    assert phone_key(first.key, "US") == first.key
