"""Run a command line from the dispatch table, without importing Typer, Click or pydantic.

`tinycrm/cli/_table.py` is generated from the Typer app (`tinycrm.cli.gen_table`), so the
app stays the single definition of every command. `parse` reads argv with it the way
Click's parser does (`--opt=value`, `--opt value`, `-kvalue`, `-k=value` as `=value`,
`--`, flags and their `--no-` twins, repeated options, values that start with `-`, unknown
`-words` passed through to list commands as filter terms, global `--db/--user` before the
noun) and returns None for anything it cannot take exactly as Click would: `--help`, no
command, an unknown command or option, a missing or extra argument, a value Click would
refuse. `main` then hands argv to the Typer app (`tinycrm.cli.root`), which prints help
and usage errors. Both paths call the same function of `tinycrm.commands` with the same
arguments, and report failures through `report`.
"""

from __future__ import annotations

import errno
import gc
import os
import sys

from ..errors import CrmError
from ..output import error, fail

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HELP = object()


class Plan:
    """A parsed command line: the global options, the implementation and its arguments."""

    __slots__ = ("path", "implementation", "params", "db", "user")

    def __init__(self, path: tuple[str, ...], implementation: str, params: dict[str, Any],
                 db: str | None, user: str | None) -> None:
        self.path = path
        self.implementation = implementation
        self.params = params
        self.db = db
        self.user = user


