"""No UI in the core: the core, the commands and the dispatcher import no Typer, Click, Rich, Textual."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["store", "query", "dates", "reminders", "textindex", "session", "schema", "errors", "output",
        "commands", "commands.contact", "commands.core", "commands.deal", "commands.remind",
        "commands.tui", "cli", "cli.dispatch", "cli._table"]
HEAVY = ["typer", "click", "rich", "textual", "sqlite_utils", "pypinyin", "dateutil.parser"]
UI = ["typer", "click", "rich", "textual"]

PROBE = """
import importlib, json, sys
for name in sys.argv[1].split(","):
    try:
        importlib.import_module("tinycrm." + name)
    except ModuleNotFoundError as exc:
        if exc.name != "tinycrm." + name:
            raise
print(json.dumps(sorted(sys.modules)))
"""


def _python(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60,
    )


def _loaded(modules: list[str], banned: list[str]) -> list[str]:
    return [b for b in banned if any(m == b or m.startswith(b + ".") for m in modules)]


def test_the_core_modules_import_nothing_heavy():
    """All at once: what none of them loads, no single one loads."""
    result = _python(PROBE, ",".join(CORE))
    assert result.returncode == 0, result.stderr
    assert _loaded(json.loads(result.stdout), HEAVY) == []


@pytest.fixture
def one_contact_db(tmp_path):
    path = tmp_path / "crm.db"
    from tinycrm.store import Store

    with Store.open(path, "tester") as store:
        store.add_contact("Ada Lovelace", emails=["ada@example.com"])
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["contact", "show", "1"],
        ["contact", "show", "ada", "--json"],
        ["log", "ada", "called", "--kind", "call", "--next", "fri"],
        ["--db", "{db}", "log", "1", "hello"],
    ],
)
def test_the_fast_path_imports_no_ui(one_contact_db, argv):
    argv = [a.replace("{db}", str(one_contact_db)) for a in argv]
    code = (
        "import json, sys\n"
        "from tinycrm.cli.dispatch import main\n"
        f"code = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = _python(code, env={"TINYCRM_DB": str(one_contact_db), "TZ": "UTC", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    exit_code, modules = json.loads(result.stderr)
    assert exit_code == 0, result.stdout
    assert _loaded(modules, UI) == []


def _new_modules(modules: list[str]) -> list[str]:
    """Modules a run loaded beyond what the bare interpreter has (an editable install's finder
    brings pathlib before any tinycrm code runs)."""
    bare = set(json.loads(_python("import json, sys; print(json.dumps(sorted(sys.modules)))").stdout))
    return [m for m in modules if m not in bare]


# what the hot paths leave unloaded (PRODUCT.md: `log`, `contact show`, `due` ≤ 3 F): the store's
# rarely-used parts, decimal (only when text becomes an amount), getpass (termios), zoneinfo
# (sysconfig) in UTC, dateutil's relativedelta until a duration is read, pathlib (urllib.parse,
# ipaddress) for a book named by --db or $TINYCRM_DB
DEFERRED = ["tinycrm.store.bulk", "tinycrm.store.merge", "tinycrm.store.safety", "tinycrm.store.search",
            "tinycrm.store.team", "decimal", "getpass", "termios", "zoneinfo", "sysconfig", "pathlib",
            "urllib", "ipaddress", "dataclasses", "inspect"]


@pytest.mark.parametrize(
    ("argv", "also"),
    [
        (["contact", "show", "1"], ["dateutil.relativedelta"]),
        (["--db", "{db}", "log", "1", "hello"], ["dateutil.relativedelta"]),
        (["due", "--json"], []),
    ],
)
def test_the_hot_paths_defer_what_they_do_not_use(one_contact_db, argv, also):
    argv = [a.replace("{db}", str(one_contact_db)) for a in argv]
    code = (
        "import json, sys\n"
        "from tinycrm.cli.dispatch import main\n"
        f"code = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    env = {"TINYCRM_DB": str(one_contact_db), "TZ": "UTC", "NO_COLOR": "1", "TINYCRM_USER": "tester"}
    result = _python(code, env=env)
    assert result.returncode == 0, result.stderr
    exit_code, modules = json.loads(result.stderr)
    assert exit_code == 0, result.stdout
    assert _loaded(_new_modules(modules), DEFERRED + also) == []


def test_due_with_cadences_of_days_loads_no_dateutil(tmp_path):
    book = tmp_path / "crm.db"
    from tinycrm.store import Store

    with Store.open(book, "tester") as store:
        store.add_contact("Ada Lovelace", every="7d")  # never contacted: due at once
        store.add_contact("Grace Hopper", every="2w", birthday="1906-12-09")
    code = (
        "import json, sys\n"
        "from tinycrm.cli.dispatch import main\n"
        "code = main(['due', '--json'])\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = _python(code, env={"TINYCRM_DB": str(book), "TZ": "UTC", "TINYCRM_USER": "tester"})
    assert result.returncode == 0, result.stderr
    exit_code, modules = json.loads(result.stderr)
    assert exit_code == 0
    assert "Keep in touch with Ada Lovelace" in result.stdout
    assert _loaded(_new_modules(modules), [*DEFERRED, "dateutil"]) == []


def test_a_part_of_the_store_loads_on_the_first_use_of_its_methods(one_contact_db):
    code = (
        "import sys\n"
        "from tinycrm.store import Store\n"
        f"store = Store.open({str(one_contact_db)!r}, 'tester')\n"
        "assert 'tinycrm.store.search' not in sys.modules\n"
        "assert [c['name'] for c in store.search('ada')['contacts']] == ['Ada Lovelace']\n"
        "assert 'tinycrm.store.search' in sys.modules and isinstance(store, Store)\n"
        "assert store.pool() == [] and store.check() == []\n"
        "try:\n    store.no_such_method\nexcept AttributeError:\n    print('ok')\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"


@pytest.mark.parametrize(
    "argv", [["contact", "list", "tag:vip", "--limit", "20"], ["deal", "list", "stage:lead", "--limit", "5"]]
)
def test_a_filtered_list_loads_no_dataclasses_decimal_or_pathlib(one_contact_db, argv):
    code = (
        "import json, sys\n"
        "from tinycrm.cli.dispatch import main\n"
        f"code = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = _python(code, env={"TINYCRM_DB": str(one_contact_db), "TZ": "UTC", "TINYCRM_USER": "tester"})
    assert result.returncode == 0, result.stderr
    exit_code, modules = json.loads(result.stderr)
    assert exit_code == 0
    assert _loaded(_new_modules(modules), ["dataclasses", "inspect", "decimal", "typing", "pathlib"]) == []


LUNAR_PROBE = """
import json, sys
from datetime import date, timedelta
from tinycrm import reminders
if sys.argv[1] == "broken":  # a lunardate that needs more of typing than the stand-in has
    reminders._typing_stand_in = lambda: __import__("types").ModuleType("typing")
