"""Delivering `due --notify`: apprise URLs, a desktop notification, or a plain summary.

- with URLs: through apprise (e-mail, ntfy, Telegram, Slack…), imported only here because
  its import costs more than the whole `due` budget;
- without: `notify-send` when it exists and a display does (DISPLAY / WAYLAND_DISPLAY);
  otherwise the summary goes to stdout, which cron mails to the user.

A delivery either succeeds or raises `NotifyError` (exit 1); the caller records the
occurrences as notified only after success, so a failed send is retried by the next run.
With several URLs one failing fails the send, and the next run sends to all of them again:
a message twice is better than a missed one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import TextIO

from .cells import safe
from .dates import format_local
from .errors import CrmError, InvalidData
from .reminders import DueItem

DESKTOP_LINES = 8
"""A desktop notification shows this many items, then 'and N more'."""

Sender = Callable[[str, str, Sequence[str]], object]
"""(title, body, urls) → None; raises NotifyError when the message could not be delivered."""


class NotifyError(CrmError):
    """A notification could not be delivered; nothing is recorded as notified."""


def line(item: DueItem, tz: tzinfo) -> str:
    """One item for people: its due, overdue mark, text and contact."""
    when = format_local(item.due, tz, item.all_day)
    mark = "overdue " if item.overdue else ""
    who = f" ({safe(item.contact)})" if item.contact and item.contact not in item.text else ""
    return f"{mark}{when}  {safe(item.text)}{who}"


def message(items: Sequence[DueItem], tz: tzinfo, *, limit: int | None = None) -> tuple[str, str]:
    """The title and body of a notification about `items`."""
    overdue = sum(item.overdue for item in items)
    title = f"tinycrm: {len(items)} due" + (f" ({overdue} overdue)" if overdue else "")
    shown = items if limit is None else items[:limit]
    body = [f"- {line(item, tz)}" for item in shown]
    if len(items) > len(shown):
        body.append(f"… and {len(items) - len(shown)} more (tinycrm due)")
    return title, "\n".join(body)


def has_desktop() -> bool:
    """True when `notify-send` exists and there is a display to show it on."""
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return bool(display) and shutil.which("notify-send") is not None


def desktop_send(title: str, body: str) -> None:
    """A desktop notification through notify-send."""
    try:
        done = subprocess.run(
            ["notify-send", "--app-name=tinycrm", title, body],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NotifyError(f"notification failed: notify-send: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or "").strip().splitlines()
        raise NotifyError(
            f"notification failed: notify-send exited {done.returncode}"
            + (f": {detail[0]}" if detail else "")
        )


def apprise_send(title: str, body: str, urls: Sequence[str]) -> None:
    """Send through apprise to every URL; any URL apprise does not know is refused first."""
    import logging

    import apprise

    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # the one error line is ours
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            raise InvalidData(f"invalid notification URL '{_redact(url)}': see apprise's URL list")
    try:
        ok = sender.notify(title=title, body=body)
    except Exception as exc:  # noqa: BLE001 - a plugin's failure is a failed send
        raise NotifyError(f"notification failed: {exc.__class__.__name__}: {exc}") from None
    if not ok:
        shown = ", ".join(_redact(u) for u in urls)
        raise NotifyError(f"notification failed: could not send to {shown} (retried on the next run)")


def _redact(url: str) -> str:
    """Only a URL's scheme, for error lines cron mails around: tokens hide in hosts and paths."""
    scheme, sep, _ = url.partition("://")
    return f"{scheme}://…" if sep else url


def send(
    items: Sequence[DueItem],
    urls: Sequence[str] = (),
    *,
    tz: tzinfo,
    sender: Sender | None = None,
    out: TextIO | None = None,
) -> str:
    """Deliver a notification about `items`; returns the channel: 'sender', 'apprise', 'desktop', 'stdout'."""
    if sender is not None:
        title, body = message(items, tz)
        sender(title, body, urls)
        return "sender"
    if urls:
        title, body = message(items, tz)
        apprise_send(title, body, urls)
        return "apprise"
    if has_desktop():
        title, body = message(items, tz, limit=DESKTOP_LINES)
        desktop_send(title, body)
        return "desktop"
    title, body = message(items, tz)
    stream = out or sys.stdout
    stream.write(f"{title}\n{body}\n")
    return "stdout"
