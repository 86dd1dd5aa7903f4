"""The coarse matrix (grovkategorisert matrise): themes x informant groups.

In BSB the coded quotes of an evaluation are sorted into a grid with one row per theme and one
column per informant group (users, relatives, staff ...). Each cell counts the quotes and splits
them by polarity, so a process leader sees at a glance where the material is thick, thin, mostly
positive or mostly critical, and can open a cell to read its quotes.

This module is plain Python: the analysis app turns ``CodedSegment`` rows into
:class:`MatrixSegment` values and calls :func:`build_matrix`; the matrix knows nothing of the
database. The same function serves one transcript, one site (``site_id``) or a whole evaluation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

POLARITIES: tuple[str, ...] = ("positive", "critical", "neutral")
"""How a quote speaks of the service: positive, critical (kritisk) or neutral."""

DIRECTNESS: tuple[str, ...] = ("direct", "indirect")
"""Whether a theme is named directly in the quote or only touched on indirectly."""


def check_coding(polarity: str, directness: str) -> None:
    """Raise ValueError unless polarity and directness are words of the coding vocabulary."""
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, not {polarity!r}")
    if directness not in DIRECTNESS:
        raise ValueError(f"directness must be one of {DIRECTNESS}, not {directness!r}")


@dataclass(frozen=True, slots=True)
class MatrixSegment:
    """One coded segment as the matrix sees it: where it belongs and how it was coded.

    ``text`` is de-identified text (invariant 2); the matrix does not read it, but carries it so a
    caller can show a cell's quotes without a second lookup.
    """

    segment_id: Hashable
    theme_id: Hashable
    group_id: Hashable
    site_id: Hashable | None = None
    interview_id: Hashable | None = None
    text: str = ""
    polarity: str = "neutral"
    directness: str = "direct"

    def __post_init__(self) -> None:
        check_coding(self.polarity, self.directness)


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the matrix: the quotes of one theme from one informant group.

    ``segment_ids`` keeps the order in which the segments were given to :func:`build_matrix`.
    """

    count: int = 0
    positive: int = 0
    critical: int = 0
    neutral: int = 0
    direct: int = 0
    indirect: int = 0
    segment_ids: list = field(default_factory=list)


_EMPTY_CELL = Cell()


@dataclass(frozen=True, slots=True)
class Matrix:
    """A themes x informant groups matrix, with totals and a heat-map intensity per cell.

    Rows and columns keep the order of ``theme_ids`` and ``group_ids`` given to
    :func:`build_matrix`. Asking for a theme or group that is not in the matrix raises
    ``KeyError``; a known pair with no quotes gives an empty :class:`Cell`.
    """

    theme_ids: tuple
    group_ids: tuple
    site_id: Hashable | None
    _cells: dict = field(repr=False)
    _row_totals: dict = field(repr=False)
    _column_totals: dict = field(repr=False)
    total: int = 0
    max_count: int = 0

    def cell(self, theme_id: Hashable, group_id: Hashable) -> Cell:
        """Return the cell for one theme and one informant group."""
        self._check(theme_id, group_id)
        return self._cells.get((theme_id, group_id), _EMPTY_CELL)

    def row_total(self, theme_id: Hashable) -> int:
        """Return the number of quotes coded to a theme, across all informant groups."""
        return self._row_totals[theme_id]

    def column_total(self, group_id: Hashable) -> int:
        """Return the number of quotes from an informant group, across all themes."""
        return self._column_totals[group_id]

    def intensity(self, theme_id: Hashable, group_id: Hashable) -> float:
        """Return a cell's count relative to the fullest cell (0.0 to 1.0), for a heat map."""
        count = self.cell(theme_id, group_id).count
        return count / self.max_count if self.max_count else 0.0

    def rows(self) -> list[tuple[Hashable, list[Cell]]]:
        """Return each theme with its cells in group order, for templates that draw the grid."""
        return [
            (theme_id, [self.cell(theme_id, group_id) for group_id in self.group_ids])
            for theme_id in self.theme_ids
        ]

    def _check(self, theme_id: Hashable, group_id: Hashable) -> None:
        if theme_id not in self._row_totals:
            raise KeyError(f"theme {theme_id!r} is not in this matrix")
        if group_id not in self._column_totals:
            raise KeyError(f"informant group {group_id!r} is not in this matrix")


def build_matrix(
    segments: Iterable[MatrixSegment],
    theme_ids: Iterable[Hashable],
    group_ids: Iterable[Hashable],
    site_id: Hashable | None = None,
) -> Matrix:
    """Sort coded segments into a themes x informant groups matrix.

    Segments whose theme or group is not among ``theme_ids`` / ``group_ids`` are left out (a
    theme removed from the guide, a group not shown). When ``site_id`` is given, only segments
    from that site count. Duplicate ids in ``theme_ids`` or ``group_ids`` are kept once.
    """
    themes = tuple(dict.fromkeys(theme_ids))
    groups = tuple(dict.fromkeys(group_ids))
    theme_set, group_set = set(themes), set(groups)

    # One pass with plain lists per cell: [count, positive, critical, neutral, direct, ids].
    tallies: dict[tuple, list] = {}
    for seg in segments:
        if site_id is not None and seg.site_id != site_id:
            continue
        if seg.theme_id not in theme_set or seg.group_id not in group_set:
            continue
        key = (seg.theme_id, seg.group_id)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = [0, 0, 0, 0, 0, []]
        tally[0] += 1
        tally[1 + POLARITIES.index(seg.polarity)] += 1
        if seg.directness == "direct":
            tally[4] += 1
        tally[5].append(seg.segment_id)

    cells: dict[tuple, Cell] = {}
    row_totals = dict.fromkeys(themes, 0)
    column_totals = dict.fromkeys(groups, 0)
    for (theme_id, group_id), (count, pos, crit, neut, direct, ids) in tallies.items():
        cells[theme_id, group_id] = Cell(count, pos, crit, neut, direct, count - direct, ids)
        row_totals[theme_id] += count
        column_totals[group_id] += count

    return Matrix(
        theme_ids=themes,
        group_ids=groups,
        site_id=site_id,
        _cells=cells,
        _row_totals=row_totals,
        _column_totals=column_totals,
        total=sum(row_totals.values()),
        max_count=max((cell.count for cell in cells.values()), default=0),
    )
