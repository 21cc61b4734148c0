"""CSV contact sheets as Google, Outlook, Thunderbird, HubSpot and spreadsheets write them.

The header is read once into a list of small handlers, one per column or column group
(`E-mail 1 - Type` with `E-mail 1 - Value`, Outlook's `Home Street`/`Home City`…,
Thunderbird's `Birth Year`/`Birth Month`/`Birth Day`); each row then only runs those
handlers, so a plain `name,email,phone` sheet costs a few microseconds a row. A column no
handler knows is kept as a custom field under its header, never dropped.

Shapes understood (see tests/fixtures/README.md):

- Google Contacts, old ("Gmail CSV": `Name`, `E-mail 1 - Value`, `Group Membership` with
  ` ::: ` between groups and `* ` before system groups) and current (`First Name`, `Labels`,
  `E-mail 1 - Label`); several values in one cell are separated by ` ::: `.
- Outlook and Outlook.com (`E-mail Address`, `Business Phone`, `Home Street`…, `Categories`;
  `Title` is the name prefix when `Job Title` exists; `0/0/00` is no date; dates month first).
- Thunderbird (`Primary Email`, `Birth Year`/`Month`/`Day`, a trailing empty column).
- HubSpot (`Record ID`, `Contact owner`, `Company Name`, `Phone Number`, `Lifecycle Stage`).
- plain sheets, headers in English or Chinese (`姓名,电话,邮箱,公司,备注`), or no header at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TextIO

from ..errors import BadRow, InvalidData, UsageError
from ..gcpause import paused_gc
from .dates import parse_date
from .detect import decode, sniff_delimiter
from .draft import EMAIL_RE, PHONE_RE, Draft, finish

Handler = Callable[[Draft, list[str]], None]
Item = Draft | BadRow

csv.field_size_limit(1 << 24)

# header (lower-cased, spaces collapsed) -> draft field
_SIMPLE = {
    "name": {
        "name",
        "full name",
        "display name",
        "fn",
        "contact name",
        "姓名",
        "名字",
        "联系人",
        "客户名称",
        "客户",
        "氏名",
        "名前",
    },
    "given": {"first name", "given name", "first", "名"},
    "middle": {"middle name", "additional name"},
    "family": {"last name", "family name", "surname", "last", "姓"},
    "prefix": {"name prefix", "prefix"},
    "suffix": {"name suffix", "suffix"},
    "org": {
        "company",
        "organization",
        "organisation",
        "org",
        "organization name",
        "organization 1 - name",
        "company name",
        "公司",
        "单位",
        "公司名称",
        "企业",
        "会社",
    },
    "title": {
        "job title",
        "organization title",
        "organization 1 - title",
        "职位",
        "职务",
        "头衔",
        "position",
    },
    "email": {
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "primary email",
        "secondary email",
        "e-mail 2 address",
        "e-mail 3 address",
        "emails",
        "邮箱",
        "电子邮件",
        "电子邮箱",
        "邮件",
        "メール",
        "work email",
        "home email",
        "other email",
        "email 2",
        "email 3",
    },
    "birthday": {"birthday", "birth date", "date of birth", "dob", "生日", "出生日期", "誕生日"},
    "anniversary": {"anniversary", "纪念日"},
    "notes": {"notes", "note", "comments", "comment", "description", "备注", "说明", "メモ"},
    "tags": {"tags", "tag", "labels", "group membership", "categories", "groups", "group", "标签", "分组"},
    "owner": {"owner", "contact owner", "负责人", "所属人"},
    "tier": {"tier", "客户等级", "等级"},
    "every": {"every", "cadence"},
    "kind": {"kind"},
    "uid": {"uid", "vcard uid"},
    "source_id": {"record id", "contact id", "id"},
    "address": {"address", "地址", "联系地址", "住所", "full address"},
    "nickname": {"nickname", "昵称"},
    "lunar": {"lunar birthday", "birthday lunar", "农历生日"},
    "aliases": {"aliases", "alias", "别名"},
}
_FIELD_OF = {header: fld for fld, headers in _SIMPLE.items() for header in headers}
_PHONE_HEADER = re.compile(r"phone|mobile|\bfax\b|pager|\btel\b|telephone|\bcell\b|电话|手机|传真|電話|携帯")
_PHONE_WORDS = re.compile(r"\s*(number|phone|tel)\s*")
_NUMBERED = re.compile(
    r"(e-mail|email|phone|address|website|event|custom field|relation|im|organization)"
    r"\s*(\d+)\s*-\s*(.+)"
)
_ADDRESS_PART = re.compile(
    r"(?:(home|work|business|other|mailing|billing|shipping)\s+)?"
    r"(street address|street|address(?: 2| 3)?|street 2|street 3|address po box|po box|city|state/region|"
    r"state|region|province|zip ?code|zip|postal code|country/region|country)"
)
_PART_ORDER = {
    "po box": 0,
    "address po box": 0,
    "street": 1,
    "street address": 1,
    "address": 1,
    "street 2": 2,
    "address 2": 2,
    "street 3": 3,
    "address 3": 3,
    "city": 4,
    "state": 5,
    "state/region": 5,
    "region": 5,
    "province": 5,
    "zip": 6,
    "zipcode": 6,
    "zip code": 6,
    "postal code": 6,
    "country": 7,
    "country/region": 7,
}
_GENERIC = {
    "email",
    "e-mail",
    "email address",
    "e-mail address",
    "mail",
    "emails",
    "邮箱",
    "电子邮件",
    "电子邮箱",
    "邮件",
    "メール",
    "phone",
    "telephone",
    "tel",
    "phone number",
    "电话",
    "联系电话",
    "電話",
    "手机号码",
}
_MOBILE = {"手机": "mobile", "手机号": "mobile", "携帯": "mobile", "传真": "fax"}
LUNAR_MARK = " (lunar)"
"""Appended to an `Event N - Label` whose date is on the Chinese calendar."""
_THUNDERBIRD_BIRTH = ("birth year", "birth month", "birth day")
MAP_FIELDS = (
    "name",
    "given",
    "middle",
    "family",
    "org",
    "title",
    "email",
    "phone",
    "address",
    "tags",
    "birthday",
    "anniversary",
    "notes",
    "owner",
    "tier",
    "every",
    "kind",
    "uid",
    "source_id",
    "nickname",
    "lunar",
    "aliases",
    "skip",
)
"""What `--map COLUMN=FIELD` may name; anything else is taken as a custom field's name."""


