"""One command line: the dispatch table equals the Typer app, and both ways of parsing agree.

`tinycrm.cli.dispatch` runs commands from `tinycrm/cli/_table.py` without Typer; anything it
cannot parse exactly as Click would goes to the Typer app. These tests prove the table is
the app's, that the two paths give the same parameters, output, errors, exit codes and
book, and that the fast path imports none of the heavy modules.
"""

from __future__ import annotations

import functools
import inspect
import io
import shlex
import shutil
import sqlite3
import sys
from typing import Annotated

import pytest
import typer
import typer.main

from tinycrm.cli import _table, gen_table
from tinycrm.cli._common import JsonOpt
from tinycrm.cli.dispatch import main as dispatch
from tinycrm.cli.dispatch import parse

NOW = "2026-03-10T09:00:00Z"  # a Tuesday


def _table_now() -> dict:
    return {name: getattr(_table, name) for name in ("HELP", "ROOT_OPTIONS", "GROUPS", "COMMANDS")}


def _differences(built: dict, stored: dict) -> list[str]:
    """What differs between the app's table and the committed one, command by command."""
    out = [name for name in ("HELP", "ROOT_OPTIONS", "GROUPS") if built[name] != stored[name]]
    for path in sorted(set(built["COMMANDS"]) | set(stored["COMMANDS"])):
        if built["COMMANDS"].get(path) != stored["COMMANDS"].get(path):
            out.append(" ".join(path))
    return out


# ---------------------------------------------------------------- the table is the app


def test_the_dispatch_table_equals_the_typer_app():
    built = gen_table.build()
    assert _differences(built, _table_now()) == [], "run: python -m tinycrm.cli.gen_table"
    assert gen_table.TABLE_PATH.read_text(encoding="utf-8") == gen_table.render(built)


def test_the_table_check_fails_when_an_option_is_added_without_regenerating(monkeypatch):
    from tinycrm.cli import root

    info = next(c for c in root.app.registered_commands if c.name == "undo")

    def undo(
        ctx: typer.Context,
        as_json: JsonOpt = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Only show.")] = False,
    ) -> None:
        """Take back the last change."""

    monkeypatch.setattr(info, "callback", undo)
    assert _differences(gen_table.build(), _table_now()) == ["undo"]


def test_every_command_of_the_app_is_in_the_table():
    root = typer.main.get_command(__import__("tinycrm.cli", fromlist=["app"]).app)

    def walk(command, path=()):
        for name, sub in command.commands.items():
            if hasattr(sub, "commands"):
                yield from walk(sub, (*path, name))
            else:
                yield (*path, name)

    assert sorted(walk(root)) == sorted(_table.COMMANDS)


@pytest.mark.parametrize("path", sorted(_table.COMMANDS), ids=" ".join)
def test_every_command_runs_an_implementation_with_the_same_parameter_names(path):
    spec = _table.COMMANDS[path]
    module, _, name = spec["implementation"].partition(":")
    assert module.startswith("tinycrm.commands.")
    implementation = getattr(__import__(module, fromlist=[name]), name)
    params = inspect.signature(implementation).parameters
    assert list(params)[0] == "state"
    declared = [a["name"] for a in spec["arguments"]] + [o["name"] for o in spec["options"]]
    assert sorted(list(params)[1:]) == sorted(declared)


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        (("log",), "kind", {"opts": ("--kind", "-k"), "flag": False, "default": "note", "type": "str"}),
        (("log",), "deal", {"opts": ("--deal",), "type": "int", "default": None}),
        (("contact", "add"), "lunar", {"opts": ("--lunar",), "secondary": ("--solar",), "flag": True,
                                       "default": None}),
        (("contact", "add"), "email", {"multiple": True, "type": "str"}),
        (("deal", "edit"), "key", {"secondary": ("--no-key",), "flag": True}),
        (("contact", "list"), "limit", {"type": "int", "min": 1}),
        (("export", "ics"), "output", {"opts": ("--output", "-o")}),
        (("demo",), "contacts", {"min": 10, "max": 100_000, "default": 300}),
    ],
)
def test_the_table_holds_every_alias_flag_kind_type_and_default(path, name, expected):
    option = next(o for o in _table.COMMANDS[path]["options"] if o["name"] == name)
    assert {k: option[k] for k in expected} == expected


