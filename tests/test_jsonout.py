"""`tinycrm.jsonout.dumps` writes the bytes of json.dumps(ensure_ascii=False, indent=2, default=str)."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict, defaultdict
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinycrm import jsonout
from tinycrm.cells import safe_json


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


class Colour(enum.IntEnum):
    RED = 1


class Tag(str):
    pass


SAMPLES = ["", "Ada", "张伟", 'a"b\\c', "tab\there\nline", "\x00\x1f\x7f\x85\u2028\u202e", "%s %(x)s %%"]
text = st.text(st.characters(codec=None), max_size=12) | st.sampled_from([*SAMPLES, "😀\ud800"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=False, allow_infinity=True)
    | text
)
odd_keys = st.integers() | st.floats() | st.booleans() | st.none()
# a report's shape: records (dicts) sharing one key order, in lists, in dicts, in lists…
record_keys = st.lists(text, min_size=1, max_size=6, unique=True)


def values(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(text, inner, max_size=5)
        | st.dictionaries(odd_keys | text, inner, max_size=3)
        | record_keys.flatmap(
            lambda keys: st.lists(st.fixed_dictionaries(dict.fromkeys(keys, inner)), min_size=1, max_size=4)
        ),
        max_leaves=40,
    )


@settings(max_examples=400, deadline=None)
@given(values(scalars))
def test_jsonout_writes_what_json_dumps_writes(value: Any) -> None:
    assert jsonout.dumps(value) == reference(value)


others = st.sampled_from(
    [
        Colour.RED,
        Tag("tagged"),
        OrderedDict(a=1, b=[2]),
        defaultdict(list, x=[1, {"y": None}]),
        datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc),
        date(2026, 2, 28),
        True,
        {1, 2},
    ]
)


@settings(max_examples=200, deadline=None)
@given(values(scalars | others))
def test_jsonout_writes_subclasses_and_other_types_as_json_dumps_does(value: Any) -> None:
    assert jsonout.dumps(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {},
        [[]],
        [{}],
        {"a": {}},
        {"a": []},
        "",
        0,
        -0.0,
        float("nan"),
        Decimal("1234.50"),
        Decimal("-0E-2"),
        {"lifetime_value": {"CNY": Decimal("4385577.00")}, "score": "555"},
        [{"id": 1, "name": "张伟", "owner": None}, {"id": 2, "name": "Ada", "owner": "bench"}],
        [{"a": 1}, {"b": 2}, {"a": [1, {"a": 1}]}],
        {1: "one", 2.5: "two and a half", False: "no", None: "none"},
        {"%s": "%d", "%": "%%"},
    ],
    ids=repr,
)
def test_jsonout_edge_values_are_json_dumps_bytes(value: Any) -> None:
    assert jsonout.dumps(value) == reference(value)


def test_jsonout_nesting_deeper_than_its_own_writer_is_json_dumps() -> None:
    value: Any = {"leaf": [1, "x"]}
    for depth in range(jsonout.DEEPEST + 20):
        value = [value] if depth % 2 else {"k": value, "n": depth}
    assert jsonout.dumps(value) == reference(value)


def test_jsonout_a_cycle_is_json_dumps_error() -> None:
    cycle: list[Any] = [1]
    cycle.append({"again": cycle})
    with pytest.raises(ValueError, match="Circular reference"):
        jsonout.dumps(cycle)


@settings(max_examples=200, deadline=None)
@given(values(text))
def test_safe_json_escapes_as_translating_every_character(value: Any) -> None:
    from tinycrm.cells import _JSON_SAFE

    encoded = reference(value)
    assert safe_json(encoded) == encoded.translate(_JSON_SAFE)
