"""The whole command line under random argument lists: an exit code of the contract, never an
internal error.

Argument lists are made of real command words, real option names (every one in the dispatch
table) and random text and numbers, run in-process through `tinycrm.cli.dispatch.main` (both
paths: what the table cannot parse goes to Typer) on one small book. Notification options
(`--notify`, `--to`) are left out: they would send.
"""

from __future__ import annotations

import functools
import io
import re
import sys

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.cli import _table
from tinycrm.cli.dispatch import main as dispatch
from tinycrm.dates import parse_utc
from tinycrm.store import Store

NOW = "2026-03-10T09:00:00Z"
INTERNAL = re.compile(r"Traceback|\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Interrupt)\b")
LEFT_OUT = {"--notify", "--to", "--force", "demo"}

WORDS = sorted({w for path in _table.COMMANDS for w in path} - LEFT_OUT)
ALL_OPTIONS = [*(opt for spec in _table.COMMANDS.values() for opt in spec["options"]), *_table.ROOT_OPTIONS]
OPTIONS = sorted({o for opt in ALL_OPTIONS for o in (*opt["opts"], *opt["secondary"])} - LEFT_OUT)
PATHS = [list(p) for p in _table.COMMANDS if not set(p) & LEFT_OUT]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(OPTIONS),
    st.sampled_from(OPTIONS).flatmap(lambda o: st.text(max_size=8).map(lambda v: f"{o}={v}")),
    st.sampled_from(["-", "--", "", "ada", "1", "-1", "0", "tag:vip", "-tag:vip", "fri", "+3d", "2026-03-10",
                     "99999999999999999999", "张", "x" * 300, "reminder:1:2026-03-10",
                     "birthday:1:2026-03-10"]),
    st.integers().map(str),
    st.text(max_size=12),
)
argv_lists = st.one_of(
    st.tuples(st.sampled_from(PATHS), st.lists(token, max_size=6)).map(lambda t: [*t[0], *t[1]]),
    st.lists(token, max_size=6),
)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A small book, the environment of a run without a terminal, and a private cwd and home."""
    home = tmp_path_factory.mktemp("fuzz")
    path = home / "crm.db"
    with Store.open(path, "alice", clock=lambda: parse_utc(NOW)) as store:
        ada = store.add_contact("Ada Lovelace", emails=["ada@example.com"], tags=["vip"],
                                birthday="1815-03-10")
        store.add_contact("张伟", every="30d")
        store.add_deal(ada["id"], "Engine", value="5000")
        store.log(ada["id"], "hello", follow_up=parse_utc("2026-03-12T09:00:00Z"))
    with pytest.MonkeyPatch.context() as mp:
        for key, value in {"TINYCRM_DB": str(path), "TINYCRM_NOW": NOW, "TINYCRM_USER": "alice",
                           "TZ": "Europe/Berlin", "NO_COLOR": "1", "HOME": str(home),
                           "XDG_DATA_HOME": str(home / "data")}.items():
            mp.setenv(key, value)
        for key in ("TINYCRM_DEBUG", "DISPLAY", "WAYLAND_DISPLAY"):
            mp.delenv(key, raising=False)
        mp.chdir(home)
        mp.setattr(typer.main, "get_command", functools.lru_cache(maxsize=None)(typer.main.get_command))
        yield path


def _run(argv: list[str]) -> tuple[int, str]:
    """Exit code and stderr of one in-process run, stdin empty and stdout discarded."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stderr = err = io.StringIO()
    try:
        code = dispatch(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, err.getvalue()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=argv_lists)
def test_random_command_lines_exit_0_1_or_2_and_never_show_an_internal_error(book, argv):
    code, err = _run(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert not INTERNAL.search(err), (argv, err)


@pytest.mark.parametrize(
    "argv",
    [
        ["contact", "show", "²"],
        ["remind", "done", "reminder:99999999999999999999:x"],
        ["log", "ada", "x", "--deal", "99999999999999999999"],
        ["contact", "list", "--limit", "99999999999999999999"],
        ["search", "ada", "--limit", "99999999999999999999"],
    ],
    ids=" ".join,
)
def test_the_internal_errors_the_fuzzer_found_are_sentences(book, argv):
    code, err = _run(argv)
    assert code in (0, 1, 2)
    assert not INTERNAL.search(err), err