def _norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


@lru_cache(maxsize=1024)
def _label(text: str) -> str | None:
    """A Google/Outlook type cell (`* Home`, `Mobile`) as a lower-case label."""
    text = text.strip().lstrip("*").strip().lower()
    return text or None


def _split_multi(value: str) -> list[str]:
    """Google puts several values in one cell with ` ::: ` between them."""
    return [v for v in (p.strip() for p in value.split(":::")) if v] if ":::" in value else [value]


def _listed(
    i: int, attr: str, ok: Callable[[str], object], more: Callable[[Draft, str, str | None], None],
    label: str | None,
) -> Handler:
    """The reader of an e-mail or phone column: one plain value fast, the rest (several values
    in a cell, a value that is not one) by `more`, which keeps what it cannot use aside."""

    def read(d: Draft, row: list[str]) -> None:
        v = row[i]
        if v:
            if not getattr(d, attr) and ok(v):
                setattr(d, attr, [v])
                if label:
                    d.set_label(v, label)
            else:
                more(d, v, label)

    return read


def _emails(draft: Draft, value: str, label: str | None) -> None:
    if not draft.emails and ":::" not in value and EMAIL_RE.match(value):
        draft.emails = [value]
        if label:
            draft.set_label(value, label)
        return
    for part in _split_multi(value):
        part = part.strip()
        if EMAIL_RE.match(part) or not re.search(r"[;,\s]", part):
            draft.add_email(part, label)
        else:  # "a@x.com; b@y.com" in one spreadsheet cell
            pieces = [p for p in re.split(r"[;,\s]+", part) if p]
            if all(EMAIL_RE.match(p) for p in pieces):
                for p in pieces:
                    draft.add_email(p, label)
            else:
                draft.add_email(part, label)


