"""The filter language shared by CLI lists, the TUI search bar, tiers and exports.

Text is parsed once into a small expression tree (`And`, `Or`, `Not`, `Text`, `Field`),
validated as it is parsed, and compiled to a SQL WHERE fragment with bound parameters.
User text never reaches the SQL string.

Grammar (`OR` binds tighter than the implicit AND of juxtaposition, as in web search, so
`tag:vip OR tag:gold last>30d` means "(vip or gold) and not contacted for 30 days"):

    filter := group*                      terms side by side must all hold
    group  := unary ("OR" unary)*
    unary  := "-" unary | "(" filter ")" | term

`AND` is accepted as an explicit spelling of the space. Every leaf is NULL-safe: a
negation reads `NOT COALESCE(x, 0)`, so `-org:acme` also finds contacts with no org.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from tinycrm.errors import FilterError, InvalidData
from tinycrm.textindex import match_expression

# dataclasses (with inspect, ast, dis), decimal and typing cost ~10 ms of every filtered
# list's start-up: the tree is plain frozen classes, Decimal loads with a number in a filter
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal
    from typing import Any

    from dateutil.relativedelta import relativedelta

FIELD_HELP: dict[str, str] = {
    "tag": "tag:vip — has that tag",
    "org": "org:acme — organisation contains",
    "tier": "tier:A — tier equals",
    "owner": "owner:me / owner:NAME — owned by; owner:none — in the shared pool",
    "kind": "kind:person / kind:org",
    "stage": "stage:proposal — a deal in that stage",
    "status": "status:open / won / lost — a deal with that status",
    "name": "name:ada — name contains",
    "email": "email:acme.com — an e-mail contains",
    "phone": "phone:5550100 — a phone number contains these digits",
    "value": "value>5000 — a deal worth more than (major units)",
    "won": "won>=10000 — total value of won deals",
    "deals": "deals>=3 — number of deals",
    "health": "health<40 — health score 0–100 (recency against cadence, follow-ups, deals, activity)",
    "last": "last>30d / last<7d — time since the last interaction",
    "created": "created>2026-01-01 / created<7d — creation date or age",
    "due": "due<3d — an open reminder due within",
    "is": "is:stale / is:key / is:trash",
}
FIELDS: tuple[str, ...] = tuple(FIELD_HELP)
"""Field names, for help text and completion."""

IS_VALUES: tuple[str, ...] = ("stale", "key", "trash")
KINDS: tuple[str, ...] = ("person", "org")
STATUSES: tuple[str, ...] = ("open", "won", "lost")

_EQUALITY_FIELDS = {"tag", "org", "tier", "owner", "kind", "stage", "status", "name", "email", "phone", "is"}
_NUMBER_FIELDS = {"value", "won", "deals", "health"}
_TIME_FIELDS = {"last", "created", "due"}
_DEAL_FIELDS = {"stage", "status", "value"}
_OPS = (">=", "<=", ">", "<", "=", ":")

_FIELD_RE = re.compile(r"([A-Za-z_]+)(>=|<=|>|<|=|:)(.*)\Z", re.DOTALL)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_NUMBER_RE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)([km]?)\Z", re.IGNORECASE)
_KEYWORDS = {"OR", "AND"}
_DURATION_SHAPE = re.compile(r"\+?\d+[dwmyh]\Z", re.IGNORECASE)

MAX_DEPTH = 16
"""Parentheses and negations nest at most this deep: SQLite's parser stack (100 entries) holds
about 20 levels of NOT COALESCE(...) and 11 of -( ... ), so 16 counted together stays inside."""
MAX_TERMS = 100
"""A filter holds at most this many terms (SQLite refuses expression trees much past 1,000)."""
MAX_NUMBER = 10**14  # ×10,000 for money in 1/10,000 major units stays an SQLite integer
"""The largest amount or count a filter compares with, as the store's largest amount."""


