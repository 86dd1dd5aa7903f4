"""Split table rows over pages by whole lines, so that no text is lost (used by the PDF).

A row is kept whole when it fits on a page. A row taller than a page is cut between two lines
and goes on over the next pages. Every line of every row is placed exactly once, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_EPSILON = 1e-6  # so that a row that fits exactly is not pushed over by rounding


@dataclass(frozen=True, slots=True)
class RowSlice:
    """Lines ``start`` to ``end`` (end exclusive) of row ``row``, drawn on page ``page``."""

    page: int
    row: int
    start: int
    end: int

    @property
    def continues(self) -> bool:
        """Whether this part goes on from an earlier page."""
        return self.start > 0


def paginate(
    line_counts: Sequence[int],
    *,
    first_page: float,
    next_pages: float,
    line_height: float,
    padding: float,
) -> list[RowSlice]:
    """Place rows of ``line_counts`` lines on pages; heights in the same unit (e.g. mm).

    ``first_page`` is the height free for rows on the first page, ``next_pages`` on each later
    page (below the repeated header row); each part of a row adds ``padding`` above and below.
    """
    if next_pages + _EPSILON < line_height + 2 * padding:
        raise ValueError("a page must hold at least one line of a row")
    slices: list[RowSlice] = []
    page, free = 0, first_page
    for row, count in enumerate(line_counts):
        count = max(count, 1)  # an empty row still takes one line
        whole = count * line_height + 2 * padding
        if whole > free + _EPSILON and whole <= next_pages + _EPSILON and free < next_pages:
            page, free = page + 1, next_pages  # start the row on a new page rather than cut it
        start = 0
        while start < count:
            fit = int((free - 2 * padding + _EPSILON) // line_height)
            if fit < 1:
                page, free = page + 1, next_pages
                continue
            end = min(count, start + fit)
            slices.append(RowSlice(page, row, start, end))
            free -= (end - start) * line_height + 2 * padding
            start = end
            if start < count:
                page, free = page + 1, next_pages
    return slices
