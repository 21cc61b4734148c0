"""The data commands as scripts and people use them: import, export, backup, restore, check, dupes, merge.

In process through the dispatcher (`tinycrm.cli.dispatch.main`, the table first, Typer for the
rest), plus real processes where stdin, file modes or another program (khard) are the point.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import shlex
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import typer.main
from clients import KHARD_CONFIG
from hypothesis import given
from hypothesis import strategies as st

from tinycrm.cli.dispatch import main as dispatch
from tinycrm.errors import UsageError

NOW = "2026-03-10T09:00:00Z"
FIXTURES = Path(__file__).parent / "fixtures" / "formats"
ROOT = Path(__file__).resolve().parent.parent


class Result(NamedTuple):
    code: int
    out: str
    err: str

    def json(self):
        assert self.code == 0, self.err
        return json.loads(self.out)


@pytest.fixture(scope="module", autouse=True)
def _one_click_command():
    """Build the Click command once (Typer takes ~80 ms to build it on every call)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", functools.lru_cache(maxsize=None)(typer.main.get_command))
        yield


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "crm.db"
    monkeypatch.setenv("TINYCRM_DB", str(path))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("TINYCRM_USER", "alice")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TINYCRM_DEBUG", raising=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    return path


@pytest.fixture
def run(db, capsys, monkeypatch):
    """run('import x.csv') or run('import', 'x.csv') → Result(code, out, err)."""

    def _run(*args: str, stdin: bytes | None = None, tty: str | None = None) -> Result:
        argv = shlex.split(args[0]) if len(args) == 1 else list(args)
        if stdin is not None or tty is not None:
            stream = io.TextIOWrapper(io.BytesIO((stdin or b"") + (tty or "").encode()))
            if tty is not None:
                stream.isatty = lambda: True  # type: ignore[method-assign]
            monkeypatch.setattr(sys, "stdin", stream)
        capsys.readouterr()
        with monkeypatch.context() as mp:
            if tty is not None:
                mp.setattr(sys.stdout, "isatty", lambda: True)
            code = dispatch(argv)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def ok(run):
    def _ok(*args: str, **kw) -> str:
        result = run(*args, **kw)
        assert result.code == 0, result
        return result.out

    return _ok


def names(run) -> list[str]:
    return sorted(c["name"] for c in run("contact list --json").json())


def fixture(name: str) -> str:
    return shlex.quote(str(FIXTURES / name))


# ---------------------------------------------------------------------------------- import

EXPORTERS = [
    ("google_old.csv", ["Ada Lovelace", "Charles Babbage"]),
    ("google_new.csv", 2),
    ("outlook.csv", 2),
    ("thunderbird.csv", 2),
    ("hubspot.csv", 2),
    ("apple_ios.vcf", 2),
    ("android_21.vcf", 2),
    ("rfc6350.vcf", 2),
    ("vdir", 2),
]


@pytest.mark.parametrize(("name", "expected"), EXPORTERS, ids=[n for n, _ in EXPORTERS])
def test_import_each_exporters_file_and_again_adds_nobody(run, ok, name, expected):
    out = ok(f"import {fixture(name)}")
    count = expected if isinstance(expected, int) else len(expected)
    assert out.splitlines()[-1] == f"imported {count} contacts: {count} created, 0 updated, 0 skipped"
    if not isinstance(expected, int):
        assert names(run) == expected
    again = ok(f"import {fixture(name)}")
    assert again.splitlines()[-1] == f"imported 0 contacts: 0 created, 0 updated, {count} skipped"
    assert len(names(run)) == count


@pytest.mark.parametrize("name", ["chinese_gb18030.csv", "corrupt_photo.vcf"])
def test_import_a_bad_record_stops_everything_with_its_line(run, name):
    result = run(f"import {fixture(name)}")
    assert result.code == 1
    assert result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith("error: line ")
    assert names(run) == []


