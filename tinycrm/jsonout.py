"""The `--json` text of every command: `json.dumps(value, ensure_ascii=False, indent=2, default=str)`, faster.

Python 3.11 writes indented JSON with its pure-Python encoder (the C one writes compact JSON
only): a generator per container and a dozen type tests per value, ~150 ms for the 8,000
customers of `report rfm --json`. Here each value is written by the C functions json itself
uses (`encode_basestring`, `int.__repr__`, `float.__repr__`), a dict's keys once per key order
and depth (a report's records share one order), and the text of a container is joined in one
piece. Anything of another type or shape — a subclass of str, int, float, dict or list, a key
that is not a string, nesting deeper than `DEEPEST` (a cycle) — is handed to json.dumps itself
at its depth, so the bytes are the same for every value (`tests/test_jsonout.py` compares them).
`Decimal`, which the reports hold for money, is written as `default=str` writes it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import encode_basestring as _quote  # the C escaper json uses when not ensure_ascii

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEEPEST = 64
"""Containers nested deeper than this are left to json.dumps (which also detects a cycle)."""

_NL = ["\n" + "  " * depth for depth in range(DEEPEST + 2)]
_INF = float("inf")
_CONSTANT = {None: "null", True: "true", False: "false"}  # reached only by None and bools
_templates: dict[tuple[tuple[str, ...], int], str] = {}  # a dict's text with %s for its values


def dumps(value: Any) -> str:
    """`value` as JSON, byte for byte what json.dumps(…, ensure_ascii=False, indent=2, default=str) writes."""
    return _encode(value, 0)


def _reference(value: Any, depth: int) -> str:
    """json.dumps itself, indented as at `depth` (its text has no newline but between items)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", _NL[depth]) if depth else text


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, depth: int) -> str:
    """The text of one value nested `depth` containers deep."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        return _dict(value, depth)
    if kind is list:
        return _list(value, depth)
    if value is None or kind is bool:
        return _CONSTANT[value]
    if kind is float:
        return _float(value)
    if kind is Decimal:
        return _quote(str(value))
    if kind is tuple:
        return _list(list(value), depth)
    return _reference(value, depth)


def _dict(value: dict, depth: int) -> str:
    if not value:
        return "{}"
    if depth >= DEEPEST:
        return _reference(value, depth)
    keys = tuple(value)
    template = _templates.get((keys, depth))
    if template is None:
        if any(type(key) is not str for key in keys):
            return _reference(value, depth)  # json's own conversion of 1, 2.5, True, None keys
        inner = "," + _NL[depth + 1]
        template = "{" + inner[1:] + inner.join(_quote(key).replace("%", "%%") + ": %s" for key in keys)
        template += _NL[depth] + "}"
        if len(_templates) < 4096:  # reports have a few dozen key orders; free-form dicts may have more
            _templates[keys, depth] = template
    deeper = depth + 1
    quote, number, encode = _quote, int.__repr__, _encode
    return template % tuple([
        quote(item) if (kind := type(item)) is str else number(item) if kind is int else encode(item, deeper)
        for item in value.values()
    ])  # fmt: skip


def _list(value: list, depth: int) -> str:
    if not value:
        return "[]"
    if depth >= DEEPEST:
        return _reference(value, depth)
    deeper = depth + 1
    first = type(value[0])
    if first is dict:
        texts = [_dict(item, deeper) if type(item) is dict else _encode(item, deeper) for item in value]
    elif first is str:
        texts = [_quote(item) if type(item) is str else _encode(item, deeper) for item in value]
    else:
        texts = [_encode(item, deeper) for item in value]
    inner = _NL[deeper]
    return "[" + inner + ("," + inner).join(texts) + _NL[depth] + "]"