def test_the_list_commands_pass_unknown_options_through_and_others_do_not():
    ignoring = sorted(p for p, c in _table.COMMANDS.items() if c["ignore_unknown_options"])
    assert ignoring == [("contact", "list"), ("contact", "reassign"), ("deal", "list"), ("tier", "set")]


# ---------------------------------------------------------------- both paths, the same parameters


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "crm.db"))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TINYCRM_USER", "alice")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TINYCRM_DEBUG", raising=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    monkeypatch.setattr(typer.main, "get_command", functools.lru_cache(maxsize=None)(typer.main.get_command))
    return tmp_path


PARAMETER_CASES = [
    "log ada hi",
    "log 28 x -k=call",
    "log 28 x -kcall",
    "log 28 x -k call --kind=meeting",
    "log 28 x --kind=call --deal 3",
    "log 28 x --deal -5",
    "log 28 x --at -3d --next=+2d",
    "log -- -ada -x",
    "log --eml - --json",
    "log 28",
    "contact add Ada --email a@x --email=b@x --tag vip --lunar --solar --set k=v",
    "contact add '' --org ''",
    "contact add Ada --json --kind org",
    "contact list",
    "contact list -tag:vip",
    "contact list tag:vip -org:acme --limit 3 --json",
    "contact list --limit 007 -- --weird",
    "contact list --sort=-name 张",
    "contact list --unknown",
    "contact edit 1 --add-tag a --rm-tag b --unset x --lunar",
    "contact show 99999999999999999999999",
    "contact forget 3 --yes",
    "deal add ada Engine --value 5000 --key --probability 40",
    "deal edit 1 --no-key --close ''",
    "deal show 99999999999999999999",
    "deal list stage:proposal --csv",
    "deal lost 2 --reason=price",
    "remind add - tomorrow 'call back' --every weekly --from-done --deal 1",
    "remind done birthday:1:2026-03-10",
    "remind rm '#3'",
    "due",
    "due --json",
    "due --within 7d --notify ntfy://x",
    "due --to a --to b",
    "search ada lovelace --limit 1",
    "timeline ada --since 30d --limit 5 --json",
    "history --limit 99999999999999999999",
    "undo --json",
    "export ics tag:vip -o out.ics",
    "export ics -oout.ics",
    "cron --at 07:30 --to mailto://me",
    "--db x.db --user bob log ada hi",
    "--db=x.db --user=bob contact show 1 --json",
    "--user '' due",
    "demo --no-tui --contacts 10 --seed -1",
]


def _command_path(argv: list[str]) -> tuple[str, ...] | None:
    """The command the words of argv name (after the global options), walking the table's groups."""
    i = 0
    while i < len(argv) and argv[i].startswith("--"):
        i += 1 if "=" in argv[i] else 2
    path: tuple[str, ...] = ()
    while path in _table.GROUPS and i < len(argv) and argv[i] in _table.GROUPS[path]:
        path = (*path, argv[i])
        i += 1
    return path if path in _table.COMMANDS else None


def _recorded(argv: list[str], *, fast: bool) -> tuple[int, dict | None]:
    """The exit code and the arguments the implementation was called with (it does nothing)."""
    calls: list[dict] = []

    def record(state, **params):
        calls.append({"db": state.db, "user": state.user, **params})

    with pytest.MonkeyPatch.context() as mp:
        path = _command_path(argv)
        if path is not None:
            module, _, name = _table.COMMANDS[path]["implementation"].partition(":")
            mp.setattr(__import__(module, fromlist=[name]), name, record)
        code = dispatch(argv, fast=fast)
    return code, (calls[0] if calls else None)


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize("line", PARAMETER_CASES)
def test_the_table_and_typer_call_the_implementation_with_the_same_arguments(line, capsys):
    argv = shlex.split(line)
    fast = _recorded(argv, fast=True)
    fast_io = capsys.readouterr()
    typer_ = _recorded(argv, fast=False)
    typer_io = capsys.readouterr()
    assert fast == typer_
    assert (fast_io.out, fast_io.err) == (typer_io.out, typer_io.err)


@pytest.mark.parametrize(
    "line",
    ["log ada hi", "log 28 x -k=call", "contact show ada", "due --json", "contact list -tag:vip",
     "search ada", "timeline", "deal list", "remind list", "history", "--db x.db log 1 hi",
     "contact list --limit 99999999999999999999"],
)
def test_the_common_forms_take_the_fast_path(line):
    assert parse(shlex.split(line)) is not None