def test_import_skip_errors_writes_the_rejects_file_0600(run, ok, tmp_path):
    rejects = tmp_path / "rejects.csv"
    os.umask(0o022)
    out = ok(f"import {fixture('chinese_gb18030.csv')} --skip-errors --rejects {rejects}")
    assert out.strip() == f"imported 2 contacts: 2 created, 0 updated, 0 skipped; 1 rejected → {rejects}"
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    rows = list(csv.reader(rejects.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["line", "reason", "record"]
    assert rows[1][0] == "5"
    assert "只有备注" in rows[1][2]
    assert len(names(run)) == 2
    assert "李娜" in names(run)


def test_import_rejects_needs_skip_errors(run, tmp_path):
    result = run(f"import {fixture('google_old.csv')} --rejects {tmp_path / 'r.csv'}")
    assert result.code == 2
    assert "--skip-errors" in result.err
    assert not (tmp_path / "r.csv").exists()


def test_import_dry_run_shows_each_record_and_writes_nothing(run, ok):
    ok(f"import {fixture('google_old.csv')}")
    ok("contact edit 'Ada Lovelace' --title Countess")
    out = ok(f"import {fixture('chinese_gb18030.csv')} --dry-run --skip-errors").splitlines()
    assert out[0] == "line 2: create 张伟"
    assert out[1].startswith("line 4: create 李娜  ('不详' is not an e-mail")
    assert out[2] == "line 5: reject -  (no name, organisation, e-mail or phone)"
    assert out[3] == "would import 2 contacts: 2 created, 0 updated, 0 skipped; 1 rejected"
    assert names(run) == ["Ada Lovelace", "Charles Babbage"]
    again = ok(f"import {fixture('google_old.csv')} --dry-run").splitlines()
    assert [line.split(":")[1].split()[0] for line in again[:-1]] == ["skip", "skip"]


def test_import_json_lists_outcomes_and_counts(run):
    doc = run(f"import {fixture('google_old.csv')} --json").json()
    assert doc["counts"] == {"create": 2, "update": 0, "skip": 0, "reject": 0}
    assert [(o["action"], o["name"]) for o in doc["outcomes"]] == [("create", "Ada Lovelace"),
                                                                    ("create", "Charles Babbage")]
    assert doc["outcomes"][0]["line"] == 2
    assert all(isinstance(o["contact_id"], int) for o in doc["outcomes"])
    assert doc["dry_run"] is False
    assert doc["warnings"][0]["warning"].startswith("'call the office' is not a phone number")


def test_import_shows_the_values_kept_aside(run):
    result = run(f"import {fixture('google_old.csv')}")
    assert result.code == 0
    assert "warning: line 2 (Ada Lovelace): 'call the office' is not a phone number" in result.err


@pytest.mark.parametrize(
    ("policy", "summary"),
    [
        ("merge", "imported 1 contact: 0 created, 1 updated, 0 skipped"),
        ("skip", "imported 0 contacts: 0 created, 0 updated, 1 skipped"),
        ("new", "imported 1 contact: 1 created, 0 updated, 0 skipped"),
    ],
)
def test_import_on_duplicate(run, ok, tmp_path, policy, summary):
    ok("contact add 'Ada Lovelace' --email ada@example.com")
    sheet = tmp_path / "a.csv"
    sheet.write_text("Name,E-mail Address,Job Title\nAda Lovelace,ada@example.com,Countess\n",
                     encoding="utf-8")
    assert ok(f"import {sheet} --on-duplicate {policy}").strip() == summary


def test_import_map_names_columns_and_a_bad_map_is_a_usage_error(run, ok, tmp_path):
    sheet = tmp_path / "de.csv"
    sheet.write_text("Kunde,Mail,Handy\nAda,ada@example.com,+44 20 7946 0000\n", encoding="utf-8")
    ok(f"import {sheet} --map Kunde=name --map Mail=email --map Handy=phone")
    [ada] = run("contact list --json").json()
    assert (ada["name"], ada["emails"], ada["phones"]) == ("Ada", ["ada@example.com"], ["+44 20 7946 0000"])
    assert run(f"import {sheet} --map Kunde").code == 2
    assert run(f"import {sheet} --on-duplicate maybe").code == 2
    assert run(f"import {sheet} --format xml").code == 2


@given(st.text(min_size=1).filter(lambda t: "=" not in t and t.strip()),
       st.text(min_size=1).filter(lambda t: t.strip()))
def test_map_parser_splits_at_the_first_equals_sign(column, field):
    from tinycrm.commands.transfer import parse_map

    assert parse_map([f"{column}={field}"]) == {column.strip(): field.strip()}
    with pytest.raises(UsageError):
        parse_map([column])
    with pytest.raises(UsageError):
        parse_map([f"{column}= "])


def test_import_of_nothing_there_is_an_error(run, tmp_path):
    result = run(f"import {tmp_path / 'none.csv'}")
    assert (result.code, result.err.startswith("error: no file or folder at")) == (1, True)


def test_import_from_stdin_in_process(run):
    result = run("import -", stdin=(FIXTURES / "google_old.csv").read_bytes())
    assert result.code == 0, result.err
    assert names(run) == ["Ada Lovelace", "Charles Babbage"]


def test_undo_takes_the_whole_import_back(run, ok):
    ok("contact add Someone")
    ok(f"import {fixture('rfc6350.vcf')}")
    ok(f"import {fixture('google_old.csv')}")
    assert len(names(run)) == 5
    assert "import google_old.csv" in ok("undo")
    assert len(names(run)) == 3
    ok("undo")
    assert names(run) == ["Someone"]


def test_progress_only_on_a_terminal(monkeypatch):
    from tinycrm.commands import transfer

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert transfer._progress() is None
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", tty)
    show = transfer._progress()
    assert show is not None
    show(2000)
    assert "2,000" in tty.getvalue()


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "TINYCRM_DB": str(db), "TINYCRM_NOW": NOW, "TINYCRM_USER": "alice", "TZ": "UTC",
            "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def test_import_reads_stdin_in_a_real_process(tmp_path):
    db = tmp_path / "crm.db"
    proc = subprocess.run([sys.executable, "-m", "tinycrm", "import", "-"], env=_env(db), capture_output=True,
                          input=(FIXTURES / "android_21.vcf").read_bytes(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().strip() == "imported 2 contacts: 2 created, 0 updated, 0 skipped"
    assert b"importing" not in proc.stderr  # no progress off a terminal
    listed = subprocess.run([sys.executable, "-m", "tinycrm", "contact", "list", "--json"], env=_env(db),
                            capture_output=True, timeout=60)
    assert len(json.loads(listed.stdout)) == 2


# ---------------------------------------------------------------------------------- export

BOOK = [
    "contact add 'Ada Lovelace' --email ada@example.com --phone '+44 20 7946 0000' --tag vip --org Acme"
    " --birthday 1815-12-10 --set 'shoe=42'",
    "contact add 'Grace Hopper' --tag navy",
    "contact add 张伟 --org 佛山企业电子有限公司 --email zw@example.cn",
    "deal add ada Engine --value 5000",
    "deal add ada Support --value 1200.50 --stage proposal",
    "deal won 2",
    "log ada 'called about the engine' --kind call --next +3d",
    "remind add grace fri 'send the paper'",
]


@pytest.fixture
def book(ok):
    for command in BOOK:
        ok(command)


def test_export_csv_json_vcard_to_stdout(run, book):
    sheet = run("export csv").out
    assert sheet.startswith("Name,")
    assert sheet.count("\n") == 4
    assert run("export csv tag:vip").out.count("\n") == 2
    cards = run("export vcard").out
    assert cards.count("BEGIN:VCARD") == 3
    assert "VERSION:4.0" in cards
    assert "VERSION:3.0" in run("export vcard --version 3.0").out
    doc = json.loads(run("export json").out)
    assert len(doc["contacts"]) == 3
    assert len(doc["deals"]) == 2


@pytest.mark.parametrize(
    "argv",
    ["export vcard --version 2.1", "export vcard --vdir d -o f.vcf", "export json --nope", "export yaml"],
)
def test_export_usage_errors(run, book, argv):
    assert run(argv).code == 2


def test_a_bare_export_prints_its_help(run):
    result = run("export")
    assert result.code == 0
    assert result.out.startswith("Usage: tinycrm export")
    for fmt in ("csv", "vcard", "json", "ics"):
        assert f"  {fmt} " in result.out


def test_export_ics_keeps_working(run, book):
    result = run("export ics")
    assert result.code == 0
    assert result.out.startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("fmt", ["csv", "vcard", "json", "ics"])
def test_export_files_are_0600_under_umask_022_and_left_no_temp(run, book, tmp_path, fmt):
    old = os.umask(0o022)
    try:
        target = tmp_path / f"out.{fmt}"
        target.write_text("old")  # an earlier export, replaced in one step
        os.chmod(target, 0o644)
        result = run(f"export {fmt} -o {target}")
        assert result.code == 0, result.err
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") != "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", *(["crm.db-shm", "crm.db-wal"]
                                                          if (tmp_path / "crm.db-wal").exists() else []),
                                                          f"out.{fmt}"]


def test_export_vdir_files_are_0600_and_a_second_run_changes_nothing(run, book, tmp_path):
    old = os.umask(0o022)
    try:
        out = run(f"export vcard --vdir {tmp_path / 'cards'}").out
    finally:
        os.umask(old)
    assert out.strip() == f"exported 3 contacts to {tmp_path / 'cards'}: 3 written, 0 unchanged"
    files = list((tmp_path / "cards").iterdir())
    assert len(files) == 3
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "0 written, 3 unchanged" in run(f"export vcard --vdir {tmp_path / 'cards'}").out



@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_reads_the_vdir_export(run, book, tmp_path, version):
    khard = Path(sys.executable).with_name("khard")
    if not khard.exists():
        pytest.skip("khard is not installed")
    assert run(f"export vcard --vdir {tmp_path / 'cards'} --version {version}").code == 0
    config = tmp_path / "khard.conf"
    config.write_text(KHARD_CONFIG.format(path=tmp_path / "cards"))
    listed = subprocess.run([str(khard), "-c", str(config), "list", "--parsable"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split("\t")[1] for line in listed.stdout.splitlines()) == sorted(
        ["Ada Lovelace", "Grace Hopper", "张伟"])
    emails = subprocess.run([str(khard), "-c", str(config), "email", "--parsable", "Ada"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert "ada@example.com" in emails.stdout


CONTACT_FIELDS = ("name", "kind", "org", "title", "emails", "phones", "tags", "birthday", "fields", "notes")


def test_a_json_export_imported_into_an_empty_book_gives_the_same_book(run, book, tmp_path, monkeypatch):
    exported = tmp_path / "book.json"
    assert run(f"export json -o {exported}").code == 0
    before = sorted([{k: c[k] for k in CONTACT_FIELDS} for c in run("contact list --json").json()],
                    key=lambda c: c["name"])
    deals = sorted((d["title"], d["value"], d["stage"], d["status"]) for d in run("deal list --json").json())
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "other.db"))
    out = run(f"import {exported}").out
    assert out.strip() == (
        "imported 3 contacts: 3 created, 0 updated, 0 skipped (with 2 deals, 1 interaction, 2 reminders)"
    )
    after = sorted([{k: c[k] for k in CONTACT_FIELDS} for c in run("contact list --json").json()],
                   key=lambda c: c["name"])
    assert after == before
    assert sorted((d["title"], d["value"], d["stage"], d["status"])
                  for d in run("deal list --json").json()) == deals
    assert "imported 0 contacts: 0 created, 0 updated, 3 skipped" in run(f"import {exported}").out


def test_export_of_a_missing_book_is_an_error_not_an_empty_book(run, db):
    result = run("export json")
    assert result.code == 1
    assert not db.exists()


# ---------------------------------------------------------------------------------- backup, restore, check


def test_backup_to_a_file_is_0600_and_restores(run, ok, book, tmp_path):
    copy = tmp_path / "copy.db"
    assert ok(f"backup {copy}").strip() == f"backed up 3 contacts to {copy}"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    ok("contact add Extra")
    result = run(f"restore {copy}")
    assert result.code == 2
    assert "--yes" in result.err
    assert len(names(run)) == 4
    out = ok(f"restore {copy} --yes")
    assert out.startswith(f"restored 3 contacts from {copy}; the book as it was is in ")
    assert len(names(run)) == 3


def test_backup_json_and_keep_rotates(run, book, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    made = []
    for hour in ("09", "10", "11"):
        monkeypatch.setenv("TINYCRM_NOW", f"2026-03-10T{hour}:00:00Z")
        made.append(run(f"backup {folder}/ --keep 2 --json").json())
    assert set(made[0]) == {"path", "contacts", "removed"}
    assert made[0]["contacts"] == 3
    assert made[2]["removed"] == [made[0]["path"]]
    assert sorted(str(p) for p in folder.iterdir()) == [made[1]["path"], made[2]["path"]]
    assert run(f"backup {folder}/ --keep 0").code == 2


def test_backup_where_it_cannot_write_is_one_error_line(run, book, tmp_path):
    wall = tmp_path / "file"
    wall.write_text("")
    result = run(f"backup {wall}/sub/copy.db")
    assert result.code == 1
    assert result.err.startswith("error: cannot write the backup: ")
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(("answer", "code", "contacts"), [("y\n", 0, 3), ("n\n", 1, 4)])
def test_restore_asks_on_a_terminal(run, ok, book, tmp_path, answer, code, contacts):
    copy = tmp_path / "copy.db"
    ok(f"backup {copy}")
    ok("contact add Extra")
    result = run(f"restore {copy}", tty=answer)
    assert result.code == code
    assert "Replace the book" in result.out
    assert "(3 contacts)" in result.out
    assert len(names(run)) == contacts


def test_restore_refuses_what_is_not_a_book(run, book, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    result = run(f"restore {junk} --yes")
    assert result.code == 1
    assert "not a tinycrm book" in result.err
    assert len(names(run)) == 3


def test_check_of_a_sound_book(run, book):
    assert run("check").out == "the book is sound\n"
    assert run("check --json").json() == {"sound": True, "problems": []}


def test_check_says_each_step_on_a_terminal_and_clears_the_line(run, book, monkeypatch):
    """A large book's check takes minutes: on a terminal it says what it is checking."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    result = run("check")
    assert result.out == "the book is sound\n"
    steps = [part.removeprefix("\033[K") for part in result.err.split("\r") if part.strip("\033[K")]
    assert steps[0] == "checking: every page of the file…"
    assert "checking: interactions missing from the search index…" in steps
    assert steps[-1] == "checking: rows no list can read…"
    assert max(len(step) for step in steps) == 79  # one line of 80 columns: the \r clears all of it
    assert "checking: contacts whose stored last-contacted time does not match their inter…" in steps
    assert result.err.endswith("\r\033[K")


def test_check_says_nothing_on_stderr_when_piped(run, book):
    assert run("check").err == ""


def test_check_names_each_problem_and_exits_1(run, book, db):
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE reminder SET due = 'someday' WHERE text = 'send the paper'")
        conn.execute("UPDATE contact SET birthday = '1815-13-45' WHERE name = 'Ada Lovelace'")
        conn.execute("UPDATE deal SET close_date = 'soon' WHERE title = 'Engine'")
    conn.close()
    result = run("check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "1 reminders with an unreadable due date" in lines
    assert any(line.startswith("reminder ") for line in lines)
    assert any(line.startswith("contact ") and "Ada Lovelace" in line for line in lines)
    assert any(line.startswith("deal ") for line in lines)
    assert result.err.startswith("error: the book has 4 problems")
    doc = json.loads(run("check --json").out)
    assert doc["sound"] is False
    assert len(doc["problems"]) == 4


# ---------------------------------------------------------------------------------- dupes, merge

REASONS = [
    (["'Ada Lovelace' --email ada@x.org", "'Ada Lovelace' --email ADA@x.org --org Acme"],
     "same e-mail ada@x.org"),
    (["'Ada Lovelace' --phone '+1 202 555 0100'", "'Ada Lovelace' --phone +12025550100"],
     "same phone +12025550100"),
    (["'Ada Lovelace' --org 'Acme Inc.'", "'ada  lovelace' --org Acme"],
     "same name at the same organisation"),
    (["'Ada Lovelace' --org 'Acme Inc.'", "'Ada Lovleace' --org ACME"],
     "similar name (92) at the same organisation"),
    (["张伟 --org 腾飞科技", "章炜 --org 深圳市腾飞科技有限公司"],
     "same pinyin (zhang wei) at the same organisation"),
    (["'Acme Inc.' --kind org", "ACME --kind org"], "same organisation name without legal suffix or place"),
    (["'Ada Lovelace'", "'Ada Lovelace'"], "same name, no organisation to tell them apart"),
]


@pytest.mark.parametrize(("adds", "reason"), REASONS, ids=[r for _, r in REASONS])
def test_dupes_each_reason(run, ok, adds, reason):
    for add in adds:  # planted past the door's refusal, as two salespeople typing at once would
        ok(f"contact add {add} --allow-duplicate")
    [group] = run("dupes --json").json()
    assert group["ids"] == [1, 2]
    assert reason in group["reasons"]
    assert set(group) == {"ids", "names", "score", "reasons", "pairs"}
    assert len(group["names"]) == 2
    assert 70 <= group["score"] <= 100
    lines = ok("dupes").splitlines()
    assert lines[0].startswith("#1 ")
    assert f"(score {group['score']})" in lines[0]
    assert reason in lines[1]
    assert lines[2] == "  merge with: tinycrm merge 1 2"


def test_dupes_none_and_min_score(run, ok):
    ok("contact add 'Ada Lovelace' --phone '+1 202 555 0100'")
    ok("contact add 'Charles Babbage' --phone '+1 202 555 0100' --allow-duplicate")
    assert ok("dupes") == "no likely duplicates (score 70 or more)\n"
    assert run("dupes --json").json() == []
    [group] = run("dupes --min-score 30 --json").json()
    assert "but different names" in " ".join(group["reasons"])
    assert run("dupes --min-score 101").code == 2


@pytest.fixture
def twins(ok):
    ok("contact add 'Ada Lovelace' --email ada@x.org --org Acme")
    ok("contact add 'Ada Lovleace' --email ADA@x.org --phone '+1 202 555 0100' --tag vip --allow-duplicate")
    ok("log 2 'called about the engine'")
    ok("deal add 2 Engine --value 500")
    ok("remind add 2 fri 'send specs'")


def test_merge_moves_interactions_deals_reminders_and_undo_restores(run, ok, twins):
    before = run("contact show 2 --json").json()
    out = ok("merge 1 2 --yes")
    assert out.strip() == "merged #2 into #1 Ada Lovelace"
    assert run("contact show 2").code == 1
    ada = run("contact show 1 --json").json()
    assert ada["phones"] == ["+1 202 555 0100"]
    assert "vip" in ada["tags"]
    assert "Ada Lovleace" in ada["aliases"]
    assert [i["contact_id"] for i in run("timeline --json").json()] == [1]
    assert [d["contact_id"] for d in run("deal list --json").json()] == [1]
    assert [r["contact_id"] for r in run("remind list --json").json()] == [1]
    assert "merge Ada Lovleace into Ada Lovelace" in ok("undo")
    assert run("contact show 2 --json").json() == before
    assert [i["contact_id"] for i in run("timeline --json").json()] == [2]
    assert [d["contact_id"] for d in run("deal list --json").json()] == [2]
    assert [r["contact_id"] for r in run("remind list --json").json()] == [2]
    assert run("contact show 1 --json").json()["aliases"] == []


def test_merge_json(run, twins):
    doc = run("merge 1 2 --yes --json").json()
    assert doc["merged"] == [2]
    assert doc["contact"]["id"] == 1
    assert "alias: Ada Lovleace" in doc["steps"]


def test_merge_without_a_terminal_needs_yes(run, twins):
    result = run("merge 1 2")
    assert result.code == 2
    assert "--yes" in result.err
    assert len(names(run)) == 2


@pytest.mark.parametrize(("answer", "code", "left"), [("y\n", 0, 1), ("n\n", 1, 2)])
def test_merge_on_a_terminal_shows_the_plan_and_asks(run, twins, answer, code, left):
    result = run("merge 1 2", tty=answer)
    assert result.code == code
    assert "  merge #2 Ada Lovleace into #1 Ada Lovelace" in result.out
    assert "  alias: Ada Lovleace" in result.out
    assert len(names(run)) == left


@pytest.mark.parametrize("argv", ["merge 1 1 --yes", "merge 1 99 --yes", "merge 1 2 2 --yes"])
def test_merge_refusals(run, twins, argv):
    result = run(argv)
    assert result.code == 1
    assert result.err.startswith("error: ")
    assert len(names(run)) == 2
