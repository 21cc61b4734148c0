"""The command line as scripts see it: every contract command, its --json keys, every error path.

Commands run in-process the way `python -m tinycrm` runs them: `tinycrm.cli.dispatch.main` (the
table first, Typer for the rest), so the exit codes and the one-line `error:` mapping are tested too.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shlex
import shutil
import sqlite3
import sys
from typing import NamedTuple

import pytest
import typer.main

from tinycrm.cli import main as cli_main
from tinycrm.cli.dispatch import main as dispatch

NOW = "2026-03-10T09:00:00Z"  # a Tuesday; 10:00 in Berlin

CONTACT_KEYS = {
    "id", "kind", "name", "org", "title", "emails", "phones", "tags", "tier", "owner", "birthday",
    "every", "notes", "fields", "created_at", "updated_at", "last_contacted_at",
}
INTERACTION_KEYS = {"id", "contact_id", "kind", "at", "summary", "deal_id", "user"}
DEAL_KEYS = {
    "id", "contact_id", "title", "value", "currency", "stage", "probability", "status",
    "close_date", "key", "owner",
}
REMINDER_KEYS = {"id", "contact_id", "deal_id", "text", "due", "every", "source"}
CSV_HEADER = (
    "id,kind,name,org,title,emails,phones,tags,tier,owner,birthday,every,notes,created_at,"
    "updated_at,last_contacted_at"
)

# Typer >= 0.22 raises its vendored `typer._click` exceptions, which `tinycrm.cli.main` does not
# catch as `click.UsageError`: they reach the catch-all and exit 1 as "error: NoSuchOption: …".
EML = b"""\
From: Ada Lovelace <ada@example.com>
To: Alice <alice@mycompany.example>
Subject: Re: the engine invoice
Date: Mon, 09 Mar 2026 15:30:00 +0100
Message-ID: <1@example.com>
Content-Type: text/plain; charset=utf-8

Thanks, paid today.
"""


class Result(NamedTuple):
    code: int
    out: str
    err: str

    def json(self):
        assert self.code == 0, self.err
        return json.loads(self.out)


def _environment(mp: pytest.MonkeyPatch, path) -> None:
    mp.setenv("TINYCRM_DB", str(path))
    mp.setenv("TINYCRM_NOW", NOW)
    mp.setenv("TZ", "Europe/Berlin")
    mp.setenv("TINYCRM_USER", "alice")
    mp.setenv("NO_COLOR", "1")
    mp.delenv("TINYCRM_DEBUG", raising=False)
    mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))


@pytest.fixture(scope="module", autouse=True)
def _one_click_command():
    """Build the Click command once: Typer takes ~80 ms to build it on every main() call."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", functools.lru_cache(maxsize=None)(typer.main.get_command))
        yield


def _invoke(argv: list[str]) -> int:
    """What `python -m tinycrm` does: the table first, then Typer."""
    return dispatch(argv)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "crm.db"
    _environment(monkeypatch, path)
    return path


@pytest.fixture
def run(db, capsys, monkeypatch):
    """run('contact add Ada') or run('contact', 'add', 'Ada') → Result(code, out, err)."""

    def _run(*args: str, stdin: bytes | None = None) -> Result:
        argv = shlex.split(args[0]) if len(args) == 1 else list(args)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        code = _invoke(argv)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def ok(run):
    """Run a command that must succeed; its stdout."""

    def _ok(*args: str, **kw) -> str:
        result = run(*args, **kw)
        assert result.code == 0, result
        assert result.err == "", result
        return result.out

    return _ok


@pytest.fixture
def js(run):
    """Run a command with --json; the parsed document."""

    def _js(*args: str) -> object:
        argv = list(shlex.split(args[0]) if len(args) == 1 else args)
        argv.insert(argv.index("--") if "--" in argv else len(argv), "--json")
        return run(*argv).json()

    return _js


BOOK = [
    "contact add 'Ada Lovelace' --email ada@example.com --phone '+44 20 7946 0000' --tag vip --org Acme",
    "contact add 'Grace Hopper' --tag navy --owner bob",
    "contact add 张伟 --org 佛山企业电子有限公司",
    "contact add 王伟",
    "deal add ada Engine --value 5000",
    "deal add ada Support --value 1200 --stage proposal",
    "deal won 2",
]


@pytest.fixture(scope="module")
def book_file(tmp_path_factory, _one_click_command):
    """The book made once by the commands themselves; each test gets a copy."""
    path = tmp_path_factory.mktemp("book") / "crm.db"
    with pytest.MonkeyPatch.context() as mp:
        _environment(mp, path)
        for command in BOOK:
            assert _invoke(shlex.split(command)) == 0, command
    return path


