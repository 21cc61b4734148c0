"""Real exporters' vCards (iPhone, Mac Address Book, Android, BlackBerry, Outlook 2003/2007, Gmail,
Evolution, Lotus Notes, Thunderbird, Windows Mobile, a Japanese phone), and what they taught the readers.

The files are other projects' test data (ez-vcard, BSD; Android's vCard library, Apache-2.0). They
are not committed here: the search tools that found them let fetched data be kept only in the
steering repository's `shared/` (tests/fixtures/README.md lists each file, its source, commit and
licence). The tests read them from `$TINYCRM_REALWORLD_FILES`, else from `shared/realworld/` beside
this checkout, and skip without them. Every shape that broke a reader or lost a field has a
minimal hand-written case below, which always runs. So does the message_id round trip
(`export json` → `import` → `log --eml` says "already recorded").
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinycrm.cli.dispatch import main
from tinycrm.formats.detect import decode_value
from tinycrm.formats.draft import Draft
from tinycrm.formats.vcard import read_vcards

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("TINYCRM_REALWORLD_FILES") or ROOT.parent / "shared" / "realworld")
NOW = "2026-11-22T09:00:00Z"


def card(*lines: str, version: str = "3.0") -> bytes:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]).encode()


def one(data: bytes) -> Draft:
    (draft,) = list(read_vcards(data))
    assert isinstance(draft, Draft)
    return draft


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """run('import', FILE) → (exit code, stdout, stderr), through the dispatcher as `tinycrm` runs it."""
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "crm.db"))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TINYCRM_USER", "ann")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    run.exported = tmp_path / "export.json"  # type: ignore[attr-defined]
    return run


def book(run) -> dict[str, Any]:
    """The whole book as `export json` writes it (to a file: it writes bytes, not text)."""
    code, _, err = run("export", "json", "-o", str(run.exported))
    assert code == 0, err
    return json.loads(run.exported.read_text())


# ------------------------------------------------------------------------------ what real files broke


@pytest.mark.parametrize(
    ("lines", "version", "expected"),
    [
        # Gmail's X-ABDATE:1776-07-04 (ez-vcard gmail-single2.vcf) made the whole import fail
        (["FN:Ann", "item1.X-ABDATE:1776-07-04", "item1.X-ABLabel:_$!<Anniversary>!$_"], "3.0",
         {"anniversaries": (), "fields": {"anniversary": "1776-07-04"}}),
        (["FN:Ann", "BDAY:1776-07-04"], "3.0", {"birthday": None, "fields": {"birthday": "1776-07-04"}}),
        # Gmail and Apple write `\"` in NOTE (ez-vcard John_Doe_GMAIL.vcf, John_Doe_MAC_ADDRESS_BOOK.vcf)
        (['FN:Ann', 'NOTE:provided \\"AS IS\\"'], "3.0", {"notes": 'provided "AS IS"'}),
        # a QP soft break: the next line's leading space is text (Android's v21_complicated.vcf)
        (["FN:Ann", "NOTE;ENCODING=QUOTED-PRINTABLE:all folk to come=", " to the aid"], "2.1",
         {"notes": "all folk to come to the aid"}),
        # Gmail's and Apple's phonetic names were dropped (John_Doe_GMAIL.vcf, gmail-single.vcf)
        (["FN:Ann", "X-PHONETIC-FIRST-NAME:Jon", "X-PHONETIC-LAST-NAME:Dow"], "3.0",
         {"fields": {"x-phonetic-first-name": "Jon", "x-phonetic-last-name": "Dow"}}),
        # a Thunderbird extension escapes the commas of its list (ez-vcard's thunderbird-…-extension.vcf)
        (["FN:Ann", "CATEGORIES:category1\\, category2\\, category3"], "3.0",
         {"tags": ["category1", "category2", "category3"]}),
        (["FN:Ann", "CATEGORIES:vip,friends"], "3.0", {"tags": ["vip", "friends"]}),
        # an Android QP ORG ending in a stray `=80` byte was read whole as cp932 (John_Doe_ANDROID.vcf)
        (["FN:Ann", "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91=80"], "2.1",
         {"org": "ÑÑ\ufffd"}),
    ],
)
def test_shapes_real_exporters_wrote_arrive(lines: list[str], version: str, expected: dict[str, Any]) -> None:
    draft = one(card(*lines, version=version))
    for key, value in expected.items():
        got = getattr(draft, key)
        if key == "fields":
            assert {k: got.get(k) for k in value} == value
        else:
            assert (list(got) if isinstance(value, list) else got) == value, key


def test_a_date_the_store_cannot_keep_warns_and_the_import_goes_on(run, tmp_path: Path) -> None:
    path = tmp_path / "gmail.vcf"
    path.write_bytes(card("FN:Ann Lee", "EMAIL:ann@example.com", "X-ABDATE:1776-07-04", "BDAY:1960-09-10"))
    code, out, err = run("import", str(path))
    assert code == 0, err
    assert "X-ABDATE 1776-07-04 is out of range" in err
    (ann,) = book(run)["contacts"]
    assert ann["birthday"] == "1960-09-10"
    assert ann["fields"] == {"anniversary": "1776-07-04"}


def test_csv_dates_the_store_cannot_keep_are_kept_aside(run, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail Address,Birthday\nAnn Lee,ann@example.com,1776-07-04\n")
    code, _, err = run("import", str(path))
    assert code == 0, err
    assert "1776-07-04 is out of range" in err
    (ann,) = book(run)["contacts"]
    assert ann["birthday"] is None
    assert "1776-07-04" in ann["fields"].values()


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1), st.data())
def test_quoted_printable_soft_breaks_anywhere_give_the_text_back(text: str, data: st.DataObject) -> None:
    encoded = binascii.b2a_qp(text.encode()).replace(b"=\n", b"").decode("ascii")  # spaces stay spaces
    spaces = [i for i, ch in enumerate(encoded) if ch == " "]  # where Outlook and Android break lines
    cuts = data.draw(st.lists(st.integers(0, len(encoded)), max_size=5))
    cuts += data.draw(st.lists(st.sampled_from(spaces))) if spaces else []
    cuts = sorted(set(cuts))
    # a soft break never splits an `=XX` escape, as exporters write them
    cuts = [c for c in cuts if "=" not in encoded[max(0, c - 2) : c]]
    pieces = [encoded[a:b] for a, b in zip([0, *cuts], [*cuts, len(encoded)])]
    lines = "=\r\n".join(pieces).split("\r\n")
    note = "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + lines[0]
    draft = one(card("FN:Ann", note, *lines[1:], version="2.1"))
    assert (draft.notes or "") == text.strip()


@given(st.text(min_size=1).filter(lambda t: any(ord(c) > 0x7F for c in t) and "\ufffd" not in t))
def test_utf8_with_one_stray_byte_stays_utf8(text: str) -> None:
    decoded, warning = decode_value(text.encode() + b"\x80", "UTF-8")
    assert decoded == text + "\ufffd"
    assert "stray byte" in (warning or "")


IPHONE_LIKE = (
    "item1.EMAIL;type=INTERNET;type=pref:ann@example.com",
    "TEL;type=CELL;type=VOICE;type=pref:(650) 555-1212",
    "TEL;type=WORK;type=FAX:(650) 555-1213",
    "item2.TEL:(650) 555-1214",
    "item2.X-ABLabel:_$!<AssistantPhone>!$_",
    "item3.ADR;type=HOME;type=pref:;;1 Main St;Springfield;;12345;USA",
)
IPHONE_LABELS = {
    "(650) 555-1212": "cell", "(650) 555-1213": "work, fax", "(650) 555-1214": "assistantphone",
    "1 Main St, Springfield, 12345, USA": "home",
}  # fmt: skip


def test_types_of_phones_emails_and_addresses_arrive_and_go_out_again(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "iphone.vcf"
    path.write_bytes(card("FN:Ann Lee", *IPHONE_LIKE))
    assert run("import", str(path))[0] == 0
    (ann,) = book(run)["contacts"]
    assert ann["labels"] == IPHONE_LABELS
    cards = tmp_path / "out.vcf"
    assert run("export", "vcard", "-o", str(cards))[0] == 0
    out = cards.read_text()
    assert "TEL;TYPE=work,fax:(650) 555-1213" in out
    assert "TEL;TYPE=assistantphone:(650) 555-1214" in out
    # export json → import into an empty book: the same types
    exported = tmp_path / "book.json"
    assert run("export", "json", "-o", str(exported))[0] == 0
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "empty.db"))
    assert run("import", str(exported))[0] == 0
    (again,) = book(run)["contacts"]
    assert again["labels"] == IPHONE_LABELS
    # merging a card that knows a type the book lacks adds it, keeping the book's own
    path.write_bytes(card("FN:Ann Lee", "EMAIL;TYPE=work:ann@example.com", "TEL;TYPE=home:(650) 555-1212"))
    assert run("import", str(path))[0] == 0
    (merged,) = book(run)["contacts"]
    assert merged["labels"] == {**IPHONE_LABELS, "ann@example.com": "work"}


def test_a_second_card_with_the_same_number_is_merged_and_its_name_kept(run, tmp_path: Path) -> None:
    path = tmp_path / "android.vcf"  # as ez-vcard's John_Doe_ANDROID.vcf: two people, one office number
    path.write_bytes(card("FN:Ann Lee", "TEL;CELL:123456", version="2.1")
                     + card("FN:Bob Ray", "TEL;WORK:123456", "EMAIL:bob@example.com", version="2.1"))
    code, out, _ = run("import", str(path), "--dry-run")
    assert code == 0
    assert "line 6: skip Bob Ray  (same phone as line 1; merged)" in out
    assert run("import", str(path))[0] == 0
    (ann,) = book(run)["contacts"]
    assert (ann["name"], ann["aliases"], ann["emails"]) == ("Ann Lee", ["Bob Ray"], ["bob@example.com"])


def test_a_card_with_no_name_adds_no_alias(run, tmp_path: Path) -> None:
    path = tmp_path / "noname.vcf"
    path.write_bytes(card("FN:Ann Lee", "EMAIL:ann@example.com")
                     + card("EMAIL:ann@example.com", "TEL:5550100"))
    assert run("import", str(path))[0] == 0
    (ann,) = book(run)["contacts"]
    assert (ann["aliases"], ann["phones"]) == ([], ["5550100"])


def test_merging_two_contacts_keeps_the_types_of_both(run, tmp_path: Path) -> None:
    path = tmp_path / "two.vcf"
    path.write_bytes(card("FN:Ann Lee", "TEL;TYPE=CELL:(650) 555-1212")
                     + card("FN:Ann Lee", "EMAIL;TYPE=WORK:ann@example.com", "TEL;TYPE=HOME:(650) 555-1299"))
    assert run("import", str(path), "--on-duplicate", "new")[0] == 0
    code, _, err = run("merge", "1", "2", "--yes")
    assert code == 0, err
    (ann,) = book(run)["contacts"]
    assert ann["labels"] == {"(650) 555-1212": "cell", "ann@example.com": "work", "(650) 555-1299": "home"}


# ------------------------------------------------------------------------------ message_id round trip

EML = b"""\
From: Ada Lovelace <ada@example.org>
To: ann@mycompany.example
Subject: the engine
Date: Sat, 21 Nov 2026 10:00:00 +0000
Message-ID: <engine-1@example.org>

