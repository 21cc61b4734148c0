"""`tinycrm import` and `export csv|vcard|json`: the options and help; `tinycrm.commands.transfer` runs them.

`export` is the sub-app of `tinycrm.cli.remind` (where `export ics` lives); the formats here
add themselves to it, and a bare `tinycrm export` prints its help.
"""

from typing import Annotated

import typer

from ..commands import transfer as run
from ._common import JsonOpt, runs
from .remind import export_app

FilterArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="[FILTER]...", help='Only these contacts, e.g. tag:vip or "last<30d".'),
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE, 0600 (default: stdout).")
]


@runs(run.import_)
def import_(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="FILE|DIR|-", help="A CSV, vCard or JSON file, a vdir, or - for stdin.")
    ],
    format_: Annotated[
        str | None,
        typer.Option("--format", metavar="csv|vcard|json",
                     help="The format (default: detected from the content)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="COLUMN=FIELD",
                     help="Read a CSV column as a field, e.g. --map 'Cell=phone' (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what each record would do; change nothing.")
    ] = False,
    on_duplicate: Annotated[
        str,
        typer.Option("--on-duplicate", metavar="skip|merge|new",
                     help="A record already in the book: merge what it adds, skip it, or add it anew."),
    ] = "merge",
    skip_errors: Annotated[
        bool, typer.Option("--skip-errors", help="Import the good records, report the bad ones.")
    ] = False,
    rejects: Annotated[
        str | None,
        typer.Option("--rejects", metavar="FILE",
                     help="With --skip-errors: write the bad records to FILE (CSV)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import contacts from a file, a vdir or stdin: all or none, one undo step.

    Examples:

      tinycrm import contacts.csv --dry-run

      tinycrm import google.csv --skip-errors --rejects rejects.csv

      tinycrm import ~/.contacts/work --on-duplicate skip

      cat book.json | tinycrm import -
    """


def _export_help(ctx: typer.Context) -> None:
    """Export the book to other programs: csv, vcard, json, ics."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@export_app.command("csv", short_help="Contacts as a Google-format CSV")
@runs(run.export_csv)
def export_csv(
    ctx: typer.Context,
    filter_: FilterArg = None,
    output: OutputOpt = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start with a BOM, for a spreadsheet to open.")] = False,
) -> None:
    """Contacts as a Google-format CSV, which `tinycrm import` reads back.

    Example: tinycrm export csv tag:vip -o vip.csv
    """


@export_app.command("vcard")
@runs(run.export_vcard)
def export_vcard(
    ctx: typer.Context,
    filter_: FilterArg = None,
    output: OutputOpt = None,
    vdir: Annotated[
        str | None,
        typer.Option("--vdir", metavar="DIR", help="One UID.vcf per contact in DIR (for khard, vdirsyncer)."),
    ] = None,
    version: Annotated[
        str, typer.Option("--version", metavar="3.0|4.0", help="The vCard version to write.")
    ] = "4.0",
) -> None:
    """Contacts as vCards: one file, or a vdir with a stable UID per card.

    Example: tinycrm export vcard --vdir ~/.contacts/tinycrm --version 3.0
    """


@export_app.command("json")
@runs(run.export_json)
def export_json(ctx: typer.Context, filter_: FilterArg = None, output: OutputOpt = None) -> None:
    """Contacts with their interactions, deals and reminders; `tinycrm import` reads it back.

    Example: tinycrm export json -o book.json
    """


def register(root: typer.Typer) -> None:
    """Add `import` to the root app; make a bare `export` print its help."""
    root.command("import")(import_)
    export_app.callback(invoke_without_command=True, no_args_is_help=False)(_export_help)