def _phones(draft: Draft, value: str, label: str | None) -> None:
    if not draft.phones and ":::" not in value and PHONE_RE.fullmatch(value):
        draft.phones = [value]
        if label:
            draft.set_label(value, label)
        return
    for part in _split_multi(value):
        part = part.strip()
        if PHONE_RE.fullmatch(part) or not re.search(r"[;,/]", part):
            draft.add_phone(part, label)
        else:
            for p in re.split(r"\s*[;,]\s*", part):
                draft.add_phone(p, label)


def _tags(draft: Draft, value: str) -> None:
    for tag in _tag_list(value):
        draft.add_tag(tag)


@lru_cache(maxsize=4096)
def _tag_list(value: str) -> tuple[str, ...]:
    """The tags of a groups cell (a sheet repeats the same few cells: cached)."""
    out = []
    parts = value.split(":::") if ":::" in value else re.split(r"[;,]", value)
    for part in parts:
        part = part.strip()
        if part.startswith("*"):  # a Google system group
            part = part.lstrip("* ").strip()
            if part.lower() in ("mycontacts", "my contacts"):
                continue  # every contact is in it: not information
            part = part.lower()
        if part:
            out.append(part)
    return tuple(out)


def _set_date(
    draft: Draft, key: str, value: str, *, day_first: bool, label: str = "anniversary", lunar: bool = False
) -> None:
    try:
        day = parse_date(value, day_first=day_first)
    except ValueError as exc:
        draft.keep_aside(key, value, str(exc) if "out of range" in str(exc) else f"'{value}' is not a date")
        return
    if day is None:
        return
    if key == "birthday":
        draft.birthday = day
    else:
        draft.add_anniversary(label, day, lunar)


