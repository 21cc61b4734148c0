"""`tinycrm contact …`: add, list, show, edit, rm, restore, forget, claim, release, reassign."""

from typing import Annotated

import typer

from ..commands import contact as run
from ._common import CsvOpt, JsonOpt, runs

app = typer.Typer(help="Add, find, show and change contacts (people and organisations).",
                  no_args_is_help=True)

OrgOpt = Annotated[str | None, typer.Option("--org", help="Organisation name.")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="person or org.")]
EmailOpt = Annotated[list[str] | None, typer.Option("--email", help="E-mail (repeatable).")]
PhoneOpt = Annotated[list[str] | None, typer.Option("--phone", help="Phone (repeatable).")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Job title.")]
BirthdayOpt = Annotated[
    str | None, typer.Option("--birthday", help="YYYY-MM-DD, or MM-DD without a year.")
]
LunarOpt = Annotated[
    bool | None, typer.Option("--lunar/--solar", help="The birthday is a Chinese lunar date.")
]
AnniversaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--anniversary",
        help="Another yearly date, LABEL=DATE (repeatable); DATE may start with lunar: "
        "(e.g. wedding=2015-06-20, 公司成立=lunar:03-15).",
    ),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free-text notes.")]
EveryOpt = Annotated[
    str | None, typer.Option("--every", help="Keep-in-touch cadence: 30d, 2w, 3m, 1y.")
]
OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Owner (default: you).")]
TierOpt = Annotated[str | None, typer.Option("--tier", help="Tier, e.g. A (tier rules may set it too).")]
AllowDuplicateOpt = Annotated[
    bool,
    typer.Option("--allow-duplicate", help="Keep an e-mail or phone that another contact already has."),
]
SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help="Custom field KEY=VALUE (repeatable).")
]


@app.command("add")
@runs(run.add)
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name (or organisation name with --kind org).")],
    org: OrgOpt = None,
    kind: KindOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    tag: TagOpt = None,
    title: TitleOpt = None,
    birthday: BirthdayOpt = None,
    lunar: LunarOpt = None,
    anniversary: AnniversaryOpt = None,
    note: NoteOpt = None,
    every: EveryOpt = None,
    owner: OwnerOpt = None,
    tier: TierOpt = None,
    set_: SetOpt = None,
    allow_duplicate: AllowDuplicateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a contact; prints its id. An e-mail or phone another contact has is refused."""


@app.command("list", context_settings={"ignore_unknown_options": True})
@runs(run.list_)
def list_(
    ctx: typer.Context,
    filter_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILTER]...", help="Filter terms, e.g. tag:vip last>30d 张."),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="name, org, created, updated, last, next, tier, owner, id;"
                          " prefix - to reverse.")
    ] = "name",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N contacts.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """List contacts matching a filter."""


@app.command("show")
@runs(run.show)
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """One customer's whole picture: details, timeline, deals, reminders."""


@app.command("edit")
@runs(run.edit)
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    org: OrgOpt = None,
    kind: KindOpt = None,
    email: Annotated[
        list[str] | None, typer.Option("--email", help="Add an e-mail (repeatable).")
    ] = None,
    phone: Annotated[
        list[str] | None, typer.Option("--phone", help="Add a phone (repeatable).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Add a tag (repeatable); the same as --add-tag.")
    ] = None,
    add_tag: Annotated[
        list[str] | None, typer.Option("--add-tag", help="Add a tag (repeatable).")
    ] = None,
    rm_tag: Annotated[
        list[str] | None, typer.Option("--rm-tag", help="Remove a tag (repeatable).")
    ] = None,
    rm_email: Annotated[
        list[str] | None, typer.Option("--rm-email", help="Remove an e-mail (repeatable).")
    ] = None,
    title: TitleOpt = None,
    birthday: BirthdayOpt = None,
    lunar: LunarOpt = None,
    anniversary: AnniversaryOpt = None,
    note: NoteOpt = None,
    every: EveryOpt = None,
    owner: OwnerOpt = None,
    tier: Annotated[str | None, typer.Option("--tier", help="Tier (A, B, C…).")] = None,
    set_: SetOpt = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", help="Remove a custom field (repeatable).")
    ] = None,
    allow_duplicate: AllowDuplicateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change fields of a contact ("" clears a text field)."""


@app.command("rm")
@runs(run.rm)
def rm(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Move a contact to the trash (restore brings it back)."""


@app.command("restore")
@runs(run.restore)
def restore(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Bring a contact back from the trash."""


@app.command("forget")
@runs(run.forget)
def forget(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase a person for good, history included (privacy requests)."""


@app.command("claim")
@runs(run.claim)
def claim(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Take a customer from the shared pool (within the pool's cool-down and daily limit)."""


@app.command("release")
@runs(run.release)
def release(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, e-mail, phone or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """Give one of your customers back to the shared pool."""


@app.command("reassign", short_help="Hand a colleague's customers to someone else",
             context_settings={"ignore_unknown_options": True})
@runs(run.reassign)
def reassign(
    ctx: typer.Context,
    filter_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILTER]...", help="Only customers matching these terms, e.g. tier:A."),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="The colleague whose customers move (required).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Who takes them (required).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Hand a colleague's customers, with their open deals and reminders, to another (one undo step).

    Example: tinycrm contact reassign --from ann --to ben tier:A
    """
