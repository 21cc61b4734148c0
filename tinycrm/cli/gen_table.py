"""Generate `tinycrm/cli/_table.py`, the dispatch table, from the Typer app.

Run `python -m tinycrm.cli.gen_table` after changing a command, an option or an argument;
`tests/test_dispatch.py` fails while the committed table differs from what this builds.
The table holds what `tinycrm.cli.dispatch` needs to parse a command line exactly as
Click would: per command path its implementation, its positional arguments (nargs,
required, type) and every option with all its names, flag or value, multiple, type,
default and range. A parameter of another type is recorded as such and makes the
dispatcher hand that command to Typer.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any

import typer.main

from .root import app

TABLE_PATH = Path(__file__).with_name("_table.py")
HEADER = '''"""The dispatch table of the command line, generated from the Typer app: do not edit.

Regenerate with `python -m tinycrm.cli.gen_table`; `tinycrm.cli.dispatch` reads it.
"""

# ruff: noqa: E501
'''


def _type(annotation: Any) -> str:
    """`str`, `int`, `bool` (optionally in `| None` or `list[...]`), else `other`."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = parts[0] if len(parts) == 1 else None
    if typing.get_origin(annotation) is list:
        (annotation,) = typing.get_args(annotation)
    return {str: "str", int: "int", bool: "bool"}.get(annotation, "other")


def _short(opt: str) -> bool:
    """Click's own split: a one-character prefix and a one-character name is a short option."""
    prefix = opt[:2] if opt[1:2] == opt[:1] else opt[:1]
    return len(prefix) == 1 and len(opt) - len(prefix) == 1


def _option(param: Any) -> dict:
    return {
        "name": param.name,
        "opts": tuple(param.opts),
        "secondary": tuple(param.secondary_opts),
        "flag": bool(param.is_flag),
        "multiple": bool(param.multiple),
        "type": _type(param.type_descriptor.annotation) if not param.count else "other",
        "default": param.default,
        "min": param.min,
        "max": param.max,
        "eager": bool(param.is_eager),
    }


def _argument(param: Any) -> dict:
    return {
        "name": param.name,
        "nargs": param.nargs,
        "required": bool(param.required),
        "type": _type(param.type_descriptor.annotation),
        "default": param.default,
        "min": param.min,
        "max": param.max,
    }


def _command(command: Any) -> dict:
    implementation = getattr(command.callback, "implementation", None)
    params = [p for p in command.params if p.expose_value]
    settings = command.context_settings or {}  # what the command's Context is made with
    ignore = settings.get("ignore_unknown_options", command.ignore_unknown_options)
    interspersed = settings.get("allow_interspersed_args", command.allow_interspersed_args)
    return {
        "implementation": implementation,
        "ignore_unknown_options": bool(ignore),
        "interspersed": bool(interspersed),
        "arguments": tuple(_argument(p) for p in params if p.param_type_name == "argument"),
        "options": tuple(_option(p) for p in params if p.param_type_name == "option"),
    }


def build() -> dict:
    """The table as a dict of plain values (what `_table.py` holds)."""
    root = typer.main.get_command(app)
    groups: dict[tuple[str, ...], tuple[str, ...]] = {}
    commands: dict[tuple[str, ...], dict] = {}

    def walk(group: Any, path: tuple[str, ...]) -> None:
        groups[path] = tuple(sorted(group.commands))
        for name, sub in sorted(group.commands.items()):
            if hasattr(sub, "commands"):
                walk(sub, (*path, name))
            else:
                commands[path + (name,)] = _command(sub)

    walk(root, ())
    help_names = tuple((root.context_settings or {}).get("help_option_names", ["--help"]))
    for short in [o for o in help_names if _short(o)]:
        for path, spec in commands.items():
            if any(short in o["opts"] for o in spec["options"]):
                raise SystemExit(f"{' '.join(path)}: {short} is both help and an option")
    return {
        "HELP": help_names,
        "ROOT_OPTIONS": tuple(_option(p) for p in root.params if p.param_type_name == "option"),
        "GROUPS": groups,
        "COMMANDS": commands,
    }


def render(table: dict) -> str:
    """The Python source of `_table.py`: one line per option, argument and group."""
    out = [HEADER]
    out.append(f"HELP = {table['HELP']!r}\n")
    out.append("ROOT_OPTIONS = (\n" + "".join(f"    {o!r},\n" for o in table["ROOT_OPTIONS"]) + ")\n")
    out.append("GROUPS = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in table["GROUPS"].items()) + "}\n")
    lines = ["COMMANDS = {"]
    for path, spec in table["COMMANDS"].items():
        lines.append(f"    {path!r}: {{")
        for key, value in spec.items():
            if key in ("arguments", "options"):
                lines.append(f"        {key!r}: (")
                lines += [f"            {item!r}," for item in value]
                lines.append("        ),")
            else:
                lines.append(f"        {key!r}: {value!r},")
        lines.append("    },")
    lines.append("}")
    out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def main() -> int:
    """Write the table next to this module."""
    TABLE_PATH.write_text(render(build()), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE_PATH}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
