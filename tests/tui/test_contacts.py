"""The contacts screen: filter as you type, sort, open, saved filters, other writers, paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import fixed_clock, settle
from rich.cells import cell_len

from tinycrm.store import Store
from tinycrm.tui.screens.contact import ContactScreen
from tinycrm.tui.screens.contacts import ContactsScreen
from tinycrm.tui.widgets.contact_table import PAGE_SIZE, ContactTable, fit

SIZE = (100, 30)


def names(app) -> list[str]:
    """Names of the rows on screen, top to bottom."""
    return [row.cells[0] for row in app.screen.query_one(ContactTable).visible_rows()]


async def type_filter(pilot, text: str) -> None:
    """Go to the search bar, replace its text key by key, wait for the table."""
    await pilot.press("slash", "ctrl+a", "ctrl+k")
    await pilot.press(*text)
    await settle(pilot)


async def test_the_first_screen_lists_contacts_by_name(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert names(app) == [
            "Ada Lovelace", "Alan Turing", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton",
            "王芳", "张伟",  # by pinyin: wang, zhang
        ]  # fmt: skip
        status = str(app.screen.query_one("#contacts-status").render())
        assert "7 contacts" in status


async def test_typing_a_filter_narrows_the_table_as_you_type(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "tag:vip")
        assert names(app) == ["Ada Lovelace", "Grace Hopper", "Margaret Hamilton"]
        await pilot.press("space", *"-org:mit")
        await settle(pilot)
        assert names(app) == ["Ada Lovelace", "Grace Hopper"]
        assert "2 contacts" in str(app.screen.query_one("#contacts-status").render())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("张", ["张伟"]), ("zw", ["张伟"]), ("华星", ["王芳"]), ("ada", ["Ada Lovelace"])],
)
async def test_chinese_substrings_and_pinyin_initials_find_contacts(app, text, expected) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#filter").value = text
        await settle(pilot)
        assert names(app) == expected


async def test_a_malformed_filter_shows_one_line_and_keeps_the_last_result(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "vip")
        assert len(names(app)) == 3
        await pilot.press(*" (tag:")
        await settle(pilot)
        error = app.screen.query_one("#filter-error")
        assert error.has_class("-visible")
        message = str(error.render())
        assert message
        assert "\n" not in message
        assert len(names(app)) == 3  # the last good result stays
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await settle(pilot)
        assert not error.has_class("-visible")


async def test_the_sort_key_cycles_columns_and_reverses(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ContactTable)
        await pilot.press("s")  # org
        await settle(pilot)
        assert table.shown.sort == "org"
        assert names(app)[0] == "Ada Lovelace"  # Acme Corp
        await pilot.press("S")
        await settle(pilot)
        assert table.shown.sort == "-org"
        assert names(app)[0] in ("张伟", "王芳")  # CJK sorts after Latin
        assert "sorted by organisation ▼" in str(app.screen.query_one("#contacts-status").render())


async def test_clicking_a_header_sorts_by_that_column(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ContactTable)
        await pilot.click(ContactTable, offset=(2, 0))  # the Name header: reverse
        await settle(pilot)
        assert table.shown.sort == "-name"
        assert names(app)[0] == "张伟"  # zhang: last by pinyin


async def test_enter_opens_the_contact_under_the_cursor(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Grace Hopper
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == ids["grace"]


async def test_double_click_opens_a_contact(app, ids) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(ContactTable, offset=(5, 1), times=2)
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == ids["ada"]


async def test_a_saved_filter_is_recalled_with_a_key(app, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "tag:vip")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"vips", "enter")
        await settle(pilot)
        with Store.open(db, "tester", clock=fixed_clock) as store:
            assert store.setting("filter:vips") == "tag:vip"
        await type_filter(pilot, "")
        assert len(names(app)) == 7
        await pilot.press("escape", "f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#filter").value == "tag:vip"
        assert names(app) == ["Ada Lovelace", "Grace Hopper", "Margaret Hamilton"]


async def test_a_write_by_another_process_shows_up(app, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Store.open(db, "cron", clock=fixed_clock) as other:
            other.add_contact("Barbara Liskov", org="MIT")
        app._poll()  # what the 2-second timer and terminal focus do
        await settle(pilot)
        assert "Barbara Liskov" in names(app)


async def test_the_data_changed_message_reloads_keeping_the_filter(app, db) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_filter(pilot, "org:mit")
        with Store.open(db, "cron", clock=fixed_clock) as other:
            other.add_contact("Barbara Liskov", org="MIT")
        app.notify_changed(external=True)
        await settle(pilot)
        assert names(app) == ["Barbara Liskov", "Margaret Hamilton"]


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    """Two and a half pages of contacts."""
    path = tmp_path / "big.db"
    with Store.open(path, "tester", clock=fixed_clock) as store:
        for n in range(PAGE_SIZE * 2 + 50):
            store.add_contact(f"Client {n:03d}", org="客户公司" if n % 3 == 0 else "Acme")
    return path


async def test_pages_are_fetched_as_they_scroll_into_view(big_db) -> None:
    from tinycrm.tui.app import CrmApp

    app = CrmApp(big_db, "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ContactTable)
        assert table.count == 250
        assert set(table._pages) == {0}  # only what the screen needs
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == 249
        assert names(app)[-1] == "Client 249"
        assert 2 in table._pages
        await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_contact_id is not None


async def test_chinese_text_keeps_columns_aligned(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ContactTable)
        width = table.scrollable_content_region.width
        lines = [table.render_line(y) for y in range(9)]
        assert {line.cell_length for line in lines} == {width}
        texts = ["".join(seg.text for seg in line) for line in lines]
        zhang = next(t for t in texts if "张伟" in t)
        ada = next(t for t in texts if "Ada Lovelace" in t)
        # the organisation column starts at the same cell in both rows
        assert cell_len(zhang[: zhang.index("佛山")]) == cell_len(ada[: ada.index("Acme")])


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [("Ada", 5, "Ada  "), ("佛山企业电子有限公司", 7, "佛山企…"), ("张伟", 3, "张 …"[:0] + "张…"),
     ("Lovelace", 4, "Lov…")],
)
def test_fit_measures_terminal_cells_not_characters(text, width, expected) -> None:
    assert fit(text, width) == expected
    assert cell_len(fit(text, width)) == width


async def test_a_late_result_does_not_hide_the_error_of_the_text_typed_since(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#filter")
        bar.value = "last"  # a query starts…
        bar.value = "last>"  # …and the text turns malformed before its result lands
        await settle(pilot)
        assert app.screen.query_one(ContactTable).shown.filter == "last"
        assert app.screen.query_one("#filter-error").has_class("-visible")


async def test_an_empty_book_says_how_to_start(tmp_path: Path) -> None:
    from tinycrm.tui.app import CrmApp

    Store.open(tmp_path / "empty.db", "tester", clock=fixed_clock).close()
    app = CrmApp(tmp_path / "empty.db", "tester", clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#contacts-status").render())
        assert "No contacts yet" in status
        assert "tinycrm demo" in status
