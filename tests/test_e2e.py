"""A few whole-process runs of `python -m tinycrm`, piped, as cron and scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from tinycrm import __version__
from tinycrm.dates import parse_utc
from tinycrm.store import Store

NOW = "2026-03-10T09:00:00Z"


@pytest.fixture
def tinycrm(tmp_path):
    """tinycrm('log', 'ada', 'hi') → CompletedProcess, in a clean environment without a terminal."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("TINYCRM_") and k not in ("NO_COLOR", "FORCE_COLOR", "TZ")
    }
    env.update(TINYCRM_DB=str(tmp_path / "crm.db"), TINYCRM_NOW=NOW, TINYCRM_USER="alice",
               TZ="Europe/Berlin", NO_COLOR="1", PYTHONIOENCODING="utf-8")

    def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tinycrm", *args], input=stdin, capture_output=True, text=True,
            env=env, cwd=tmp_path, timeout=60, encoding="utf-8",
        )

    return _run


@pytest.fixture
def ada(tmp_path):
    """Ada Lovelace (1) with a deal, written in-process: set-up need not pay for a process."""
    with Store.open(tmp_path / "crm.db", "alice", clock=lambda: parse_utc(NOW)) as store:
        ada = store.add_contact("Ada Lovelace", emails=["ada@example.com"], tags=["vip"])
        store.add_deal(ada["id"], "Engine", value="5000", key=True)
        store.log(ada["id"], "hello", follow_up=parse_utc(NOW) + timedelta(days=1))


def test_add_log_show_round_trip(tinycrm):
    added = tinycrm("contact", "add", "Ada Lovelace", "--email", "ada@example.com", "--tag", "vip")
    assert (added.returncode, added.stdout, added.stderr) == (0, "1\n", "")

    logged = tinycrm("log", "ada", "called about the invoice", "--kind", "call", "--next", "fri")  # fast path
    assert (logged.returncode, logged.stderr) == (0, "")
    assert logged.stdout == "logged 1: call with Ada Lovelace; follow up 2026-03-13\n"

    shown = tinycrm("contact", "show", "ada")  # fast path
    assert shown.returncode == 0, shown.stderr
    assert "Ada Lovelace  (#1, person)" in shown.stdout
    assert "2026-03-10 10:00  call     called about the invoice  (alice)" in shown.stdout
    assert "Follow up: called about the invoice" in shown.stdout

    record = json.loads(tinycrm("contact", "show", "ada@example.com", "--json").stdout)
    assert record["last_contacted_at"] == NOW
    assert [i["summary"] for i in record["interactions"]] == ["called about the invoice"]

    listed = tinycrm("contact", "list", "tag:vip", "--json")  # Typer
    assert [(c["name"], c["last_contacted_at"]) for c in json.loads(listed.stdout)] == [("Ada Lovelace", NOW)]


def test_version(tinycrm):
    result = tinycrm("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"tinycrm {__version__}\n", "")


def test_no_arguments_piped_prints_help(tinycrm):
    result = tinycrm()
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: tinycrm")
    for command in ("contact", "deal", "log", "timeline", "search", "history", "undo"):
        assert command in result.stdout


@pytest.mark.usefixtures("ada")
def test_piped_output_has_no_ansi_escapes(tinycrm):
    for args in (("contact", "show", "ada"), ("contact", "list"), ("deal", "list")):
        result = tinycrm(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Ada Lovelace" in result.stdout, args
        assert "\033[" not in result.stdout + result.stderr, args


def test_an_error_in_the_fast_path_is_one_line(tinycrm):
    result = tinycrm("log", "nobody", "x")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "error: no contact matches 'nobody'\n"


def test_an_error_in_typer_is_one_line(tinycrm):
    result = tinycrm("deal", "add", "ada", "X", "--value", "1.234")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_log_help_goes_to_typer(tinycrm):
    result = tinycrm("log", "--help")
    assert result.returncode == 0
    assert "Usage: tinycrm log" in result.stdout
    assert "--next" in result.stdout
    assert "--eml" in result.stdout


@pytest.mark.usefixtures("ada")
def test_log_eml_from_stdin(tinycrm):
    message = "From: ada@example.com\nSubject: 发票\nDate: Mon, 09 Mar 2026 15:30:00 +0100\n\nOK\n"
    result = tinycrm("log", "--eml", "-", "--json", stdin=message)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"] == "发票"


def test_tui_without_a_terminal_is_an_error_not_a_hang(tmp_path):
    env = {**os.environ, "TINYCRM_DB": str(tmp_path / "t.db"), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tinycrm", "tui"], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == "error: the full-screen interface needs a terminal (stdin and stdout)\n"
    assert result.stdout == ""
