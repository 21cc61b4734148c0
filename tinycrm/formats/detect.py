"""What a file is and how its bytes are text: detected from the content, not the name.

Encodings, in the order they are tried:

1. a byte-order mark: UTF-8, UTF-16 LE/BE (UTF-32 too);
2. UTF-16 without a mark, told by where the zero bytes of its ASCII characters fall;
3. UTF-8; a file that is UTF-8 but for a few stray bytes (one cell pasted from a Windows
   program) stays UTF-8, the stray bytes read as cp1252 and a warning given;
4. the legacy code pages exporters still write: GB18030 (GBK/GB2312) when its characters are
   the common GB2312 ones, Shift_JIS (cp932) unless it decodes to half-width katakana (which
   is what Chinese text looks like read as Shift_JIS), and cp1252 (Latin-1's Windows superset),
   with Latin-1 last, which accepts any byte.

No charset library is used: these rules are exact for the encodings the issue names, run in
microseconds, and give the same answer on every machine.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..errors import InvalidData

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 4096
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Decoded:
    """A file's text, the encoding it was read with, and what was odd about it."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _cp1252_byte(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as cp1252 (Latin-1 where unassigned)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    out = []
    for b in exc.object[exc.start : exc.end]:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), exc.end


codecs.register_error("tinycrm-cp1252", _cp1252_byte)


def utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 LE or BE from the zero high bytes of ASCII characters, or None."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.2 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.2 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _legacy(data: bytes) -> str:
    """The most plausible legacy code page for bytes that are not UTF-8."""
    sample = data[: _SAMPLE * 4]
    # a sample may cut a multi-byte character: decode it leniently at the end only
    cut = max(0, len(sample) - 4) if len(sample) < len(data) else len(sample)

    def strict(enc: str) -> str | None:
        try:
            text = sample[:cut].decode(enc)
        except UnicodeDecodeError:
            return None
        return text

    gb = strict("gb18030")
    if gb is not None:
        wide = [ch for ch in gb if ord(ch) > 0x7F]
        if wide:
            common = 0
            for ch in wide:
                try:
                    ch.encode("gb2312")
                    common += 1
                except UnicodeEncodeError:
                    pass
            if common >= 0.9 * len(wide):
                return "gb18030"
    sj = strict("cp932")
    if sj is not None:
        wide_sj = [ch for ch in sj if ord(ch) > 0x7F]
        kana = len(_HALFWIDTH_KANA.findall(sj))
        if wide_sj and kana <= 0.3 * len(wide_sj):
            return "cp932"
    if strict("cp1252") is not None:
        return "cp1252"
    if gb is not None:
        return "gb18030"
    return "latin-1"


def decode(data: bytes) -> Decoded:
    """Bytes of any of the supported encodings as text, with the encoding used.

    Raises InvalidData for bytes that are no text in any of them (an image, a zip).
    """
    result = _decode(data)
    sample = result.text[:_SAMPLE]
    if sample and sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f") > len(sample) // 10:
        raise InvalidData("the file is binary, not text")
    return result


def _decode(data: bytes) -> Decoded:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(enc), enc)
            except UnicodeDecodeError as exc:
                text = body.decode(enc, errors="replace")
                return Decoded(text, enc, [f"bytes not valid {enc} at offset {exc.start} replaced"])
    utf16 = utf16_without_bom(data[:_SAMPLE])
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all (binary data with zeros): go on
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if data.count(0) > 0 and data.count(0) * 8 > len(data):
        raise InvalidData("the file is binary, not text (zero bytes)")
    lenient = data.decode("utf-8", errors="ignore")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F)
    stray = len(data) - len(lenient.encode("utf-8"))
    enc = _legacy(data)
    if multibyte >= 4 * stray or (multibyte and enc in ("cp1252", "latin-1")):
        text = data.decode("utf-8", errors="tinycrm-cp1252")
        return Decoded(
            text,
            "utf-8",
            [f"{stray} byte(s) not valid UTF-8 (first at offset {first_bad}) read as cp1252"],
        )
    return Decoded(data.decode(enc, errors="tinycrm-cp1252" if enc != "latin-1" else "strict"), enc)


def decode_value(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """One value's bytes in its declared charset; a warning when they are not valid in it."""
    if charset:
        try:
            return data.decode(_codec(charset)), None
        except (LookupError, ValueError):  # not valid in it, an unknown name, a NUL inside the name
            pass
    try:
        text = data.decode("utf-8")
        return text, (f"not valid {charset}: read as UTF-8" if charset else None)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if sum(ord(ch) > 0x7F for ch in text) - bad >= bad:
        # UTF-8 with a stray byte (an Android QP ORG ends in `=80`): the rest is good UTF-8
        return text, f"not valid UTF-8: {bad} stray byte{'s' if bad > 1 else ''} replaced by \ufffd"
    enc = _legacy(data)
    text = data.decode(enc, errors="tinycrm-cp1252" if enc != "latin-1" else "strict")
    said = f"not valid {charset}" if charset else "8-bit text with no charset"
    return text, f"{said}: read as {enc}"


def _codec(charset: str) -> str:
    """A declared charset as a Python codec name (GB2312 and GBK are read as their superset)."""
    name = charset.strip().strip('"').lower()
    if name in ("gb2312", "gbk", "cp936", "x-gbk", "euc-cn"):
        return "gb18030"
    if name in ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji"):
        return "cp932"
    if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
        return "cp1252"  # what such files hold in practice (HTML5 reads them so too)
    codecs.lookup(name)
    return name


def sniff_format(text: str, name: str | None = None) -> str:
    """`vcard`, `json`, `ics` or `csv`, from the first non-blank characters (the name only breaks ties)."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if head[:15].upper() == "BEGIN:VCALENDAR":
        return "ics"  # events, not contacts: `read_contacts` refuses it by name
    if head[:1] in ("{", "["):
        return "json"
    if "BEGIN:VCARD" in head.upper():
        return "vcard"
    if name and not head.strip():
        low = name.lower()
        if low.endswith((".vcf", ".vcard")):
            return "vcard"
        if low.endswith(".json"):
            return "json"
    return "csv"


def sniff_delimiter(text: str) -> str:
    """The CSV delimiter: the candidate seen most often, outside quotes, on the first line."""
    first = []
    quoted = False
    for ch in text[:_SAMPLE]:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            first.append(ch)
    line = "".join(first)
    best = max(_DELIMITERS, key=line.count)
    return best if line.count(best) else ","