class _Plan:
    """The handlers one header needs, and how to name a contact from its name parts."""

    def __init__(self, header: list[str], mapping: Mapping[str, str], has_header: bool) -> None:
        self.handlers: list[Handler] = []
        self.width = len(header)
        self.name_parts: dict[str, int] = {}
        norm = [_norm(h) for h in header]
        mapped = {
            _norm(k): v.strip().lower() if v.strip().lower() in MAP_FIELDS else v.strip()
            for k, v in mapping.items()
        }
        missing = [k for k in mapping if _norm(k) not in norm]
        if missing:
            raise UsageError(
                f"--map names no column of this file: {', '.join(missing)} (columns: {', '.join(header)})"
            )
        outlook = "job title" in norm  # then `Title` is Mr./Ms.
        day_first = False
        addresses: dict[str, dict[str, int]] = {}
        numbered: dict[tuple[str, str], dict[str, int]] = {}
        birth: dict[str, int] = {}
        for i, (raw, h) in enumerate(zip(header, norm)):
            fld = mapped.get(h)
            if fld is None and has_header:
                fld = _FIELD_OF.get(h)
                if h == "title":
                    fld = "prefix" if outlook else "title"
                if fld is None and h in _THUNDERBIRD_BIRTH:
                    birth[h] = i
                    continue
                if fld is None:
                    m = _NUMBERED.fullmatch(h)
                    if m:
                        numbered.setdefault((m[1].replace("e-mail", "email"), m[2]), {})[m[3]] = i
                        continue
                    m = _ADDRESS_PART.fullmatch(h)
                    if m and not (m[2] == "address" and not m[1]):
                        addresses.setdefault(m[1] or "", {})[m[2]] = i
                        continue
                    if m and m[2] == "address":
                        fld = "address"
                    elif h in ("home address", "work address", "business address", "other address"):
                        fld = "address"
                    elif _PHONE_HEADER.search(h) and "type" not in h and "label" not in h:
                        fld = "phone"
            if fld is None:
                fld = f"field:{raw.strip()}" if raw.strip() else f"field:column {i + 1}"
            self._add(i, fld, raw.strip(), h, day_first)
        for prefix, parts in addresses.items():
            self.handlers.append(self._address_group(prefix, parts))
        for (kind, _n), parts in sorted(numbered.items(), key=lambda kv: (kv[0][0], int(kv[0][1]))):
            self.handlers.append(self._numbered(kind, parts, header))
        if birth:
            self.handlers.append(self._split_birthday(birth))
        self.outlook = outlook

    def _add(self, i: int, fld: str, raw: str, h: str, day_first: bool) -> None:
        add = self.handlers.append
        if fld in ("name", "given", "middle", "family", "suffix"):
            self.name_parts[fld] = i
        elif fld == "prefix":
            self._add(i, "field:name prefix", raw, h, day_first)
        elif fld == "lunar":

            def lunar(d: Draft, row: list[str]) -> None:
                if row[i].strip().lower() in ("1", "yes", "true", "lunar", "是", "农历"):
                    d.birthday_lunar = True

            add(lunar)
        elif fld == "aliases":

            def aliases(d: Draft, row: list[str]) -> None:
                for part in _split_multi(row[i]):
                    d.add_alias(part)

            add(aliases)
        elif fld == "org":

            def org(d: Draft, row: list[str]) -> None:
                if row[i] and not d.org:
                    d.org = row[i].strip() or None

            add(org)
        elif fld == "title":

            def title(d: Draft, row: list[str]) -> None:
                if row[i]:
                    d.title = row[i].strip() or None

            add(title)
        elif fld == "email":
            email_ok = EMAIL_RE.match
            label = (
                None
                if h in _GENERIC
                else (
                    h.replace("e-mail", "email").replace("email", "").replace("address", "").strip() or None
                )
            )
            label = None if label in ("primary", "1") else label

            add(_listed(i, "emails", email_ok, _emails, label))
        elif fld == "phone":
            phone_ok = PHONE_RE.fullmatch
            label = None if h in _GENERIC else _PHONE_WORDS.sub(" ", h).strip() or _MOBILE.get(h)

            add(_listed(i, "phones", phone_ok, _phones, label))
        elif fld == "address":

            def address(d: Draft, row: list[str]) -> None:
                if row[i]:
                    d.add_address(" ".join(row[i].split()))

            add(address)
        elif fld in ("birthday", "anniversary"):

            def when(d: Draft, row: list[str]) -> None:
                if row[i].strip():
                    _set_date(d, fld, row[i], day_first=day_first)

            add(when)
        elif fld == "notes":

            def notes(d: Draft, row: list[str]) -> None:
                v = row[i]
                if v:
                    if d.notes is None and v[0] > " " and v[-1] > " ":
                        d.notes = v  # the common case: one clean cell
                    else:
                        d.add_note(v)

            add(notes)
        elif fld == "tags":

            def tags(d: Draft, row: list[str]) -> None:
                if row[i]:
                    _tags(d, row[i])

            add(tags)
        elif fld == "every":

            def every(d: Draft, row: list[str]) -> None:
                if row[i]:
                    d.set_every(row[i])

            add(every)
        elif fld in ("owner", "tier", "uid"):

            def plain(d: Draft, row: list[str]) -> None:
                v = row[i].strip()
                if v:
                    setattr(d, fld, v)

            add(plain)
        elif fld == "kind":

            def kind(d: Draft, row: list[str]) -> None:
                v = row[i].strip().lower()
                if v in ("org", "organization", "organisation", "company"):
                    d.kind = "org"
                elif v and v != "person":
                    d.keep_aside("kind", row[i], f"'{row[i]}' is not a kind (person or org)")

            add(kind)
        elif fld == "source_id":

            def source(d: Draft, row: list[str]) -> None:
                v = row[i].strip()
                if v:
                    d.source_id = f"{h}:{v}"

            add(source)
        elif fld == "skip":
            pass
        else:
            key = fld[6:] if fld.startswith("field:") else ("nickname" if fld == "nickname" else fld)

            def custom(d: Draft, row: list[str]) -> None:
                v = row[i]
                if v and v.strip():
                    d.set_field(key, v.strip())

            add(custom)

    def _address_group(self, prefix: str, parts: dict[str, int]) -> Handler:
        order = sorted(parts.items(), key=lambda kv: _PART_ORDER.get(kv[0], 9))
        label = prefix or None

        def address(d: Draft, row: list[str]) -> None:
            values = [" ".join(row[i].split()) for _, i in order if row[i].strip()]
            if values:
                d.add_address(", ".join(values), label)

        return address

    def _numbered(self, kind: str, parts: dict[str, int], header: list[str]) -> Handler:
        """Google's `E-mail 1 - Type`/`E-mail 1 - Value` pairs and their kin."""
        lab = parts.get("type", parts.get("label"))
        val = parts.get("value")

        def label_of(row: list[str]) -> str | None:
            return _label(row[lab]) if lab is not None else None

        if kind == "email" and val is not None:

            def f(d: Draft, row: list[str]) -> None:
                if row[val]:
                    _emails(d, row[val], label_of(row))
        elif kind == "phone" and val is not None:

            def f(d: Draft, row: list[str]) -> None:
                if row[val]:
                    _phones(d, row[val], label_of(row))
        elif kind == "address":
            formatted = parts.get("formatted")
            comps = {k: v for k, v in parts.items() if k not in ("type", "label", "formatted")}
            group = self._address_group("", comps)

            def f(d: Draft, row: list[str]) -> None:
                if formatted is not None and row[formatted].strip():
                    text = ", ".join(x.strip() for x in row[formatted].splitlines() if x.strip())
                    d.add_address(text, label_of(row))
                else:
                    group(d, row)
        elif kind == "event" and val is not None:

            def f(d: Draft, row: list[str]) -> None:
                if row[val].strip():
                    label = label_of(row) or "anniversary"
                    if label == "birthday":
                        _set_date(d, "birthday", row[val], day_first=False)
                    elif label.endswith(LUNAR_MARK):
                        _set_date(
                            d,
                            "anniversary",
                            row[val],
                            day_first=False,
                            label=label[: -len(LUNAR_MARK)],
                            lunar=True,
                        )
                    else:
                        _set_date(d, "anniversary", row[val], day_first=False, label=label)
        elif kind == "organization":
            name, title, dept = parts.get("name"), parts.get("title"), parts.get("department")
            rest = {
                k: v for k, v in parts.items() if k not in ("name", "title", "department", "type", "label")
            }

            def f(d: Draft, row: list[str]) -> None:
                if name is not None and row[name].strip() and not d.org:
                    d.org = row[name].strip()
                if title is not None and row[title].strip() and not d.title:
                    d.title = row[title].strip()
                if dept is not None and row[dept].strip():
                    d.set_field("department", row[dept].strip())
                for k, i in rest.items():
                    if row[i].strip():
                        d.set_field(f"organization {k}", row[i].strip())
        else:  # website, custom field, relation, im: label -> custom field
            fallback = {"custom field": "", "website": "website", "relation": "relation", "im": "im"}[kind]
            others = {k: v for k, v in parts.items() if k not in ("type", "label", "value")}

            def f(d: Draft, row: list[str]) -> None:
                label = label_of(row)
                if val is not None and row[val].strip():
                    key = (
                        f"{fallback} {label}".strip()
                        if fallback and label
                        else (label or fallback or "custom")
                    )
                    d.set_field(key, row[val].strip())
                for k, i in others.items():
                    if row[i].strip():
                        d.set_field(f"{kind} {k}", row[i].strip())

        return f

    def _split_birthday(self, cols: dict[str, int]) -> Handler:
        """Thunderbird's `Birth Year`, `Birth Month`, `Birth Day`; the year may be empty."""
        y, m, dd = (cols.get(k) for k in _THUNDERBIRD_BIRTH)

        def birthday(d: Draft, row: list[str]) -> None:
            year = row[y].strip() if y is not None else ""
            month = row[m].strip() if m is not None else ""
            day = row[dd].strip() if dd is not None else ""
            if not (month or day):
                if year:
                    d.keep_aside("birth year", year, "a birth year without month and day")
                return
            text = f"{year}-{month}-{day}" if year else f"--{month}-{day}"
            try:
                d.birthday = parse_date(text)
            except ValueError:
                d.keep_aside("birthday", f"{year}/{month}/{day}", "not a date")

        return birthday

    def namer(self) -> Callable[[list[str]], str]:
        """The function naming a row's contact; a sheet with one name column only strips it."""
        if set(self.name_parts) == {"name"}:
            i = self.name_parts["name"]
            return lambda row: row[i].strip()
        return self.name_of

    def name_of(self, row: list[str]) -> str:
        """The contact's name: the full-name column, else the parts put together."""
        parts = self.name_parts
        i = parts.get("name")
        if i is not None:
            name = row[i].strip()
            if name:
                return name
        pieces = [row[parts[k]].strip() for k in ("given", "middle", "family", "suffix") if k in parts]
        pieces = [p for p in pieces if p]
        if not pieces:
            return ""
        if all(_is_cjk(p) for p in pieces) and "family" in parts and "given" in parts:
            fam, giv = row[parts["family"]].strip(), row[parts["given"]].strip()
            return fam + giv  # 张 + 伟, family name first, no space
        return " ".join(pieces)


