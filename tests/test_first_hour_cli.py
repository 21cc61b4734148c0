"""Issue 12's command-line points: personal reminders, help in words, and a demo book of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from tinycrm.cli.root import _short_help, app

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-10T09:00:00Z"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No terminal, a private home and data directory, no book named."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith("TINYCRM_") and k not in ("NO_COLOR", "TZ", "XDG_DATA_HOME")}
    return {**keep, "TINYCRM_NOW": NOW, "TINYCRM_USER": "alice", "TZ": "Europe/Berlin",
            "NO_COLOR": "1", "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "home" / "data"), "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8"}


def tinycrm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tinycrm", *args], env=env, text=True,
                          capture_output=True, timeout=120)


# --- remind add - : a reminder about no one ---------------------------------------------

def test_personal_reminder_is_added_listed_due_and_exported(env: dict[str, str], tmp_path: Path) -> None:
    env["TINYCRM_DB"] = str(tmp_path / "crm.db")
    added = tinycrm(env, "remind", "add", "-", "today", "renew passport", "--json")
    assert added.returncode == 0, added.stderr
    reminder = json.loads(added.stdout)
    assert reminder["contact_id"] is None
    assert reminder["deal_id"] is None
    listed = tinycrm(env, "remind", "list", "--json")
    assert [r["text"] for r in json.loads(listed.stdout)] == ["renew passport"]
    due = json.loads(tinycrm(env, "due", "--json").stdout)
    assert [(i["text"], i["contact_id"]) for i in due] == [("renew passport", None)]
    assert "renew passport" in tinycrm(env, "due").stdout
    assert "SUMMARY:renew passport" in tinycrm(env, "export", "ics").stdout
    done = tinycrm(env, "remind", "done", str(reminder["id"]))
    assert done.returncode == 0
    assert tinycrm(env, "due", "--json").stdout.strip() == "[]"


def test_reminder_with_a_contact_still_resolves_it(env: dict[str, str], tmp_path: Path) -> None:
    env["TINYCRM_DB"] = str(tmp_path / "crm.db")
    assert tinycrm(env, "contact", "add", "Ada Lovelace").returncode == 0
    added = json.loads(tinycrm(env, "remind", "add", "ada", "fri", "call", "--json").stdout)
    assert added["contact_id"] == 1
    missing = tinycrm(env, "remind", "add", "nobody-like-this", "fri", "call")
    assert missing.returncode == 1
    assert missing.stderr.startswith("error:")


# --- help in the words of the usage line ----------------------------------------------------

def _commands(group, path=()):
    for name, sub in group.commands.items():
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*path, name))
        yield (*path, name)


LEAKS = re.compile(r"<(str|int|list|bool|float)|int range|\[x[<>]=|\{[A-Z_]+\}|\]\.\.\.\]")


@pytest.mark.parametrize("path", sorted(_commands(typer.main.get_command(app))), ids=" ".join)
def test_help_names_values_not_python_types(env: dict[str, str], path: tuple[str, ...]) -> None:
    import contextlib
    import io

    from tinycrm.cli.dispatch import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*path, "--help"])
    text = out.getvalue()
    assert code == 0
    assert text.startswith("Usage: tinycrm")
    assert not LEAKS.findall(text), text
    assert not re.search(r"[a-z,]\.\.\.$", text, re.M), text  # no description cut mid-sentence


def test_group_help_lists_whole_clauses() -> None:
    import contextlib
    import io

    from tinycrm.cli.dispatch import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--help"])
    text = out.getvalue()
    assert "due       Everything due by the end of today, overdue first\n" in text
    assert "undo      Take back your own last change\n" in text
    listing = text.split("Commands:")[1]
    assert "silent..." not in listing
    assert "..." not in listing


@pytest.mark.parametrize(("text", "short"), [
    ("Short one. More.", "Short one"),
    ("Everything due by the end of today, overdue first; silent when nothing is due.",
     "Everything due by the end of today, overdue first"),
    ("Take back your own last change (never a colleague's; refused if built on).",
     "Take back your own last change"),
    ("A very long sentence without any clause break that goes on and on past the line end",
     "A very long sentence without any clause break that goes on…"),
])
def test_short_help_cuts_at_a_clause(text: str, short: str) -> None:
    assert _short_help(text) == short


def test_edit_says_how_tag_and_add_tag_differ(env: dict[str, str]) -> None:
    text = tinycrm(env, "contact", "edit", "--help").stdout
    assert "the same as --add-tag" in text


# --- demo: never the user's own book ---------------------------------------------------------

def test_demo_without_db_makes_its_own_book_and_leaves_the_users_alone(env: dict[str, str]) -> None:
    data = Path(env["XDG_DATA_HOME"]) / "tinycrm"
    made = tinycrm(env, "demo", "--no-tui", "--contacts", "10")
    assert made.returncode == 0, made.stderr
    assert f"in {data / 'demo.db'}" in made.stdout
    assert (data / "demo.db").exists()
    assert not (data / "tinycrm.db").exists()
    again = tinycrm(env, "demo", "--no-tui", "--contacts", "10")
    assert again.returncode == 0
    assert "made before" in again.stdout
    env["TINYCRM_DB"] = str(data / "demo.db")
    assert len(json.loads(tinycrm(env, "contact", "list", "--json").stdout)) == 10


def test_demo_on_a_named_book_with_contacts_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    env["TINYCRM_DB"] = str(tmp_path / "mine.db")
    assert tinycrm(env, "contact", "add", "Ada").returncode == 0
    refused = tinycrm(env, "demo", "--no-tui", "--contacts", "10")
    assert refused.returncode == 1
    assert "already has contacts" in refused.stderr
