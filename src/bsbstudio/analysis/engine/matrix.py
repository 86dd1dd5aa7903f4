"""The coarse matrix (grovkategorisert matrise): themes x a column the user chooses.

In BSB the coded quotes of an evaluation are sorted into a grid with one row per theme and one
column per informant group (users, relatives, staff ...), or per site, interview or polarity.
Each cell counts the quotes and splits them by polarity, so a process leader sees at a glance
where the material is thick, thin, mostly positive or mostly critical, and can open a cell to
read its quotes. The method asks for balance: :func:`balance` flags the themes that have quotes
but no critical (or no positive) one.

This module is plain Python. The analysis app counts in the database (``COUNT ... GROUP BY``)
and hands the counts to :func:`matrix_from_counts`; :func:`build_matrix` does the same counting
over :class:`MatrixSegment` values in memory. The matrix knows nothing of the database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

POLARITIES: tuple[str, ...] = ("positive", "critical", "neutral")
"""How a quote speaks of the service: positive, critical (kritisk) or neutral."""

DIRECTNESS: tuple[str, ...] = ("direct", "indirect")
"""Whether a theme is named directly in the quote or only touched on indirectly."""

SORTS: tuple[str, ...] = ("order", "count", "critical")
"""Row orders: as in the guide, by number of quotes, by share of critical quotes."""

HEAT_LEVELS = 5
"""Heat-map shades of a non-empty cell (1 to 5); 0 is an empty cell."""


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
    caller can show a quote without a second lookup.
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
class Count:
    """One row of the database's count: how many quotes of a theme, column, polarity, directness."""

    theme_id: Hashable
    column_id: Hashable
    polarity: str
    directness: str
    count: int


@dataclass(frozen=True, slots=True)
class Cell:
    """The quotes of one theme in one column (or a whole row), counted and split."""

    count: int = 0
    positive: int = 0
    critical: int = 0
    neutral: int = 0
    direct: int = 0
    indirect: int = 0

    @property
    def critical_share(self) -> float:
        """The share of critical quotes (0.0 for an empty cell)."""
        return self.critical / self.count if self.count else 0.0

    def __add__(self, other: Cell) -> Cell:
        return Cell(
            self.count + other.count,
            self.positive + other.positive,
            self.critical + other.critical,
            self.neutral + other.neutral,
            self.direct + other.direct,
            self.indirect + other.indirect,
        )


_EMPTY_CELL = Cell()


@dataclass(frozen=True, slots=True)
class Matrix:
    """A themes x columns matrix, with totals and a heat-map intensity per cell.

    Rows and columns keep the order of ``theme_ids`` and ``column_ids`` given. Asking for a theme
    or column that is not in the matrix raises ``KeyError``; a known pair with no quotes gives an
    empty :class:`Cell`.
    """

    theme_ids: tuple
    column_ids: tuple
    _cells: dict = field(repr=False)
    _rows: dict = field(repr=False)
    _columns: dict = field(repr=False)
    total: int = 0
    max_count: int = 0

    def cell(self, theme_id: Hashable, column_id: Hashable) -> Cell:
        """Return the cell for one theme and one column."""
        if theme_id not in self._rows:
            raise KeyError(f"theme {theme_id!r} is not in this matrix")
        if column_id not in self._columns:
            raise KeyError(f"column {column_id!r} is not in this matrix")
        return self._cells.get((theme_id, column_id), _EMPTY_CELL)

    def row(self, theme_id: Hashable) -> Cell:
        """Return a theme's quotes across all columns, split like a cell."""
        return self._rows[theme_id]

    def column(self, column_id: Hashable) -> Cell:
        """Return a column's quotes across all themes, split like a cell."""
        return self._columns[column_id]

    def row_total(self, theme_id: Hashable) -> int:
        """Return the number of quotes coded to a theme, across all columns."""
        return self._rows[theme_id].count

    def column_total(self, column_id: Hashable) -> int:
        """Return the number of quotes in a column, across all themes."""
        return self._columns[column_id].count

    def intensity(self, theme_id: Hashable, column_id: Hashable) -> float:
        """Return a cell's count relative to the fullest cell (0.0 to 1.0), for a heat map."""
        count = self.cell(theme_id, column_id).count
        return count / self.max_count if self.max_count else 0.0

    def heat(self, theme_id: Hashable, column_id: Hashable) -> int:
        """Return a cell's heat-map shade: 0 when empty, else 1 to :data:`HEAT_LEVELS`."""
        if not self.cell(theme_id, column_id).count:
            return 0
        return max(1, round(HEAT_LEVELS * self.intensity(theme_id, column_id)))

    def rows(self, order: Iterable[Hashable] | None = None) -> list[tuple[Hashable, list[Cell]]]:
        """Return each theme with its cells in column order (themes in ``order`` if given)."""
        return [
            (theme_id, [self.cell(theme_id, column_id) for column_id in self.column_ids])
            for theme_id in (self.theme_ids if order is None else order)
        ]


