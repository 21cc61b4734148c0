"""CSV contact sheets in (Google old/new, Outlook, Thunderbird, HubSpot, plain, Chinese) and out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from formats_strategies import CONTACT_KEYS, records, same_contact
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm.errors import BadRow, CrmError, UsageError
from tinycrm.formats import detect_format, read_contacts, write_rejects
from tinycrm.formats.csv import read_csv, write_csv
from tinycrm.formats.detect import decode, sniff_delimiter
from tinycrm.formats.draft import Draft, phone_match_key

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def drafts(name: str, **kw: object) -> list[Draft | BadRow]:
    return list(read_csv((FIXTURES / name).read_bytes(), **kw))


# ------------------------------------------------------------------------------ encodings

SHEET = "姓名,电话,邮箱,公司,备注\r\n张伟,138 0013 8000,zw@example.cn,佛山企业电子有限公司,老客户\r\n"
LATIN = "name,email,notes\r\nJosé Müller,jose@example.de,Grüße aus Köln – café\r\n"
JAPANESE = "名前,メール\r\n山田太郎,taro@example.jp\r\nすずき,suzuki@example.jp\r\n"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SHEET, "utf-8", "utf-8"),
        (SHEET, "utf-8-sig", "utf-8"),
        (SHEET, "utf-16", "utf-16"),  # with a BOM
        (SHEET, "utf-16-le", "utf-16-le"),  # no BOM
        (SHEET, "utf-16-be", "utf-16-be"),  # no BOM
        (SHEET, "gb18030", "gb18030"),
        (SHEET, "gbk", "gb18030"),
        (JAPANESE, "shift_jis", "cp932"),
        (LATIN.replace("–", "-"), "latin-1", "cp1252"),
        (LATIN, "cp1252", "cp1252"),
    ],
)
def test_detect_reads_every_encoding_exporters_write(text: str, encoding: str, expected: str) -> None:
    result = decode(text.encode(encoding))
    assert result.text == text
    assert result.encoding.startswith(expected)


def test_detect_keeps_utf8_with_a_few_stray_bytes_and_warns() -> None:
    data = "name,notes\nJosé,café\n".encode() + b"Zo\xeb,d\xe9j\xe0 vu\n"
    result = decode(data)
    assert result.encoding == "utf-8"
    assert "Zoë,déjà vu" in result.text
    assert "José" in result.text
    assert result.warnings
    assert "cp1252" in result.warnings[0]


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("BEGIN:VCARD\r\nVERSION:3.0\r\n", "contacts.csv", "vcard"),
        ("\ufeff\r\n  begin:vcard\nFN:x", None, "vcard"),
        ('{"tinycrm": 1}', "book.txt", "json"),
        ("name,email\nada,ada@example.com\n", "cards.vcf", "csv"),
        ("", "cards.vcf", "vcard"),
    ],
)
def test_format_is_detected_from_content_before_the_name(text: str, name: str | None, expected: str) -> None:
    assert detect_format(text.encode(), name) == expected


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("name,email,phone", ","),
        ("name;email;phone", ";"),
        ("name\temail\tphone", "\t"),
        ('"Smith, John";email', ";"),
        ("name|email", "|"),
        ("name", ","),
    ],
)
def test_delimiter_is_sniffed_outside_quotes(first_line: str, expected: str) -> None:
    assert sniff_delimiter(first_line + "\n") == expected


# ------------------------------------------------------------------------------ exporters


def test_google_old_gmail_csv_arrives_whole() -> None:
    ada, babbage = drafts("google_old.csv")
    assert ada.name == "Ada Lovelace"
    assert ada.emails == ["ada@example.com", "ada.lovelace@example.org", "countess@example.net"]
    assert ada.labels["ada@example.com"] == "work"
    assert ada.labels["countess@example.net"] == "home"
    assert ada.phones == ["+44 20 7946 0000"]
    assert ada.labels["+44 20 7946 0000"] == "mobile"
    assert ada.fields["phone work"] == "call the office"  # a word in a phone cell: kept aside
    assert any("call the office" in w for w in ada.warnings)
    assert ada.tags == ["starred", "Math-People"]  # `* myContacts` is no information
    assert ada.org == "Analytical Engines Ltd"
    assert ada.title == "Mathematician"
    assert ada.fields["department"] == "Research"
    assert ada.birthday == "1815-12-10"
    assert ada.anniversaries == [{"label": "anniversary", "date": "1835-07-08", "lunar": False}]
    assert ada.notes == "Met at the Royal Society.\nWrote the first program."
    assert ada.addresses == ["12 St James's Square, London SW1Y 4JH, United Kingdom"]
    assert ada.fields["nickname"] == "Countess"
    assert ada.fields["favourite engine"] == "Difference Engine"
    assert ada.fields["website blog"] == "https://ada.example.com"
    assert ada.line == 2
    assert babbage.name == "Charles Babbage"
    assert babbage.birthday == "--12-26"
    assert babbage.tags == ()
    assert babbage.line == 6  # after Ada's three-line cells


def test_google_current_csv_with_labels_and_bom() -> None:
    grace, zhang = drafts("google_new.csv")
    assert grace.name == "Grace Brewster Hopper"
    assert grace.fields["name prefix"] == "Rear Admiral"
    assert grace.phones == ["+1 202 555 0100", "(202) 555-0199"]
    assert grace.tags == ["Navy", "starred"]
    assert grace.addresses == ["1 Navy Way, Arlington, VA, 22202, USA"]
    assert grace.anniversaries == [{"label": "retirement", "date": "1986-08-14", "lunar": False}]
    assert grace.notes == 'Said: "It\'s easier to ask forgiveness",\nthan permission.'
    assert grace.fields["ship"] == "USS Hopper"
    assert zhang.name == "张伟"  # family name first, no space
    assert zhang.org == "佛山企业电子有限公司"
    assert zhang.tags == ["客户"]
    assert zhang.birthday == "--03-22"


def test_outlook_csv_in_cp1252_with_no_date_markers() -> None:
    jose, zoe = drafts("outlook.csv")
    assert jose.name == "José Müller"
    assert jose.fields["name prefix"] == "Dr."
    assert jose.org == "Müller & Söhne GmbH"
    assert jose.title == "Geschäftsführer"
    assert jose.birthday == "1980-03-22"  # 3/22/1980, month first
    assert jose.anniversaries == ()  # 0/0/00 is "no date"
    assert jose.phones == ["+49 30 901820", "+49 30 1234567"]
    assert jose.labels["+49 30 901820"] == "mobile"
    assert jose.addresses == ["Friedrichstraße 1, Berlin, 10117, Germany"]
    assert jose.tags == ["Kunden", "VIP"]
    assert jose.notes == "Prefers café meetings"
    assert jose.fields["Department"] == "Vorstand"
    assert zoe.name == "Zoë Ångström"
    assert zoe.birthday is None


def test_thunderbird_csv_with_split_birthday_and_trailing_column() -> None:
    linus, margaret = drafts("thunderbird.csv")
    assert linus.name == "Linus Torvalds"
    assert linus.emails == ["linus@example.org", "torvalds@example.com"]
    assert linus.phones == ["+1 503 555 0142", "+1 503 555 0143"]
    assert linus.birthday == "1969-12-28"
    assert linus.org == "Linux Foundation"
    assert linus.title == "Fellow"
    assert linus.addresses == ["12 Kernel Street, Portland, OR, 97201, USA"]
    assert linus.fields == {"Custom 1": "git"}
    assert linus.notes == "Kernel maintainer"
    assert margaret.name == "Margaret Hamilton"
    assert margaret.birthday == "--08-17"


def test_hubspot_csv_keeps_record_id_as_source_id() -> None:
    maria, brian = drafts("hubspot.csv")
    assert maria.source_id == "record id:51"
    assert brian.source_id == "record id:101"
    assert maria.owner == "sam"
    assert maria.org == "HubSpot"
    assert maria.title == "Salesperson"
    assert maria.fields["Lifecycle Stage"] == "Lead"
    assert maria.addresses == ["2 Canal Park, Cambridge, MA, 02141, United States"]
    assert brian.phones == ()
    assert brian.fields["phone mobile"] == "n/a"


def test_chinese_headers_in_gb18030_with_a_multiline_cell() -> None:
    zhang, li, bad = drafts("chinese_gb18030.csv")
    assert zhang.name == "张伟"
    assert zhang.phones == ["138 0013 8000"]
    assert zhang.emails == ["zhangwei@example.cn"]
    assert zhang.org == "佛山企业电子有限公司"
    assert zhang.notes == "老客户，每月\n回访"
    assert zhang.birthday == "1980-03-22"
    assert zhang.tags == ["重点", "华南"]
    assert li.line == 4
    assert li.birthday == "--03-08"
    assert li.fields["email"] == "不详"
    assert isinstance(bad, BadRow)
    assert bad.line == 5
    assert "no name" in bad.reason


# ------------------------------------------------------------------------------ plain sheets


def test_unknown_columns_become_custom_fields_never_dropped() -> None:
    data = "name,email,shoe size,,favourite colour\nAda,ada@example.com,38,x,green,extra\n"
    (ada,) = read_csv(data)
    assert ada.fields == {
        "shoe size": "38",
        "column 4": "x",
        "favourite colour": "green",
        "column 6": "extra",
    }


def test_map_option_names_columns() -> None:
    data = "Kunde,Mail,Handy,Firma\nAda,ada@example.com,+44 20 7946 0000,Engines\n"
    (ada,) = read_csv(data, mapping={"kunde": "name", "Mail": "Email", "Handy": "phone", "Firma": "org"})
    assert (ada.name, ada.emails, ada.phones, ada.org) == (
        "Ada",
        ["ada@example.com"],
        ["+44 20 7946 0000"],
        "Engines",
    )


def test_map_naming_no_column_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Nope"):
        list(read_csv("name\nAda\n", mapping={"Nope": "email"}))


def test_sheet_without_header_is_read_by_content() -> None:
    ada, bob = read_csv("Ada Lovelace,ada@example.com,+44 20 7946 0000\nBob,bob@example.com,12345\n")
    assert (ada.name, ada.emails, ada.phones, ada.line) == (
        "Ada Lovelace",
        ["ada@example.com"],
        ["+44 20 7946 0000"],
        1,
    )
    assert bob.line == 2


def test_semicolon_sheet_with_two_emails_in_a_cell() -> None:
    (ada,) = read_csv("Name;E-mail;Phone\nAda;ada@example.com, ada@work.example;+1 (202) 555-0100\n")
    assert ada.emails == ["ada@example.com", "ada@work.example"]


@pytest.mark.parametrize(
    ("phone", "emails", "phones", "fields"),
    [
        ("g.freeman@aperture.com", ["g.freeman@aperture.com"], [], {}),  # typed into a phone field
        ("+1-541-754-3010", [], ["+1-541-754-3010"], {}),
        ("call the office", [], [], {"phone": "call the office"}),
        ("not@an address", [], [], {"phone": "not@an address"}),
    ],
    ids=["email", "phone", "word", "at-sign-with-spaces"],
)
def test_an_email_in_a_phone_cell_arrives_as_an_email(
    phone: str, emails: list[str], phones: list[str], fields: dict[str, str]
) -> None:
    (d,) = read_csv(f"Name,Phone\nGordon,{phone}\n")
    assert (list(d.emails), list(d.phones), dict(d.fields)) == (emails, phones, fields)
    assert bool(d.warnings) == (not phones)


def test_row_with_nothing_usable_is_a_bad_row_and_blank_rows_are_skipped() -> None:
    items = list(read_csv("name,email,notes\n,,\n,,just a note\nAda,,\n"))
    assert len(items) == 2
    assert isinstance(items[0], BadRow)
    assert items[0].line == 3
    assert isinstance(items[1], Draft)
    assert items[1].name == "Ada"


def test_nameless_row_is_kept_under_its_email() -> None:
    (d,) = read_csv("name,email\n,solo@example.com\n")
    assert d.name == "solo@example.com"
    assert d.warnings


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02\x03" * 100])
def test_empty_or_binary_file_is_invalid(data: bytes) -> None:
    with pytest.raises(CrmError):
        list(read_contacts(data, format="csv"))


# ------------------------------------------------------------------------------ writer


RECORD = {
    "id": 7,
    "kind": "person",
    "name": "张伟",
    "org": "佛山企业电子有限公司",
    "title": "经理",
    "emails": ["zw@example.cn", "wei@example.com"],
    "phones": ["+86 138 0013 8000"],
    "addresses": ["广州市天河区 1 号"],
    "tags": ["vip", "华南"],
    "birthday": "--03-22",
    "birthday_lunar": True,
    "anniversaries": [{"label": "wedding", "date": "2010-05-01", "lunar": False}],
    "every": "30d",
    "notes": 'line one\nline two, with "quotes"',
    "owner": "sam",
    "tier": "A",
    "fields": {"shoe size": "42", "department": "销售"},
    "aliases": ["小张"],
    "uid": "uid-7",
    "labels": {"zw@example.cn": "work", "+86 138 0013 8000": "mobile"},
}
KEYS = (*CONTACT_KEYS, "uid")  # a CSV carries the vCard UID back too


def test_csv_writer_round_trips_every_field() -> None:
    out = io.StringIO()
    org = {"id": 8, "kind": "org", "name": "Acme, Inc.", "emails": [], "phones": [], "tags": [], "fields": {}}
    assert write_csv([RECORD, org], out) == 2
    back, back_org = read_csv(out.getvalue().encode("utf-8"))
    for key in KEYS:
        got = getattr(back, key)
        assert (list(got) if isinstance(got, tuple) else dict(got) if key == "fields" else got) == RECORD[
            key
        ], key
    assert back.labels["zw@example.cn"] == "work"
    assert back_org.kind == "org"
    assert back_org.name == "Acme, Inc."


def test_csv_writer_header_is_googles() -> None:
    out = io.StringIO()
    write_csv([RECORD], out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header[:4] == ["Name", "First Name", "Last Name", "Organization Name"]
    assert "E-mail 1 - Value" in header
    assert "Phone 1 - Value" in header
    assert "Labels" in header


# ------------------------------------------------------------------------------ properties


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_give_only_crm_errors(data: bytes) -> None:
    try:
        for item in read_csv(data):
            assert isinstance(item, (Draft, BadRow))
    except CrmError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_random_text_gives_only_crm_errors(text: str) -> None:
    try:
        for item in read_csv(text):
            assert isinstance(item, (Draft, BadRow))
    except CrmError:
        pass


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).map(
    str.strip
)


@settings(max_examples=100, deadline=None)
@given(
    name=_cell.filter(bool),
    org=_cell,
    notes=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=40
    ).map(str.strip),
    tags=st.lists(st.from_regex(r"[a-z0-9\u4e00-\u9fff]{1,8}", fullmatch=True), max_size=3, unique=True),
    fields=st.dictionaries(
        st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), _cell.filter(bool), max_size=3
    ),
)
def test_csv_round_trip_keeps_text_fields(
    name: str, org: str, notes: str, tags: list[str], fields: dict[str, str]
) -> None:
    record = {
        "id": 1,
        "kind": "person",
        "name": name,
        "org": org or None,
        "notes": notes or None,
        "emails": ["a@example.com"],
        "phones": [],
        "tags": tags,
        "fields": fields,
    }
    out = io.StringIO()
    write_csv([record], out)
    (back,) = read_csv(out.getvalue().encode("utf-8"))
    assert (back.name, back.org, back.notes, list(back.tags), dict(back.fields)) == (
        name,
        org or None,
        notes or None,
        tags,
        fields,
    )


@settings(max_examples=150, deadline=None)
@given(record=records())
def test_csv_round_trip_keeps_every_field(record: dict) -> None:
    out = io.StringIO()
    write_csv([record], out)
    (back,) = read_csv(out.getvalue().encode("utf-8"))
    same_contact(back, record)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("+1 202 555 0100", "(202) 555-0100"),
        ("2025550100", "+1-202-555-0100"),
        ("+86 138 0013 8000", "138 0013 8000"),
        ("0049 30 901820", "+49 30 901820"),
    ],
)
def test_phone_match_key_is_the_same_in_any_writing(a: str, b: str) -> None:
    assert phone_match_key(a) == phone_match_key(b) != ""


def test_match_keys_fall_back_to_name_and_org_only_without_strong_keys() -> None:
    (ada,) = read_csv("name,email,company\nAda  LOVELACE,Ada@Example.com,Engines\n")
    keys = ada.match_keys()
    assert keys.emails == ("ada@example.com",)
    assert keys.name_org is None
    (bob,) = read_csv("name,company\n Bob  Smith ,ACME\n")
    assert bob.match_keys().name_org == ("bob smith", "acme")


def test_rejects_file_lists_line_reason_and_record() -> None:
    items = list(read_csv("name,email,notes\n,,only a note\nAda,,\n"))
    out = io.StringIO()
    assert write_rejects([i for i in items if isinstance(i, BadRow)], out) == 1
    assert out.getvalue().splitlines() == [
        "line,reason,record",
        '2,"no name, organisation, e-mail or phone",",,only a note"',
    ]


def test_csv_export_for_spreadsheets_starts_with_a_bom() -> None:
    out = io.StringIO()
    write_csv([RECORD], out, bom=True)
    assert out.getvalue().startswith("\ufeffName,")
    (back,) = read_csv(out.getvalue().encode("utf-8"))
    assert back.name == "张伟"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from([None, "x.csv", "x.vcf", "x.json"]))
def test_any_bytes_through_detection_give_only_crm_errors(data: bytes, name: str | None) -> None:
    try:
        for item in read_contacts(data, name=name):
            assert isinstance(item, (Draft, BadRow))
    except CrmError:
        pass


def test_cadence_the_store_cannot_read_is_kept_aside() -> None:
    good, bad = read_csv("name,every\nAda,30d\nBob,sometimes\n")
    assert good.every == "30d"
    assert bad.every is None
    assert bad.fields == {"every": "sometimes"}
