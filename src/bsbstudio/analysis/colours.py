"""The colours of codes: an accessible palette, each code's colour, and WCAG contrast.

Every palette colour stands out from a white page by at least 3:1 (WCAG 1.4.11, a swatch or a
margin bar is a graphic), and text drawn on it is black or white, whichever reaches 4.5:1.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (hex, name). Distinct hues, dark enough for a bar on white; the order is the order of use.
PALETTE = (
    ("#1f5fa8", _("Blue")),
    ("#b35900", _("Orange")),
    ("#2e7d32", _("Green")),
    ("#c62828", _("Red")),
    ("#6a3d9a", _("Purple")),
    ("#8c564b", _("Brown")),
    ("#ad1457", _("Pink")),
    ("#5f6368", _("Grey")),
    ("#00796b", _("Teal")),
    ("#283593", _("Dark blue")),
    ("#8a6d00", _("Ochre")),
    ("#558b2f", _("Light green")),
)

PALETTE_HEXES = tuple(hex_ for hex_, _name in PALETTE)

WHITE, BLACK = "#ffffff", "#000000"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The relative luminance of "#rrggbb" (WCAG 2)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return BLACK if contrast(colour, BLACK) >= contrast(colour, WHITE) else WHITE


def palette_colour(position: int) -> str:
    """The palette's colour for a code at ``position`` in the code tree (it repeats after 12)."""
    return PALETTE_HEXES[position % len(PALETTE_HEXES)]


def colour_of(code, position: int) -> str:
    """The code's chosen colour, or the palette colour of its place in the tree."""
    chosen = (code.colour or "").lower()
    return chosen if chosen in PALETTE_HEXES else palette_colour(position)


def colours_of(codes: list[tuple[int, str]]) -> dict[int, str]:
    """Each code's colour, for (pk, chosen colour) in the order of the code list.

    A code without a chosen colour takes the next palette colour that no code has chosen, so
    two themes share a colour only when there are more themes than colours.
    """
    chosen = {in_palette(colour or "") for _pk, colour in codes} - {None}
    free = [hex_ for hex_ in PALETTE_HEXES if hex_ not in chosen] or list(PALETTE_HEXES)
    result, automatic = {}, 0
    for pk, colour in codes:
        own = in_palette(colour or "")
        if own is None:
            own, automatic = free[automatic % len(free)], automatic + 1
        result[pk] = own
    return result


def in_palette(colour: str) -> str | None:
    """``colour`` as stored ("#rrggbb", lower case) if it is one of the palette's, else None."""
    colour = colour.strip().lower()
    return colour if colour in PALETTE_HEXES else None