def _is_cjk(text: str) -> bool:
    return bool(text) and all("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _looks_like_data(row: list[str]) -> bool:
    """A first row holding an e-mail or a phone number is data, not a header."""
    for cell in row:
        c = cell.strip()
        if EMAIL_RE.match(c) or PHONE_RE.fullmatch(c):
            return True
    return False


def _infer_header(row: list[str]) -> list[str]:
    """Columns for a sheet with no header, from what the first row holds."""
    out, named = [], False
    for i, cell in enumerate(row):
        c = cell.strip()
        if EMAIL_RE.match(c):
            out.append("email")
        elif PHONE_RE.fullmatch(c):
            out.append("phone")
        elif not named and c:
            out.append("name")
            named = True
        else:
            out.append(f"column {i + 1}")
    return out


def read_csv(
    data: bytes | str,
    *,
    mapping: Mapping[str, str] | None = None,
    delimiter: str | None = None,
) -> Iterator[Item]:
    """Drafts, one per row, from a contact CSV of any of the shapes above; a `BadRow` for a row
    of which nothing usable can be made (no name, organisation, e-mail or phone).

    `mapping` is `--map COLUMN=FIELD` (FIELD one of `MAP_FIELDS`, anything else a custom field).
    Raises InvalidData for a file that is not a CSV at all, UsageError for a mapping naming no column.
    """
    warnings: list[str] = []
    if isinstance(data, bytes):
        decoded = decode(data)
        text, warnings = decoded.text, decoded.warnings
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        raise InvalidData("the file is empty")
    if "\x00" in text:
        raise InvalidData("the file is binary, not text (NUL characters)")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text), strict=False
    )
    try:
        first = next(reader)
    except csv.Error as exc:
        raise InvalidData(f"line 1: not a CSV file ({exc})") from None
    except StopIteration:
        raise InvalidData("the file is empty") from None
    has_header = not _looks_like_data(first) or bool(
        mapping and any(_norm(k) in map(_norm, first) for k in mapping)
    )
    header = first if has_header else _infer_header(first)
    plan = _Plan(header, mapping or {}, True)
    with paused_gc():
        yield from _rows(reader, plan, header, None if has_header else first, warnings)


