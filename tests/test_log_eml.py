"""`log --eml`: the same Message-ID recorded once, and `--create` for a sender nobody knows."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from tinycrm.cli.dispatch import main

MESSAGE = b"""\
From: "Grace Hopper" <grace@navy.example>
To: Ann <ann@mycompany.example>
Subject: Re: the compiler demo
Date: Mon, 09 Mar 2026 15:30:00 +0100
Message-ID: <demo-1@navy.example>
Content-Type: text/plain; charset=utf-8

See you on Friday.
"""


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "crm.db"))
    monkeypatch.setenv("TINYCRM_NOW", "2026-03-10T09:00:00Z")
    monkeypatch.setenv("TINYCRM_USER", "ann")
    monkeypatch.setenv("TZ", "Europe/Berlin")

    def run(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    return run


def test_the_same_message_is_recorded_once(run, tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(MESSAGE)
    assert run("contact", "add", "Grace Hopper", "--email", "grace@navy.example")[0] == 0
    code, out, _ = run("log", "--eml", str(tmp_path / "m.eml"))
    assert (code, out) == (0, "logged 1: email with Grace Hopper: Re: the compiler demo\n")
    code, out, _ = run("log", "--eml", "-", stdin=MESSAGE)
    assert (code, out) == (0, "already recorded as 1: email with Grace Hopper: Re: the compiler demo\n")
    code, out, _ = run("log", "--eml", str(tmp_path / "m.eml"), "--json")
    assert code == 0
    assert json.loads(out)["already"] is True
    assert len(json.loads(run("timeline", "--json")[1])) == 1


def test_an_undone_message_can_be_recorded_again(run, tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(MESSAGE)
    run("contact", "add", "Grace Hopper", "--email", "grace@navy.example")
    run("log", "--eml", str(tmp_path / "m.eml"))
    assert run("undo")[0] == 0
    code, out, _ = run("log", "--eml", str(tmp_path / "m.eml"))
    assert code == 0
    assert out.startswith("logged 2: ")


def test_messages_without_a_message_id_are_each_recorded(run) -> None:
    bare = MESSAGE.replace(b"Message-ID: <demo-1@navy.example>\n", b"")
    run("contact", "add", "Grace Hopper", "--email", "grace@navy.example")
    assert run("log", "--eml", "-", stdin=bare)[1].startswith("logged 1")
    assert run("log", "--eml", "-", stdin=bare)[1].startswith("logged 2")


def test_create_makes_the_sender_a_contact_named_as_in_from(run) -> None:
    code, _, err = run("log", "--eml", "-", stdin=MESSAGE)
    assert code == 1
    assert err.endswith("; --create makes the sender a contact\n")
    assert json.loads(run("contact", "list", "--json")[1]) == []
    code, out, _ = run("log", "--eml", "-", "--create", stdin=MESSAGE)
    assert (code, out) == (0, "logged 1: email with Grace Hopper (new contact 1): Re: the compiler demo\n")
    grace = json.loads(run("contact", "show", "grace", "--json")[1])
    assert (grace["name"], grace["emails"]) == ("Grace Hopper", ["grace@navy.example"])
    assert run("undo")[0] == 0  # the contact and its e-mail are one change
    assert json.loads(run("contact", "list", "--json")[1]) == []


def test_create_names_a_sender_without_a_display_name_by_address(run) -> None:
    plain = MESSAGE.replace(b'From: "Grace Hopper" <grace@navy.example>', b"From: grace@navy.example")
    assert run("log", "--eml", "-", "--create", stdin=plain)[0] == 0
    assert json.loads(run("contact", "list", "--json")[1])[0]["name"] == "grace@navy.example"


def test_create_without_eml_is_a_usage_error(run) -> None:
    code, _, err = run("log", "ada", "hello", "--create")
    assert code == 2
    assert err.startswith("error: --create goes with --eml")