Hello.
"""


def test_message_id_survives_export_json_and_import_into_an_empty_book(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(EML)
    assert run("log", "--eml", str(eml), "--create")[0] == 0
    exported = tmp_path / "book.json"
    assert run("export", "json", "-o", str(exported))[0] == 0
    (interaction,) = json.loads(exported.read_text())["interactions"]
    assert interaction["message_id"] == "<engine-1@example.org>"

    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "empty.db"))
    code, out, err = run("import", str(exported))
    assert code == 0, err
    assert "with 1 interaction" in out
    code, out, err = run("log", "--eml", str(eml))
    assert code == 0, err
    assert out.startswith("already recorded as 1:")
    # the same book again, its contacts new: the message is still recorded once
    code, out, err = run("import", str(exported), "--on-duplicate", "new")
    assert code == 0, err
    assert "interaction" not in out
    assert len(book(run)["interactions"]) == 1


def test_an_interaction_logged_by_hand_has_no_message_id(run) -> None:
    assert run("contact", "add", "Ada")[0] == 0
    assert run("log", "ada", "called")[0] == 0
    (interaction,) = book(run)["interactions"]
    assert "message_id" not in interaction


def test_message_id_round_trip_as_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "TINYCRM_NOW": NOW, "TINYCRM_USER": "ann", "TZ": "UTC", "NO_COLOR": "1"}
    eml, exported = tmp_path / "m.eml", tmp_path / "book.json"
    eml.write_bytes(EML)

    def tinycrm(db: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tinycrm", *args], env={**env, "TINYCRM_DB": str(tmp_path / db)},
            capture_output=True, text=True, timeout=60, check=True,
        )

    tinycrm("a.db", "log", "--eml", str(eml), "--create")
    tinycrm("a.db", "export", "json", "-o", str(exported))
    tinycrm("b.db", "import", str(exported))
    assert tinycrm("b.db", "log", "--eml", str(eml)).stdout.startswith("already recorded as 1:")


# ------------------------------------------------------------------------------ the real files


class Person(NamedTuple):
    """What one card of a real file must give: every field it holds, as tinycrm keeps it."""

    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    org: str | None = None
    title: str | None = None
    birthday: str | None = None
    anniversaries: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()  # these at least (a file's other properties are kept too)
    notes: str = ""  # the notes start so
    labels: tuple[tuple[str, str], ...] = ()  # the type of each e-mail, phone, address
    aliases: tuple[str, ...] = ()  # names of cards merged into this one


JOHN_PHONES_APPLE = (
    ("905-555-1234", "cell"), ("905-666-1234", "home"), ("905-777-1234", "work"),
    ("905-888-1234", "home, fax"), ("905-999-1234", "work, fax"), ("905-111-1234", "pager"),
    ("905-222-1234", "assistantphone"),
)  # fmt: skip
APPLE_ADDRESSES = (
    "Silicon Alley 5,, New York, New York 12345, United States of America",
    "Street4 Building 6 Floor 8, New York, 12345, USA",
)
DISCLAIMER = "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS"

REAL_FILES: dict[str, tuple[Person, ...]] = {
    "ez-vcard/John_Doe_IPHONE.vcf": (Person(
        "Mr. John Richter James Doe Sr.", ("john.doe@ibm.com",), tuple(p for p, _ in JOHN_PHONES_APPLE),
        APPLE_ADDRESSES, "IBM", "Money Counter", "2012-06-06",
        fields=(("nickname", "Johny"), ("department", "Accounting"), ("url homepage", "http://www.ibm.com"),
                ("name prefix", "Mr.")),
        labels=(*JOHN_PHONES_APPLE, (APPLE_ADDRESSES[0], "home"), (APPLE_ADDRESSES[1], "work")),
    ),),
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf": (Person(
        "Mr. John Richter,James Doe Sr.", ("john.doe@ibm.com",),
        ("905-777-1234", "905-666-1234", "905-555-1234", "905-888-1234", "905-999-1234", "905-111-1234",
         "905-222-1234"),
        APPLE_ADDRESSES, "IBM", "Money Counter", "2012-06-06",
        fields=(("nickname", "Johny"), ("x-phonetic-first-name", "Jon"), ("x-phonetic-last-name", "Dow"),
                ("x-abrelatednames spouse", "Jenny"), ("url homepage", "http://www.ibm.com")),
        notes=f'{DISCLAIMER} "AS IS"', labels=(("john.doe@ibm.com", "work"), *JOHN_PHONES_APPLE),
    ),),
    "ez-vcard/John_Doe_GMAIL.vcf": (Person(
        "Mr. John Richter, James Doe Sr.", ("john.doe@ibm.com",), ("905-555-1234", "905-666-1234"),
        ("Crescent moon drive 555-asd Nice Area, Albaney, New York 12345 United States of America",),
        "IBM", "Money Counter", "1980-03-22", (("anniversary", "1975-03-01"),),
        fields=(("x-phonetic-first-name", "Jon"), ("x-phonetic-last-name", "Dow"),
                ("url work", "http://www.ibm.com"), ("x-abrelatednames spouse", "Jenny")),
        notes=f'{DISCLAIMER} "AS IS"',
        labels=(("john.doe@ibm.com", "home"), ("905-555-1234", "cell"), ("905-666-1234", "home")),
    ),),
    "ez-vcard/gmail-single.vcf": (Person(
        "Greg Dartmouth", ("gdartmouth@hotmail.com",), ("555 555 1111", "555 555 2222"),
        ("123 Home St Home City, HM 12345", "321 Custom St, Custom City, TX 98765, USA"),
        "TheCompany", "TheJobTitle", "1960-09-10", (("anniversary", "1970-06-02"),),
        fields=(("nickname", "Gman"), ("x-icq", "123456789"), ("url profile", "http://TheProfile.com"),
                ("x-abrelatednames spouse", "MySpouse"), ("x-abrelatednames customrelationship", "MyCustom")),
        notes="This is GMail's note field.\nIt should be added as a NOTE type.",
        labels=(("555 555 2222", "grand_central"),
                ("321 Custom St, Custom City, TX 98765, USA", "customadrtype")),
    ),),
    "ez-vcard/gmail-single2.vcf": (Person(
        "VCard Test",
        ("email@example.com", "homeemail@example.com", "workemail@example.com", "otheremail@example.com",
         "customcategory@example.com"),
        tuple(f"55555511{n}" for n in range(11, 22)),
        tuple(f"11{n} Main St, NY, New York 10011" for n in range(1, 6)),
        "TheCompany", "TheJobTitle", "1912-06-23",
        (("anniversary", "1930-03-20"), ("customdatecategory", "2000-09-12")),
        fields=(("anniversary", "1776-07-04"), ("x-skype", "IM5"), ("url blog", "http://www.example3.com"),
                ("x-abrelatednames referred_by", "Name13")),
        notes="note line 1\nnote line 2\nCustomField: field value",
        labels=(("customcategory@example.com", "customemailcategory"), ("5555551117", "home, fax"),
                ("5555551121", "customephonecategory")),
    ),),
    "ez-vcard/gmail-list.vcf": (
        Person("Arnold Smith", ("asmithk@gmail.com",)),
        Person("Chris Beatle", ("chrisy55d@yahoo.com",)),
        Person("Doug White", ("dwhite@gmail.com",)),
    ),
    "ez-vcard/John_Doe_ANDROID.vcf": (
        Person("john.doe@company.com", ("john.doe@company.com",), tags=("My-Contacts",)),
        Person("jane.doe@company.com", ("jane.doe@company.com",), tags=("My-Contacts",)),
        Person("Ñ Ñ Ñ Ñ Ñ", phones=("123456789",), tags=("My-Contacts",), labels=(("123456789", "cell"),)),
        # the next card shares 123456 with this one, so it is merged into it: its e-mails, ORG, URLs
        Person("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", ("bob@company.com",), ("123456", "234567", "3456789", "45678901"),
               org="Ñ" * 12, tags=("My-Contacts",), notes="Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ",
               fields=(("email", "Ñ" * 14), ("url", "www.company.com"), ("url 2", "http://www.company.com")),
               aliases=("Ñ Ñ Ñ Ñ",)),
        Person("ÑÑÑÑ", ("henry@company.com",), ("55556666",), org="Ñ" * 44, tags=("My-Contacts",)),
    ),
    "ez-vcard/John_Doe_BLACK_BERRY.vcf": (Person(
        "John Doe", phones=("+96123456789",), org="Acme Solutions", labels=(("+96123456789", "cell"),),
    ),),
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf": (Person(
        "Mr. John Richter James Doe Sr.", ("john.doe@ibm.cm",), ("(905) 555-1234", "(905) 666-1234"),
        ("Cresent moon drive, Albaney, New York 12345, United States of America",
         "Silicon Alley 5,, New York, New York 12345, United States of America"),
        "IBM", "Money Counter", "1980-03-22", (("anniversary", "2011-01-13"),),
        fields=(("nickname", "Johny"), ("role", "Counting Money"), ("url work", "http://www.ibm.com"),
                ("x-ms-imaddress", "johny5@aol.com"), ("x-ms-manager", "Big Blue"),
                ("x-ms-assistant", "Jenny")),
        notes="THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS''",
        labels=(("(905) 555-1234", "work"), ("(905) 666-1234", "home")),
    ),),
    "ez-vcard/outlook-2003.vcf": (Person(
        "John Doe III", ("jdoe@hotmail.com",), (),
        ("TheOffice, 123 Main St, Austin, TX 12345, United States of America",), "Company, The",
        "The Job Title", "1980-03-21",
        # Outlook wrote its field names where the numbers go: kept, not dropped
        fields=(("phone work", "BusinessPhone"), ("phone cell", "MobilePhone"), ("nickname", "Joey"),
                ("department", "TheDepartment"), ("url work", "http://web-page-address.com")),
        notes="This is the note field!!\nSecond line\n\nThird line is empty",
    ),),
    "ez-vcard/outlook-2007.vcf": (Person(
        "Mr. Michael Angstadt Jr.", ("mike.angstadt@gmail.com",),
        ("(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"),
        ("TheOffice, 222 Broadway, New York, NY 99999, USA",), "TheCompany", "TheJobTitle", "1922-03-10",
        (("anniversary", "2012-08-01"),),
        fields=(("x-ms-tel callback", "(111) 555-4444"), ("url home", "http://mikeangstadt.name"),
                ("x-ms-spouse", "TheSpouse"), ("fburl", "http://website.com/mycal")),
        notes="This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n",
        labels=(("(111) 555-3333", "work, fax"), ("(111) 555-4444", "cell")),
    ),),
    "ez-vcard/John_Doe_EVOLUTION.vcf": (Person(
        "Mr. John Richter, James Doe Sr.", ("john.doe@ibm.com",), ("905-666-1234", "905-555-1234"),
        ("ASB-123, 15 Crescent moon drive, Albaney, New York 12345, United States of America",),
        "IBM", "Money Counter", "1980-03-22", (("anniversary", "1980-03-22"),), ("VIP",),
        fields=(("x-aim home", "johnny5@aol.com"), ("url", "http://www.ibm.com"), ("nickname", "Johny"),
                ("department", "Accounting / Dungeon"), ("x-evolution-spouse", "Maria")),
        notes=f'{DISCLAIMER} "AS IS"', labels=(("905-666-1234", "cell"), ("905-555-1234", "work")),
    ),),
    "ez-vcard/John_Doe_LOTUS_NOTES.vcf": (Person(
        "Mr. Doe John I Johny", ("john.doe@ibm.com", "billy_bob@gmail.com"),
        ("+1 (212) 204-34456", "00-1-212-555-7777"),
        ("25334 South cresent drive, Building 5, 3rd floo r, New York, New York NYC887, U.S.A.",),
        "IBM", "Generic Accountant", "1980-05-21",
        fields=(("nickname", "Johny,JayJay"), ("department", "SUN"), ("url homepage", "http://www.sun.com"),
                ("geo", "-2.600000;3.400000"), ("role", "Counting Money")),
        notes=f'{DISCLAIMER} "AS IS"\nAND ANY',
        labels=(("+1 (212) 204-34456", "cell"), ("00-1-212-555-7777", "work, fax")),
    ),),
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": (Person(
        "John Doe",
        ("doe.john@hotmail.com", "additional-email@company.com", "additional-email1@company.com",
         "additional-email2@company.com", "additional-email3@company.com"),
        ("555-555-1111", "555-555-2222", "555-555-5555", "555-555-3333", "555-555-4444"),
        ("222 Broadway, Suite 100, New York, NY 98765, USA", "123 Main St, Apt 10, Austin, TX 12345, USA"),
        "TheOrganization", "TheTitle", "1970-09-21", (("anniversary", "1990-04-30"),),
        ("category1", "category2", "category3"),
        fields=(("x-spouse", "TheSpouse"), ("url home", "http://www.private-webpage.com"),
                ("nickname", "Johnny")),
        notes='This is the notes field.\nSecond Line\n\nFourth Line\nYou can put anything in the "note"',
        labels=(("555-555-3333", "fax"), ("555-555-4444", "pager")),
    ),),
    "aosp-vcard/v30_ios_613_multiline.vcf": (Person(
        "Bob Smith", ("bob@smithauto.com",), ("(650) 555-1212",), org="Smith Auto Repair",
        fields=(("url homepage", "www.smithauto.com"),), labels=(("(650) 555-1212", "cell"),),
    ),),
    "aosp-vcard/v21_blackberry_photo.vcf": (Person(
        "boogie", ("forrestgump@walladalla.com",), ("+5555555", "+5555556"),
        labels=(("+5555555", "work"), ("+5555556", "cell")),
    ),),
    "aosp-vcard/v21_winmo_65.vcf": (Person(
        "Example", anniversaries=(("anniversary", "2009-10-10"),),
        fields=(("agent", "Invalid line which must be handled correctly."),),
    ),),
    "aosp-vcard/v21_japanese_2.vcf": (Person(
        "安藤 ロイド 1", addresses=("東京都渋谷区桜丘町26-1セルリアンタワー6階, 150-8512",), notes="メモ",
    ),),
    "aosp-vcard/v21_complicated.vcf": (Person(
        "Joe Due", ("forrestgump@walladalla.com", "cell@example.com"),
        ("(111) 555-1212", "(404) 555-1212", "0311111111", "0322222222", "0333333333"),
        ("100 Waters Edge, Baytown, LA 30314, United States of America",
         "42 Plantation St., Baytown, LA 30314, United States of America"),
        "Gump Shrimp Co.", "Shrimp Man", "1980-01-01",
        fields=(("role", "Fish Cake Keeper!"), ("url", "http://www.example.com/"),
                ("x-attribute", "Some String")),
        notes="The following note is the example from RFC 2045.\n\n"
        "Now's the time for all folk to come to the aid of their country.",
        labels=(("0322222222", "video"), ("cell@example.com", "cell")),
    ),),
}


SHA256 = {  # the files as their projects hold them (tests/fixtures/README.md: commits, licences)
    "aosp-vcard/v21_blackberry_photo.vcf": "7fe66e7baab6f8eec5032c2977fd5fa959712371a2f3b9162af44d70870e414b",
    "aosp-vcard/v21_complicated.vcf": "5e5a6c907fdd1bb07c4a36d06eb09f06d4dcb37722d6731c1eef2e366999978a",
    "aosp-vcard/v21_japanese_2.vcf": "7c8a02140167a4e22f2e67c690f5cd8e984e324885fce57864184a7344cd4cdf",
    "aosp-vcard/v21_winmo_65.vcf": "d29cb0becefff5743bca5736d5e7ae4e3770a9253be7931f6f5006f7201ee05c",
    "aosp-vcard/v30_ios_613_multiline.vcf":
        "428e3cac43bf5011ea315e537d25dc6193b7bf71660e909504058a4812bc4d64",
    "ez-vcard/John_Doe_ANDROID.vcf": "0e747d41e7d1fe71b0b2687426b589ebbc0b61cd16bc027625eae45513d1c1c7",
    "ez-vcard/John_Doe_BLACK_BERRY.vcf": "a97ebd01386f606cea65a55739e3c62718ecf53c608326f7ada8c5247f62c26e",
    "ez-vcard/John_Doe_EVOLUTION.vcf": "86133f2cf787ea09048988b37c61217909fd5977a79082af45cb043773855d1f",
    "ez-vcard/John_Doe_GMAIL.vcf": "6c65e9cc557a3739832e176cca5507eed1b3f2b3bab27300ea0c47bc0d47a338",
    "ez-vcard/John_Doe_IPHONE.vcf": "eadcfd3abbf632c54e1e736cb6714d84a75a823ece0d3dfa47209543e02059cb",
    "ez-vcard/John_Doe_LOTUS_NOTES.vcf": "d413940bbc5119c8ae88d92ca5dd57d1fac7bb651088fd8fafa14735e276fe1b",
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf":
        "f252ea3e57f52a871b53f0f0bf444a44cb7b0daffd6ff086a1ab2606dd6d09bd",
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf": "5f0cebe760c1c22e78c56633f3ed98439af4342bef653bed1363bdfce96cb5a3",
    "ez-vcard/gmail-list.vcf": "46366be74e1dba893e7e712ca64e0100019be241a69946e4a88f0f89063f12cd",
    "ez-vcard/gmail-single.vcf": "9b02390d6bce11441977c0598318b6d568304043b0d4ecfe4adfff9c024a82ff",
    "ez-vcard/gmail-single2.vcf": "2728c1a1394efd634a7ba4f230138ac992ae1cb151ccae335bbcc593e8abab30",
    "ez-vcard/outlook-2003.vcf": "f4e9036f572a59defa8d770dda48532c9c296851839b8e17c2bf8c05842f1149",
    "ez-vcard/outlook-2007.vcf": "5c6055a0466f734e7ead0d0b4d1ca0e9aa4e2a9c9f499b400b26df2cf37a7458",
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf":
        "bbec6083cdcd92b446f3236fbf6e63d9ca9faa40bc8133157e9d633cc5a15109",
}


def real(name: str) -> Path:
    """The real file, checked byte for byte; a skip when it is not here."""
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is not here (see TINYCRM_REALWORLD_FILES in tests/fixtures/README.md)")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256[name], f"{path} is not the file named"
    return path


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_a_real_exporters_file_arrives_whole_and_once(run, name: str) -> None:
    path, people = real(name), REAL_FILES[name]
    code, out, err = run("import", str(path), "--dry-run")
    assert code == 0, err
    creates = [line for line in out.splitlines() if ": create " in line]
    assert len(creates) == len(people)
    for person in people:
        assert any(line.split(": create ", 1)[1].startswith(person.name) for line in creates), person.name
    assert "would import" in out
    assert not book(run)["contacts"]

    code, out, err = run("import", str(path))
    assert code == 0, err
    contacts = {c["name"]: c for c in book(run)["contacts"]}
    assert sorted(contacts) == sorted(p.name for p in people)
    for person in people:
        c = contacts[person.name]
        assert c["emails"] == list(person.emails), person.name
        assert c["phones"] == list(person.phones), person.name
        assert c["addresses"] == list(person.addresses), person.name
        assert (c["org"], c["title"], c["birthday"]) == (person.org, person.title, person.birthday)
        assert [(a["label"], a["date"]) for a in c["anniversaries"]] == list(person.anniversaries)
        assert c["tags"] == list(person.tags)
        assert {k: c["fields"].get(k) for k, _ in person.fields} == dict(person.fields), person.name
        assert (c["notes"] or "").startswith(person.notes), person.name
        assert c["aliases"] == list(person.aliases), person.name
        labels = c.get("labels", {})
        assert {v: labels.get(v) for v, _ in person.labels} == dict(person.labels), person.name
        assert not any(k in ("photo", "logo", "sound") for k in c["fields"])  # photos skipped, quietly

    code, out, err = run("import", str(path))  # again: nobody new
    assert code == 0, err
    assert ": 0 created, 0 updated," in out
    assert len(book(run)["contacts"]) == len(people)


def test_a_real_file_through_a_real_process(tmp_path: Path) -> None:
    path = real("ez-vcard/John_Doe_IPHONE.vcf")  # CR CR LF line ends, itemN groups, a folded PHOTO
    env = {**os.environ, "TINYCRM_DB": str(tmp_path / "crm.db"), "TINYCRM_NOW": NOW, "TINYCRM_USER": "ann",
           "TZ": "UTC", "NO_COLOR": "1"}

    def tinycrm(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "tinycrm", *args], env=env, capture_output=True, text=True, timeout=60,
            check=True,
        ).stdout

    assert "line 1: create Mr. John Richter James Doe Sr." in tinycrm("import", str(path), "--dry-run")
    assert tinycrm("import", str(path)).startswith("imported 1 contact: 1 created")
    (john,) = json.loads(tinycrm("contact", "list", "--json"))
    assert john["phones"][-1] == "905-222-1234"
    assert tinycrm("import", str(path)).startswith("imported 0 contacts: 0 created, 0 updated, 1 skipped")