def _rows(
    reader: Any, plan: _Plan, header: list[str], pending: list[str] | None, warnings: list[str]
) -> Iterator[Item]:
    width, handlers, name_of = plan.width, plan.handlers, plan.namer()
    line = 1 if pending is not None else reader.line_num + 1
    rows: Iterator[list[str]] = _chain(pending, reader) if pending is not None else reader
    while True:
        try:
            for row in rows:
                start, line = line, reader.line_num + 1
                extra = None
                if len(row) != width:
                    if not any(row):
                        continue
                    if len(row) < width:
                        row = row + [""] * (width - len(row))
                    else:
                        extra = row[width:]
                draft = Draft(name_of(row), start)
                for handler in handlers:
                    handler(draft, row)
                if extra:  # cells past the header's last column
                    for j, cell in enumerate(extra, width + 1):
                        if cell.strip():
                            draft.set_field(f"column {j}", cell.strip())
                if warnings:
                    for message in warnings:
                        draft.warn(message)
                    warnings = []
                if not draft.name:
                    if not any(row):
                        continue
                    try:
                        finish(draft)
                    except ValueError as exc:
                        yield BadRow(start, str(exc), ",".join(row))
                        continue
                yield draft
            return
        except csv.Error as exc:
            yield BadRow(line, f"not a CSV row ({exc})")
            line = reader.line_num + 1