# ---------------------------------------------------------------- the expression tree


class _Node:
    """A frozen record compared by value (what `@dataclass(frozen=True)` gave, without its imports)."""

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Node)  # for mypy
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


class Text(_Node):
    """Free text, matched against the full-text index (and a deal's title)."""

    __slots__ = ("text",)
    text: str

    def __init__(self, text: str) -> None:
        object.__setattr__(self, "text", text)


class Field(_Node):
    """`name op value`; op is one of `: = > >= < <=` (`:` only for equality fields)."""

    __slots__ = ("name", "op", "value")
    name: str
    op: str
    value: str

    def __init__(self, name: str, op: str, value: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "value", value)


class Not(_Node):
    """Negation of a term or group."""

    __slots__ = ("expr",)
    expr: Expr

    def __init__(self, expr: Expr) -> None:
        object.__setattr__(self, "expr", expr)


class And(_Node):
    """All of the parts hold."""

    __slots__ = ("parts",)
    parts: tuple[Expr, ...]

    def __init__(self, parts: tuple[Expr, ...]) -> None:
        object.__setattr__(self, "parts", parts)


class Or(_Node):
    """Any of the parts holds."""

    __slots__ = ("parts",)
    parts: tuple[Expr, ...]

    def __init__(self, parts: tuple[Expr, ...]) -> None:
        object.__setattr__(self, "parts", parts)


Expr = Text | Field | Not | And | Or


# ---------------------------------------------------------------- tokens


class _Token(_Node):
    __slots__ = ("kind", "raw", "value", "pos", "quoted")
    kind: str  # WORD, NEG, LP, RP, OR, AND
    raw: str  # the source text of the token, for messages
    value: str  # WORD: the text with quote marks removed
    pos: int  # 1-based column
    quoted: bool  # WORD: began with a quote mark

    def __init__(self, kind: str, raw: str, value: str, pos: int, quoted: bool = False) -> None:
        for name, given in zip(self.__slots__, (kind, raw, value, pos, quoted)):
            object.__setattr__(self, name, given)


