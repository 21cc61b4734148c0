"""Every piece of text on every screen reads at WCAG AA (≥ 4.5:1) in both themes.

The ratios are computed from what the screen really draws: each screen is rendered with
Pilot and every non-blank segment's foreground is measured against its background, after
`dim` is applied the way a terminal does (half-way to the background, Textual's DimFilter).
So a colour taken from the theme, a `dim` style or a highlighted row are all checked alike,
including the highlighted row of the contacts table (tags, overdue dates) and the
dashboard's digits in the light theme.
"""

from __future__ import annotations

import io

import pytest
from pilot_helpers import fixed_clock, settle
from rich.color import Color as RichColor
from rich.console import Console
from rich.segment import Segment
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tinycrm.tui.app import CrmApp
from tinycrm.tui.theme import PAIRS, _background, _solid, ratio, readable

AA = 4.5
THEMES = ["textual-dark", "textual-light"]
SCREENS = ["contacts", "agenda", "pipeline", "dashboard", "contact", "help"]
DIM = 0.5
"""How far a terminal moves dim text towards its background (Textual's DimFilter)."""


def _color(rich: RichColor | None, default: Color) -> Color:
    if rich is None or rich.is_default:
        return default
    return Color.from_rich_color(rich)


def low_contrast(app: CrmApp, segments: list[list[Segment]]) -> list[tuple[float, str, str, str]]:
    """(ratio, text, fg, bg) of every drawn text whose contrast is under AA."""
    variables = app.get_css_variables()
    default_fg = Color.parse(variables["foreground"])
    default_bg = Color.parse(variables["background"])
    out = []
    for line in segments:
        for segment in line:
            text, style = segment.text, segment.style
            if not text.strip() or style is None or segment.control:
                continue
            if not any(ch.isalnum() for ch in text):
                continue  # borders, bars, block glyphs, scrollbars: pictures, not text
            fg = _color(style.color, default_fg)
            bg = _color(style.bgcolor, default_bg)
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = bg.blend(fg, DIM)
            value = ratio(fg, bg)
            if value < AA:
                out.append((round(value, 2), text.strip(), fg.hex, bg.hex))
    return out


def _within(line: list[Segment], start: int, end: int) -> list[Segment]:
    """The segments of a line that begin between two cell offsets."""
    out, x = [], 0
    for segment in line:
        if start <= x < end:
            out.append(segment)
        x += segment.cell_length
    return out


async def _show(pilot, screen: str, ids: dict[str, int]) -> None:
    app = pilot.app
    await settle(pilot)
    if screen == "contact":
        app.show_contact(ids["ada"])
    elif screen == "help":
        app.action_help()
    elif screen != "contacts":
        app.switch_mode(screen)
    await settle(pilot)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", SCREENS)
async def test_every_text_on_every_screen_has_aa_contrast(db, ids, screen: str, theme: str) -> None:
    app = CrmApp(db, "tester", clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        app.theme = theme
        await _show(pilot, screen, ids)
        await pilot.pause()
        # a modal's backdrop is the screen below faded on purpose: only the top screen is read
        update = app.screen._compositor.render_update(full=True, screen_stack=[])
        console = Console(
            width=120, height=35, color_system="truecolor", force_terminal=True, file=io.StringIO()
        )
        lines = list(Segment.split_lines(console.render(update, console.options)))
        if screen == "help":  # only the dialog: around it is the faded screen below
            box = app.screen.query_one("#help").region
            lines = [_within(line, box.x, box.right) for line in lines[box.y : box.bottom]]
        bad = low_contrast(app, lines)
        assert not bad, f"{len(bad)} low-contrast texts: {sorted(set(bad))[:40]}"


def test_ratio_matches_the_wcag_examples() -> None:
    assert ratio(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert ratio(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_every_builtin_theme_gets_readable_text_colours(name: str) -> None:
    """The theme picker offers these: tinycrm's text reads in each of them."""
    theme = BUILTIN_THEMES[name]
    variables = readable({**theme.to_color_system().generate(), **theme.variables})
    for text, backgrounds in PAIRS.items():
        if text not in variables or any(b not in variables for b in backgrounds):
            continue
        for background in backgrounds:
            under = _background(background, variables)
            assert ratio(_solid(variables[text], variables, under), under) >= AA - 0.01, (text, background)