def matrix_from_counts(
    counts: Iterable[Count], theme_ids: Iterable[Hashable], column_ids: Iterable[Hashable]
) -> Matrix:
    """Sum counted rows into a themes x columns matrix.

    Counts whose theme or column is not among ``theme_ids`` / ``column_ids`` are left out (a theme
    removed from the guide, a column not shown). Duplicate ids are kept once.
    """
    themes = tuple(dict.fromkeys(theme_ids))
    columns = tuple(dict.fromkeys(column_ids))
    theme_set, column_set = set(themes), set(columns)
    tallies: dict[tuple, list[int]] = {}
    for row in counts:
        check_coding(row.polarity, row.directness)
        if row.theme_id not in theme_set or row.column_id not in column_set:
            continue
        # [count, positive, critical, neutral, direct, indirect]
        tally = tallies.setdefault((row.theme_id, row.column_id), [0] * 6)
        tally[0] += row.count
        tally[1 + POLARITIES.index(row.polarity)] += row.count
        tally[4 + DIRECTNESS.index(row.directness)] += row.count
    cells = {key: Cell(*tally) for key, tally in tallies.items()}
    rows = dict.fromkeys(themes, _EMPTY_CELL)
    column_cells = dict.fromkeys(columns, _EMPTY_CELL)
    for (theme_id, column_id), cell in cells.items():
        rows[theme_id] += cell
        column_cells[column_id] += cell
    return _matrix(themes, columns, cells, rows, column_cells)


def _matrix(themes: tuple, columns: tuple, cells: dict, rows: dict, column_cells: dict) -> Matrix:
    total = sum(row.count for row in rows.values())
    max_count = max((cell.count for cell in cells.values()), default=0)
    return Matrix(themes, columns, cells, rows, column_cells, total, max_count)


def build_matrix(
    segments: Iterable[MatrixSegment],
    theme_ids: Iterable[Hashable],
    group_ids: Iterable[Hashable],
    site_id: Hashable | None = None,
) -> Matrix:
    """Sort coded segments into a themes x informant groups matrix (in memory).

    When ``site_id`` is given, only segments from that site count.
    """
    tallies: dict[tuple, int] = {}
    for seg in segments:
        if site_id is None or seg.site_id == site_id:
            key = (seg.theme_id, seg.group_id, seg.polarity, seg.directness)
            tallies[key] = tallies.get(key, 0) + 1
    return matrix_from_counts((Count(*key, n) for key, n in tallies.items()), theme_ids, group_ids)