def _fail(message: str) -> FilterError:
    return FilterError(" ".join(message.split("\n")))


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(_Token("LP", ch, ch, i + 1))
            i += 1
        elif ch == ")":
            tokens.append(_Token("RP", ch, ch, i + 1))
            i += 1
        elif ch == "-" and (i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")"):
            raise _fail(f"dangling '-' at position {i + 1}")
        elif ch == "-":
            tokens.append(_Token("NEG", ch, ch, i + 1))
            i += 1
        else:
            start, parts = i, []
            while i < n and not text[i].isspace() and text[i] not in "()":
                if text[i] == '"':
                    end = text.find('"', i + 1)
                    if end < 0:
                        raise _fail(f"unclosed quote at position {i + 1}")
                    parts.append(text[i + 1 : end])
                    i = end + 1
                else:
                    parts.append(text[i])
                    i += 1
            raw = text[start:i]
            if raw in _KEYWORDS:
                tokens.append(_Token(raw, raw, raw, start + 1))
            else:
                tokens.append(_Token("WORD", raw, "".join(parts), start + 1, quoted=raw.startswith('"')))
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Expr | None:
        return self.conjunction(top=True)

    def conjunction(self, *, top: bool) -> Expr | None:
        parts: list[Expr] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "RP":
                if top:
                    raise _fail(f"unbalanced parenthesis at position {tok.pos}")
                break
            if tok.kind == "AND":
                self.take()
                nxt = self.peek()
                if not parts or nxt is None or nxt.kind in ("RP", "OR", "AND"):
                    raise _fail(f"dangling AND at position {tok.pos}")
                continue
            parts.append(self.disjunction())
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def disjunction(self) -> Expr:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RP", "OR", "AND"):
                raise _fail(f"dangling OR at position {tok.pos}")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def nest(self, tok: _Token) -> None:
        """One level deeper, refused past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail(
                f"filter nested too deep at position {tok.pos}: at most {MAX_DEPTH} levels of"
                " parentheses and '-'"
            )

    def unary(self) -> Expr:
        tok = self.take()
        if tok.kind == "NEG":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND"):
                raise _fail(f"dangling '-' at position {tok.pos}")
            self.nest(tok)
            inner_neg = Not(self.unary())
            self.depth -= 1
            return inner_neg
        if tok.kind == "LP":
            self.nest(tok)
            inner = self.conjunction(top=False)
            self.depth -= 1
            close = self.peek()
            if close is None:
                raise _fail(f"unbalanced parenthesis at position {tok.pos}")
            self.take()
            if inner is None:
                raise _fail(f"empty parentheses at position {tok.pos}")
            return inner
        if tok.kind in ("OR", "AND"):
            raise _fail(f"dangling {tok.kind} at position {tok.pos}")
        if tok.kind == "RP":  # pragma: no cover - conjunction stops before ')'
            raise _fail(f"unbalanced parenthesis at position {tok.pos}")
        return _term(tok)


def _term(tok: _Token) -> Expr:
    """A WORD token as a Text or a validated Field."""
    m = None if tok.quoted else _FIELD_RE.match(tok.value)
    if m is None:
        if match_expression(tok.value) is None:
            raise _fail(f"invalid filter term {tok.raw!r}: nothing to search for")
        return Text(tok.value)
    name, op, value = m.group(1).lower(), m.group(2), m.group(3).strip()
    if name not in FIELD_HELP:
        raise _fail(f"unknown field {m.group(1)!r} in {tok.raw!r} (fields: {', '.join(FIELDS)})")
    field = Field(name, op, value)

    def bad(why: str) -> FilterError:
        return _fail(f"invalid filter term {tok.raw!r}: {why}")

    if not value:
        raise bad(f"{name} needs a value")
    if name in _EQUALITY_FIELDS:
        if op not in (":", "="):
            raise bad(f"{name} takes ':' ({name}:VALUE)")
        field = Field(name, ":", value)
        low = value.lower()
        if name == "is" and low not in IS_VALUES:
            raise bad(f"is takes {', '.join(IS_VALUES)}")
        if name == "kind" and low not in KINDS:
            raise bad("kind takes person or org")
        if name == "status" and low not in STATUSES:
            raise bad(f"status takes {', '.join(STATUSES)}")
        if name == "phone" and not any(ch.isdigit() for ch in value):
            raise bad("phone needs digits")
        return field
    op = "=" if op == ":" else op
    field = Field(name, op, value)
    if name in _NUMBER_FIELDS:
        number = _number(value)
        if number is None:
            raise bad(f"{name} needs a number")
        if number > MAX_NUMBER:
            raise bad(f"{name} takes numbers up to {MAX_NUMBER:,.0f}")
        if name in ("deals", "health") and number != number.to_integral_value():
            raise bad(f"{name} needs a whole number")
        return field
    # last / created / due: a DURATION or a date
    from tinycrm.dates import MAX_DURATION_YEARS, PLAN_YEARS  # loads dateutil: only here

    day = _parse_date(value)
    if day is not None:
        if not PLAN_YEARS[0] <= day.year <= PLAN_YEARS[1]:
            raise bad(f"dates must fall between {PLAN_YEARS[0]} and {PLAN_YEARS[1]}")
        return field
    if _DATE_RE.match(value):
        raise bad(f"{value!r} is not a date")
    if _DURATION_SHAPE.match(value) and _parse_duration(value) is None and int(value.strip("+")[:-1]):
        raise bad(f"durations are at most {MAX_DURATION_YEARS} years (36525d, 5218w, 1200m, 100y)")
    if _parse_duration(value) is None:
        raise bad(f"{name} needs a duration (30d, 2w, 3m, 1y, 12h) or a date (YYYY-MM-DD)")
    if op == "=":
        raise bad(f"{name} needs <, <=, > or >= with a duration")
    return field


def parse(text: str | None) -> Expr | None:
    """The expression tree of a filter, or None when the filter is empty."""
    if text is None or not text.strip():
        return None
    tokens = _tokenize(text)
    terms = sum(tok.kind == "WORD" for tok in tokens)
    if terms > MAX_TERMS:
        raise _fail(f"filter too long: {terms} terms, at most {MAX_TERMS}")
    return _Parser(tokens).parse()


# ---------------------------------------------------------------- values


def _number(text: str) -> Decimal | None:
    m = _NUMBER_RE.match(text.replace(",", "").replace("_", ""))
    if m is None:
        return None
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None
    return number * {"": 1, "k": 1000, "m": 1_000_000}[m.group(2).lower()]


def _parse_date(text: str) -> date | None:
    if not _DATE_RE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_duration(text: str) -> relativedelta | None:
    """A DURATION (30d, 2w, 3m, 1y, 12h) via tinycrm.dates, or None when it is not one."""
    from tinycrm.dates import parse_duration  # loads dateutil; only when a filter needs it

    try:
        return parse_duration(text)
    except InvalidData:
        return None


def _iso(dt: datetime) -> str:
    from tinycrm.dates import utc_iso

    return utc_iso(dt)


def _to_ten_thousandths(currency_column: str) -> str:
    """SQL: the factor from a currency's minor units to 1/10,000 of its major unit (tinycrm.money)."""
    from .money import MINOR_UNITS

    by_units: dict[int, list[str]] = {}
    for code, units in MINOR_UNITS.items():
        by_units.setdefault(units, []).append(code)
    cases = " ".join(
        f"WHEN {currency_column} IN ({', '.join(repr(c) for c in sorted(codes))}) THEN {10 ** (4 - units)}"
        for units, codes in sorted(by_units.items())
        if units != 2
    )
    return f"(CASE {cases} ELSE 100 END)"


