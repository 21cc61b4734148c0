"""Readable colours in any theme: text variables raised to WCAG AA against the backgrounds they sit on.

tinycrm styles everything with the theme's variables, so Textual's theme picker recolours the
whole screen. Some built-in pairs are too faint for text (the highlighted row's `auto 87%`
foreground on `$primary` is 3.8:1, the light footer's key letters 2.9:1), so the app passes its
variables through `readable()`: each text colour that falls under 4.5:1 on one of its
backgrounds is made more opaque, then moved towards black or white, until it reads — the
theme's hue is kept wherever it already reads.
"""

from __future__ import annotations

from textual.color import Color, ColorParseError

AA = 4.5
"""WCAG AA for normal text."""

PAIRS: dict[str, tuple[str, ...]] = {
    # text variable: the backgrounds it is drawn on
    "foreground": ("background", "surface", "panel"),
    "text-muted": ("background", "surface", "panel"),
    "foreground-muted": ("background", "surface", "panel"),
    "text-error": ("background", "surface", "panel", "error-muted"),
    "text-accent": ("background", "surface", "panel"),
    "text-primary": ("background", "surface", "panel"),
    "text-warning": ("background", "surface", "panel"),
    "text-success": ("background", "surface", "panel"),
    "accent": ("background", "surface", "panel"),
    "error": ("background", "surface", "panel"),
    "block-cursor-foreground": ("block-cursor-background",),
    "block-cursor-blurred-foreground": ("block-cursor-blurred-background",),
    "footer-key-foreground": ("footer-background",),
    "footer-description-foreground": ("footer-background",),
    "footer-foreground": ("footer-background",),
    "input-selection-foreground": ("input-selection-background",),
}
"""What tinycrm and the Textual widgets it uses draw text with, and on what."""

BASES = ("background", "surface", "panel")


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _solid(value: str, variables: dict[str, str], under: Color) -> Color:
    """A variable's colour as drawn over `under` (alpha blended; `auto N%` the contrast text)."""
    text = value.strip()
    if text.startswith("auto"):
        alpha = float(text[4:].strip().rstrip("%") or 100) / 100
        return under.blend(under.get_contrast_text(1.0), alpha)
    if text.startswith("$"):
        return _solid(variables[text[1:]], variables, under)
    base, _, percent = text.partition(" ")
    color = Color.parse(base)
    alpha = color.a * (float(percent.strip().rstrip("%")) / 100 if percent.strip() else 1.0)
    return under.blend(color.with_alpha(1.0), alpha) if alpha < 1 else color


def _background(name: str, variables: dict[str, str]) -> Color:
    """A background variable as drawn on the screen's background (alpha blended)."""
    base = Color.parse(variables["background"])
    return _solid(variables[name], variables, base) if name != "background" else base


def _worst(fg: str, backgrounds: list[Color], variables: dict[str, str]) -> float:
    return min(ratio(_solid(fg, variables, bg), bg) for bg in backgrounds)


def readable(variables: dict[str, str]) -> dict[str, str]:
    """The theme's variables with every text colour of `PAIRS` at ≥ 4.5:1 on its backgrounds."""
    out = dict(variables)
    for name, under in PAIRS.items():
        if name not in out or any(b not in out for b in under):
            continue
        try:
            backgrounds = [_background(b, out) for b in under]
            if _worst(out[name], backgrounds, out) < AA:
                out[name] = _fix(out[name], backgrounds, out)
        except (ColorParseError, KeyError, ValueError):
            continue  # a theme written in a way not foreseen here keeps its own colour
    return out


def _fix(value: str, backgrounds: list[Color], variables: dict[str, str]) -> str:
    """The nearest readable colour: opaque first, then step towards black or white."""
    if value.strip().startswith("auto"):
        for alpha in range(60, 101, 5):
            candidate = f"auto {alpha}%"
            if _worst(candidate, backgrounds, variables) >= AA:
                return candidate
    color = _solid(value, variables, backgrounds[0])
    light_backgrounds = sum(luminance(b) for b in backgrounds) / len(backgrounds) > 0.18
    target = Color(0, 0, 0) if light_backgrounds else Color(255, 255, 255)
    for step in range(1, 21):
        moved = color.blend(target, step / 20)
        if min(ratio(moved, b) for b in backgrounds) >= AA:
            return moved.hex
    return target.hex