@pytest.fixture
def book(book_file, db):
    """Ada (1), Grace (2, owned by bob), 张伟 (3), 王伟 (4); Ada's open deal 1 and won deal 2."""
    shutil.copy(book_file, db)


def dump(path) -> str:
    """The whole database as SQL: equal dumps mean nothing was written."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def assert_error(result: Result, code: int, *fragments: str) -> None:
    assert result.code == code, result
    assert result.out == "", result
    assert result.err.startswith("error: "), result
    assert result.err.count("\n") == 1, result
    assert result.err.endswith("\n"), result
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result


def names(records) -> list[str]:
    return [r["name"] for r in records]


# ---------------------------------------------------------------- contact add


def test_contact_add_prints_only_the_id(ok):
    assert ok("contact add 'Ada Lovelace'") == "1\n"
    assert ok("contact add 'Grace Hopper'") == "2\n"


def test_contact_add_json_is_the_whole_record(js):
    rec = js("contact add 'Ada Lovelace' --org Acme --email ada@example.com --email a@b.org"
             " --phone '+44 20 7946 0000' --tag vip --tag speaker --title Countess"
             " --birthday 1815-12-10 --note 'likes engines' --every 30d --set source=web")
    assert CONTACT_KEYS <= set(rec)
    assert {k: rec[k] for k in CONTACT_KEYS} == {
        "id": 1, "kind": "person", "name": "Ada Lovelace", "org": "Acme", "title": "Countess",
        "emails": ["ada@example.com", "a@b.org"], "phones": ["+44 20 7946 0000"],
        "tags": ["vip", "speaker"], "tier": None, "owner": "alice", "birthday": "1815-12-10",
        "every": "30d", "notes": "likes engines", "fields": {"source": "web"},
        "created_at": NOW, "updated_at": NOW, "last_contacted_at": None,
    }


def test_contact_add_an_organisation_with_another_owner(js):
    rec = js("contact add 'Acme Corp' --kind org --owner bob")
    assert (rec["kind"], rec["owner"]) == ("org", "bob")


# ---------------------------------------------------------------- contact list


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ("", ["Ada Lovelace", "Grace Hopper", "王伟", "张伟"]),
        ("tag:vip", ["Ada Lovelace"]),
        ("-- -tag:vip", ["Grace Hopper", "王伟", "张伟"]),
        ("org:acme", ["Ada Lovelace"]),
        ("张", ["张伟"]),
        ("伟", ["王伟", "张伟"]),
        ("佛山", ["张伟"]),
        ("zw", ["张伟"]),
        ("ww", ["王伟"]),
        ("owner:me", ["Ada Lovelace", "王伟", "张伟"]),
        ("owner:bob", ["Grace Hopper"]),
        ("'tag:vip OR tag:navy'", ["Ada Lovelace", "Grace Hopper"]),
        ("hopper", ["Grace Hopper"]),
        ("won>=1000", ["Ada Lovelace"]),
    ],
)
def test_contact_list_filters(js, filter_, expected):
    assert names(js(f"contact list {filter_}")) == expected


@pytest.mark.usefixtures("book")
def test_contact_list_takes_a_negated_term_without_double_dash(js):
    assert names(js("contact list -tag:vip")) == ["Grace Hopper", "王伟", "张伟"]


@pytest.mark.usefixtures("book")
def test_contact_list_owner_me_follows_the_user_option(js):
    assert names(js("--user bob contact list owner:me")) == ["Grace Hopper"]


@pytest.mark.usefixtures("book")
def test_contact_list_sorts_and_limits(js):
    assert names(js("contact list --sort -name")) == ["张伟", "王伟", "Grace Hopper", "Ada Lovelace"]
    assert names(js("contact list --sort id --limit 2")) == ["Ada Lovelace", "Grace Hopper"]


@pytest.mark.usefixtures("book")
def test_contact_list_json_records_carry_the_contract_keys(js):
    for rec in js("contact list"):
        assert CONTACT_KEYS <= set(rec)


@pytest.mark.usefixtures("book")
def test_contact_list_csv_has_a_header_and_one_row_per_contact(ok):
    out = ok("contact list --csv")
    lines = out.splitlines()
    assert lines[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["Ada Lovelace", "Grace Hopper", "王伟", "张伟"]
    assert rows[0]["emails"] == "ada@example.com"
    assert rows[3]["org"] == "佛山企业电子有限公司"


@pytest.mark.usefixtures("book")
def test_contact_list_plain_text_is_a_table_without_colour(ok):
    out = ok("contact list tag:vip")
    assert out.splitlines()[0].split() == ["ID", "Name", "Org", "E-mail", "Tags", "Tier", "Last", "contact"]
    assert "Ada Lovelace" in out
    assert "\033[" not in out


# ---------------------------------------------------------------- contact show


@pytest.mark.usefixtures("book")
def test_contact_show_is_the_whole_picture(ok):
    ok("log ada 'called about the invoice' --kind call --next fri")
    out = ok("contact show ada")
    for text in ("Ada Lovelace  (#1, person)", "ada@example.com", "vip", "Acme", "Timeline (1 of 1)",
                 "2026-03-10 10:00  call", "called about the invoice", "Deals (2)", "Engine",
                 "5000.00 USD", "Support", "won", "Reminders (1)", "2026-03-13",
                 "Follow up: called about the invoice"):
        assert text in out, text
    assert "\033[" not in out


@pytest.mark.usefixtures("book")
def test_contact_show_json_has_interactions_deals_and_reminders(ok, js):
    ok("log ada called --next fri")
    rec = js("contact show 1")
    assert CONTACT_KEYS <= set(rec)
    assert [i["summary"] for i in rec["interactions"]] == ["called"]
    assert INTERACTION_KEYS <= set(rec["interactions"][0])
    assert [d["title"] for d in rec["deals"]] == ["Engine", "Support"]
    assert all(DEAL_KEYS <= set(d) for d in rec["deals"])
    assert [r["source"] for r in rec["reminders"]] == ["follow-up"]
    assert REMINDER_KEYS <= set(rec["reminders"][0])


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    "ref", ["1", "ada@example.com", "ADA@EXAMPLE.COM", "+442079460000", "lovelace", "ada"]
)
def test_contact_show_takes_any_ref(js, ref):
    assert js(f"contact show {ref}")["id"] == 1


@pytest.mark.usefixtures("book")
def test_contact_show_through_typer_matches_the_fast_path(ok, capsys):
    ok("log ada called --kind call")
    for argv in (["contact", "show", "ada"], ["log", "grace", "met", "--kind", "meeting"]):
        capsys.readouterr()
        assert cli_main(argv) == 0
        typer_out = capsys.readouterr().out
        if argv[0] == "contact":
            assert dispatch(argv) == 0
            assert capsys.readouterr().out == typer_out
        else:
            assert typer_out == "logged 2: meeting with Grace Hopper\n"


# ---------------------------------------------------------------- contact edit, rm, restore, forget


@pytest.mark.usefixtures("book")
def test_contact_edit_changes_fields_and_tags(ok, js):
    ok("contact edit ada --set x=1 --set source=web")
    assert ok("contact edit ada --add-tag gold --rm-tag vip --unset x --name 'Ada King' --title ''") == (
        "updated 1: Ada King\n"
    )
    rec = js("contact show 1")
    assert (rec["name"], rec["tags"], rec["fields"], rec["title"]) == (
        "Ada King", ["gold"], {"source": "web"}, None,
    )


@pytest.mark.usefixtures("book")
def test_contact_edit_adds_and_removes_emails(ok, js):
    ok("contact edit ada --email ada@king.org --phone '+1 555 0100'")
    ok("contact edit ada --rm-email ADA@example.com")
    rec = js("contact show 1")
    assert (rec["emails"], rec["phones"]) == (["ada@king.org"], ["+44 20 7946 0000", "+1 555 0100"])


@pytest.mark.usefixtures("book")
def test_contact_rm_moves_to_the_trash_and_restore_brings_back(ok, js, run):
    assert ok("contact rm grace") == "moved 2 (Grace Hopper) to the trash\n"
    assert "Grace Hopper" not in names(js("contact list"))
    assert names(js("contact list is:trash")) == ["Grace Hopper"]
    assert "in the trash" in ok("contact show 2")
    assert_error(run("contact rm grace"), 1, "grace")
    assert ok("contact restore grace") == "restored 2 (Grace Hopper)\n"
    assert "Grace Hopper" in names(js("contact list"))


@pytest.mark.usefixtures("book")
def test_contact_forget_without_yes_and_without_a_terminal_erases_nothing(run, db):
    before = dump(db)
    assert_error(run("contact forget ada"), 2, "--yes")
    assert dump(db) == before


@pytest.fixture
def terminal(monkeypatch, capsys):
    """stdin and stdout look like a terminal (capsys still captures)."""

    def _answer(text: str) -> None:
        stdin = io.TextIOWrapper(io.BytesIO(text.encode()))
        monkeypatch.setattr(stdin, "isatty", lambda: True, raising=False)
        monkeypatch.setattr(sys, "stdin", stdin)
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)

    return _answer


@pytest.mark.usefixtures("book")
def test_contact_forget_on_a_terminal_asks_first(run, db, terminal):
    before = dump(db)
    terminal("n\n")
    result = run("contact forget ada")
    assert result.code == 1
    assert result.err.lower().startswith("error: abort")
    assert result.err.count("\n") == 1
    assert dump(db) == before
    terminal("y\n")
    result = run("contact forget ada")
    assert result.code == 0, result
    assert "forgot 1 (Ada Lovelace)" in result.out


@pytest.mark.usefixtures("book")
def test_contact_forget_with_yes_erases_the_person_and_their_history(ok, run, js, db):
    ok("log ada 'secret talk'")
    assert ok("contact forget ada --yes") == "forgot 1 (Ada Lovelace)\n"
    assert_error(run("contact show 1"), 1)
    assert js("search secret") == {"contacts": [], "deals": [], "interactions": []}
    assert all(h["contact_id"] != 1 for h in js("history"))
    assert "Lovelace" not in dump(db)


# ---------------------------------------------------------------- log


@pytest.mark.usefixtures("book")
def test_log_prints_what_it_recorded(ok):
    assert ok("log ada 'called about the invoice'") == "logged 1: note with Ada Lovelace\n"


@pytest.mark.usefixtures("book")
def test_log_json_is_the_interaction(js):
    rec = js("log ada 'called about the invoice' --kind call")
    assert INTERACTION_KEYS <= set(rec)
    assert {k: rec[k] for k in INTERACTION_KEYS} == {
        "id": 1, "contact_id": 1, "kind": "call", "at": NOW, "summary": "called about the invoice",
        "deal_id": None, "user": "alice",
    }


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("options", "field", "value"),
    [
        ("--kind meeting", "kind", "meeting"),
        ("-k visit", "kind", "visit"),
        ("--at yesterday", "at", "2026-03-09T09:00:00Z"),  # yesterday at the current local time
        ("--at '2026-03-01 14:30'", "at", "2026-03-01T13:30:00Z"),  # CET
        ("--at '2025-07-01 14:30'", "at", "2025-07-01T12:30:00Z"),  # CEST
        ("--deal 1", "deal_id", 1),
        ("--user bob", "user", "bob"),
    ],
)
def test_log_options(js, options, field, value):
    argv = shlex.split(f"log ada hello {options}")
    if options.startswith("--user"):
        argv = [*argv[3:], *argv[:3]]
    assert js(*argv)[field] == value


@pytest.mark.usefixtures("book")
def test_a_future_interaction_is_refused_as_a_plan(run):
    result = run("log", "ada", "meeting", "--at", "next monday")
    assert result.code == 1
    assert "is in the future" in result.err
    assert "--next" in result.err
    assert result.out == ""


@pytest.mark.usefixtures("book")
def test_log_with_next_adds_a_follow_up(ok, js):
    assert ok("log ada 'sent the proposal' --next fri") == (
        "logged 1: note with Ada Lovelace; follow up 2026-03-13\n"
    )
    (reminder,) = js("contact show ada")["reminders"]
    assert {k: reminder[k] for k in REMINDER_KEYS} == {
        "id": 1, "contact_id": 1, "deal_id": None, "text": "Follow up: sent the proposal",
        "due": "2026-03-12T23:00:00Z", "every": None, "source": "follow-up",
    }


@pytest.mark.usefixtures("book")
def test_log_updates_last_contacted(ok, js):
    ok("log grace met --at '2026-03-02 09:00'")
    assert js("contact show grace")["last_contacted_at"] == "2026-03-02T08:00:00Z"


@pytest.mark.usefixtures("book")
def test_log_eml_records_the_message_with_the_contact_found_by_address(ok, js, tmp_path):
    path = tmp_path / "reply.eml"
    path.write_bytes(EML)
    assert ok(f"log --eml {path}") == "logged 1: email with Ada Lovelace: Re: the engine invoice\n"
    (item,) = js("timeline ada")
    assert (item["kind"], item["summary"], item["at"], item["contact_id"]) == (
        "email", "Re: the engine invoice", "2026-03-09T14:30:00Z", 1,
    )


@pytest.mark.usefixtures("book")
def test_log_eml_reads_stdin(run, js):
    result = run("log", "--eml", "-", "--json", stdin=EML)
    rec = result.json()
    assert (rec["kind"], rec["summary"], rec["body"]) == (
        "email", "Re: the engine invoice", "Thanks, paid today.",
    )


@pytest.mark.usefixtures("book")
def test_log_eml_from_an_unknown_address_is_not_found(run, db):
    before = dump(db)
    assert_error(run("log --eml -", stdin=EML.replace(b"ada@example.com", b"nobody@example.org")), 1,
                 "nobody@example.org")
    assert dump(db) == before


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("data", [b"", b"just some text\nwithout headers\n"])
def test_log_eml_that_is_not_a_message_is_refused(run, db, data):
    before = dump(db)
    assert_error(run("log --eml -", stdin=data), 1)
    assert dump(db) == before


# ---------------------------------------------------------------- timeline


@pytest.fixture
def logged(ok, book):
    ok("log ada first --at 2026-03-01")
    ok("log grace second --at 2026-03-06")
    ok("log ada third --at 2026-03-09 --kind call")


@pytest.mark.usefixtures("logged")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", ["third", "second", "first"]),
        ("ada", ["third", "first"]),
        ("--since 2026-03-05", ["third", "second"]),
        ("--since 3d", ["third"]),
        ("--since 7d", ["third", "second"]),
        ("ada --since monday", ["third"]),  # the last Monday, not the next one
        ("--since friday", ["third", "second"]),
        ("--since tue", []),  # today is a Tuesday
        ("--since yesterday", ["third"]),
        ("--limit 1", ["third"]),
    ],
)
def test_timeline_is_newest_first(js, args, expected):
    items = js(f"timeline {args}")
    assert [i["summary"] for i in items] == expected
    assert all(INTERACTION_KEYS <= set(i) for i in items)


@pytest.mark.usefixtures("logged")
def test_timeline_text_shows_local_times(ok):
    out = ok("timeline ada")
    assert out.splitlines()[1].split()[:4] == ["2026-03-09", "10:00", "Ada", "Lovelace"]


# ---------------------------------------------------------------- deals


@pytest.mark.usefixtures("book")
def test_deal_add_prints_only_the_id(ok):
    assert ok("deal add grace Compiler") == "3\n"


@pytest.mark.usefixtures("book")
def test_deal_add_json_is_the_deal(js):
    rec = js("deal add grace Compiler --value 1,250.50 --currency eur --stage proposal"
             " --close 2026-04-30 --key")
    assert {k: rec[k] for k in DEAL_KEYS} == {
        "id": 3, "contact_id": 2, "title": "Compiler", "value": "1250.50", "currency": "EUR",
        "stage": "proposal", "probability": 50, "status": "open", "close_date": "2026-04-30",
        "key": True, "owner": "bob",
    }


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("close", "date"), [("fri", "2026-03-13"), ("1m", "2026-04-10"), ("12-24", "2026-12-24")]
)
def test_deal_add_close_takes_any_when(js, close, date):
    assert js(f"deal add ada X --close {close}")["close_date"] == date


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("filter_", "titles"),
    [("", ["Engine", "Support"]), ("stage:lead", ["Engine"]), ("status:won", ["Support"]),
     ("value>2000", ["Engine"]), ("engine", ["Engine"])],
)
def test_deal_list_filters(js, filter_, titles):
    deals = js(f"deal list {filter_}")
    assert [d["title"] for d in deals] == titles
    assert all(DEAL_KEYS <= set(d) for d in deals)


@pytest.mark.usefixtures("book")
def test_deal_list_plain_and_csv(ok):
    assert "Engine" in ok("deal list")
    rows = list(csv.DictReader(io.StringIO(ok("deal list --csv"))))
    assert [(r["title"], r["value"], r["status"]) for r in rows] == [
        ("Engine", "5000.00", "open"), ("Support", "1200.00", "won"),
    ]


@pytest.mark.usefixtures("book")
def test_deal_show_lists_its_stages(ok, js):
    ok("deal move 1 proposal")
    rec = js("deal show 1")
    assert DEAL_KEYS <= set(rec)
    assert [s["stage"] for s in rec["stages"]] == ["lead", "proposal"]
    out = ok("deal show 1")
    assert "Engine  (deal #1)" in out
    assert "5000.00 USD" in out
    assert "2026-03-10 10:00  proposal  (alice)" in out


@pytest.mark.usefixtures("book")
def test_deal_move_won_and_lost(ok, js):
    assert ok("deal move 1 negotiation") == "moved 1: Engine (negotiation 75%)\n"
    assert js("deal show 1")["probability"] == 75
    assert ok("deal won 1") == "won 1: Engine\n"
    assert ok("deal lost 1 --reason 'went elsewhere'") == "lost 1: Engine (went elsewhere)\n"
    rec = js("deal show 1")
    assert (rec["status"], rec["lost_reason"], rec["probability"]) == ("lost", "went elsewhere", 0)
    assert [s["stage"] for s in rec["stages"]] == ["lead", "negotiation", "won", "lost"]


@pytest.mark.usefixtures("book")
def test_deal_edit(js):
    js("deal edit 1 --key")
    rec = js("deal edit 1 --title 'Engine v2' --value 7000.5 --currency gbp --probability 60 --no-key"
             " --close 2026-05-01 --owner carol")
    fields = ("title", "value", "currency", "probability", "key", "close_date", "owner")
    assert {k: rec[k] for k in fields} == {
        "title": "Engine v2", "value": "7000.50", "currency": "GBP", "probability": 60, "key": False,
        "close_date": "2026-05-01", "owner": "carol",
    }


# ---------------------------------------------------------------- search, history, undo


@pytest.mark.usefixtures("book")
def test_search_finds_contacts_deals_and_interactions(ok, js):
    ok("log grace 'talked about the engine'")
    found = js("search engine")
    assert set(found) == {"contacts", "deals", "interactions"}
    assert [d["title"] for d in found["deals"]] == ["Engine"]
    assert [i["summary"] for i in found["interactions"]] == ["talked about the engine"]
    assert names(js("search 伟")["contacts"]) == ["王伟", "张伟"]
    out = ok("search engine")
    assert "Deals" in out
    assert "Interactions" in out


@pytest.mark.usefixtures("book")
def test_search_with_nothing_found_is_exit_1(run):
    assert_error(run("search zzzz"), 1, "zzzz")


@pytest.mark.usefixtures("book")
def test_history_shows_who_changed_what(ok, js):
    ok("--user bob contact edit ada --name 'Ada King'")
    items = js("history ada")
    assert items[0]["user"] == "bob"
    assert items[0]["command"] == "contact edit Ada Lovelace"
    assert items[0]["changes"]["name"] == ["Ada Lovelace", "Ada King"]
    assert {"at", "user", "command", "op", "table", "before", "after"} <= set(items[0])
    assert {i["contact_id"] for i in items} == {1}
    assert items[0]["summary"] == "Ada King: name Ada Lovelace → Ada King"
    shown = ok("history")
    assert shown.splitlines()[0].split() == ["When", "By", "What"]
    assert "bob    Ada King: name Ada Lovelace → Ada King" in shown
    assert "insert" not in shown  # database rows are not what a person reads


@pytest.mark.usefixtures("book")
def test_undo_takes_back_the_last_change(ok, js, run):
    ok("log ada called --next fri")
    assert ok("undo") == "undid 'log Ada Lovelace' by alice (2 changes)\n"
    assert js("timeline ada") == []
    assert js("contact show ada")["reminders"] == []
    assert js("undo")["command"] == "deal won Support"
    assert js("deal show 2")["status"] == "open"


def test_undo_with_nothing_to_undo_is_exit_1(run):
    assert_error(run("undo"), 1, "nothing to undo")


# ---------------------------------------------------------------- global options


def test_db_option_and_tinycrm_db(ok, js, db, tmp_path):
    other = tmp_path / "sub" / "other.db"
    ok(f"--db {other} contact add Ada")
    assert other.exists()
    assert not db.exists()
    ok("contact add Grace")
    assert names(js(f"--db {other} contact list")) == ["Ada"]
    assert names(js("contact list")) == ["Grace"]


def test_fast_path_takes_the_global_options(ok, js, db, tmp_path):
    other = tmp_path / "other.db"
    ok(f"--db {other} contact add Ada")
    assert ok(f"--db={other} --user bob log ada hello") == "logged 1: note with Ada\n"
    rec = js(f"--db {other} contact show ada")
    assert rec["interactions"][0]["user"] == "bob"
    assert not db.exists()


def test_user_option_sets_owner_and_history(js):
    rec = js("--user carol contact add Ada")
    assert rec["owner"] == "carol"
    assert js("history")[0]["user"] == "carol"


def test_version(ok):
    from tinycrm import __version__

    assert ok("--version") == f"tinycrm {__version__}\n"


def test_no_arguments_without_a_terminal_prints_help(ok):
    assert "Usage: tinycrm" in ok("")


# ---------------------------------------------------------------- every error path

ERRORS = [
    # invalid dates
    ("log ada x --at someday", 1, "invalid date"),
    ("log ada x --next never", 1, "invalid date"),
    ("log ada x --at 2026-02-30", 1, "invalid date"),
    ("contact add Bob --birthday 2026-02-30", 1, "invalid date"),
    ("contact edit ada --birthday 13-45", 1, "invalid date"),
    ("deal add ada X --close someday", 1, "invalid date"),
    ("deal edit 1 --close someday", 1, "invalid date"),
    ("timeline --since someday", 1, "invalid date"),
    ("contact add Bob --every often", 1, "often"),
    # amounts, currencies, probabilities
    ("deal add ada X --value 12.345", 1, "invalid amount"),
    ("deal add ada X --value abc", 1, "invalid amount"),
    ("deal add ada X --value=-5", 1, "invalid amount"),
    ("deal add ada X --value nan", 1, "invalid amount"),
    ("deal edit 1 --value inf", 1, "invalid amount"),
    ("deal add ada X --currency EURO", 1, "invalid currency"),
    ("deal edit 1 --currency 12", 1, "invalid currency"),
    ("deal add ada X --probability 150", 1, "invalid probability"),
    ("deal edit 1 --probability=-1", 1, "invalid probability"),
    # e-mails, phones, tags, fields, kinds, stages, sorts
    ("contact add Bob --email not-an-email", 1, "invalid e-mail"),
    ("contact add Bob --email ok@example.com --email bad@", 1, "invalid e-mail"),
    ("contact edit ada --email bad@", 1, "invalid e-mail"),
    ("contact add Bob --phone 12", 1, "invalid phone"),
    ("contact add Bob --phone call-me", 1, "invalid phone"),
    ("contact add Bob --tag 'a b'", 1, "invalid tag"),
    ("contact add Bob --set novalue", 1, "KEY=VALUE"),
    ("contact add Bob --kind robot", 1, "invalid kind"),
    ("contact add ''", 1, "name"),
    ("log ada x --kind fax", 1, "invalid kind"),
    ("log ada ''", 1, "text"),
    ("deal add ada X --stage nope", 1, "invalid stage"),
    ("deal add ada X --stage won", 1, "open stage"),
    ("deal add ada ''", 1, "title"),
    ("deal move 1 closing", 1, "invalid stage"),
    ("contact list --sort shoe", 1, "invalid sort"),
    # REFs and ids not found
    ("contact show nobody", 1, "nobody"),
    ("contact show 99", 1, "99"),
    ("contact edit nobody --name X", 1, "nobody"),
    ("contact rm nobody", 1, "nobody"),
    ("contact restore nobody", 1, "nobody"),
    ("contact forget nobody --yes", 1, "nobody"),
    ("log nobody x", 1, "nobody"),
    ("log nobody@example.com x", 1, "nobody@example.com"),
    ("deal add nobody X", 1, "nobody"),
    ("timeline nobody", 1, "nobody"),
    ("history nobody", 1, "nobody"),
    ("deal show 99", 1, "no deal"),
    ("deal move 99 won", 1, "no deal"),
    ("deal won 99", 1, "no deal"),
    ("deal lost 99", 1, "no deal"),
    ("deal edit 99 --title X", 1, "no deal"),
    ("log ada x --deal 99", 1, "no deal"),
    ("log grace x --deal 1", 1, "another contact"),
    # ambiguous REFs: the candidates in the one line
    ("contact show 伟", 1, "张伟", "王伟"),
    ("log 伟 x", 1, "张伟", "王伟"),
    ("deal add 伟 X", 1, "张伟", "王伟"),
    ("contact edit 伟 --tag x", 1, "张伟", "王伟"),
    # malformed filters name the bad term
    ("contact list tag:", 1, "tag:"),
    ("contact list '(vip'", 1, "parenthesis"),
    ("contact list value>abc", 1, "value>abc"),
    ("contact list last>soon", 1, "last>soon"),
    ("contact list is:happy", 1, "is:happy"),
    ("contact list foo:bar", 1, "foo:bar"),
    ("contact list OR", 1, "OR"),
    ("contact list '\"open quote'", 1, "quote"),
    ("deal list stage:", 1, "stage:"),
    ("deal list status:maybe", 1, "status:maybe"),
    # conflicts
    ("deal won 2", 1, "already"),
    ("deal move 1 lead", 1, "already"),
    ("contact restore ada", 1, "not in the trash"),
    # bad input files
    ("log --eml /nonexistent/reply.eml", 1, "cannot read"),
    ("search ''", 1, "search"),
    # usage errors of tinycrm itself
    ("contact forget ada", 2, "--yes"),
    ("log ada", 2, "REF and TEXT"),
    ("log --eml reply.eml ada", 2, "--eml"),
    ("contact list --json --csv", 2, "--json"),
    # usage errors found by Click
    pytest.param("contact add", 2, "NAME"),
    pytest.param("contact add Bob --bogus", 2, "--bogus"),
    pytest.param("log ada x --bogus", 2, "--bogus"),
    pytest.param("contact show ada --bogus", 2, "--bogus"),
    pytest.param("frobnicate", 2, "frobnicate"),
    pytest.param("contact frobnicate", 2, "frobnicate"),
    pytest.param("log ada x --deal abc", 2, "--deal"),
    pytest.param("deal add ada X --probability abc", 2, "--probability"),
    pytest.param("deal show abc", 2, "deal"),
    pytest.param("contact list --limit 0", 2, "--limit"),
    pytest.param("log ada x --kind", 2, "--kind"),
    pytest.param("--db", 2, "--db"),
    pytest.param("deal move 1", 2, "STAGE"),
    pytest.param("contact", 2, "Usage"),
    pytest.param("deal", 2, "Usage"),
]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("command", "code", "fragments"),
    [
        pytest.param(p.values[0], p.values[1], p.values[2:], marks=p.marks, id=p.values[0])
        if hasattr(p, "values")
        else pytest.param(p[0], p[1], p[2:], id=p[0])
        for p in ERRORS
    ],
)
def test_an_error_is_one_line_with_its_exit_code_and_writes_nothing(run, db, command, code, fragments):
    before = dump(db)
    assert_error(run(command), code, *fragments)
    assert dump(db) == before


@pytest.mark.usefixtures("book")
def test_tinycrm_debug_shows_the_traceback(run, monkeypatch):
    monkeypatch.setenv("TINYCRM_DEBUG", "1")
    from tinycrm.errors import NotFound

    with pytest.raises(NotFound):
        run("contact show nobody")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("--email ada@example.com", "--email ADA@Example.COM"),
        ("--phone '+1 202 555 0100'", "--phone '(202) 555-0100'"),
        ("--phone '+1 202 555 0100'", "--phone 2025550100"),
    ],
)
def test_an_email_or_phone_of_another_contact_is_refused_at_the_door(run, ok, first, second, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    ok(f"contact add 'Ada Lovelace' {first}")
    result = run(f"contact add 'A. Lovelace' {second}")
    assert result.code == 1
    assert "already belongs to #1 Ada Lovelace" in result.err
    assert "--allow-duplicate" in result.err
    assert ok(f"contact add 'A. Lovelace' {second} --allow-duplicate") == "2\n"


def test_a_phone_written_any_common_way_finds_the_contact(ok, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    ok("contact add 'Grace Hopper' --phone '+1 202 555 0100'")
    for ref in ("'+1 202 555 0100'", "'(202) 555-0100'", "2025550100", "+12025550100"):
        assert ok(f"contact show {ref} --json").startswith("{")


def test_a_very_similar_name_only_warns(run):
    run("contact add 张伟 --org 佛山企业电子")
    result = run("contact add 章伟 --org 佛山企业电子")
    assert result.code == 0
    assert result.err.startswith("warning: ")


def test_escape_sequences_in_names_and_texts_are_shown_escaped(ok, run):
    evil = "\x1b]0;pwned\x07\x1b[2J\x1b[31mEvil"
    ok(f"contact add {shlex.quote(evil)} --allow-duplicate")
    ok(f"log 1 {shlex.quote('hi' + chr(27) + '[2J')} --next fri")
    shown = ("contact list", "contact show 1", "timeline", "due --within 7d", "history", "log 1 again")
    for command in shown:
        result = run(command)
        assert "\x1b" not in result.out + result.err, command
    assert "\\x1b" in ok("contact show 1")


@pytest.mark.usefixtures("book")
def test_redo_after_undo(ok, run):
    ok("log ada called")
    assert ok("undo") == "undid 'log Ada Lovelace' by alice (1 change)\n"
    assert ok("redo") == "redid 'log Ada Lovelace' (1 change)\n"
    assert run("redo").err == "error: nothing to redo (of yours, alice)\n"


@pytest.mark.parametrize("value", ["2026-11-30T10:00", "tomorrow", "2026-13-01T00:00:00Z"])
def test_a_bad_tinycrm_now_is_one_usage_line(run, monkeypatch, value):
    run("contact add Ada")
    monkeypatch.setenv("TINYCRM_NOW", value)
    result = run("due")
    assert result.code == 2
    assert result.err.startswith("error: TINYCRM_NOW=")
    assert result.err.count("\n") == 1
    assert "ValueError" not in result.err