def _minor_condition(column: str, op: str, major: Decimal) -> tuple[str, list]:
    """`column op major` where `column` is in 1/10,000 major units: exact for any currency."""
    from decimal import ROUND_CEILING, ROUND_FLOOR

    scaled = major * 10_000
    if scaled == scaled.to_integral_value():
        return f"{column} {op} ?", [int(scaled)]
    floor = int(scaled.to_integral_value(ROUND_FLOOR))
    ceil = int(scaled.to_integral_value(ROUND_CEILING))
    if op == "=":
        return "0", []
    if op in (">", "<="):
        return f"{column} {op} ?", [floor]
    return f"{column} {op} ?", [ceil]  # >= and <


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_DIGITS_ONLY = "k.value"
for _ch in " -().+/":
    _DIGITS_ONLY = f"replace({_DIGITS_ONLY}, '{_ch}', '')"


# ---------------------------------------------------------------- compiler


class _Compiler:
    def __init__(self, target: str, now: datetime, user: str) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.target = target
        self.now = now
        self.user = user

    def compile(self, expr: Expr | None) -> tuple[str, list]:
        if expr is None:
            return "1", []
        return self.node(expr)

    def node(self, expr: Expr) -> tuple[str, list]:
        if isinstance(expr, And):
            return self.conjunction(expr.parts)
        if isinstance(expr, Or):
            return self.join(" OR ", [self.node(p) for p in expr.parts])
        if isinstance(expr, Not):
            sql, params = self.node(expr.expr)
            return f"NOT COALESCE({sql}, 0)", params
        if isinstance(expr, Text):
            return self.text(expr.text)
        return self.field(expr)

    @staticmethod
    def join(sep: str, pieces: list[tuple[str, list]]) -> tuple[str, list]:
        params: list = []
        for _, p in pieces:
            params.extend(p)
        return "(" + sep.join(s for s, _ in pieces) + ")", params

    def conjunction(self, parts: tuple[Expr, ...]) -> tuple[str, list]:
        if self.target != "contact":
            return self.join(" AND ", [self.node(p) for p in parts])
        node = self.tags_with_text(parts)
        # On contacts, the deal terms of one AND describe the same deal:
        # `stage:proposal value>5000` is one deal in proposal worth more than 5000.
        deal_parts = [p for p in parts if _deal_only(p)]
        if deal_parts:
            rest = [node(p) for p in parts if not _deal_only(p)]
            deal_sql, deal_params = self.join(" AND ", [self.deal_condition(p) for p in deal_parts])
            exists = (
                f"c.id IN (SELECT d.contact_id FROM deal d WHERE {deal_sql})",
                deal_params,
            )
            return self.join(" AND ", [exists, *rest])
        return self.join(" AND ", [node(p) for p in parts])

    def tags_with_text(self, parts: tuple[Expr, ...]) -> Callable[[Expr], tuple[str, list]]:
        """`self.node`, except for `tag:` terms ANDed with a text term (`tag:vip lovelace`).

        Those tags join the text term's full-text MATCH, whose document holds every tag, so
        the few contacts matching both are found in the index, and each tag is then checked
        exactly on those few (an EXISTS on `contact_key_value`) instead of listing all the
        contacts with the tag (12,000 rows for `tag:vip` at 100,000 contacts). Only tags in
        ASCII with a letter or digit: the document holds them as typed, and the FTS5
        tokenizer folds their case as `str.lower` does, so the phrase matches them surely.
        """
        anchor = next((p for p in parts if isinstance(p, Text) and match_expression(p.text)), None)
        tags = [
            p for p in parts
            if isinstance(p, Field) and p.name == "tag" and p.value.isascii()
            and any(ch.isalnum() for ch in p.value)
        ]  # fmt: skip
        if anchor is None or not tags:
            return self.node
        assert isinstance(anchor, Text)
        phrases = " AND ".join('"' + p.value.replace('"', '""') + '"' for p in tags)
        fts = "c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)"
        done: dict[int, tuple[str, list]] = {
            id(anchor): (fts, [f"{match_expression(anchor.text)} AND {phrases}"])
        }
        for p in tags:
            assert isinstance(p, Field)
            done[id(p)] = (
                "EXISTS (SELECT 1 FROM contact_key k WHERE k.kind = 'tag' AND k.value = ?"
                " AND k.contact_id = c.id)",
                [p.value.lower()],
            )
        return lambda p: done[id(p)] if id(p) in done else self.node(p)

    def deal_condition(self, expr: Expr) -> tuple[str, list]:
        """A deal-only expression as a condition on `deal d` (for the contact EXISTS)."""
        if isinstance(expr, (And, Or)):
            sep = " AND " if isinstance(expr, And) else " OR "
            return self.join(sep, [self.deal_condition(p) for p in expr.parts])
        assert isinstance(expr, Field)
        sql, params = self.deal_field(expr)
        if expr.name == "is":  # is:key on a contact: an open key deal
            sql = "(d.key = 1 AND d.status = 'open')"
        return sql, params

    def deal_field(self, f: Field) -> tuple[str, list]:
        if f.name == "stage":
            return "d.stage = ?", [f.value.lower()]
        if f.name == "status":
            return "d.status = ?", [f.value.lower()]
        if f.name == "value":
            value = f"(d.value_minor * {_to_ten_thousandths('d.currency')})"  # the deal's own currency
            return _minor_condition(value, f.op, _number(f.value))  # type: ignore[arg-type]
        return "d.key = 1", []  # is:key

    def text(self, term: str) -> tuple[str, list]:
        fts = "c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)"
        match = match_expression(term)
        if self.target == "deal":
            return f"(d.title LIKE ? ESCAPE '\\' OR {fts})", [_like(term), match]
        return fts, [match]

    def key_exists(self, kind: str, condition: str, value: str) -> tuple[str, list]:
        return (
            # an uncorrelated IN list: built once from the (kind, value) index, where a
            # correlated EXISTS re-scanned every contact with that tag (31 s at 100k)
            f"c.id IN (SELECT k.contact_id FROM contact_key k WHERE k.kind = '{kind}' AND {condition})",
            [value],
        )

    def field(self, f: Field) -> tuple[str, list]:
        name, op, value = f.name, f.op, f.value
        low = value.lower()
        if name in _DEAL_FIELDS or (name == "is" and low == "key"):
            if self.target == "deal":
                return self.deal_field(Field(name, op, low if name == "is" else value))
            sql, params = self.deal_condition(Field(name, op, low if name == "is" else value))
            return f"c.id IN (SELECT d.contact_id FROM deal d WHERE {sql})", params
        if name == "tag":
            return self.key_exists("tag", "k.value = ?", low)
        if name == "email":
            return self.key_exists("email", "k.value LIKE ? ESCAPE '\\'", _like(low))
        if name == "phone":
            digits = "".join(ch for ch in value if ch.isdigit())
            return self.key_exists("phone", f"{_DIGITS_ONLY} LIKE ?", f"%{digits}%")
        if name == "org":
            return "c.org LIKE ? ESCAPE '\\'", [_like(value)]
        if name == "name":
            return "c.name LIKE ? ESCAPE '\\'", [_like(value)]
        if name == "tier":
            return "c.tier = ? COLLATE NOCASE", [value]
        if name == "owner":
            if low == "none":  # the shared pool: customers nobody owns
                column = "COALESCE(d.owner, c.owner)" if self.target == "deal" else "c.owner"
                return f"{column} IS NULL", []
            who = self.user if low == "me" else value
            if self.target == "deal":
                return "COALESCE(d.owner, c.owner) = ?", [who]
            return "c.owner = ?", [who]
        if name == "kind":
            return "c.kind = ?", [low]
        if name == "won":
            total = (
                f"(SELECT COALESCE(SUM(w.value_minor * {_to_ten_thousandths('w.currency')}), 0) FROM deal w"
                " WHERE w.contact_id = c.id AND w.status = 'won')"
            )
            return _minor_condition(total, op, _number(value))  # type: ignore[arg-type]
        if name == "health":  # the stored score (tinycrm.health), kept current by every write
            return f"(c.health IS NOT NULL AND c.health {op} ?)", [int(_number(value))]  # type: ignore[arg-type]
        if name == "deals":
            count = "(SELECT COUNT(*) FROM deal n WHERE n.contact_id = c.id)"
            return f"{count} {op} ?", [int(_number(value))]  # type: ignore[arg-type]
        if name == "is":
            if low == "trash":
                return "c.deleted_at IS NOT NULL", []
            return "(c.next_touch_at IS NOT NULL AND c.next_touch_at <= ?)", [_iso(self.now)]
        return self.time_field(f)

    def time_field(self, f: Field) -> tuple[str, list]:
        """last / created / due against a date (UTC days) or a duration from now."""
        name, op = f.name, f.op
        column = {"last": "c.last_contacted_at", "created": "c.created_at", "due": "r.due"}[name]
        day = _parse_date(f.value)
        if day is not None:
            start, end = day.isoformat(), (day + timedelta(days=1)).isoformat()
            sql, params, early = {
                ">": (f"{column} >= ?", [end], False),
                ">=": (f"{column} >= ?", [start], False),
                "<": (f"{column} < ?", [start], True),
                "<=": (f"{column} < ?", [end], True),
                "=": (f"({column} >= ? AND {column} < ?)", [start, end], False),
            }[op]
        else:
            span = _parse_duration(f.value)
            assert span is not None  # the filter's parser accepted only a date or a DURATION
            if name == "due":  # time until: due<3d is due before now + 3d (overdue included)
                cutoff = _iso(self.now + span)
                sql, params, early = f"{column} {op} ?", [cutoff], op in ("<", "<=")
            else:  # age: last>30d is before now - 30d
                cutoff = _iso(self.now - span)
                flipped = {">": "<", ">=": "<=", "<": ">", "<=": ">="}[op]
                sql, params, early = f"{column} {flipped} ?", [cutoff], op in (">", ">=")
        if name == "due":
            return (
                "c.id IN (SELECT r.contact_id FROM reminder r WHERE r.contact_id IS NOT NULL"
                f" AND r.done_at IS NULL AND {sql})",
                params,
            )
        if name == "last":
            # never contacted counts as long ago
            if early:
                return f"({column} IS NULL OR {sql})", params
            return f"({column} IS NOT NULL AND {sql})", params
        return sql, params