@pytest.mark.parametrize(
    "line",
    ["", "--help", "-h", "log --help", "log ada -h", "contact", "contact --help show", "nope",
     "contact show", "contact show a b", "log --kind", "deal show x", "deal show -1",
     "contact list --limit 0", "contact list -zhang", "--version", "--db", "-- log ada hi",
     "log ada hi --json=1", "export ics -tag:vip"],
)
def test_help_usage_errors_and_the_unusual_go_to_typer(line):
    assert parse(shlex.split(line)) is None


# ---------------------------------------------------------------- both paths, the same output and book


BOOK = [
    "contact add 'Ada Lovelace' --email ada@example.com --tag vip --birthday 1815-03-10",
    "contact add 'Grace Hopper' --tag navy",
    "contact add 张伟 --org 佛山企业电子有限公司",
    "deal add ada Engine --value 5000",
    "deal add grace Compiler --value 1200 --stage proposal",
    "log ada 'called about the invoice' --kind call --next fri",
    "remind add grace tomorrow 'send the contract' --every weekly",
]

OUTPUT_CASES = [
    "log ada hi",
    "log 1 x -k=call",
    "log ada x -kcall --json",
    "log ada x --deal 99999999999999999999",
    "log ada x --next 2026-03-20",
    "log nobody x",
    "log zhang",
    "contact show ada",
    "contact show 张 --json",
    "contact show 99999999999999999999999",
    "contact show ²",
    "contact list",
    "contact list -tag:vip --json",
    "contact list --csv --json",
    "contact list --bogus",
    "contact add 'Alan Turing' --email alan@example.com --set a=b",
    "contact add X --set nokey",
    "contact edit grace --add-tag a --rm-tag navy --json",
    "contact rm 张",
    "contact restore 1",
    "contact forget grace",
    "contact forget grace --yes",
    "deal add ada Support --value 10 --close 2026-04-01",
    "deal show 1",
    "deal show 99999999999999999999",
    "deal move 1 proposal",
    "deal won 2 --json",
    "deal lost 1 --reason price",
    "deal edit 1 --title Engines --key",
    "deal list --json",
    "remind add ada +3d 'follow up'",
    "remind add - fri 'me time' --deal 99999999999999999999",
    "remind list --json",
    "remind done 1",
    "remind done 99999999999999999999",
    "remind done reminder:99999999999999999999:x",
    "remind snooze 1 +2d",
    "remind rm 1",
    "remind rm 99999999999999999999",
    "due",
    "due --json --within 7d",
    "due https://x",
    "search ada",
    "search nothing-here",
    "timeline --limit 99999999999999999999",
    "timeline ada --json",
    "history --json",
    "undo",
    "cron --at 25:00",
    "--db '' due",
    "log 1 x -k",
]


@pytest.fixture(scope="module")
def book_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "crm.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TINYCRM_DB", str(path))
        mp.setenv("TINYCRM_NOW", NOW)
        mp.setenv("TINYCRM_USER", "alice")
        mp.setenv("TZ", "Europe/Berlin")
        for line in BOOK:
            assert dispatch(shlex.split(line)) == 0, line
    return path


def _dump(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("line", OUTPUT_CASES)
def test_the_table_and_typer_print_the_same_and_write_the_same(line, book_file, env, capsys):
    argv = shlex.split(line)
    results = []
    for fast in (True, False):
        db = env / f"{fast}.db"
        shutil.copy(book_file, db)
        capsys.readouterr()
        code = dispatch(["--db", str(db), *argv] if not line.startswith("--db") else argv, fast=fast)
        out, err = capsys.readouterr()
        results.append((code, out, err, _dump(db)))
    assert results[0] == results[1]
    code, out, err, _ = results[0]
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    assert "Error:" not in err


# ---------------------------------------------------------------- the output belongs to the write


@pytest.mark.parametrize("fast", [True, False], ids=["table", "typer"])
def test_an_output_error_rolls_the_write_back(fast, book_file, env, monkeypatch, capsys):
    db = env / "out.db"
    shutil.copy(book_file, db)
    before = _dump(db)

    class Full(io.StringIO):
        def flush(self) -> None:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys, "stdout", Full())
    assert dispatch(["--db", str(db), "log", "ada", "hi"], fast=fast) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert err == "error: cannot write the output: No space left on device; nothing was changed\n"
    assert _dump(db) == before

