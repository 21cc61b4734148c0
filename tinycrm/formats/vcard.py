"""vCard 2.1, 3.0 and 4.0 in (a tolerant reader of its own) and 4.0/3.0 out, files and vdirs.

The reader works on bytes, because real files mix what the standards keep apart:

- line ends LF, CRLF, CR, or CR CR LF (old iPhones); lines folded (a leading space or tab,
  mid-word too) or never folded; QUOTED-PRINTABLE values whose soft line breaks (`=` at the
  end) may split a multi-byte character, so QP is decoded to bytes first and the charset
  applied after; CHARSET parameters, or 8-bit text with none (read as UTF-8, else detected);
- `item1.EMAIL` + `item1.X-ABLabel:_$!<Mobile>!$_` (Apple's labels); bare 2.1 types
  (`TEL;HOME;VOICE:`); quoted parameter values holding `;` or `:`; `TEL;VALUE=uri:tel:…`;
- BDAY/ANNIVERSARY as `1980-03-22`, `19800322`, `--0322`, with X-APPLE-OMIT-YEAR (a year-less
  date stays year-less); `X-ABShowAs:COMPANY` and `KIND:org` (an organisation);
- PHOTO, LOGO, SOUND and KEY are skipped unread (a corrupt one cannot hurt), as is a vCard
  nested in a 2.1 AGENT; a card without FN or N is named from ORG, else its e-mail or phone.

Every property the draft has no place for is kept as a custom field under its name (an
unknown `X-` one included), with its label; nothing is dropped. A card with nothing usable
is a `BadRow` at its BEGIN line.

The writer emits one card per contact: UTF-8, CRLF, folded at 75 octets on character
boundaries, FN always, N always, a stable UID, TYPE on every EMAIL/TEL/ADR, no group prefixes,
and tinycrm's own fields (owner, tier, cadence, lunar dates, custom fields) as `X-TINYCRM-*`
properties that other programs keep and ignore and `read_vcards` reads back.
"""

from __future__ import annotations

import binascii
import os
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..errors import BadRow, InvalidData
from ..gcpause import paused_gc
from .dates import parse_date
from .detect import decode, decode_value, utf16_without_bom
from .draft import Draft, finish

Item = Draft | BadRow

_LINE_END = re.compile(rb"\r*\n|\r")
_PROPERTY = re.compile(rb"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?[;:]")
_SKIPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
_IGNORED = {
    "VERSION",
    "PRODID",
    "REV",
    "X-ABSHOWAS",
    "KIND",
    "X-APPLE-OMIT-YEAR",
    "CLIENTPIDMAP",
    "X-ABLABEL",
    "X-ABADR",
    "BEGIN",
    "END",
    "NAME",
    "SORT-STRING",
    "LABEL",
}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_TYPE_NOISE = {"internet", "pref", "voice", "x400", "x-internet", "encoding", "charset"}
_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}  # \" Gmail, Apple
NAMESPACE = uuid.UUID("6f1d3c0e-8f41-4b55-9a0f-7c2f0d3b9e21")
"""The namespace of the UIDs made for contacts that came with none (uuid5 of id and creation)."""


# ------------------------------------------------------------------------------ reading


@dataclass
class _Prop:
    group: str
    name: str
    params: dict[str, list[str]]
    raw: bytes
    line: int


@dataclass
class _Card:
    line: int
    props: list[_Prop] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    closed: bool = True


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def _colon(line: bytes) -> int:
    """The index of the `:` ending a property's name and parameters (not one inside quotes)."""
    first = line.find(b":")
    if first < 0 or b'"' not in line[:first]:
        return first
    quoted = False
    for i, b in enumerate(line):
        if b == 0x22:
            quoted = not quoted
        elif b == 0x3A and not quoted:
            return i
    return -1


