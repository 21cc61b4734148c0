"""`paused_gc`: the collector off for a bulk step, back as it was after it, even on an error."""

from __future__ import annotations

import gc

import pytest

from tinycrm.gcpause import paused_gc


def test_paused_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # a paused step inside a paused step leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error() -> None:
    with pytest.raises(ValueError, match="a bad row"), paused_gc():
        raise ValueError("a bad row")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
