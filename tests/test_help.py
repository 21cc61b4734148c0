"""Every command and sub-command answers --help with a one-line description (like sqlite-utils' test_docs)."""

from __future__ import annotations

import pytest
import typer

from tinycrm.cli import app, main


def _walk(command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


ROOT = typer.main.get_command(app)
COMMANDS = list(_walk(ROOT))


def test_the_contract_commands_exist():
    paths = {" ".join(p) for p, _ in COMMANDS}
    for path in ("contact add", "contact list", "contact show", "contact edit", "contact rm",
                 "contact restore", "contact forget", "log", "timeline", "deal add", "deal list",
                 "deal show", "deal move", "deal won", "deal lost", "search", "history", "undo"):
        assert path in paths


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "tinycrm")
def test_every_command_has_help(path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code = ROOT.main(args=[*path, "--help"], prog_name="tinycrm", standalone_mode=False)
    output = capsys.readouterr().out
    assert code == 0, output
    assert output.startswith(f"Usage: {' '.join(('tinycrm', *path))} ")
    command = dict(COMMANDS)[path]
    first_line = (command.help or "").strip().splitlines()[0] if command.help else ""
    assert first_line, f"{' '.join(path)} has no docstring"
    assert first_line.rstrip(".") in " ".join(output.split())


def test_help_through_the_real_entry_point_exits_0(capsys):
    assert main(["contact", "add", "--help"]) == 0
    assert "Create a contact" in capsys.readouterr().out


@pytest.mark.parametrize("path", [p for p, c in COMMANDS if getattr(c, "params", None)],
                         ids=lambda p: " ".join(p) or "tinycrm")
def test_every_option_has_help_text(path):
    command = dict(COMMANDS)[path]
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"