def _parse_prop(line: bytes, number: int) -> _Prop | None:
    colon = _colon(line)
    if colon <= 0:
        return None
    head = line[:colon].decode("utf-8", errors="replace")
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, _, name = name.rpartition(".")
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if not eq:  # 2.1: TEL;HOME;VOICE / ;QUOTED-PRINTABLE / ;BASE64
            key, value = "TYPE", part
            upper = part.strip().upper()
            if upper in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                key = "ENCODING"
        values = [v.strip().strip('"') for v in _split_outside_quotes(value, ",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return _Prop(group.upper(), name.upper(), params, line[colon + 1 :], number)


def _is_qp(line: bytes) -> bool:
    colon = _colon(line)
    return colon > 0 and b"QUOTED-PRINTABLE" in line[:colon].upper()


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(first physical line number, unfolded line) for every line of the file."""
    cur: bytes | None = None
    start = 0
    qp = False
    for number, line in enumerate(_LINE_END.split(data), 1):
        if cur is not None:
            if line[:1] in (b" ", b"\t") and not (qp and cur.endswith(b"=")):
                cur += line[1:]
                continue
            if qp and cur.endswith(b"="):
                cur = cur[:-1] + line  # a soft break: the next line's leading space is text
                continue
            yield start, cur
            cur = None
        if not line.strip():
            continue
        cur, start = line, number
        qp = _is_qp(line)
    if cur is not None:
        yield start, cur


def _cards(data: bytes) -> Iterator[_Card]:
    card: _Card | None = None
    depth = 0
    skipping = False
    for number, line in _logical_lines(data):
        upper = line.strip().upper()
        if upper == b"BEGIN:VCARD":
            if card is None:
                card, depth, skipping = _Card(number), 1, False
            else:
                depth += 1  # a vCard inside a vCard (2.1 AGENT): not this contact's data
            continue
        if card is None:
            continue
        if upper.startswith(b"AGENT") and upper.endswith(b":BEGIN:VCARD"):
            depth += 1  # a 3.0 AGENT written unescaped: its card is not this contact's data
            continue
        if upper == b"END:VCARD":
            depth -= 1
            if depth == 0:
                yield card
                card = None
            continue
        if depth > 1:
            continue
        if _PROPERTY.match(line):
            prop = _parse_prop(line, number)
            if prop is not None:
                skipping = prop.name in _SKIPPED
                card.props.append(prop)
                continue
        if skipping:
            continue  # the rest of a broken PHOTO/LOGO
        card.warnings.append(f"line {number}: not a vCard property, kept in field 'vcard line {number}'")
        card.props.append(_Prop("", f"vcard line {number}", {}, line, number))
    if card is not None:
        card.warnings.append("the file ends inside this card (no END:VCARD)")
        card.closed = False
        yield card


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], "\\" + m[1]), text)


def _split_escaped(text: str, sep: str) -> list[str]:
    """Components of a structured value split on unescaped `sep`, each unescaped."""
    if "\\" not in text:
        return text.split(sep)
    out, cur, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            out.append(_unescape("".join(cur)))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append(_unescape("".join(cur)))
    return out


def _text(prop: _Prop, draft: Draft) -> str:
    """A property's value as text: QP/base64 undone, then its charset applied."""
    raw = prop.raw
    enc = (prop.params.get("ENCODING") or [""])[0].upper()
    if enc == "QUOTED-PRINTABLE":
        try:
            raw = binascii.a2b_qp(raw)
        except (binascii.Error, ValueError):
            draft.warn(f"line {prop.line}: {prop.name}: broken quoted-printable, kept as written")
    elif enc in ("B", "BASE64"):
        try:
            raw = binascii.a2b_base64(raw)
        except (binascii.Error, ValueError):
            draft.warn(f"line {prop.line}: {prop.name}: broken base64, kept as written")
    charset = prop.params["CHARSET"][0] if prop.params.get("CHARSET") else None
    text, problem = decode_value(raw, charset)
    if problem:
        draft.warn(f"line {prop.line}: {prop.name}: {problem}")
    return text.strip("\r\n").replace("\r\n", "\n")


def _label_of(prop: _Prop, group_labels: Mapping[str, str]) -> str | None:
    """`work`, `mobile`, `home, fax`…: Apple's X-ABLabel for the group, else the TYPE values."""
    if prop.group and prop.group in group_labels:
        return group_labels[prop.group]
    for key in ("LABEL", "X-LABEL"):
        if key in prop.params and prop.name not in ("ADR",):
            return ", ".join(prop.params[key])
    types = [t.strip().lower() for v in prop.params.get("TYPE", []) for t in v.split(",")]
    types = [t for t in types if t and t not in _TYPE_NOISE]
    return ", ".join(dict.fromkeys(types)) or None


def _clean_label(text: str) -> str:
    m = _APPLE_LABEL.fullmatch(text.strip())
    return (m[1] if m else text).strip().lower()


def _date(prop: _Prop, value: str, draft: Draft, key: str) -> str | None:
    omit = prop.params.get("X-APPLE-OMIT-YEAR")
    omit_year = int(omit[0]) if omit and omit[0].isdigit() else None
    try:
        return parse_date(value, omit_year=omit_year)
    except ValueError as exc:
        why = str(exc) if "out of range" in str(exc) else f"'{value}' is not a date"
        draft.keep_aside(key, value, f"line {prop.line}: {prop.name} {why}")
        return None


def _card_to_draft(card: _Card, source_id: str | None) -> Draft:
    draft = Draft(line=card.line, source_id=source_id)
    for w in card.warnings:
        draft.warn(w)
    labels = {}
    for prop in card.props:
        if prop.name == "X-ABLABEL" and prop.group:
            labels[prop.group] = _clean_label(_text(prop, draft))
    n_name = ""
    is_org = False
    org_parts: list[str] = []
    for prop in card.props:
        name = prop.name
        if name in _SKIPPED:
            if prop.params.get("VALUE", [""])[0].lower() == "uri" or prop.raw[:4].lower() == b"http":
                draft.set_field(name.lower(), prop.raw.decode("utf-8", errors="replace").strip())
            continue
        if name in ("X-ABSHOWAS",) and prop.raw.strip().upper() == b"COMPANY":
            is_org = True
            continue
        if name == "KIND":
            kind = prop.raw.strip().lower()
            if kind == b"org":
                is_org = True
            elif kind not in (b"individual", b""):
                draft.set_field("kind", kind.decode("utf-8", errors="replace"))
            continue
        if name in _IGNORED:
            continue
        value = _text(prop, draft)
        label = _label_of(prop, labels)
        if name == "FN":
            draft.name = _unescape(value).strip()
        elif name == "N":
            parts = [p.strip() for p in _split_escaped(value, ";")]
            parts += [""] * (5 - len(parts))
            family, given, middle, prefix, suffix = parts[:5]
            if prefix:
                draft.set_field("name prefix", prefix)
            pieces = [p for p in (given, middle, family, suffix) if p]
            if family and given and all("\u2e80" <= ch <= "\u9fff" for ch in family + given):
                n_name = family + given
            else:
                n_name = " ".join(pieces)
        elif name == "EMAIL":
            draft.add_email(_unescape(value), label)
        elif name == "TEL":
            tel = _unescape(value).strip()
            ext = ""
            if tel[:4].lower() == "tel:":
                tel, _, rest = tel[4:].partition(";")
                ext = rest.partition("ext=")[2] if "ext=" in rest else ""
            draft.add_phone(tel, label)
            if ext:
                draft.set_field(f"phone {tel} extension", ext)
        elif name == "ADR":
            parts = [" ".join(p.split()) for p in _split_escaped(value, ";")]
            # PO box, extended, street, city, region, postal code, country
            parts += [""] * (7 - len(parts))
            po, ext, street, city, region, code, country = parts[:7]
            region_code = " ".join(p for p in (region, code) if p)
            text = ", ".join(p for p in (po, ext, street, city, region_code, country) if p)
            if text:
                draft.add_address(text, label)
        elif name == "ORG":
            org_parts = [p.strip() for p in _split_escaped(value, ";") if p.strip()]
            if org_parts:
                draft.org = org_parts[0]
                if len(org_parts) > 1:
                    draft.set_field("department", " / ".join(org_parts[1:]))
        elif name == "TITLE":
            draft.title = _unescape(value).strip() or None
        elif name == "NOTE":
            draft.add_note(_unescape(value))
        elif name == "CATEGORIES":
            # `\,` too: a tag holds no comma, and Thunderbird's exporters escape the list's own
            for tag in _unescape(value).split(","):
                draft.add_tag(tag)
        elif name == "UID":
            draft.uid = _unescape(value).strip() or None
        elif name == "BDAY":
            day = _date(prop, value.strip(), draft, "birthday")
            if day:
                draft.birthday = day
        elif name in (
            "ANNIVERSARY",
            "X-ANNIVERSARY",
            "X-MS-ANNIVERSARY",
            "X-EVOLUTION-ANNIVERSARY",
            "X-ABDATE",
        ):
            day = _date(prop, value.strip(), draft, label or "anniversary")
            if day:
                draft.add_anniversary(label or "anniversary", day)
        elif name == "X-TINYCRM-LUNAR-BDAY":
            day = _date(prop, value.strip(), draft, "lunar birthday")
            if day:
                draft.birthday, draft.birthday_lunar = day, True
        elif name == "X-TINYCRM-ANNIVERSARY":
            day = _date(prop, value.strip(), draft, "anniversary")
            if day:
                lunar = (prop.params.get("X-LUNAR") or [""])[0].lower() in ("1", "true", "yes")
                draft.add_anniversary(", ".join(prop.params.get("X-LABEL") or ["anniversary"]), day, lunar)
        elif name == "X-TINYCRM-OWNER":
            draft.owner = value.strip() or None
        elif name == "X-TINYCRM-TIER":
            draft.tier = value.strip() or None
        elif name == "X-TINYCRM-EVERY":
            draft.set_every(value)
        elif name == "X-TINYCRM-ALIAS":
            draft.add_alias(_unescape(value))
        elif name == "X-TINYCRM-FIELD":
            key = ", ".join(prop.params.get("X-KEY") or ["field"])
            draft.set_field(key, _unescape(value))
        elif name == "NICKNAME":
            draft.set_field("nickname", _unescape(value).strip())
        elif name == "X-ANDROID-CUSTOM" and value.startswith("vnd.android.cursor.item/nickname;"):
            # Android's contacts export writes a nickname as its data row: mimetype;data1;data2;…
            nickname = _split_escaped(value, ";")[1].strip()
            if nickname:
                draft.set_field("nickname", nickname)
        elif name == "URL":
            draft.set_field(f"url {label}" if label else "url", _unescape(value).strip())
        elif value.strip():
            key = name.lower() if not label else f"{name.lower()} {label}"
            draft.set_field(key, _unescape(value).strip())
    if not draft.name:
        draft.name = n_name
    if is_org:
        draft.kind = "org"
        if draft.org and (not draft.name or draft.name == draft.org or draft.name == n_name):
            draft.name, draft.org = draft.org, None
    return draft


def _as_bytes(data: bytes | str) -> bytes:
    """The file as UTF-8-compatible bytes: UTF-16/32 (with or without BOM) re-encoded first."""
    if isinstance(data, str):
        return data.lstrip("\ufeff").encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_without_bom(data[:4096]):
        return decode(data).text.encode("utf-8")
    return data


def read_vcards(data: bytes | str, *, source_id: str | None = None) -> Iterator[Item]:
    """Drafts, one per card, from a vCard file (2.1, 3.0, 4.0, any of the shapes above).

    `source_id` (a vdir's file name) is given to the file's first card and, with `#2`, `#3`…,
    to any further ones. Raises InvalidData when the data holds no card at all.
    """
    raw = _as_bytes(data)
    found = False
    with paused_gc():
        for n, card in enumerate(_cards(raw), 1):
            found = True
            sid = source_id if n == 1 or source_id is None else f"{source_id}#{n}"
            draft = _card_to_draft(card, sid)
            try:
                finish(draft)
            except ValueError as exc:
                yield BadRow(card.line, f"a card with {exc}")
                continue
            yield draft
    if not found:
        raise InvalidData("no vCard in the data (no BEGIN:VCARD line)")


def read_vdir(path: str | os.PathLike) -> Iterator[Item]:
    """Drafts from a folder of `.vcf` files (a vdir, as khard and vdirsyncer keep), each card's
    `source_id` its file name; files are read in name order."""
    folder = Path(path)
    if not folder.is_dir():
        raise InvalidData(f"{folder} is not a folder")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".vcf", ".vcard") and p.is_file())
    for file in files:
        try:
            yield from read_vcards(file.read_bytes(), source_id=file.name)
        except InvalidData as exc:
            yield BadRow(1, f"{file.name}: {exc}")