def _chain(first: list[str], rest: Iterable[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


# ---------------------------------------------------------------------------------- writer

_FIXED = [
    "Name",
    "First Name",
    "Last Name",
    "Organization Name",
    "Organization Title",
    "Birthday",
    "Notes",
    "Labels",
]
_TAIL = ["Kind", "Lunar Birthday", "Aliases", "Owner", "Tier", "Every", "UID"]


def split_name(name: str) -> tuple[str, str]:
    """(given, family) for a spreadsheet's two name columns: `Ada Lovelace`, `张伟` (张 + 伟)."""
    name = name.strip()
    if _is_cjk(name) and len(name) >= 2:
        return name[1:], name[0]
    given, _, family = name.rpartition(" ")
    return (given, family) if given else (name, "")


def write_csv(records: Iterable[Mapping[str, Any]], out: TextIO, *, bom: bool = False) -> int:
    """Write contact records (`contact_record` shape) as a Google-import CSV; returns the count.

    The header is Google's current one (`First Name`, `E-mail 1 - Label`, `E-mail 1 - Value`,
    `Labels`, `Custom Field 1 - Label`…), with one numbered column pair per e-mail, phone,
    address, anniversary and custom field the widest record needs, and tinycrm's own
    `Kind, Lunar Birthday, Aliases, Owner, Tier, Every, UID` last, so `read_csv` reads every
    field back. `bom` starts the text with a BOM, for a file a spreadsheet will open.
    """
    records = list(records)
    n = {
        k: max((len(r.get(k) or []) for r in records), default=0)
        for k in ("emails", "phones", "addresses", "anniversaries", "fields")
    }
    header = list(_FIXED)
    for i in range(1, n["emails"] + 1):
        header += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, n["phones"] + 1):
        header += [f"Phone {i} - Label", f"Phone {i} - Value"]
    for i in range(1, n["addresses"] + 1):
        header += [f"Address {i} - Label", f"Address {i} - Formatted"]
    for i in range(1, n["anniversaries"] + 1):
        header += [f"Event {i} - Label", f"Event {i} - Value"]
    for i in range(1, n["fields"] + 1):
        header += [f"Custom Field {i} - Label", f"Custom Field {i} - Value"]
    header += _TAIL
    if bom:  # Excel reads a UTF-8 file as its ANSI code page unless it starts with a BOM
        out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for r in records:
        labels = r.get("labels") or {}
        given, family = split_name(r["name"]) if r.get("kind", "person") == "person" else ("", "")
        row = [
            r["name"],
            given,
            family,
            r.get("org") or "",
            r.get("title") or "",
            r.get("birthday") or "",
            r.get("notes") or "",
            " ::: ".join(r.get("tags") or []),
        ]
        for key in ("emails", "phones", "addresses"):
            values = list(r.get(key) or [])
            for i in range(n[key]):
                v = values[i] if i < len(values) else ""
                row += [labels.get(v, "") if v else "", v]
        annis = list(r.get("anniversaries") or [])
        for i in range(n["anniversaries"]):
            a = annis[i] if i < len(annis) else None
            row += [a["label"] + (LUNAR_MARK if a.get("lunar") else ""), a["date"]] if a else ["", ""]
        custom = list((r.get("fields") or {}).items())
        for i in range(n["fields"]):
            k, v = custom[i] if i < len(custom) else ("", "")
            row += [k, v if isinstance(v, str) else str(v)]
        row += [
            r.get("kind") or "person",
            "yes" if r.get("birthday_lunar") else "",
            " ::: ".join(r.get("aliases") or []),
            r.get("owner") or "",
            r.get("tier") or "",
            r.get("every") or "",
            r.get("uid") or "",
        ]
        w.writerow(row)
    return len(records)
