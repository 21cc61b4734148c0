"""The hot commands as plain functions of (state, arguments): shared by Typer and `tinycrm.fast`.

No Typer, Textual or Rich here: these paths must start fast.
"""

from __future__ import annotations

import sys

from .output import emit_fields, emit_json, pad, use_color
from .session import State, local_text

TIMELINE_SHOWN = 20


def _heading(text: str) -> str:
    return f"\033[1m{text}\033[0m" if use_color() else text


def show_contact(st: State, ref: str, *, as_json: bool = False) -> int:
    """`contact show REF`: one customer's whole picture."""
    from .services.contacts import picture as contact_picture

    contact = st.store().resolve(ref, include_trash=True)
    picture = contact_picture(st.store(), contact, limit=None if as_json else TIMELINE_SHOWN)
    if as_json:
        emit_json(picture)
        return 0
    out = sys.stdout
    head = f"{contact['name']}  (#{contact['id']}, {contact['kind']}"
    head += ", in the trash)" if contact["deleted_at"] else ")"
    out.write(_heading(head) + "\n")
    bday = contact["birthday"]
    if bday and contact["birthday_lunar"]:
        bday += " (lunar)"
    last = local_text(contact["last_contacted_at"])
    emit_fields(
        [
            ("org", contact["org"]),
            ("title", contact["title"]),
            ("e-mail", contact["emails"]),
            ("phone", contact["phones"]),
            ("address", contact["addresses"]),
            ("tags", contact["tags"]),
            ("tier", contact["tier"]),
            ("owner", contact["owner"]),
            ("birthday", bday),
            (
                "anniversaries",
                [
                    f"{a['label']} {a['date']}" + (" (lunar)" if a["lunar"] else "")
                    for a in contact["anniversaries"]
                ],
            ),
            ("keep in touch", f"every {contact['every']}" if contact["every"] else None),
            ("next touch", local_text(contact["next_touch_at"], all_day=True) if contact["every"] else None),
            ("last contact", last or "never"),
            ("aka", contact["aliases"]),
            *[(k, v) for k, v in contact["fields"].items()],
            ("notes", contact["notes"]),
        ]
    )
    people = picture.get("people")
    if people:
        out.write("\n" + _heading(f"People ({len(people)})") + "\n")
        for person in people:
            title = f"  {person['title']}" if person["title"] else ""
            out.write(f"  #{person['id']}  {person['name']}{title}\n")
    interactions = picture["interactions"]
    total = picture["interaction_count"]
    out.write("\n" + _heading(f"Timeline ({len(interactions)} of {total})") + "\n")
    if not interactions:
        out.write("  no interactions yet\n")
    for item in interactions:
        deal = f"  [deal {item['deal_id']}]" if item["deal_id"] else ""
        out.write(
            f"  {local_text(item['at'])}  {pad(item['kind'], 7)}  {item['summary']}{deal}  ({item['user']})\n"
        )
    deals = picture["deals"]
    out.write("\n" + _heading(f"Deals ({len(deals)})") + "\n")
    if not deals:
        out.write("  no deals\n")
    for deal in deals:
        star = "  ★ key" if deal["key"] else ""
        close = f"  close {deal['close_date']}" if deal["close_date"] else ""
        reason = f" ({deal['lost_reason']})" if deal["lost_reason"] else ""
        out.write(
            f"  #{deal['id']}  {deal['title']}  {deal['value']} {deal['currency']}"
            f"  {deal['stage']} {deal['probability']}%  {deal['status']}{reason}{close}{star}\n"
        )
    reminders = picture["reminders"]
    out.write("\n" + _heading(f"Reminders ({len(reminders)})") + "\n")
    if not reminders:
        out.write("  none open\n")
    for rem in reminders:
        every = f"  (every {rem['every']})" if rem["every"] else ""
        out.write(f"  #{rem['id']}  {local_text(rem['due'], all_day=rem['all_day'])}  {rem['text']}{every}\n")
    return 0


def log_interaction(
    st: State,
    ref: str,
    text: str,
    *,
    kind: str = "note",
    at: str | None = None,
    deal: int | None = None,
    next_when: str | None = None,
    as_json: bool = False,
) -> int:
    """`log REF TEXT`: record an interaction, optionally with a follow-up."""
    from .services.interactions import log_interaction as log

    record = log(
        st.store(), ref, text, now_local=st.local_now(), kind=kind, at=at, deal_id=deal,
        next_when=next_when,
    )
    if as_json:
        emit_json(record)
        return 0
    line = f"logged {record['id']}: {kind} with {record['contact']}"
    follow_up = record["follow_up"]
    if follow_up:
        line += f"; follow up {local_text(follow_up['due'], all_day=follow_up['all_day'])}"
    sys.stdout.write(line + "\n")
    return 0


def show_due(
    st: State,
    *,
    within: str | None = None,
    as_json: bool = False,
    notify: bool = False,
    urls: tuple[str, ...] | list[str] = (),
    sender=None,
) -> int:
    """`due`: everything due by the end of today (or within DURATION), overdue first.

    Silence is the contract: when nothing is due the text and `--notify` forms print nothing
    and exit 0, so a crontab line mails nothing. `--json` prints `[]` then, because `--json`
    always prints one JSON document and `jq` and `json.loads` fail on empty input.
    `--notify` sends only occurrences not notified before and records them after a
    successful send; a failed send is an `error:` line, exit 1, and is retried next run.
    """
    from . import agenda
    from .dates import format_local

    store = st.store()
    now = st.local_now()
    tz = now.tzinfo
    items = agenda.collect(store, now, agenda.horizon(now, within))
    if notify:
        from .notify import send

        items = agenda.notify_once(
            store, items, lambda mine: send(mine, tuple(urls), tz=tz, sender=sender)
        )
        if not as_json:
            return 0
    if as_json:
        _emit_due_json(items, tz)
        return 0
    if not items:
        return 0
    today = now.date()
    rows = []
    for item in items:
        day = item.due.astimezone(tz).date()
        if item.overdue:
            mark = "overdue"
        elif day == today:
            mark = "today"
        else:
            mark = day.strftime("%a")
        who = f" — {item.contact}" if item.contact and item.contact not in item.text else ""
        ref = str(item.id) if item.id is not None else item.key
        rows.append((format_local(item.due, tz, item.all_day), mark, item.text + who, ref))
    from .output import width

    due_w = max(len(r[0]) for r in rows)
    text_w = min(60, max(width(r[2]) for r in rows))
    color = use_color()
    out = []
    for due, mark, text, ref in rows:
        shown = f"{due:<{due_w}}  {mark:<7}"
        if color and mark == "overdue":
            shown = f"\033[31m{shown}\033[0m"
        out.append(f"{shown}  {pad(text, text_w)}  {ref}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _emit_due_json(items: list, tz) -> None:
    """A JSON array of due items, one per line: the C encoder (no indent) keeps 10k items fast."""
    import json

    if not items:
        sys.stdout.write("[]\n")
        return
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    sys.stdout.write("[\n  " + ",\n  ".join(dumps(i.to_json(tz)) for i in items) + "\n]\n")