# ------------------------------------------------------------------------------ writing


def uid_of(record: Mapping[str, Any]) -> str:
    """The contact's UID: the one it came with, else one made from its id and creation time,
    so every export of the same contact carries the same UID."""
    if record.get("uid"):
        return str(record["uid"])
    return str(uuid.uuid5(NAMESPACE, f"{record.get('id')}|{record.get('created_at') or ''}"))


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param(text: str) -> str:
    """A parameter value, quoted when it holds `;`, `:` or `,` (a double quote is dropped)."""
    text = text.replace('"', "'").replace("\n", " ")
    return f'"{text}"' if any(ch in text for ch in ";:,") else text


def _fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line + "\r\n"
    out: list[str] = []
    cur: list[str] = []
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(cur))
            cur, size, limit = [], 0, 74  # continuation lines start with a space
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return "\r\n ".join(out) + "\r\n"


_TEL_TYPES = {
    "mobile": "cell",
    "cell": "cell",
    "iphone": "cell",
    "home": "home",
    "work": "work",
    "fax": "fax",
    "home fax": "fax",
    "work fax": "fax",
    "pager": "pager",
    "main": "voice",
    "voice": "voice",
    "text": "text",
    "video": "video",
    "business": "work",
}


def _types(label: str | None, default: str, tel: bool = False) -> str:
    """A TYPE parameter from a label: the vCard type where there is one, else the label itself."""
    if not label:
        return default
    words = [w.strip() for w in label.lower().replace("/", ",").split(",") if w.strip()]
    out = []
    for w in words:
        t = _TEL_TYPES.get(w, w) if tel else {"business": "work", "personal": "home"}.get(w, w)
        t = re.sub(r"[^a-z0-9-]+", "-", t).strip("-")
        if t and t not in out:
            out.append(t)
    return ",".join(out) or default


