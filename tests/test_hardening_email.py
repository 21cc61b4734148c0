"""Broken mail never ends `log --eml` in an internal error; unreadable parts stay as text."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from tinycrm.errors import InvalidData
from tinycrm.io.email import parse_message

FIXTURES = Path(__file__).parent / "fixtures" / "email"


def msg(*headers: str, body: bytes = b"body\n") -> bytes:
    return "\n".join(headers).encode("utf-8", "surrogateescape") + b"\n\n" + body


@pytest.mark.parametrize(
    "data",
    [
        msg("From: =?utf-8?q?=E2=98?= <a@b.com>", "Subject: cut multibyte"),
        msg("From: =?utf-8?b?=?= <a@b.com>", "Subject: empty base64"),
        msg("From: =?x?q?a?= <a@b.com>", 'To: "=?utf-8?q?" <c@d.com>', "Subject: x"),
        msg("From: =?UTF-8?Q?=?=@b.com", "Subject: x"),
        msg("From: =?", "To: <a@b.com>", "Subject: x"),
        msg("From: a@b.com", "Subject: =?x-unknown?q?hi?="),
        msg("From: =?x-unknown?q?Ann?= <a@b.com>", "Subject: x"),
        # each of these From values raised from inside the stdlib's address parser
        msg("From:  (=<. )<", "Subject: IndexError"),
        msg("From: .<?=utf-8 ", "Subject: AttributeError"),
        msg("From: (a).\\\\?q?", "Subject: TypeError"),
        msg("From: [,:=?@[ ", "Subject: UnboundLocalError"),
    ],
)
def test_broken_encoded_words_and_unknown_charsets_are_read(data: bytes) -> None:
    found = parse_message(data)
    assert found["subject"]
    assert all("@" in a for a in found["addresses"])


def test_unknown_body_charset_is_read_as_utf8() -> None:
    data = msg("From: a@b.com", "Subject: x", "Content-Type: text/plain; charset=x-unknown",
               body="grüße\n".encode())  # fmt: skip
    assert parse_message(data)["body"] == "grüße"


@pytest.mark.parametrize(
    "date", ["Fri, 31 Dec 9999 23:59:59 -1200", "Fri, 31 Dec 1850 00:00:00 +0000", "garbage", "Mon, 99 Foo"]
)
def test_unusable_dates_are_left_out(date: str) -> None:
    assert parse_message(msg("From: a@b.com", f"Date: {date}", "Subject: x"))["at"] is None


def test_a_date_is_given_in_utc() -> None:
    found = parse_message(msg("From: a@b.com", "Date: Mon, 30 Nov 2026 10:00:00 +0200"))
    assert found["at"] == datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


def test_iso_2022_jp_subject_and_body() -> None:
    body = "テスト\n".encode("iso-2022-jp")
    data = msg("From: a@b.com", "Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=",
               "Content-Type: text/plain; charset=ISO-2022-JP", body=body)  # fmt: skip
    found = parse_message(data)
    assert (found["subject"], found["body"]) == ("テスト", "テスト")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain; charset*0=\"utf\"; charset*1=\"-8\"", "héllo"),
        ("text/plain; charset*=utf-8''%E2%82%AC", "héllo"),
        ("text/plain; charset*=x-bogus''abc", "héllo"),
        ("text/plain; charset*0*=us-ascii''a; charset*5=b", "héllo"),
    ],
)
def test_rfc_2231_parameters(content_type: str, body: str) -> None:
    data = msg("From: a@b.com", "Subject: x", "MIME-Version: 1.0", f"Content-Type: {content_type}",
               body=body.encode())  # fmt: skip
    assert parse_message(data)["body"] == body


def test_raw_8bit_headers_keep_what_they_can() -> None:
    utf8 = parse_message("From: Zoë <z@b.com>\nSubject: Grüße 你好\n\nbody ü\n".encode())
    assert (utf8["subject"], utf8["body"]) == ("Grüße 你好", "body ü")
    latin1 = parse_message("From: Zoë <z@b.com>\nSubject: Grüße\n\nbody ü\n".encode("latin-1"))
    assert latin1["addresses"] == ["z@b.com"]
    assert latin1["subject"] == "Gr\ufffd\ufffde"
    assert latin1["body"] == "body \ufffd"


def test_broken_base64_body_is_kept_as_text() -> None:
    data = msg("From: a@b.com", "Subject: x", "Content-Transfer-Encoding: base64", body=b"!!!notbase64\n")
    assert parse_message(data)["body"] == "!!!notbase64"


def test_mbox_from_line_is_skipped() -> None:
    found = parse_message((FIXTURES / "cpython_mailbox_01.mbox").read_bytes())
    assert found["subject"] == "unquoted From in body; extra info on From line"
    assert found["body"] == "Hello\n\nFrom time to time"
    assert found["addresses"] == []


def test_outlook_nested_boundary_gives_the_plain_part() -> None:
    found = parse_message((FIXTURES / "cpython_msg_15.txt").read_bytes())
    assert (found["from"], found["subject"], found["body"]) == ("xx@xx.dk", "XX", "Some removed test.")
    assert found["message_id"] == "<xxxx>"


def test_headers_without_a_blank_line() -> None:
    found = parse_message((FIXTURES / "cpython_msg_35.txt").read_bytes())
    assert found["addresses"] == ["aperson@dom.ain", "bperson@dom.ain"]


@pytest.mark.parametrize("data", [b"", b"   \n", b"hello world", b"\x00\xff\xfe"])
def test_not_a_message_is_one_sentence(data: bytes) -> None:
    with pytest.raises(InvalidData):
        parse_message(data)
