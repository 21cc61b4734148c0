"""The layers keep their places (STYLE.md): dependencies point one way, SQL lives in the store.

models/dates/money/filters ← store ← pure modules ← services ← cli, tui. Read from the source
with `ast` (every import, also the lazy ones inside functions), so a violation fails here
before it can slow a command down or tie the core to a front end.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tinycrm"
# the command line's rendering and run state belong to the front ends too
FRONT_ENDS = ("tinycrm.cli", "tinycrm.commands", "tinycrm.tui", "tinycrm.output", "tinycrm.session")
UI_LIBRARIES = ("typer", "click", "rich", "textual", "textual_plotext", "plotext")
PURE = (
    "tinycrm.models", "tinycrm.money", "tinycrm.validate", "tinycrm.config", "tinycrm.errors",
    "tinycrm.dates", "tinycrm.query", "tinycrm.reminders", "tinycrm.textindex",
    "tinycrm.dedupe", "tinycrm.normalize", "tinycrm.formats", "tinycrm.charts",
    "tinycrm.io", "tinycrm.cells", "tinycrm.wording", "tinycrm.tiers", "tinycrm.health",
)  # fmt: skip


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved, at any depth of the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # imports for the type checker only cost nothing at run time
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _within(name: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _offenders(modules: list[str], banned: tuple[str, ...]) -> dict[str, list[str]]:
    out = {}
    for module in modules:
        bad = sorted(i for i in MODULES[module] if _within(i, banned))
        if bad:
            out[module] = bad
    return out


def test_the_package_is_read():
    assert "tinycrm.store.contacts" in MODULES
    assert "sqlite3" in MODULES["tinycrm.store.connection"]


def test_only_the_store_imports_sqlite3():
    users = [m for m, imports in MODULES.items() if "sqlite3" in imports]
    assert [m for m in users if not _within(m, "tinycrm.store")] == []


def test_nothing_below_the_front_ends_imports_them_or_a_ui_library():
    entry = ("tinycrm.__main__", "tinycrm.demo")  # they start the front ends
    below = [m for m in MODULES if not _within(m, FRONT_ENDS) and m not in entry]
    assert "tinycrm.store" in below
    assert _offenders(below, (*FRONT_ENDS, *UI_LIBRARIES)) == {}


@pytest.mark.parametrize("layer", ["tinycrm.store", "tinycrm.services"])
def test_the_store_and_the_services_never_import_upwards(layer):
    modules = [m for m in MODULES if _within(m, layer)]
    upward = (*FRONT_ENDS, *UI_LIBRARIES)
    if layer == "tinycrm.store":
        upward = (*upward, "tinycrm.services", "tinycrm.agenda")
    assert _offenders(modules, upward) == {}


def test_pure_modules_touch_no_store_and_no_front_end():
    pure = [m for m in MODULES if _within(m, PURE)]
    assert pure, "the pure modules moved: update PURE"
    banned = ("tinycrm.store", "tinycrm.services", *FRONT_ENDS, *UI_LIBRARIES, "sqlite3")
    assert _offenders(pure, banned) == {}


def test_front_ends_reach_sql_only_through_the_store():
    front = [m for m in MODULES if _within(m, FRONT_ENDS)]
    assert _offenders(front, ("sqlite3", "tinycrm.store.connection", "tinycrm.store.unit")) == {}
