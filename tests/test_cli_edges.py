"""The command line at its edges, as whole processes: start-up imports, Ctrl-C, closed or full
streams, encodings, bytes that are not UTF-8, empty and huge arguments, private exports, and a
failed command that must not have written.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinycrm.cli.dispatch import main as dispatch
from tinycrm.dates import parse_utc
from tinycrm.store import Store

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-10T09:00:00Z"
HEAVY = ["typer", "click", "typer._click", "pydantic", "rich", "textual"]
HUGE = "99999999999999999999"

PROBE = """
import atexit, json, sys
out, sys.argv = sys.argv[1], ["tinycrm", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from tinycrm.__main__ import main
main()
"""


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A clean environment without a terminal, on a book in tmp_path (and a private home)."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith("TINYCRM_") and k not in ("NO_COLOR", "TZ")}
    return {**keep, "TINYCRM_DB": str(tmp_path / "crm.db"), "TINYCRM_NOW": NOW, "TINYCRM_USER": "alice",
            "TZ": "Europe/Berlin", "NO_COLOR": "1", "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "home" / "data"), "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8"}


@pytest.fixture
def book(tmp_path) -> Path:
    """Ada Lovelace (1), 张伟 (2), a deal, a follow-up."""
    path = tmp_path / "crm.db"
    with Store.open(path, "alice", clock=lambda: parse_utc(NOW)) as store:
        ada = store.add_contact("Ada Lovelace", emails=["ada@example.com"], tags=["vip"])
        store.add_contact("张伟")
        store.add_deal(ada["id"], "Engine", value="5000")
        store.log(ada["id"], "hello", follow_up=parse_utc("2026-03-12T09:00:00Z"))
    return path


def _dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _tinycrm(env: dict, *args: str | bytes, shell_tail: str = "", **kw) -> subprocess.CompletedProcess:
    """`python -m tinycrm ARGS` (through sh when a redirection is given)."""
    if shell_tail:
        import shlex

        line = " ".join(shlex.quote(str(a)) for a in [sys.executable, "-m", "tinycrm", *args])
        return subprocess.run(["sh", "-c", f"{line} {shell_tail}"], capture_output=True, env=env,
                              timeout=60, cwd=ROOT, **kw)
    return subprocess.run([sys.executable, "-m", "tinycrm", *args], capture_output=True, env=env,
                          timeout=60, cwd=ROOT, **kw)


def _one_error_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert text.startswith("error: "), text
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    assert "NoneType" not in text
    return text


# ---------------------------------------------------------------- what each path imports


@pytest.mark.parametrize(
    ("line", "typer_loaded"),
    [
        ("log ada hi", False),
        ("log 1 x -k=call", False),
        ("contact show ada", False),
        ("due --json", False),
        ("contact list", False),
        ("contact list -tag:vip", False),
        ("search ada", False),
        ("timeline", False),
        ("deal list", False),
        ("remind list", False),
        ("history", False),
        ("--help", True),
        ("contact show", True),
        ("nope", True),
        ("deal show x", True),
    ],
)
def test_each_path_loads_only_the_heavy_modules_it_needs(line, typer_loaded, book, env, tmp_path):
    out = tmp_path / "modules.json"
    result = subprocess.run([sys.executable, "-c", PROBE, str(out), *line.split()], capture_output=True,
                            env=env, timeout=60, cwd=ROOT)
    assert result.returncode in (0, 1, 2), result.stderr
    modules = json.loads(out.read_text())
    loaded = [h for h in HEAVY if h in modules]
    if typer_loaded:
        assert "typer" in loaded
        assert "textual" not in loaded
    else:
        assert loaded == []


# ---------------------------------------------------------------- Ctrl-C


@pytest.mark.parametrize("fast", [True, False], ids=["table", "typer"])
def test_ctrl_c_exits_130_without_a_traceback(fast, book, env):
    code = ("import sys; from tinycrm.cli.dispatch import main; "
            f"sys.exit(main(['log', '--eml', '-'], fast={fast}))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    time.sleep(2.5)  # it now waits for the message on stdin
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert b"KeyboardInterrupt" not in err


def test_ctrl_c_through_the_entry_point_exits_130(book, env):
    proc = subprocess.Popen([sys.executable, "-m", "tinycrm", "log", "--eml", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err) == (130, b"")


# ---------------------------------------------------------------- closed and failing streams


@pytest.mark.parametrize(
    ("args", "tail", "extra_env"),
    [
        (["log", "ada", "hi"], ">&-", {}),
        (["log", "ada", "hi", "--json"], ">&-", {}),
        (["contact", "add", "Full"], ">/dev/full", {}),
        (["deal", "won", "1"], ">/dev/full", {}),
        (["log", "张", "你好"], "", {"PYTHONIOENCODING": "ascii"}),
        (["contact", "add", "李雷", "--json"], "", {"PYTHONIOENCODING": "ascii"}),
    ],
    ids=["log-closed-stdout", "log-json-closed-stdout", "add-dev-full", "won-dev-full", "log-ascii",
         "add-ascii"],
)
def test_a_command_whose_output_fails_exits_1_and_commits_nothing(args, tail, extra_env, book, env):
    before = _dump(book)
    result = _tinycrm({**env, **extra_env}, *args, shell_tail=tail or ">/dev/stdout")
    assert result.returncode == 1, result
    _one_error_line(result.stderr)
    assert _dump(book) == before


def test_a_failing_follow_up_date_commits_nothing(book, env):
    before = _dump(book)
    result = _tinycrm(env, "log", "ada", "x", "--next", "0001-01-01")
    assert result.returncode in (1, 2), result
    _one_error_line(result.stderr)
    assert _dump(book) == before


def test_closed_stdin_is_a_one_line_error_for_a_command_that_reads_it(book, env):
    result = _tinycrm(env, "log", "--eml", "-", shell_tail="<&-")
    assert result.returncode == 1
    assert "standard input is closed" in _one_error_line(result.stderr)


@pytest.mark.parametrize("args", [["due"], ["contact", "show", "ada"], []], ids=["due", "show", "no-command"])
def test_closed_stdin_does_not_bother_a_command_that_does_not_read_it(args, book, env):
    result = _tinycrm(env, *args, shell_tail="<&-")
    assert (result.returncode, result.stderr) == (0, b"")


def test_closed_stdout_is_fine_for_a_command_that_prints_nothing(book, env):
    result = _tinycrm(env, "due", "--within", "1d", shell_tail=">&- 2>/dev/null; echo $? >&2")
    # the follow-up is due on the 12th, beyond tomorrow's end: nothing to print, nothing to fail
    assert result.stderr.strip() == b"0"


# ---------------------------------------------------------------- arguments


def test_invalid_utf8_in_argv_is_a_usage_error(book, env):
    before = _dump(book)
    result = _tinycrm(env, "contact", "add", b"Bad\xff\xfeName")
    assert result.returncode == 2
    assert "argument 3 is not valid UTF-8" in _one_error_line(result.stderr)
    assert _dump(book) == before


@pytest.mark.parametrize("args", [["--db", "", "due"], ["--db=", "log", "ada", "hi"],
                                  ["demo", "--db", "", "--no-tui"]])
def test_an_empty_db_path_is_a_usage_error_and_touches_no_book(args, env, tmp_path):
    del env["TINYCRM_DB"]
    result = _tinycrm(env, *args)
    assert result.returncode == 2
    assert "--db needs a path" in _one_error_line(result.stderr)
    assert not list((tmp_path / "home").rglob("*.db"))


HUGE_ID_COMMANDS = [
    ["contact", "show", "99999999999999999999999"],
    ["contact", "edit", HUGE, "--tag", "x"],
    ["contact", "rm", HUGE],
    ["contact", "restore", HUGE],
    ["contact", "forget", HUGE, "--yes"],
    ["log", HUGE, "hi"],
    ["log", "ada", "hi", "--deal", HUGE],
    ["timeline", HUGE],
    ["history", HUGE],
    ["deal", "add", HUGE, "X"],
    ["deal", "show", HUGE],
    ["deal", "edit", HUGE, "--title", "x"],
    ["deal", "move", HUGE, "proposal"],
    ["deal", "won", HUGE],
    ["deal", "lost", HUGE],
    ["deal", "add", "ada", "X", "--probability", HUGE],
    ["remind", "add", HUGE, "tomorrow", "x"],
    ["remind", "add", "-", "tomorrow", "x", "--deal", HUGE],
    ["remind", "done", HUGE],
    ["remind", "done", f"reminder:{HUGE}:2026-03-10"],
    ["remind", "snooze", HUGE, "fri"],
    ["remind", "rm", HUGE],
    ["contact", "show", "²"],
    ["remind", "rm", "²"],
]


@pytest.mark.parametrize("argv", HUGE_ID_COMMANDS, ids=" ".join)
def test_a_huge_id_is_a_sentence_not_an_overflow(argv, book, env, monkeypatch, capsys):
    for key in ("TINYCRM_DB", "TINYCRM_NOW", "TINYCRM_USER", "TZ"):
        monkeypatch.setenv(key, env[key])
    before = _dump(book)
    assert dispatch(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no ") or err.startswith("error: invalid "), err
    assert "Error" not in err
    assert _dump(book) == before


@pytest.mark.parametrize(
    "argv",
    [["contact", "list", "--limit", HUGE], ["deal", "list", "--limit", HUGE], ["timeline", "--limit", HUGE],
     ["search", "ada", "--limit", HUGE], ["history", "--limit", HUGE]],
    ids=" ".join,
)
def test_a_huge_limit_means_no_limit(argv, book, env, monkeypatch, capsys):
    for key in ("TINYCRM_DB", "TINYCRM_NOW", "TINYCRM_USER", "TZ"):
        monkeypatch.setenv(key, env[key])
    assert dispatch([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- exports are private


def test_export_ics_writes_a_0600_file_under_umask_022(book, env, tmp_path):
    target = tmp_path / "cal.ics"
    result = subprocess.run([sys.executable, "-m", "tinycrm", "export", "ics", "-o", str(target)],
                            capture_output=True, env=env, cwd=ROOT, timeout=60,
                            preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cal.ics")] == []
