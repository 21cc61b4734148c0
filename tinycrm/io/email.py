"""RFC 822 e-mail messages as interaction data (the stdlib `email` package does the parsing).

Mail in the wild is broken in every way the RFCs allow and some they do not: encoded-words
cut in half, charsets nobody registered, a year-9999 Date, raw 8-bit headers, an mbox
`From ` line. None of it may end `log --eml` with an internal error: a header the parser
chokes on is read again from its raw text, a part in an unknown charset is read as UTF-8,
and whatever still cannot be read is kept as text with replacement characters (U+FFFD).
Only a message with nothing in it is refused (InvalidData).
"""

from __future__ import annotations

import codecs
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from ..errors import InvalidData

PLAN_YEARS = (1900, 2199)
"""A Date: outside these years is treated as missing (tinycrm.dates keeps the same range)."""

_HEADERS = ("From", "To", "Cc", "Subject", "Date", "Message-ID")


def parse_message(data: bytes) -> dict:
    """Addresses (From first, then To, Cc), the sender's name, subject, sent time (UTC), body, Message-ID."""
    if not data.strip():
        raise InvalidData("empty e-mail message")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception:  # noqa: BLE001 - the stdlib parser's failures are not enumerable
        raise InvalidData("not an e-mail message: it cannot be parsed") from None
    headers = {name: _header_values(msg, name) for name in _HEADERS}
    if not any(headers[h] for h in ("From", "To", "Subject", "Date")):
        raise InvalidData("not an e-mail message: no From, To, Subject or Date header")
    addresses: list[str] = []
    for name in ("From", "To", "Cc"):
        for addr in _addresses(headers[name]):
            if addr.lower() not in [a.lower() for a in addresses]:
                addresses.append(addr)
    subject = " ".join(" ".join(headers["Subject"][:1]).split())
    from_name = next((name for name, addr in _pairs(headers["From"]) if name and addr), None)
    message_id = " ".join(headers["Message-ID"][:1]).strip()
    return {
        "addresses": addresses,
        "from": addresses[0] if addresses else None,
        "from_name": from_name,
        "subject": subject or "(no subject)",
        "at": _sent(headers["Date"][:1]),
        "body": _body(msg),
        "message_id": message_id or None,
    }


def _header_values(msg: Message, name: str) -> list[str]:
    """Every value of a header as text; a value the parser cannot read is read raw."""
    try:
        values = [_clean(str(v)) for v in msg.get_all(name, [])]
    except Exception:  # noqa: BLE001 - IndexError, LookupError, ... from broken encoded-words
        values = []
    if values and not any("\ufffd" in v for v in values):
        return values
    # read again by hand: the stdlib decodes a declared GB2312 strictly, where Outlook Express wrote GBK
    raw = [_raw_header(value) for key, value in msg.raw_items() if key.lower() == name.lower()]
    return raw or values


def _raw_header(value: str) -> str:
    """A raw header value decoded by hand: encoded-words where readable, the rest as text."""
    from email.header import decode_header

    try:
        pieces = decode_header(value)
    except Exception:  # noqa: BLE001 - a malformed encoded-word: keep the raw text
        return _clean(value)
    out = []
    for piece, charset in pieces:
        if isinstance(piece, str):
            out.append(piece)
        else:
            out.append(_decode(piece, charset))
    return _clean("".join(out))


_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
"""Charsets that mailers declare for text in their superset (Outlook Express's GB2312 subjects hold GBK)."""


def _decode(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset (read as its superset); bytes that are not valid in it but are
    valid UTF-8 (a message re-saved as UTF-8 under its old header) as UTF-8; an unknown charset as
    UTF-8; whatever is left with U+FFFD."""
    codec = "utf-8"
    if charset:
        try:
            codec = codecs.lookup(charset.strip().strip('"')).name
        except (LookupError, ValueError):
            codec = "utf-8"
        codec = _SUPERSETS.get(codec, codec)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    if codec != "utf-8" and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return data.decode(codec, errors="replace")


def _clean(text: str) -> str:
    """Text with the parser's surrogate escapes (raw 8-bit bytes) made readable."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", errors="surrogateescape")
        return raw.decode("utf-8", errors="replace")
    return text


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) of each address in some address-header values."""
    try:
        return [(" ".join(name.split()), addr.strip()) for name, addr in getaddresses(values)]
    except Exception:  # noqa: BLE001 - getaddresses is lenient but not total
        return []


def _addresses(values: list[str]) -> list[str]:
    """The e-mail addresses named in some address-header values."""
    found = [addr for _, addr in _pairs(values) if addr and "@" in addr]
    return [addr for addr in found if " " not in addr]


def _sent(values: list[str]) -> datetime | None:
    """The Date header in UTC, or None when it is missing, unreadable or out of range."""
    if not values:
        return None
    try:
        sent = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=timezone.utc)
    if not PLAN_YEARS[0] <= sent.year <= PLAN_YEARS[1]:
        return None
    return sent.astimezone(timezone.utc)


def _body(msg: Message) -> str:
    """The plain-text body (else the HTML one as text: Outlook Express sent many with no other)."""
    part: Message | None = None
    for subtype in ("plain", "html"):
        try:
            part = msg.get_body(preferencelist=(subtype,)) if isinstance(msg, EmailMessage) else None
        except Exception:  # noqa: BLE001 - a broken multipart structure
            part = None
        if part is None and not msg.is_multipart() and msg.get_content_type() == f"text/{subtype}":
            part = msg
        if part is not None:
            break
    if part is None:
        return ""
    text = _part_text(part)
    return _html_text(text) if part.get_content_subtype() == "html" else text


def _part_text(part: Message) -> str:
    """A text part's payload, decoded as well as it can be."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken transfer encoding
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return _clean(raw).strip() if isinstance(raw, str) else ""
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter
        charset = None
    if charset in (None, "us-ascii", "ascii"):
        charset = None  # undeclared 8-bit text is most often UTF-8 today
    return _decode(payload, charset).replace("\r\n", "\n").strip()


class _HtmlText(HTMLParser):
    """The text of an HTML body: what a reader sees, one line per block, no scripts or styles."""

    _BLOCKS = frozenset(
        {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
    )
    _HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(html: str) -> str:
    """Readable text of an HTML body: its lines stripped, runs of blank lines made one."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; keep the markup rather than fail
        return html
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in "".join(parser.parts).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