def _deal_only(expr: Expr) -> bool:
    """A positive term (or AND/OR of them) about one deal: stage, status, value, is:key."""
    if isinstance(expr, (And, Or)):
        return all(_deal_only(p) for p in expr.parts)
    if isinstance(expr, Field):
        return expr.name in _DEAL_FIELDS or (expr.name == "is" and expr.value.lower() == "key")
    return False


def compile_contacts(expr: Expr | None, *, now: datetime, user: str) -> tuple[str, list]:
    """A WHERE fragment over `contact c`, and its parameters ("1" for no filter)."""
    return _Compiler("contact", now, user).compile(expr)


def compile_deals(expr: Expr | None, *, now: datetime, user: str) -> tuple[str, list]:
    """A WHERE fragment over `deal d JOIN contact c ON c.id = d.contact_id`, and its parameters."""
    return _Compiler("deal", now, user).compile(expr)


def text_match(expr: Expr | None) -> str | None:
    """The full-text MATCH of a filter made only of text terms (`ada`, `ada lovelace`), else None.

    Such a filter is answered by the full-text index alone: `count_contacts` counts there.
    """
    parts = expr.parts if isinstance(expr, And) else (expr,)
    if not parts or not all(isinstance(p, Text) for p in parts):
        return None
    matches = [match_expression(p.text) for p in parts if isinstance(p, Text)]
    if not all(matches):
        return None
    return " AND ".join(m for m in matches if m)


