"""vCards in (2.1/3.0/4.0, every real-world shape of issue 8), out (4.0/3.0, vdirs), and read back by
khard and vobject."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from clients import KHARD_CONFIG
from formats_strategies import CONTACT_KEYS, records, same_contact
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm.errors import BadRow, CrmError, InvalidData
from tinycrm.formats import read_path
from tinycrm.formats.draft import Draft
from tinycrm.formats.vcard import read_vcards, read_vdir, uid_of, write_vcard, write_vcards, write_vdir

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def cards(data: bytes | str) -> list[Draft | BadRow]:
    return list(read_vcards(data))


def one(data: bytes | str) -> Draft:
    (draft,) = cards(data)
    assert isinstance(draft, Draft)
    return draft


def card(*lines: str, version: str = "3.0", end: str = "\r\n") -> bytes:
    return end.join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]).encode()


# ------------------------------------------------------------------------------ fixtures


def test_apple_ios_export_arrives_whole() -> None:
    johnny, shop = cards((FIXTURES / "apple_ios.vcf").read_bytes())
    assert johnny.name == "Johnny Appleseed"
    assert johnny.uid == "5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE"
    assert johnny.org == "Apple Inc."
    assert johnny.fields["department"] == "Engineering"
    assert johnny.title == "Orchardist"
    assert johnny.emails == ["johnny@example.com", "j.appleseed@example.org"]
    assert johnny.labels["johnny@example.com"] == "other"  # _$!<Other>!$_
    assert johnny.labels["j.appleseed@example.org"] == "work"
    assert johnny.phones == ["+1 408 555 0110", "(408) 555-0111", "408 555 0112"]
    assert johnny.labels["+1 408 555 0110"] == "orchard phone"  # a custom X-ABLabel
    assert johnny.labels["(408) 555-0111"] == "cell"
    assert johnny.addresses == ["1 Infinite Loop, Cupertino, CA 95014, United States"]
    assert johnny.birthday == "--09-26"  # X-APPLE-OMIT-YEAR=1604: no year, never 1604
    assert johnny.anniversaries == [{"label": "anniversary", "date": "2004-06-10", "lunar": False}]
    assert johnny.notes == "Plants trees, mostly apples; sometimes pears."
    assert johnny.tags == ["Friends", "Apple-Growers"]
    assert johnny.fields["url homepage"] == "http://www.example.com/johnny"
    assert johnny.fields["x-abrelatednames spouse"] == "Jane Appleseed"
    assert not any("PHOTO" in key.upper() for key in johnny.fields)
    assert (shop.name, shop.kind, shop.org) == ("Orchard Supplies", "org", None)  # X-ABShowAs:COMPANY
    assert shop.line == 31


def test_android_21_quoted_printable_and_8bit_without_charset() -> None:
    zhang, juergen = cards((FIXTURES / "android_21.vcf").read_bytes())
    assert zhang.name == "张伟"  # FN QP with CHARSET; N soft-broken inside 伟
    assert zhang.org == "佛山企业电子有限公司"  # a soft break between characters
    assert zhang.phones == ["+86 138 0013 8000", "020-8888-6666"]
    assert zhang.labels["+86 138 0013 8000"] == "cell"  # bare 2.1 types, PREF dropped
    assert zhang.emails == ["zhangwei@example.cn"]
    assert zhang.labels["zhangwei@example.cn"] == "home"
    assert zhang.notes == "First line\nSecond line"
    assert zhang.birthday == "1980-03-22"  # 19800322
    assert juergen.name == "Jürgen Müller"  # Latin-1 bytes and no CHARSET
    assert juergen.notes == "Grüße aus Köln"  # CHARSET=ISO-8859-1 with QP
    assert any("no charset" in w for w in juergen.warnings)


def test_vcard4_rfc6350_shapes() -> None:
    simon, abc = cards((FIXTURES / "rfc6350.vcf").read_bytes())
    assert simon.name == "Simon Perreault"
    assert simon.birthday == "--02-03"
    assert simon.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert simon.phones == ["+1-418-656-9254", "+1-418-262-6501"]  # TEL;VALUE=uri:tel:…
    assert simon.fields["phone +1-418-656-9254 extension"] == "102"
    assert simon.labels["+1-418-656-9254"] == "work"  # quoted TYPE="work,voice"
    assert simon.anniversaries == [{"label": "anniversary", "date": "2009-08-08", "lunar": False}]
    assert simon.addresses == ["Suite D2-630, 2875 Laurier, Quebec, QC G1V 2M2, Canada"]
    assert simon.org == "Viagenie"
    assert simon.tags[-1] == "INFORMATION-TECHNOLOGY"
    assert simon.fields["key"].startswith("http://")  # a KEY by URI is kept, never decoded
    assert (abc.name, abc.kind) == ("ABC, Inc.", "org")  # KIND:org, escaped comma
    assert abc.fields["department"] == "North American Division / Marketing"


def test_corrupt_photo_nameless_card_and_empty_card() -> None:
    photo, nameless, long_note, empty = cards((FIXTURES / "corrupt_photo.vcf").read_bytes())
    assert photo.name == "Photo Broken"
    assert photo.emails == ["photo@example.com"]
    assert nameless.name == "nobody@example.com"
    assert nameless.fields["phone"] == "not a number"
    assert long_note.notes == ("word " * 60).strip()
    assert isinstance(empty, BadRow)
    assert empty.line == 19


def test_vdir_gives_file_names_as_source_ids() -> None:
    alan, hedy = read_path(FIXTURES / "vdir")
    assert (alan.name, alan.uid, alan.source_id) == ("Alan Turing", "a1b2c3d4-0001", "a1b2c3d4-0001.vcf")
    assert (hedy.name, hedy.uid, hedy.source_id) == ("Hedy Lamarr", None, "no-uid-card.vcf")


# ------------------------------------------------------------------------------ shapes


@pytest.mark.parametrize(
    ("lines", "end", "expected_name"),
    [
        (["FN:Ada Love", " lace"], "\r\n", "Ada Lovelace"),  # folded mid-word
        (["FN:Ada Love", "\tlace"], "\n", "Ada Lovelace"),  # folded with a tab, LF ends
        (["FN:Ada Lovelace"], "\r\r\n", "Ada Lovelace"),  # CR CR LF (old iPhones)
        (["FN:Ada Lovelace"], "\r", "Ada Lovelace"),  # CR alone (classic Mac)
        (["FN:" + "Ada Lovelace " * 20], "\r\n", ("Ada Lovelace " * 20).strip()),  # never folded
        (["FN:Lovelace\\, Ada\\; Countess"], "\r\n", "Lovelace, Ada; Countess"),  # escaped , ;
        (["N:Lovelace;Ada;;;"], "\r\n", "Ada Lovelace"),  # no FN
        (["N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=", "=9F;;;"], "\r\n", "张伟"),
        (["FN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 M=C3=BCller"], "\r\n", "José Müller"),  # QP, no charset
        (["FN;CHARSET=GB2312:\u5f20\u4f1f"], "\r\n", "张伟"),
    ],
)
def test_names_in_every_line_shape(lines: list[str], end: str, expected_name: str) -> None:
    data = card(*lines, end=end)
    if "GB2312" in lines[0]:
        data = data.decode().encode("gb18030")
    assert one(data).name == expected_name


def test_quoted_parameter_with_semicolon_and_colon() -> None:
    d = one(card("FN:Ada", 'EMAIL;X-LABEL="home; private: yes":ada@example.com'))
    assert d.emails == ["ada@example.com"]
    assert d.labels["ada@example.com"] == "home; private: yes"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BDAY:1980-03-22", "1980-03-22"),
        ("BDAY:19800322", "1980-03-22"),
        ("BDAY:--0322", "--03-22"),
        ("BDAY:--03-22", "--03-22"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-22", "--03-22"),
        ("BDAY:1604-03-22", "--03-22"),
        ("BDAY:1980-03-22T00:00:00Z", "1980-03-22"),
        ("BDAY;VALUE=date:19800322", "1980-03-22"),
    ],
)
def test_birthday_forms_and_year_less_stays_year_less(line: str, expected: str) -> None:
    assert one(card("FN:Ada", line, version="4.0")).birthday == expected


def test_bad_birthday_is_kept_aside() -> None:
    d = one(card("FN:Ada", "BDAY;VALUE=text:circa 1800"))
    assert d.birthday is None
    assert d.fields["birthday"] == "circa 1800"
    assert d.warnings


def test_bytes_invalid_in_declared_charset_are_kept_with_a_warning() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8:Jos\xe9\r\nEND:VCARD\r\n"
    d = one(data)
    assert d.name == "José"
    assert any("not valid UTF-8" in w for w in d.warnings)


@pytest.mark.parametrize("agent", [["AGENT:BEGIN:VCARD"], ["AGENT:", "BEGIN:VCARD"]])
def test_nested_agent_card_is_not_a_contact(agent: list[str]) -> None:
    data = card("FN:Boss", *agent, "FN:Secretary", "END:VCARD", "EMAIL:boss@example.com")
    (boss,) = cards(data)
    assert boss.name == "Boss"
    assert boss.emails == ["boss@example.com"]


def test_file_without_cards_is_invalid_and_unclosed_card_is_kept() -> None:
    with pytest.raises(InvalidData):
        cards(b"hello\r\n")
    d = one(b"BEGIN:VCARD\r\nFN:Ada\r\n")
    assert d.name == "Ada"
    assert any("END:VCARD" in w for w in d.warnings)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_vcards(encoding: str) -> None:
    data = card("FN:张伟", "EMAIL:zw@example.cn").decode().encode(encoding)
    assert one(data).name == "张伟"


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        # Android's contacts export (an OPPO phone's, in vobject's radicale-1238 cards): a data row
        ("X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;毅鑫Lee;1;;;;;;;;;;;;;", {"nickname": "毅鑫Lee"}),
        (
            "X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:vnd.android.cursor.item/nickname;=E5=B0=8F;1;;;;",
            {"nickname": "小"},
        ),
        ("X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;;1;;;;", {}),
        (
            "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Bob;1;;;;",
            {"x-android-custom": "vnd.android.cursor.item/relation;Bob;1;;;;"},
        ),
    ],
    ids=["nickname", "quoted-printable", "empty", "other-rows-kept-whole"],
)
def test_android_custom_nickname_row_is_the_nickname(line: str, fields: dict[str, str]) -> None:
    assert dict(one(card("FN:Li", line, version="2.1")).fields) == fields


@pytest.mark.parametrize("charset", ["UTF-\x008", "X-NOT-A-CHARSET", "UTF-8;X=\x00"])
def test_a_charset_name_no_codec_knows_reads_the_value_as_utf8(charset: str) -> None:
    # a NUL spliced into an OPPO phone's CHARSET=UTF-8 once ended the import with an internal error
    draft = one(card(f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:=E8=94=A1=E5=AA=9B", version="2.1"))
    assert draft.name == "蔡媛"


def test_macos_card_with_an_email_in_a_phone_field() -> None:
    # the shape of Mac OS X 10.12.3's export in vcf-parser's test card, in small
    draft = one(
        card(
            "PRODID:-//Apple Inc.//Mac OS X 10.12.3//EN",
            "N:Freeman;Gordon;;;",
            "FN: Gordon  Freeman ",
            "TEL;type=CELL;type=VOICE;type=pref:+1-541-754-3010",
            "TEL;type=IPHONE;type=CELL;type=VOICE:g.freeman@aperture.com",
        )
    )
    assert draft.name == "Gordon  Freeman"  # as typed: a writer's spaces round-trip
    assert (list(draft.phones), list(draft.emails)) == (["+1-541-754-3010"], ["g.freeman@aperture.com"])
    assert dict(draft.labels) == {"+1-541-754-3010": "cell", "g.freeman@aperture.com": "iphone, cell"}
    assert list(draft.warnings) == [
        "'g.freeman@aperture.com' is an e-mail address in a phone field: kept as an e-mail"
    ]


def test_many_cards_and_unknown_properties_kept() -> None:
    data = b"".join(
        card(f"FN:Person {i}", "X-SKYPE:p" + str(i), "IMPP:xmpp:p@example.org") for i in range(50)
    )
    items = cards(data)
    assert len(items) == 50
    assert items[49].fields == {"x-skype": "p49", "impp": "xmpp:p@example.org"}


# ------------------------------------------------------------------------------ writer

RECORD = {
    "id": 7,
    "kind": "person",
    "name": "Ada Lovelace",
    "org": "Analytical Engines; Ltd",
    "title": "Countess",
    "emails": ["ada@example.com", "countess@example.org"],
    "phones": ["+44 20 7946 0000", "(020) 7946 0001"],
    "addresses": ["12 St James's Square, London"],
    "tags": ["vip", "math"],
    "birthday": "--12-10",
    "birthday_lunar": False,
    "anniversaries": [
        {"label": "anniversary", "date": "1835-07-08", "lunar": False},
        {"label": "first program", "date": "--08-15", "lunar": True},
    ],
    "every": "30d",
    "notes": "line one\nline two, with; semicolons",
    "owner": "sam",
    "tier": "A",
    "fields": {"shoe size": "38", "ship, with comma": "x"},
    "aliases": ["Countess of Lovelace"],
    "labels": {"ada@example.com": "work", "+44 20 7946 0000": "mobile"},
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T03:04:05Z",
}
KEYS = CONTACT_KEYS  # every field a vCard carries back


@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.parametrize(
    "record",
    [
        RECORD,
        {**RECORD, "name": "张伟", "birthday": "1980-03-22", "birthday_lunar": True, "org": None},
        {
            "id": 9,
            "kind": "org",
            "name": "佛山企业电子有限公司",
            "emails": [],
            "phones": [],
            "tags": [],
            "fields": {},
            "created_at": "2026-01-01T00:00:00Z",
        },
    ],
)
def test_writer_round_trips_every_field(record: dict, version: str) -> None:
    back = one(write_vcard(record, version).encode())
    for key in KEYS:
        assert _plain(getattr(back, key)) == _plain(record.get(key, getattr(Draft(), key))), key
    assert back.uid == uid_of(record)


def _plain(value: object) -> object:
    """Empty and missing alike; tuples as lists, mappings as dicts."""
    if not value and value != 0:
        return None
    return (
        list(value) if isinstance(value, (tuple, list)) else dict(value) if hasattr(value, "keys") else value
    )


def test_writer_shape_is_what_clients_need() -> None:
    text = write_vcard(RECORD, "4.0")
    assert text.endswith("END:VCARD\r\n")
    assert "\r\n" in text
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    props = [line.split(":", 1)[0] for line in lines if line and not line.startswith(" ")]
    assert "FN" in props
    assert "N" in props
    assert any(p.startswith("UID") for p in props)
    assert all("." not in p.split(";")[0] for p in props)  # no group prefixes
    assert all(";TYPE=" in p for p in props if p.startswith("EMAIL"))
    assert "EMAIL;TYPE=work:ada@example.com" in lines
    assert "TEL;TYPE=cell:+44 20 7946 0000" in lines
    assert "TEL:(020) 7946 0001" in lines  # no known kind: bare, which abook keeps and khard shows as voice


def test_uid_is_stable_per_contact() -> None:
    assert uid_of(RECORD) == uid_of(dict(RECORD)) != uid_of({**RECORD, "id": 8})
    assert uid_of({**RECORD, "uid": "kept-uid"}) == "kept-uid"


def test_long_cjk_line_is_folded_on_character_boundaries() -> None:
    text = write_vcard({**RECORD, "notes": "佛山企业电子有限公司" * 20})
    assert one(text.encode()).notes == "佛山企业电子有限公司" * 20
    text.encode("utf-8").decode("utf-8")
    for line in text.encode().split(b"\r\n"):
        line.decode("utf-8")  # each physical line is whole characters


def test_vdir_writer_writes_changed_files_only_atomically_0600(tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    records = [RECORD, {**RECORD, "id": 8, "name": "Charles Babbage", "emails": ["cb@example.com"]}]
    first = write_vdir(folder, records)
    assert sorted(first.written) == sorted(f"{uid_of(r)}.vcf" for r in records)
    for name in first.written:
        assert stat.S_IMODE(os.stat(folder / name).st_mode) == 0o600
    again = write_vdir(folder, records)
    assert again.written == []
    assert len(again.unchanged) == 2
    changed = write_vdir(folder, [{**records[0], "title": "Mathematician"}, records[1]])
    assert changed.written == [f"{uid_of(RECORD)}.vcf"]
    pruned = write_vdir(folder, [records[1]], prune=True)
    assert pruned.removed == [f"{uid_of(RECORD)}.vcf"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]
    (back,) = read_vdir(folder)
    assert back.name == "Charles Babbage"
    assert back.source_id == f"{uid_of(records[1])}.vcf"


def test_write_vcards_many_in_one_file() -> None:
    out = io.StringIO()
    assert write_vcards([RECORD, {**RECORD, "id": 2, "name": "B"}], out, "3.0") == 2
    assert [d.name for d in cards(out.getvalue())] == ["Ada Lovelace", "B"]


# ------------------------------------------------------------------------------ real clients


def test_vobject_reads_the_export() -> None:
    vobject = pytest.importorskip("vobject")
    for version in ("3.0", "4.0"):
        text = write_vcard({**RECORD, "name": "张伟"}, version)
        parsed = vobject.readOne(text)
        assert parsed.fn.value == "张伟"
        assert sorted(e.value for e in parsed.contents["email"]) == [
            "ada@example.com",
            "countess@example.org",
        ]
        assert parsed.uid.value == uid_of(RECORD)
        assert parsed.note.value == RECORD["notes"]



@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_khard_lists_the_vdir_export(tmp_path: Path, version: str) -> None:
    pytest.importorskip("khard")
    records = [
        RECORD,
        {**RECORD, "id": 2, "name": "张伟", "emails": ["zw@example.cn"]},
        {
            "id": 3,
            "kind": "org",
            "name": "Acme, Inc.",
            "emails": ["info@acme.example"],
            "phones": [],
            "tags": [],
            "fields": {},
        },
    ]
    write_vdir(tmp_path / "book", records, version)
    config = tmp_path / "khard.conf"
    config.write_text(KHARD_CONFIG.format(path=tmp_path / "book"))
    khard = Path(sys.executable).with_name("khard")
    out = subprocess.run(
        [str(khard), "-c", str(config), "list", "--parsable"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert out.returncode == 0, out.stderr
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in out.stdout.splitlines()}
    assert rows == {uid_of(r): r["name"] for r in records}
    emails = subprocess.run(
        [str(khard), "-c", str(config), "email", "--parsable", "Ada"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ada@example.com" in emails.stdout
    assert "countess@example.org" in emails.stdout


# ------------------------------------------------------------------------------ properties


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_give_only_crm_errors(data: bytes) -> None:
    try:
        for item in read_vcards(data):
            assert isinstance(item, (Draft, BadRow))
    except CrmError:
        pass


_prop_line = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda n, p, v: f"{n}{p}:{v}",
        st.sampled_from(
            [
                "FN",
                "N",
                "EMAIL",
                "TEL",
                "BDAY",
                "ADR",
                "ORG",
                "item1.X-ABLabel",
                "PHOTO",
                "CATEGORIES",
                "NOTE",
            ]
        ),
        st.sampled_from(
            [
                "",
                ";ENCODING=QUOTED-PRINTABLE",
                ";CHARSET=foo",
                ';TYPE="a;b',
                ";VALUE=uri",
                ";X-APPLE-OMIT-YEAR=x",
                ";ENCODING=b",
            ]
        ),
        st.text(max_size=30),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_prop_line, max_size=12), st.sampled_from(["\r\n", "\n", "\r\r\n", "\r"]))
def test_random_cards_give_only_drafts_bad_rows_or_crm_errors(lines: list[str], end: str) -> None:
    data = end.join(["BEGIN:VCARD", *lines, "END:VCARD"]).encode("utf-8", errors="surrogatepass")
    try:
        for item in read_vcards(data):
            assert isinstance(item, (Draft, BadRow))
    except CrmError:
        pass


_text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=100, deadline=None)
@given(
    name=_text,
    org=st.one_of(st.none(), _text),
    notes=st.one_of(st.none(), _text),
    title=st.one_of(st.none(), _text),
    tags=st.lists(st.from_regex(r"[A-Za-z0-9\u4e00-\u9fff]{1,8}", fullmatch=True), max_size=3, unique=True),
    fields=st.dictionaries(st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), _text, max_size=3),
    version=st.sampled_from(["3.0", "4.0"]),
)
def test_vcard_round_trip_keeps_text_fields(
    name: str,
    org: str | None,
    notes: str | None,
    title: str | None,
    tags: list[str],
    fields: dict[str, str],
    version: str,
) -> None:
    record = {
        "id": 1,
        "kind": "person",
        "name": name,
        "org": org,
        "title": title,
        "notes": notes,
        "emails": [],
        "phones": [],
        "tags": tags,
        "fields": fields,
    }
    back = one(write_vcard(record, version).encode())
    assert (back.name, back.org, back.title, back.notes, list(back.tags), dict(back.fields)) == (
        name,
        org,
        title,
        notes,
        tags,
        fields,
    )


@settings(max_examples=150, deadline=None)
@given(record=records(), version=st.sampled_from(["3.0", "4.0"]))
def test_vcard_round_trip_keeps_every_field(record: dict, version: str) -> None:
    same_contact(one(write_vcard(record, version).encode()), record)
