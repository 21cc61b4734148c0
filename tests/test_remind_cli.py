"""`remind`, `due`, `cron` through the command line, with a fixed clock and time zone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinycrm import notify
from tinycrm.cli.dispatch import main as dispatch

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-22T09:00:00Z"  # Sunday 10:00 in Berlin


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "t.db"))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TINYCRM_USER", "tester")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TINYCRM_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def run(env, capsys):
    """Run a command as `tinycrm` does (the table first, then Typer); returns (stdout, stderr)."""

    def call(*args: str, code: int = 0) -> tuple[str, str]:
        capsys.readouterr()
        rc = dispatch(list(args))
        out, err = capsys.readouterr()
        assert rc == code, f"exit {rc}: {out}{err}"
        return out, err

    return call


def due_json(run, *args: str) -> list[dict]:
    return json.loads(run("due", "--json", *args)[0])


@pytest.fixture
def book(run) -> None:
    run("contact", "add", "Ada Lovelace", "--email", "ada@example.com", "--birthday", "1815-11-22")
    run("contact", "add", "王伟", "--birthday", "1980-10-13", "--lunar")  # lunar 10-13 = 2026-11-21
    run("contact", "add", "Grace Hopper", "--every", "30d")
    run("contact", "add", "Quiet Person", "--birthday", "1990-06-01")


# --- every source --------------------------------------------------------------------------


def test_every_source_is_due_through_the_cli(run, book) -> None:
    run("remind", "add", "ada", "today", "Send the invoice")
    run("log", "grace", "called", "--next", "today")
    run("deal", "add", "ada", "Website", "--close", "2026-11-20")
    items = due_json(run)
    assert {(i["source"], i["text"]) for i in items} == {
        ("manual", "Send the invoice"),
        ("follow-up", "Follow up: called"),
        ("birthday", "Ada Lovelace's birthday (turns 211)"),
        ("birthday", "王伟's birthday (turns 46)"),
        ("deal", "Deal 'Website' expected to close"),
    }  # grace's cadence was reset by the call
    for item in items:
        assert {"id", "contact_id", "deal_id", "text", "due", "every", "source"} <= set(item)
    assert [i["overdue"] for i in items] == sorted((i["overdue"] for i in items), reverse=True)


def test_cadence_is_due_when_never_contacted_and_resets_on_log(run, book) -> None:
    assert [i["text"] for i in due_json(run) if i["source"] == "cadence"] == [
        "Keep in touch with Grace Hopper (every 30d, never contacted)"
    ]
    run("log", "grace", "coffee")
    assert [i for i in due_json(run) if i["source"] == "cadence"] == []
    assert [i["due"] for i in due_json(run, "--within", "31d") if i["source"] == "cadence"] == ["2026-12-22"]


def test_due_text_lists_overdue_first_in_words(run, book) -> None:
    run("remind", "add", "ada", "2026-11-22 14:00", "Call Ada")
    run("deal", "add", "ada", "Website", "--close", "2026-11-20")
    out, err = run("due")
    lines = out.splitlines()
    assert err == ""
    assert lines[0].split() == ["When", "What", "Who"]
    assert lines[1].startswith("2 days overdue")
    assert "Website" in lines[1]
    assert any(line.startswith("today 14:00") and "Call Ada" in line for line in lines)
    assert "deal-close:" not in out  # internal keys only in --json


# --- silence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [(("due",), ""), (("due", "--notify"), ""), (("due", "--within", "2d"), ""), (("due", "--json"), "[]\n")],
)
def test_due_is_silent_when_nothing_is_due(run, args, expected) -> None:
    run("contact", "add", "Quiet Person", "--birthday", "1990-06-01", "--every", "30d")
    run("log", "quiet", "coffee")
    run("remind", "add", "quiet", "+3d", "later")
    run("deal", "add", "quiet", "Website", "--close", "2026-12-15")
    assert run(*args) == (expected, "")


def test_due_is_silent_as_a_real_process(env) -> None:
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    book = env / "t.db"
    subprocess.run([sys.executable, "-m", "tinycrm", "--db", str(book), "contact", "add", "Quiet"],
                   capture_output=True, env=environ, check=True)
    for args in (["due"], ["due", "--notify"], ["--db", str(book), "due", "--within", "1d"]):
        done = subprocess.run([sys.executable, "-m", "tinycrm", *args], capture_output=True, env=environ)
        assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


@pytest.mark.parametrize(
    "args", [["due"], ["due", "--notify"], ["contact", "list"], ["search", "ada"], ["remind", "list"],
             ["timeline"], ["deal", "list"], ["history"], ["contact", "show", "1"]],
)
def test_a_reading_command_on_a_mistyped_book_fails_and_creates_nothing(env, args) -> None:
    typo = env / "bok.db"
    environ = dict(os.environ, PYTHONPATH=str(ROOT), TINYCRM_DB=str(typo))
    done = subprocess.run([sys.executable, "-m", "tinycrm", *args], capture_output=True, env=environ)
    assert done.returncode == 1
    assert done.stderr.decode().startswith(f"error: no tinycrm database at {typo} (a command")
    assert not typo.exists()


# --- done, snooze, rm, undo ---------------------------------------------------------------


def test_done_on_a_recurring_reminder_prints_its_next_due(run, book) -> None:
    rid = run("remind", "add", "ada", "2026-10-31", "Report", "--every", "monthly")[0].strip()
    assert run("remind", "done", rid)[0] == f"done {rid}: Report; next due 2026-11-30\n"
    assert run("remind", "done", rid)[0] == f"done {rid}: Report; next due 2026-12-31\n"
    run("undo")
    reminder = json.loads(run("remind", "list", "--json")[0])[0]
    assert reminder["due"] == "2026-11-29T23:00:00Z"  # back to 30 Nov, Berlin


def test_done_and_undo_on_a_one_off_and_a_birthday(run, book) -> None:
    rid = run("remind", "add", "ada", "today", "Call")[0].strip()
    run("remind", "done", rid)
    assert run("remind", "list")[0] == ""
    assert "(done)" in run("remind", "list", "--all")[0]
    run("remind", "done", "birthday:1:2026-11-22")
    assert [i["source"] for i in due_json(run)] == ["birthday", "cadence"]  # 王伟 and Grace
    run("undo")
    assert "birthday:1:2026-11-22" in [i["key"] for i in due_json(run)]
    run("undo")
    assert rid in [str(i["id"]) for i in due_json(run)]


def test_snooze_moves_one_occurrence(run, book) -> None:
    rid = run("remind", "add", "ada", "today", "Call")[0].strip()
    assert run("remind", "snooze", rid, "tue")[0] == f"snoozed {rid} until 2026-11-24: Call\n"
    out = run("remind", "snooze", "cadence:3:2026-11-22", "tomorrow")[0]
    assert out.startswith("snoozed until 2026-11-23")
    keys = [i["key"] for i in due_json(run)]
    assert not [k for k in keys if k.startswith(("cadence", f"reminder:{rid}"))]
    assert [i["due"] for i in due_json(run, "--within", "2d") if i["source"] in ("cadence", "manual")] == [
        "2026-11-23", "2026-11-24",
    ]  # fmt: skip


def test_rm_deletes_and_undo_brings_back(run, book) -> None:
    rid = run("remind", "add", "ada", "today", "Call")[0].strip()
    assert run("remind", "rm", rid)[0] == f"removed {rid}: Call\n"
    assert run("remind", "list")[0] == ""
    run("undo")
    assert "Call" in run("remind", "list")[0]


def test_remind_add_json_and_deal(run, book) -> None:
    run("deal", "add", "ada", "Website")
    record = json.loads(run("remind", "add", "-", "fri 15:00", "Send quote", "--deal", "1", "--json")[0])
    assert (record["contact_id"], record["deal_id"], record["all_day"]) == (1, 1, False)
    assert record["due"] == "2026-11-27T14:00:00Z"


def test_a_dst_change_keeps_the_wall_clock(run, book, monkeypatch) -> None:
    monkeypatch.setenv("TINYCRM_NOW", "2026-10-19T07:00:00Z")
    rid = run("remind", "add", "ada", "2026-10-19 09:00", "Standup", "--every", "weekly")[0].strip()
    assert run("remind", "done", rid)[0].endswith("next due 2026-10-26 09:00\n")  # after the change
    monkeypatch.setenv("TINYCRM_NOW", "2026-10-26T08:30:00Z")
    assert [i["due"] for i in due_json(run) if i["source"] == "manual"] == ["2026-10-26T09:00:00+01:00"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("remind", "add", "ada", "someday", "x"), 1, "error: invalid date 'someday'"),
        (("remind", "add", "ada", "fri", "x", "--every", "sometimes"), 1, "error: invalid rule 'sometimes'"),
        (("remind", "add", "nobody", "fri", "x"), 1, "error: no contact matches 'nobody'"),
        (("remind", "done", "42"), 1, "error: no reminder with id 42"),
        (("remind", "done", "whatever"), 1, "error: invalid id or key 'whatever'"),
        (("remind", "snooze", "1", "never"), 1, "error: invalid date 'never'"),
        (("remind", "rm", "abc"), 1, "error: invalid reminder id 'abc'"),
        (("due", "--within", "soon"), 1, "error: invalid duration 'soon'"),
        (("due", "ntfy://topic"), 2, "error: URLs go with --notify"),
        (("remind", "add", "ada"), 2, "error: Missing"),
        (("remind", "add", "ada", "fri", "x", "--deal", "abc"), 2, "error: Invalid value"),
        (("cron", "--at", "25:00"), 1, "error: invalid time '25:00'"),
    ],
)
def test_bad_input_is_one_error_line_and_writes_nothing(run, book, args, code, message) -> None:
    history = run("history", "--json")[0]
    out, err = run(*args, code=code)
    assert out == ""
    assert err.startswith(message)
    assert len(err.splitlines()) == 1
    assert run("history", "--json")[0] == history


# --- notify ------------------------------------------------------------------------------


def test_notify_prints_a_summary_once_per_occurrence(run, book) -> None:
    out, _ = run("due", "--notify")
    assert out.splitlines()[0] == "tinycrm: 3 due (1 overdue)"
    assert run("due", "--notify") == ("", "")  # nothing new
    run("remind", "add", "ada", "today", "New thing")
    assert run("due", "--notify")[0] == "tinycrm: 1 due\n- 2026-11-22  New thing (Ada Lovelace)\n"
    assert run("due", "--notify") == ("", "")
    assert len(due_json(run)) == 4  # `due` itself still lists everything


def test_a_failed_send_is_an_error_and_is_retried(run, book, monkeypatch) -> None:
    sent: list[tuple[str, tuple]] = []

    def broken(title, body, urls):
        raise notify.NotifyError("notification failed: the server said no")

    monkeypatch.setattr(notify, "apprise_send", broken)
    out, err = run("due", "--notify", "ntfy://example/topic", code=1)
    assert (out, err) == ("", "error: notification failed: the server said no\n")
    run("due", "--notify", "--to", "ntfy://example/topic", code=1)

    monkeypatch.setattr(notify, "apprise_send", lambda title, body, urls: sent.append((title, tuple(urls))))
    assert run("due", "--notify", "ntfy://example/topic") == ("", "")
    assert sent == [("tinycrm: 3 due (1 overdue)", ("ntfy://example/topic",))]
    assert run("due", "--notify", "ntfy://example/topic") == ("", "")
    assert len(sent) == 1


def test_notify_uses_the_desktop_when_there_is_one(run, book, monkeypatch, tmp_path) -> None:
    log = tmp_path / "notify-send.log"
    script = tmp_path / "bin" / "notify-send"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {log}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    assert run("due", "--notify") == ("", "")
    assert log.read_text().splitlines()[:2] == ["--app-name=tinycrm", "tinycrm: 3 due (1 overdue)"]


# --- cron --------------------------------------------------------------------------------


def test_cron_prints_absolute_paths_and_a_systemd_timer(run, env) -> None:
    setup = json.loads(run("cron", "--json", "--at", "7:30", "--to", "ntfy://topic")[0])
    minute, hour, *_, command = setup["crontab"].split(" ", 5)
    assert (minute, hour) == ("30", "7")
    words = command.split()
    assert Path(words[0]).is_absolute() or words[0].startswith("TZ=")
    program = words[1] if words[0].startswith("TZ=") else words[0]
    assert Path(program).is_absolute()
    assert f"--db {env / 't.db'} due --notify ntfy://topic" in command
    assert "OnCalendar=*-*-* 07:30:00" in setup["timer"]
    assert "ExecStart=" + setup["command"] in setup["service"]
    text = run("cron")[0]
    assert setup["service_path"] in text
    assert "0 8 * * * " in text


def test_anniversaries_from_the_command_line_are_due_on_their_day(run):
    run("contact", "add", "Wang Fang", "--anniversary", "wedding=2015-11-23",
        "--anniversary", "公司成立=lunar:10-03")
    out, _ = run("due", "--within", "2d", "--json")
    (item,) = json.loads(out)
    assert (item["source"], item["due"], item["text"]) == (
        "anniversary", "2026-11-23", "Wang Fang's wedding (11 years)")
    run("contact", "edit", "wang", "--anniversary", "wedding=2015-11-24")
    out, _ = run("contact", "show", "wang", "--json")
    assert json.loads(out)["anniversaries"] == [
        {"label": "公司成立", "date": "--10-03", "lunar": True},
        {"label": "wedding", "date": "2015-11-24", "lunar": False},
    ]


def test_a_malformed_anniversary_is_one_error_line_and_nothing_written(run):
    _, err = run("contact", "add", "X", "--anniversary", "wedding", code=1)
    assert err.startswith("error: invalid --anniversary 'wedding'")
    out, _ = run("contact", "list", "--json")
    assert json.loads(out) == []