def mentions_trash(expr: Expr | None) -> bool:
    """True when the filter says anything about is:trash, so callers keep trashed contacts."""
    if expr is None or isinstance(expr, Text):
        return False
    if isinstance(expr, Field):
        return expr.name == "is" and expr.value.lower() == "trash"
    if isinstance(expr, Not):
        return mentions_trash(expr.expr)
    return any(mentions_trash(p) for p in expr.parts)


# ---------------------------------------------------------------- canonical text

_PLAIN = re.compile(r'[^\s()"]+\Z')


def _quote(value: str) -> str:
    return value if _PLAIN.match(value) else f'"{value}"'


def describe(expr: Expr | None) -> str:
    """Canonical text of a filter; `parse(describe(e)) == e` for any parsed `e`."""
    if expr is None:
        return ""
    if isinstance(expr, Text):
        plain = (
            _PLAIN.match(expr.text)
            and expr.text not in _KEYWORDS
            and not expr.text.startswith("-")
            and not _FIELD_RE.match(expr.text)
        )
        return expr.text if plain else f'"{expr.text}"'
    if isinstance(expr, Field):
        return f"{expr.name}{expr.op}{_quote(expr.value)}"
    if isinstance(expr, Not):
        inner = describe(expr.expr)
        return f"-({inner})" if isinstance(expr.expr, (And, Or)) else f"-{inner}"
    if isinstance(expr, Or):
        return " OR ".join(
            f"({describe(p)})" if isinstance(p, (And, Or)) else describe(p) for p in expr.parts
        )
    return " ".join(f"({describe(p)})" if isinstance(p, And) else describe(p) for p in expr.parts)