def fold(matrix: Matrix, parent_of: Mapping[Hashable, Hashable | None]) -> Matrix:
    """Fold sub-themes into their top theme: one row per top theme, holding its whole subtree.

    ``parent_of`` maps a theme to its parent (None or absent for a top theme); a parent outside
    the matrix, or a cycle, leaves the theme on top.
    """

    def top(theme_id: Hashable) -> Hashable:
        seen, current = {theme_id}, theme_id
        while (parent := parent_of.get(current)) is not None and parent in matrix._rows:
            if parent in seen:
                return theme_id
            seen.add(parent)
            current = parent
        return current

    tops = tuple(dict.fromkeys(top(t) for t in matrix.theme_ids))
    cells: dict[tuple, Cell] = {}
    rows = dict.fromkeys(tops, _EMPTY_CELL)
    for (theme_id, column_id), cell in matrix._cells.items():
        key = (top(theme_id), column_id)
        cells[key] = cells.get(key, _EMPTY_CELL) + cell
        rows[key[0]] += cell
    return _matrix(tops, matrix.column_ids, cells, rows, dict(matrix._columns))


def not_asked(
    code_themes: Mapping[Hashable, Hashable | None],
    theme_parent: Mapping[Hashable, Hashable | None],
    asked: set[tuple[Hashable, Hashable]],
    groups: Iterable[Hashable],
) -> set[tuple[Hashable, Hashable]]:
    """The (code, group) cells whose group the theme guide never asked about the code's theme.

    An empty cell means "nobody said anything" only where the group was asked; where the guide
    has no question for it (real guides leave cells empty), the cell is empty by design.
    ``code_themes`` maps each code to its guide theme (None for a theme that emerged from the
    material, never "not asked"), ``theme_parent`` each theme to its parent, ``asked`` holds the
    (theme, group) cells of the guide with a question. A question on the theme, on a theme above
    it or on one below it counts: a main theme's question covers its sub-themes, and a
    sub-theme's question is asked within its main theme (so a folded row is asked too).
    """
    children: dict[Hashable, list] = {}
    for theme, parent in theme_parent.items():
        children.setdefault(parent, []).append(theme)

    def family(theme: Hashable) -> set:
        """The theme, the themes above it and every theme below it (a cycle ends the walk)."""
        related, current = {theme}, theme
        while (parent := theme_parent.get(current)) is not None and parent not in related:
            related.add(parent)
            current = parent
        below = [theme]
        while below:
            for child in children.get(below.pop(), ()):
                if child not in related:
                    related.add(child)
                    below.append(child)
        return related

    groups = tuple(groups)
    cells = set()
    for code, theme in code_themes.items():
        if theme is None:
            continue
        related = family(theme)
        cells.update(
            (code, group) for group in groups if not any((t, group) in asked for t in related)
        )
    return cells


def sort_themes(matrix: Matrix, by: str) -> list[Hashable]:
    """The themes in the order asked for (see :data:`SORTS`); ties keep the given order."""
    if by == "count":
        return sorted(matrix.theme_ids, key=lambda t: -matrix.row(t).count)
    if by == "critical":
        return sorted(
            matrix.theme_ids,
            key=lambda t: (-matrix.row(t).critical_share, -matrix.row(t).count),
        )
    return list(matrix.theme_ids)


@dataclass(frozen=True, slots=True)
class Balance:
    """How one theme's quotes lean, for a diverging bar: critical left, positive right."""

    theme_id: Hashable
    positive: int
    critical: int
    neutral: int

    @property
    def total(self) -> int:
        """All the theme's quotes."""
        return self.positive + self.critical + self.neutral

    @property
    def lacks_critical(self) -> bool:
        """The theme has quotes, but none critical: the method asks to look for them."""
        return self.total > 0 and self.critical == 0

    @property
    def lacks_positive(self) -> bool:
        """The theme has quotes, but none positive."""
        return self.total > 0 and self.positive == 0

    def percent(self, polarity: str) -> float:
        """The share of one polarity in per cent of the theme's quotes (0 when it has none)."""
        return 100 * getattr(self, polarity) / self.total if self.total else 0.0


def balance(matrix: Matrix, order: Iterable[Hashable] | None = None) -> list[Balance]:
    """Each theme's positive, critical and neutral quotes (themes in ``order`` if given)."""
    return [
        Balance(t, matrix.row(t).positive, matrix.row(t).critical, matrix.row(t).neutral)
        for t in (matrix.theme_ids if order is None else order)
    ]