def main(argv: list[str] | None = None, *, fast: bool = True) -> int:
    """Run the command line and return its exit code: the table when it can, else Typer.

    `fast=False` always takes the Typer path (the parity tests compare the two).
    Ctrl-C anywhere is exit 130, without a traceback.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        guard_streams()
        bad = undecodable(args)
        if bad is not None:
            error(bad)
            return 2
        plan = parse(args) if fast else None
        if plan is not None:
            return run(plan)
        gc.enable()  # off while `tinycrm.__main__` starts up
        from .root import main as typer_main

        return typer_main(args)
    except KeyboardInterrupt:
        return 130


def run(plan: Plan) -> int:
    """Call the implementation with the run state; every failure is one `error:` line."""
    from ..session import State

    state = None
    try:
        state = State(db=plan.db, user=plan.user)
        module, _, name = plan.implementation.partition(":")
        try:
            implementation = getattr(__import__(module, fromlist=[name]), name)
        finally:
            gc.enable()  # off while `tinycrm.__main__` starts up
        state.create = not getattr(implementation, "reads_only", False)
        implementation(state, **plan.params)
        sys.stdout.flush()
        return 0
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: one line, no traceback
        return report(exc)
    finally:
        if state is not None:
            state.close()


def report(exc: BaseException) -> int:
    """`output.fail`, plus the failures of the terminal itself put in words.

    Output that cannot be written (stdout closed, full, gone; a character the encoding
    cannot show) is an `error:` line, exit 1; the write it belonged to was rolled back.
    """
    if isinstance(exc, UnicodeEncodeError) and not os.environ.get("TINYCRM_DEBUG"):
        _drop_pending_output()
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        error(f"cannot write {bad!r} in the output's encoding ({exc.encoding}): "
              "use a UTF-8 locale or PYTHONIOENCODING=utf-8; nothing was changed")
        return 1
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError) and _stdout_broken(exc):
        if os.environ.get("TINYCRM_DEBUG"):
            raise exc
        _drop_pending_output()
        error(f"cannot write the output: {exc.strerror or exc}; nothing was changed")
        return 1
    if isinstance(exc, BrokenPipeError):
        _drop_pending_output()
    return fail(exc)


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EBADF, errno.EFBIG}


def _stdout_broken(exc: OSError) -> bool:
    """True when the OSError came from the output: a disk full, a closed or failing descriptor."""
    if exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
        return True
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _drop_pending_output() -> None:
    """Point a failed real stdout at /dev/null so the exit's own flush does not fail again."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class ClosedStream:
    """A standard stream the caller closed (`>&-`, `<&-`): using it is a one-line error.

    Python sets such a stream to None, and the first `sys.stdout.write` would be an
    AttributeError; a command that only reads and prints nothing still succeeds.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.encoding = "utf-8"

    def _closed(self, *_: object) -> Any:
        raise CrmError(f"standard {self.name} is closed; nothing was changed")

    write = read = readline = readlines = fileno = _closed

    @property
    def buffer(self) -> Any:
        return self._closed()

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        return None


def guard_streams() -> None:
    """Stand in for closed standard streams (stderr: /dev/null, so errors cannot fail too)."""
    if sys.stdin is None:
        sys.stdin = ClosedStream("input")
    if sys.stdout is None:
        sys.stdout = ClosedStream("output")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def undecodable(args: list[str]) -> str | None:
    """The error for an argument that is not valid UTF-8 (Python keeps its bytes as surrogates)."""
    for number, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return f"argument {number} is not valid UTF-8 text: {shown}"
    return None


# ---------------------------------------------------------------- parsing, as Click does


def parse(args: list[str]) -> Plan | None:
    """The plan of a command line, or None when Typer must handle it (help, usage errors…)."""
    from . import _table

    globals_: dict[str, str] = {}
    options: tuple[dict[str, Any], ...] = _table.ROOT_OPTIONS  # the table's values are plain data
    root = {o: spec for spec in options for o in spec["opts"]}
    i = 0
    while i < len(args) and args[i][:1] == "-" and len(args[i]) > 1:
        name, eq, value = args[i].partition("=")
        spec = root.get(name)
        if spec is None or spec["flag"] or spec["eager"] or spec["type"] != "str" or name[:2] != "--":
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            i += 1
            value = args[i]
        globals_[spec["name"]] = value
        i += 1
    path: tuple[str, ...] = ()
    while path in _table.GROUPS:
        if i >= len(args) or args[i] not in _table.GROUPS[path]:
            return None
        path = (*path, args[i])
        i += 1
    command: dict[str, Any] | None = _table.COMMANDS.get(path)
    if command is None or not command["implementation"]:
        return None
    params = parse_command(command, args[i:], _table.HELP)
    if params is None:
        return None
    return Plan(path, command["implementation"], params, globals_.get("db"), globals_.get("user"))


def _is_short(opt: str) -> bool:
    prefix = opt[:2] if opt[1:2] == opt[:1] else opt[:1]
    return len(prefix) == 1 and len(opt) - len(prefix) == 1


def parse_command(command: dict, words: list[str], help_names: tuple[str, ...]) -> dict | None:
    """The parameters of one command from its words (Click's OptionParser), or None."""
    long: dict[str, Any] = {}
    short: dict[str, Any] = {}
    for spec in command["options"]:
        if spec["type"] == "other" or spec["eager"]:
            return None
        for opt in spec["opts"]:
            (short if _is_short(opt) else long)[opt] = (spec, True)
        for opt in spec["secondary"]:
            (short if _is_short(opt) else long)[opt] = (spec, False)
    for opt in help_names:
        (short if _is_short(opt) else long)[opt] = _HELP
    ignore = command["ignore_unknown_options"]
    found: dict[str, Any] = {}
    largs: list[str] = []
    rargs = list(reversed(words))  # a stack: the next word is rargs[-1]
    while rargs:
        arg = rargs.pop()
        if arg == "--":
            break
        if arg[:1] != "-" or len(arg) == 1:
            if not command["interspersed"]:
                rargs.append(arg)
                break
            largs.append(arg)
            continue
        name, eq, explicit = arg.partition("=")
        if name in long:
            match = long[name]
            if match is _HELP:
                return None
            spec, on = match
            if spec["flag"]:
                if eq:
                    return None  # Click: the option does not take a value
                found[spec["name"]] = on
                continue
            if not eq:
                if not rargs:
                    return None
                explicit = rargs.pop()
            _store(found, spec, explicit)
            continue
        if arg[:2] == "--":
            if not ignore:
                return None
            largs.append(arg)
            continue
        unknown = []
        for at, char in enumerate(arg[1:], 2):
            match = short.get("-" + char)
            if match is None:
                if not ignore:
                    return None
                unknown.append(char)
                continue
            if match is _HELP:
                return None
            spec, on = match
            if spec["flag"]:
                found[spec["name"]] = on
                continue
            if at < len(arg):
                value = arg[at:]
            elif rargs:
                value = rargs.pop()
            else:
                return None
            _store(found, spec, value)
            break
        if unknown:
            largs.append("-" + "".join(unknown))
    positionals = _unpack(largs + rargs[::-1], command["arguments"])
    if positionals is None:
        return None
    params: dict[str, Any] = {}
    for spec, value in zip(command["arguments"], positionals):
        if value is None:
            if spec["required"]:
                return None
            params[spec["name"]] = spec["default"]
            continue
        if spec["nargs"] == 1:
            value = _convert(spec, value)
            if value is _HELP:
                return None
            params[spec["name"]] = value
        else:
            values = [_convert(spec, v) for v in value]
            if _HELP in values:
                return None
            params[spec["name"]] = values
    for spec in command["options"]:
        if spec["name"] not in found:
            params[spec["name"]] = spec["default"]
            continue
        value = found[spec["name"]]
        if spec["flag"]:
            params[spec["name"]] = value
        elif spec["multiple"]:
            values = [_convert(spec, v) for v in value]
            if _HELP in values:
                return None
            params[spec["name"]] = values
        else:
            value = _convert(spec, value)
            if value is _HELP:
                return None
            params[spec["name"]] = value
    return params


def _store(found: dict[str, Any], spec: dict, value: str) -> None:
    if spec["multiple"]:
        found.setdefault(spec["name"], []).append(value)
    else:
        found[spec["name"]] = value


def _convert(spec: dict, value: str) -> Any:
    """A value as Typer passes it; `_HELP` (hand over to Typer) when Click would refuse it."""
    if spec["type"] == "str":
        return value
    digits = value[1:] if value[:1] == "-" else value
    if spec["type"] == "int" and digits.isascii() and digits.isdigit():  # read alike by Click and int()
        number = int(value)
        if (spec["min"] is None or number >= spec["min"]) and (spec["max"] is None or number <= spec["max"]):
            return number
    return _HELP


def _unpack(args: list[str], arguments: tuple[dict, ...]) -> list | None:
    """Click's `_unpack_args` for nargs 1 and -1; None when arguments are left over."""
    queue = list(args)
    out: list = []
    star = None
    for spec in arguments:
        if spec["nargs"] == 1:
            out.append(queue.pop(0) if queue else None)
        elif spec["nargs"] == -1 and star is None:
            star = len(out)
            out.append(None)
        else:
            return None
    if star is not None:
        if len(out) - star - 1:
            return None  # no command has arguments after a variadic one: Click fills those from the end
        out[star] = tuple(queue) or None
        queue.clear()
    if queue:
        return None
    return out