typing_before = "typing" in sys.modules
LunarDate = reminders.lunar_date_class()
typing_after = "typing" in sys.modules
days = [date(2023, 1, 1) + timedelta(days=n) for n in range(0, 1200, 7)]
found = [LunarDate.from_solar_date(d.year, d.month, d.day) for d in days]
lunar = [[ld.year, ld.month, ld.day, ld.is_leap_month] for ld in found]
back = [LunarDate(y, m, d, leap).to_solar_date().isoformat() for y, m, d, leap in lunar]
print(json.dumps([typing_before, typing_after, sys.modules["lunardate"].LunarDate is LunarDate, lunar, back]))
"""


def _lunar_reference() -> tuple[list, list]:
    from datetime import date, timedelta

    from lunardate import LunarDate

    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(0, 1200, 7)]
    found = [LunarDate.from_solar_date(d.year, d.month, d.day) for d in days]
    lunar = [[ld.year, ld.month, ld.day, ld.is_leap_month] for ld in found]
    return lunar, [ld.to_solar_date().isoformat() for ld in found]


@pytest.mark.parametrize(("how", "typing_loaded"), [("as due loads it", False), ("broken", True)])
def test_lunardate_loads_without_typing_and_converts_as_the_library_does(how, typing_loaded):
    """Without typing (due's path), and through the ordinary import when the stand-in fails."""
    result = _python(LUNAR_PROBE, how)
    assert result.returncode == 0, result.stderr
    typing_before, typing_after, registered, lunar, back = json.loads(result.stdout)
    assert typing_before is False
    assert typing_after is typing_loaded
    assert registered is True
    assert (lunar, back) == _lunar_reference()


def _due_json_loads(tmp_path, contacts: list[dict], watched: list[str]) -> tuple[list[str], str]:
    """`due --json` in a fresh interpreter on a book of `contacts` (2026-11-22 09:00 UTC): which of
    `watched` it loaded, and what it printed."""
    book = tmp_path / "crm.db"
    from tinycrm.store import Store

    with Store.open(book, "tester") as store:
        for contact in contacts:
            store.add_contact(**contact)
    code = (
        "import sys\n"
        "from tinycrm.cli.dispatch import main\n"
        "code = main(['due', '--json'])\n"
        "sys.stdout.flush()\n"
        f"sys.stderr.write(repr([code, [m for m in {watched!r} if m in sys.modules]]))\n"
    )
    env = {"TINYCRM_DB": str(book), "TZ": "UTC", "TINYCRM_USER": "tester",
           "TINYCRM_NOW": "2026-11-22T09:00:00Z"}  # fmt: skip
    result = _python(code, env=env)
    assert result.returncode == 0, result.stderr
    code_and_loaded = ast.literal_eval(result.stderr)
    assert code_and_loaded[0] == 0
    return code_and_loaded[1], result.stdout


def test_due_with_a_lunar_birthday_today_loads_no_typing(tmp_path):
    # 2026-11-22 is the 14th day of the 10th lunar month
    lunar = {"name": "张伟", "birthday": "1980-10-14", "birthday_lunar": True}
    loaded, out = _due_json_loads(tmp_path, [lunar], ["typing", "lunardate"])
    assert loaded == ["lunardate"]
    assert "张伟's birthday (turns 46)" in out


def test_due_json_on_an_ordinary_book_loads_no_json_typing_or_dataclasses(tmp_path):
    """`due --json` writes its own JSON (the C escaper) and reads no JSON column of these rows."""
    loaded, out = _due_json_loads(
        tmp_path,
        [{"name": "Ada Lovelace", "birthday": "1815-11-22"},
         {"name": "张伟", "birthday": "1980-10-14", "birthday_lunar": True}],
        ["json", "typing", "dataclasses", "inspect", "dateutil"],
    )  # fmt: skip
    assert loaded == []
    items = json.loads(out)
    assert sorted(i["text"] for i in items) == [
        "Ada Lovelace's birthday (turns 211)",
        "张伟's birthday (turns 46)",
    ]
