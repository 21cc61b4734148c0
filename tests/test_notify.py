"""Delivering notifications: the message, the channel chosen, apprise for real on localhost."""

from __future__ import annotations

import io
import json
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest

from tinycrm import notify
from tinycrm.errors import InvalidData
from tinycrm.reminders import DueItem

BERLIN = ZoneInfo("Europe/Berlin")


def item(text: str, day: int, *, overdue: bool = False, all_day: bool = True, contact: str | None = None):
    due = datetime(2026, 11, day, 0 if all_day else 14, 0, tzinfo=BERLIN)
    return DueItem(f"x:{day}:{text}", None, None, None, text, due, all_day, None, "manual", contact, overdue)


ITEMS = [
    item("Call Ada", 20, overdue=True, contact="Ada Lovelace"),
    item("Ada Lovelace's birthday", 22, contact="Ada Lovelace"),
    item("Meeting", 22, all_day=False),
]


def test_message_has_a_count_and_one_line_per_item() -> None:
    title, body = notify.message(ITEMS, BERLIN)
    assert title == "tinycrm: 3 due (1 overdue)"
    assert body.splitlines() == [
        "- overdue 2026-11-20  Call Ada (Ada Lovelace)",
        "- 2026-11-22  Ada Lovelace's birthday",
        "- 2026-11-22 14:00  Meeting",
    ]
    assert notify.message(ITEMS, BERLIN, limit=1)[1].splitlines()[-1] == "… and 2 more (tinycrm due)"


def test_an_injected_sender_gets_title_body_and_urls() -> None:
    got = []
    channel = notify.send(ITEMS, ["x://y"], tz=BERLIN, sender=lambda *a: got.append(a))
    assert channel == "sender"
    assert got == [(*notify.message(ITEMS, BERLIN), ["x://y"])]


@pytest.mark.parametrize(
    ("display", "has_tool", "expected"),
    [(":0", True, "desktop"), ("", True, "stdout"), (":0", False, "stdout")],
)
def test_without_urls_the_desktop_or_stdout(monkeypatch, display, has_tool, expected) -> None:
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(notify.shutil, "which", lambda name: "/usr/bin/notify-send" if has_tool else None)
    shown = []
    monkeypatch.setattr(notify, "desktop_send", lambda title, body: shown.append(title))
    out = io.StringIO()
    assert notify.send(ITEMS, tz=BERLIN, out=out) == expected
    if expected == "desktop":
        assert (shown, out.getvalue()) == (["tinycrm: 3 due (1 overdue)"], "")
    else:
        assert out.getvalue().startswith("tinycrm: 3 due (1 overdue)\n- overdue 2026-11-20")


def test_a_failing_notify_send_is_a_notify_error(monkeypatch, tmp_path) -> None:
    tool = tmp_path / "notify-send"
    tool.write_text("#!/bin/sh\necho 'no session bus' >&2\nexit 1\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(notify.NotifyError, match="notify-send exited 1: no session bus"):
        notify.desktop_send("t", "b")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mailto://user:secret@example.com", "mailto://…"),
        ("ntfy://ntfy.sh/topic", "ntfy://…"),
        ("tgram://123456:AABBCC/4242", "tgram://…"),
        ("plain", "plain"),
    ],
)
def test_urls_in_error_lines_lose_their_secrets(url, shown) -> None:
    assert notify._redact(url) == shown


# --- apprise for real, on localhost only ---------------------------------------------------


class _Sink(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def sink():
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    _Sink.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Sink.received
    server.shutdown()
    server.server_close()


def test_apprise_delivers_to_a_json_endpoint(sink) -> None:
    port, received = sink
    assert notify.send(ITEMS, [f"json://127.0.0.1:{port}/"], tz=BERLIN) == "apprise"
    assert len(received) == 1
    assert received[0]["title"] == "tinycrm: 3 due (1 overdue)"
    assert "Call Ada" in received[0]["message"]


def test_apprise_failure_is_a_notify_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(notify.NotifyError, match="retried on the next run"):
        notify.send(ITEMS, [f"json://127.0.0.1:{port}/"], tz=BERLIN)


def test_an_unknown_url_is_refused_before_sending() -> None:
    with pytest.raises(InvalidData, match="invalid notification URL 'nosuch://…'"):
        notify.send(ITEMS, ["nosuch://x"], tz=BERLIN)