def _n(record: Mapping[str, Any]) -> str:
    from .csv import split_name

    if record.get("kind") == "org":
        return ";;;;"
    given, family = split_name(record["name"])
    return f"{_escape(family)};{_escape(given)};;;"


def _date_value(day: str, version: str) -> str:
    """A stored date as vCard writes it: `19800322`, or `--0322` without a year."""
    return day.replace("-", "") if not day.startswith("--") else "--" + day[2:].replace("-", "")


def write_vcard(record: Mapping[str, Any], version: str = "4.0") -> str:
    """One contact record (`contact_record` shape, optionally `uid` and `labels`) as a vCard."""
    if version not in ("3.0", "4.0"):
        raise InvalidData(f"vCard version {version}: use 3.0 or 4.0")
    v4 = version == "4.0"
    labels = record.get("labels") or {}
    org_kind = record.get("kind") == "org"
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"PRODID:-//tinycrm//tinycrm {__version__}//EN",
        f"UID:{uid_of(record)}",
        f"FN:{_escape(record['name'])}",
        f"N:{_n(record)}",
    ]
    if org_kind:
        lines.append("KIND:org" if v4 else "X-ABShowAs:COMPANY")
        lines.append(f"ORG:{_escape(record['name'])}")
    elif record.get("org"):
        lines.append(f"ORG:{_escape(record['org'])}")
    if record.get("title"):
        lines.append(f"TITLE:{_escape(record['title'])}")
    for email in record.get("emails") or []:
        t = _types(labels.get(email), "work" if org_kind else "home")
        lines.append(f"EMAIL;TYPE={t}:{email}" if v4 else f"EMAIL;TYPE=INTERNET,{t}:{email}")
    for phone in record.get("phones") or []:
        # a number of no known kind is written bare (voice by default in both versions):
        # abook drops a TEL whose only TYPE is `voice`, and khard shows a bare one as voice
        t = _types(labels.get(phone), "", tel=True)
        lines.append(f"TEL;TYPE={t}:{_escape(phone)}" if t else f"TEL:{_escape(phone)}")
    for adr in record.get("addresses") or []:
        t = _types(labels.get(adr), "work" if org_kind else "home")
        lines.append(f"ADR;TYPE={t}:;;{_escape(adr)};;;;")
    if record.get("birthday"):
        if record.get("birthday_lunar"):
            lines.append(f"X-TINYCRM-LUNAR-BDAY:{record['birthday']}")
        elif record["birthday"].startswith("--") and not v4:
            # 3.0 has no year-less date: Apple's form, which iOS, macOS and this reader take back
            day = record["birthday"][2:]
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{day}")
        else:
            lines.append(f"BDAY:{_date_value(record['birthday'], version)}")
    first_anniversary = True
    for a in record.get("anniversaries") or []:
        if v4 and first_anniversary and not a.get("lunar") and a["label"].lower() == "anniversary":
            lines.append(f"ANNIVERSARY:{_date_value(a['date'], version)}")
            first_anniversary = False
        else:
            lunar = ";X-LUNAR=TRUE" if a.get("lunar") else ""
            lines.append(f"X-TINYCRM-ANNIVERSARY;X-LABEL={_param(a['label'])}{lunar}:{a['date']}")
    if record.get("tags"):
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in record["tags"]))
    if record.get("notes"):
        lines.append(f"NOTE:{_escape(record['notes'])}")
    for key, prop in (("owner", "X-TINYCRM-OWNER"), ("tier", "X-TINYCRM-TIER"), ("every", "X-TINYCRM-EVERY")):
        if record.get(key):
            lines.append(f"{prop}:{_escape(str(record[key]))}")
    for alias in record.get("aliases") or []:
        lines.append(f"X-TINYCRM-ALIAS:{_escape(alias)}")
    for key, value in (record.get("fields") or {}).items():
        lines.append(f"X-TINYCRM-FIELD;X-KEY={_param(key)}:{_escape(str(value))}")
    if record.get("updated_at"):
        rev = re.sub(r"[-:]|\.\d+", "", str(record["updated_at"])).replace("+0000", "Z")
        lines.append(f"REV:{rev if rev.endswith('Z') else rev + 'Z'}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def write_vcards(records: Iterable[Mapping[str, Any]], out: TextIO, version: str = "4.0") -> int:
    """Write many contacts as one vCard file; returns how many."""
    count = 0
    for record in records:
        out.write(write_vcard(record, version))
        count += 1
    return count


@dataclass
class VdirResult:
    """What `write_vdir` did: files written, left as they were, and removed (with `prune`)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def vdir_name(uid: str) -> str:
    """The file name of a UID in a vdir: `UID.vcf`, characters a file name cannot hold replaced."""
    safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", uid).lstrip(".")
    return (safe or "contact") + ".vcf"


def write_vdir(
    folder: str | os.PathLike,
    records: Iterable[Mapping[str, Any]],
    version: str = "4.0",
    *,
    prune: bool = False,
) -> VdirResult:
    """One `UID.vcf` per contact in `folder` (created 0700), each written atomically, 0600, and
    only when its content changed; with `prune`, `.vcf` files of contacts not given are removed."""
    root = Path(folder)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    result = VdirResult()
    keep: set[str] = set()
    for record in records:
        name = vdir_name(uid_of(record))
        keep.add(name)
        content = write_vcard(record, version).encode("utf-8")
        target = root / name
        try:
            if target.read_bytes() == content:
                result.unchanged.append(name)
                continue
        except FileNotFoundError:
            pass
        write_atomic(target, content)
        result.written.append(name)
    if prune:
        for path in sorted(root.glob("*.vcf")):
            if path.name not in keep:
                path.unlink()
                result.removed.append(path.name)
    return result


def write_atomic(path: Path, content: bytes) -> None:
    """Write a file 0600 through a temporary file in its folder and a rename: never half-written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".vcf")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
