"""Charts of the final report as PNG bytes (matplotlib, Agg): polarity per theme, informants.

The figures are drawn with matplotlib's object API on an Agg canvas, never through pyplot, so
no global state or display is involved and a server thread can draw them.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_COLOURS = {"positive": "#2e6b3a", "critical": "#9c3b1e", "neutral": "#9a9a9a"}
_PALETTE = ("#30577a", "#c98a2b", "#6b8f3a", "#8a4f7d", "#4f8a8b", "#a05a3a")
_DPI = 100


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight")
    return buffer.getvalue()


def polarity_chart(
    themes: list[str], counts: list[tuple[int, int, int]], labels: dict[str, str]
) -> bytes:
    """Stacked horizontal bars: positive, critical and neutral quotes for each theme."""
    height = 1.2 + 0.32 * max(len(themes), 1)
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    left = [0] * len(themes)
    positions = list(range(len(themes)))[::-1]
    for index, key in enumerate(("positive", "critical", "neutral")):
        values = [row[index] for row in counts]
        axes.barh(positions, values, left=left, color=_COLOURS[key], label=labels[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, [_short(t) for t in themes], fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.legend(fontsize=8, loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def informants_chart(sites: list[str], groups: list[str], counts: list[list[int]]) -> bytes:
    """Grouped bars: informants of each group at each site (``counts[site][group]``)."""
    figure = Figure(figsize=(7.5, 3.6))
    axes = figure.add_subplot()
    width = 0.8 / max(len(groups), 1)
    for g, group in enumerate(groups):
        xs = [s + g * width for s in range(len(sites))]
        axes.bar(
            xs, [row[g] for row in counts], width, label=group, color=_PALETTE[g % len(_PALETTE)]
        )
    axes.set_xticks(
        [s + 0.4 - width / 2 for s in range(len(sites))],
        [_short(s, 14) for s in sites],
        fontsize=8,
        rotation=30 if len(sites) > 6 else 0,
        ha="right" if len(sites) > 6 else "center",
    )
    axes.tick_params(axis="y", labelsize=8)
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
