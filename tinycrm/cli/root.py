"""The Typer command set: every command, option and help text, one sub-app module per noun.

Each command's body is its function in `tinycrm.commands` (see `_common.runs`). `main()`
runs the app without Click's standalone error printing so that every failure becomes one
`error:` line and the exit code of the contract (1: the request could not be done, 2: usage).
`tinycrm.cli.dispatch` runs the same functions from a table generated from this app, and
hands this module only what the table cannot parse exactly as Click would.

The Typer modules do not use `from __future__ import annotations`: Typer would then `eval`
every annotation string when it builds the commands, which doubles the cost of `--help`.
"""

import sys
from typing import Annotated, Any

import typer

try:  # Typer ≥ 0.29 carries its own copy of Click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older Typer on the real Click
    from click.exceptions import ClickException, UsageError  # type: ignore[assignment]  # Typer's copy

from .. import __version__
from ..output import error
from ._common import State, state
from .dispatch import report

app = typer.Typer(
    name="tinycrm",
    help="A customer-relationship manager for the terminal: contacts, interactions, deals "
    "and follow-ups in one SQLite file.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tinycrm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file (default: $TINYCRM_DB, else the user data dir).",
                     metavar="PATH"),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Acting user (default: $TINYCRM_USER, else the login name).",
                     metavar="NAME"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Open the full-screen interface on a terminal; print this help otherwise."""
    ctx.obj = State(db=db, user=user)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from ..commands.tui import run_tui

            run_tui(state(ctx))
        else:
            typer.echo(ctx.get_help())


def _register() -> None:
    from . import contact, core, deal, remind, tui

    app.add_typer(contact.app, name="contact")
    app.add_typer(deal.app, name="deal")
    core.register(app)
    remind.register(app)
    tui.register(app)
    from . import dupes, report, safety, team, tier, transfer

    transfer.register(app)  # import, export csv|vcard|json
    safety.register(app)  # backup, restore, check
    dupes.register(app)  # dupes, merge
    app.add_typer(report.app, name="report")
    app.add_typer(tier.app, name="tier")
    team.register(app)  # pool, target, share


_register()


# What an option's value is called in help when its declaration names none.
_VALUE_NAMES = {
    "birthday": "DATE", "at": "WHEN", "next": "WHEN", "close": "WHEN", "since": "WHEN",
    "until": "WHEN", "snooze": "WHEN", "email": "EMAIL", "phone": "PHONE", "tag": "TAG",
    "add_tag": "TAG", "rm_tag": "TAG", "rm_email": "EMAIL", "set": "KEY=VALUE", "unset": "KEY",
    "anniversary": "LABEL=DATE", "every": "EVERY", "eml": "FILE", "currency": "CODE",
    "value": "AMOUNT", "probability": "PERCENT", "from": "USER", "sort": "FIELD", "to": "USER",
    "owner": "USER", "user": "USER", "deal": "ID", "map": "COLUMN=FIELD", "rejects": "FILE", "output": "FILE",
}


def _short_help(text: str, limit: int = 62) -> str:
    """The first sentence of a command's help, cut at a clause when it is too long for one line.

    Click would cut it at a word and add "...", leaving lines like "silent..."."""
    first = text.split("\n\n")[0].replace("\n", " ").split(". ")[0].rstrip(".")
    if len(first) <= limit:
        return first
    depth, ticks, cut = 0, 0, 0
    for i, char in enumerate(first[:limit]):
        if depth == 0 and ticks % 2 == 0 and first.startswith(("; ", ": ", " ("), i):
            cut = i
        depth += {"(": 1, ")": -1}.get(char, 0)
        ticks += char == "`"
    return first[:cut] if cut else first[: first.rfind(" ", 0, limit)] + "…"


def _plain_help(command: Any) -> None:
    """Help in the words of the usage line, never Python's types (`<list[str]>`, `<int range>`).

    Typer 0.29 prints each parameter's annotation; this names every value instead (`--email
    EMAIL`, `--limit N`, `REF`), writes the usage line as `REF [FILTER]...` and leaves out
    Click's range notes (`[x>=1]`), which the help sentences already say in words."""
    for sub in getattr(command, "commands", {}).values():
        if sub.short_help is None and sub.help:
            sub.short_help = _short_help(sub.help)
        _plain_help(sub)
    for param in command.params:
        param._get_number_range_help_str = lambda: None
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "").strip("[]. ").upper()
            name = name.replace("]", "")
            many = "..." if param.nargs != 1 else ""
            param.metavar = name
            param.display_type_rich = lambda ctx: None
            param._rich_display_name = lambda name=name, many=many: name + many
            usage = (name if param.required else f"[{name}]") + many
            param._usage_display_name = lambda usage=usage: usage
        elif param.metavar is None and not param.is_flag and not param.count:
            kind = getattr(param, "type_descriptor", None)
            name = param.name.rstrip("_")
            default = "N" if getattr(kind, "annotation", None) is int else name.upper()
            param.metavar = _VALUE_NAMES.get(name, default)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (never shows a traceback by default)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        command = typer.main.get_command(app)
        _plain_help(command)
        result = command.main(args=args, prog_name="tinycrm", standalone_mode=False)
        sys.stdout.flush()
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Click turns Ctrl-C into Abort
            return 130
        error("aborted")
        return 1
    except UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        error(exc.format_message().splitlines()[0] + hint)
        return 2
    except ClickException as exc:
        error(exc.format_message().splitlines()[0])
        return exc.exit_code or 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the contract: one line, no traceback
        return report(exc)
