"""Splitting a stretch of text at marked spans, for showing hits and coded quotes with <mark>."""

from __future__ import annotations


def split_marks(text: str, start: int, end: int, marks) -> list[tuple[str, list]]:
    """Cut ``text[start:end]`` into pieces, each with the marks (objects with start/end) covering it.

    Marks may overlap (two codes on one quote); a piece lies wholly inside or outside each mark.
    """
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = {start, end}
    for mark in inside:
        cuts.add(max(mark.start, start))
        cuts.add(min(mark.end, end))
    points = sorted(cuts)
    return [
        (text[a:b], [m for m in inside if m.start <= a and b <= m.end])
        for a, b in zip(points, points[1:], strict=False)
        if b > a
    ]
