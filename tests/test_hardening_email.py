"""Broken mail never ends `log --eml` in an internal error; unreadable parts stay as text."""

from __future__ import annotations

import base64
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


def test_gb2312_header_holding_gbk_characters_is_read_as_gbk() -> None:
    # Outlook Express labels GBK text GB2312; 镕 is GBK only (real: mail-parser's mail_test_9)
    subject = "=?gb2312?B?" + base64.b64encode("朱镕基来信".encode("gbk")).decode() + "?="
    found = parse_message(msg("From: =?GB2312?B?1cXPyMn6?= <a@b.cn>", f"Subject: {subject}"))
    assert found["subject"] == "朱镕基来信"
    assert found["from_name"] == "张先生"


@pytest.mark.parametrize(
    ("charset", "body", "text"),
    [
        ("GB2312", "你好，发票".encode(), "你好，发票"),  # re-saved as UTF-8 under its old header
        ("GB2312", "你好，发票".encode("gb2312"), "你好，发票"),  # what the header says
        ("gb2312", "朱镕基".encode("gbk"), "朱镕基"),  # GBK under a GB2312 label
        ("iso-8859-1", "Zoë".encode("latin-1"), "Zoë"),
        ("iso-8859-1", "Zoë".encode(), "ZoÃ«"),  # valid in Latin-1: the header is believed
    ],
    ids=["utf8-under-gb2312", "gb2312", "gbk-under-gb2312", "latin1", "utf8-under-latin1"],
)
def test_body_charset_is_read_as_its_superset_then_as_utf8(charset: str, body: bytes, text: str) -> None:
    data = msg("From: a@b.cn", "Subject: x", f"Content-Type: text/plain; charset={charset}", body=body)
    assert parse_message(data)["body"] == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # Outlook Express 6's HTML-only message (real: mail-parser's mail_test_4), in small
        (
            b"<HTML><HEAD><TITLE>x</TITLE><STYLE>p {}</STYLE></HEAD><BODY><DIV>&nbsp;</DIV>"
            b"<DIV>Dear All,</DIV><DIV> </DIV><DIV>Payment&nbsp;of USD 103,349.35<BR>attached</DIV>"
            b"</BODY></HTML>",
            "Dear All,\n\nPayment of USD 103,349.35\nattached",
        ),
        (b"<p>caf\xe9 <b>ol\xe9</b></p><script>alert(1)</script>", "café olé"),
        (b"<p>unclosed <div", "unclosed <div"),  # a cut tag stays as text
    ],
    ids=["outlook-express", "latin1-script", "unclosed-tag"],
)
def test_html_only_body_is_kept_as_its_text(html: bytes, text: str) -> None:
    data = msg("From: a@b.com", "Subject: x", "Content-Type: text/html; charset=windows-1252", body=html)
    assert parse_message(data)["body"] == text


def test_plain_part_is_preferred_to_the_html_one() -> None:
    body = (
        b"--b\nContent-Type: text/html\n\n<p>html</p>\n--b\nContent-Type: text/plain\n\nplain\n--b--\n"
    )
    data = msg("From: a@b.com", "Subject: x", 'Content-Type: multipart/alternative; boundary="b"', body=body)
    assert parse_message(data)["body"] == "plain"
