"""The hot commands without Typer: `log`, `contact show` and `due` in their plain forms.

Importing Typer (and Click) costs more than the whole time budget of these commands
(PRODUCT.md: ≤ 80 ms for `log` and `contact show`, ≤ 60 ms for `due --json`), so
`tinycrm.__main__` first offers argv to `try_fast`. It accepts only the exact options the
Typer commands define; anything else — `--help`, an unknown option, a missing argument —
returns None and the Typer command set handles it (and reports usage errors). Both paths
call the same functions in `tinycrm.views`, so there is one behaviour.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


class Spec:
    """The plain form of one command: its positional count, options with values, flags."""

    __slots__ = ("positionals", "values", "flags", "aliases")

    def __init__(
        self,
        positionals: int,
        values: frozenset[str] = frozenset(),
        flags: frozenset[str] = frozenset(),
        aliases: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.positionals = positionals
        self.values = values
        self.flags = flags
        self.aliases = aliases


def _log(state, args: list[str], opts: dict) -> int:
    from .views import log_interaction

    deal = opts.get("--deal")
    if deal is not None and not deal.isdigit():
        return -1  # let Typer report the bad integer
    return log_interaction(
        state,
        args[0],
        args[1],
        kind=opts.get("--kind", "note"),
        at=opts.get("--at"),
        deal=int(deal) if deal is not None else None,
        next_when=opts.get("--next"),
        as_json="--json" in opts,
    )


def _show(state, args: list[str], opts: dict) -> int:
    from .views import show_contact

    return show_contact(state, args[0], as_json="--json" in opts)


def _due(state, args: list[str], opts: dict) -> int:
    from .views import show_due

    return show_due(state, within=opts.get("--within"), as_json="--json" in opts, notify="--notify" in opts)


COMMANDS: dict[tuple[str, ...], tuple[Spec, Callable]] = {
    ("log",): (
        Spec(
            2, frozenset({"--kind", "--at", "--deal", "--next"}), frozenset({"--json"}), (("-k", "--kind"),)
        ),
        _log,
    ),
    ("contact", "show"): (Spec(1, flags=frozenset({"--json"})), _show),
    ("due",): (Spec(0, frozenset({"--within"}), frozenset({"--json", "--notify"})), _due),
}
GLOBAL_VALUES = frozenset({"--db", "--user"})


def _split(argv: list[str], values: frozenset[str], flags: frozenset[str], aliases: dict) -> tuple | None:
    """Options and positionals, or None when anything is outside the plain form."""
    opts: dict[str, str] = {}
    args: list[str] = []
    i = 0
    only_args = False
    while i < len(argv):
        word = argv[i]
        if only_args or not word.startswith("-") or word == "-":
            args.append(word)
        elif word == "--":
            only_args = True
        else:
            name, eq, value = word.partition("=")
            name = aliases.get(name, name)
            if name in values:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        return None
                    value = argv[i]
                opts[name] = value
            elif name in flags and not eq:
                opts[name] = ""
            else:
                return None
        i += 1
    return opts, args


def try_fast(argv: list[str]) -> int | None:
    """Run a hot command without Typer; None when it is not in its plain form."""
    globals_: dict[str, str] = {}
    i = 0
    while i < len(argv) and argv[i].startswith("--"):
        name, eq, value = argv[i].partition("=")
        if name not in GLOBAL_VALUES:
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
        globals_[name] = value
        i += 1
    rest = argv[i:]
    for words, (spec, run) in COMMANDS.items():
        if tuple(rest[: len(words)]) != words:
            continue
        split = _split(rest[len(words) :], spec.values, spec.flags, dict(spec.aliases))
        if split is None:
            return None
        opts, args = split
        if len(args) != spec.positionals:
            return None
        return _run(run, globals_, args, opts)
    return None


def _run(run: Callable, globals_: dict, args: list[str], opts: dict) -> int | None:
    from .output import fail
    from .session import State

    state = State(db=globals_.get("--db"), user=globals_.get("--user"))
    try:
        code = run(state, args, opts)
    except Exception as exc:  # noqa: BLE001 - the contract: one line, no traceback
        return fail(exc)
    finally:
        state.close()
    if code == -1:
        return None
    sys.stdout.flush()
    return code
