"""Output cannot be turned against the user: control characters and markup are shown, not obeyed."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tinycrm import notify, output
from tinycrm.errors import InvalidData
from tinycrm.reminders import DueItem
from tinycrm.validate import check_name, visible

EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mEvil"
BERLIN = ZoneInfo("Europe/Berlin")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (EVIL, "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mEvil"),
        ("two\nrows", "two\\nrows"),
        ("a\tb\rc", "a\\tb\\rc"),
        ("del\x7f csi\x9b", "del\\x7f csi\\x9b"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("line\u2028sep", "line\\u2028sep"),
        ("张伟 Ada [red]x", "张伟 Ada [red]x"),
        (42, "42"),
    ],
)
def test_safe_escapes_control_characters(text: object, shown: str) -> None:
    assert output.safe(text) == shown


def no_raw_controls(text: str) -> bool:
    return not any(ord(ch) < 0x20 and ch != "\n" or 0x7F <= ord(ch) < 0xA0 for ch in text)


@pytest.mark.parametrize("stream_class", [io.StringIO, Tty], ids=["piped", "terminal"])
def test_tables_never_replay_escapes_or_split_rows(stream_class: type[io.StringIO]) -> None:
    out = stream_class()
    output.emit_table([{"name": EVIL}, {"name": "two\nrows"}], [("name", "Name")], title=EVIL, stream=out)
    text = out.getvalue().replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[3m", "")
    assert "\x1b" not in text
    assert "\x07" not in text
    assert text.count("\\x1b]0;pwned") == 2  # the title and the row
    lines = [line.strip() for line in text.splitlines()]
    assert "two\\nrows" in lines
    assert "rows" not in lines


def test_rich_table_does_not_read_markup_in_names() -> None:
    out = Tty()
    output.emit_table([{"name": "[red]Evil[/red] [link=http://x]y[/link]"}], [("name", "Name")], stream=out)
    assert "[red]Evil[/red]" in out.getvalue()


def test_fields_escape_values_and_labels() -> None:
    out = io.StringIO()
    output.emit_fields([("name", EVIL), ("x\ny", "v")], stream=out)
    assert no_raw_controls(out.getvalue())
    assert len(out.getvalue().splitlines()) == 2


def test_json_escapes_every_control_character_and_stays_exact() -> None:
    data = {"name": EVIL + "\x7f\x9b\u2028\u202e\n"}
    out = io.StringIO()
    output.emit_json(data, out)
    assert no_raw_controls(out.getvalue().replace("\n", ""))
    assert "\u2028" not in out.getvalue()
    assert "\u202e" not in out.getvalue()
    assert json.loads(out.getvalue()) == data


def test_csv_is_exact_when_piped_and_escaped_on_a_terminal() -> None:
    piped, tty = io.StringIO(), Tty()
    output.emit_csv([{"name": EVIL}], ["name"], piped)
    output.emit_csv([{"name": EVIL}], ["name"], tty)
    assert EVIL in piped.getvalue()
    assert no_raw_controls(tty.getvalue().replace("\n", ""))


def test_error_lines_escape_what_the_user_typed(capsys: pytest.CaptureFixture[str]) -> None:
    output.error(f"invalid date '{EVIL}'")
    assert no_raw_controls(capsys.readouterr().err.replace("\n", ""))


def test_notification_lines_escape_names_and_text() -> None:
    item = DueItem("k", 1, 2, None, f"call {EVIL}\nforged", datetime(2026, 11, 22, tzinfo=BERLIN),
                   True, None, "manual", contact="x\x1b[2Jy")  # fmt: skip
    title, body = notify.message([item], BERLIN)
    assert no_raw_controls(body)
    assert len(body.splitlines()) == 1
    out = io.StringIO()
    notify.send([item], tz=BERLIN, out=out) if not notify.has_desktop() else None
    assert no_raw_controls(out.getvalue().replace("\n", ""))


@pytest.mark.parametrize(
    "name", ["\u200b", "\x7f", "   ", "\t\n", "\u200b\u200b \x00", "\u202e", "\u0301", ""]
)
def test_names_with_nothing_visible_are_refused(name: str) -> None:
    with pytest.raises(InvalidData, match="visible character"):
        check_name(name)


@pytest.mark.parametrize(
    ("name", "kept"),
    [("Ada", "Ada"), ("  张伟 ", "张伟"), (EVIL, EVIL), ("x\u200b", "x\u200b"), ("🙂", "🙂")],
)
def test_names_with_something_visible_are_kept_as_given(name: str, kept: str) -> None:
    assert check_name(name) == kept
    assert visible(name)


def test_overlong_names_are_refused() -> None:
    with pytest.raises(InvalidData, match="at most 200 characters"):
        check_name("a" * 201)


def test_tui_rows_show_names_escaped_and_never_as_markup() -> None:
    from datetime import timezone

    from tinycrm.tui.screens.agenda import detail, row
    from tinycrm.tui.widgets.contact_table import format_row

    contact = {"id": 1, "name": EVIL, "org": "[red]Acme", "kind": "person", "tags": ["a\nb"],
               "tier": None, "last_contacted_at": None, "next_touch_at": None}  # fmt: skip
    cells = format_row(contact, None, datetime(2026, 11, 22, tzinfo=timezone.utc), BERLIN).cells
    assert all(no_raw_controls(cell) and "\n" not in cell for cell in cells)
    assert cells[1] == "[red]Acme"
    item = DueItem("k", 1, 2, None, "[b]x[/b]\x1b[2J", datetime(2026, 11, 22, tzinfo=BERLIN), True,
                   None, "manual", contact=EVIL)  # fmt: skip
    shown = row(item, datetime(2026, 11, 22).date())
    assert "[b]x[/b]" in shown.plain
    assert no_raw_controls(shown.plain)
    assert no_raw_controls(detail(item))
