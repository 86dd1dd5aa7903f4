"""Tables of the cross-site comparison (sammenligning mellom bydeler), with their sums.

A multi-site BSB evaluation compares its sites in a few tables: counts per site (interviews,
informants per group, dialogue-conference participants per role) with a sum row, quotes per
theme and site, a site x area matrix of categories ("profilert / lite profilert") with the number
of sites in each category per area, and numeric site facts with sum and average. This module
shapes such tables from plain values; the reports app reads the values from the database, and
``xlsx.py`` writes the tables to a workbook (one sheet each). No Django here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Value = int | float | Decimal | str | None


@dataclass(frozen=True)
class Row:
    """One row of a table: its label (a site, a theme, "Sum") and one value per column."""

    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Table:
    """A titled table: a header, its rows, and footer rows (sums, averages) below a line.

    ``sheet`` is a short name for the table's sheet in a workbook; ``note`` says something a
    reader must know (a source, a column left out).
    """

    sheet: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    footer: tuple[Row, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        # Labels may arrive as lazy translations; the table holds plain strings.
        for name in ("sheet", "title", "row_header", "note"):
            object.__setattr__(self, name, str(getattr(self, name)))
        object.__setattr__(self, "columns", tuple(str(c) for c in self.columns))


def with_sums(
    sheet: str,
    title: str,
    row_header: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    total: str,
    sum_label: str,
    note: str = "",
) -> Table:
    """A table of counts with a total column (each row's sum) and a sum row (each column's sum)."""
    body = []
    sums = [0] * (len(columns) + 1)
    for label, counts in rows:
        if len(counts) != len(columns):
            raise ValueError(f"row {label!r} has {len(counts)} values for {len(columns)} columns")
        values = (*counts, sum(counts))
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        body.append(Row(label, values))
    return Table(
        sheet=sheet,
        title=title,
        row_header=row_header,
        columns=(*columns, total),
        rows=tuple(body),
        footer=(Row(sum_label, tuple(sums)),),
        note=note,
    )


def rating_table(
    sheet: str,
    title: str,
    row_header: str,
    areas: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str | None]]],
    scale: Sequence[str],
    *,
    sum_label: str,
    note: str = "",
) -> Table:
    """The site x area matrix of categories, with the number of sites per category per area.

    ``rows`` hold each site's category per area (None where not rated); a category outside
    ``scale`` is a ValueError (the app refuses such a value before it is stored).
    """
    allowed = set(scale)
    for label, values in rows:
        if len(values) != len(areas):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(areas)} areas")
        for value in values:
            if value is not None and value not in allowed:
                raise ValueError(f"{value!r} is not on the scale {list(scale)!r}")
    footer = tuple(
        Row(
            f"{sum_label}: {category}",
            tuple(
                sum(1 for _label, values in rows if values[i] == category)
                for i in range(len(areas))
            ),
        )
        for category in scale
    )
    return Table(
        sheet=sheet,
        title=title,
        row_header=row_header,
        columns=tuple(areas),
        rows=tuple(Row(label, tuple(values)) for label, values in rows),
        footer=footer,
        note=note,
    )


def facts_table(
    sheet: str,
    title: str,
    row_header: str,
    indicators: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    sum_label: str,
    average_label: str,
    note: str = "",
) -> Table:
    """Numeric facts per site and indicator, with each indicator's sum and average.

    A site without a value is left out of both (the average is of the sites that have one);
    an indicator with no values has neither.
    """
    sums: list[Decimal | None] = []
    averages: list[Decimal | None] = []
    for i in range(len(indicators)):
        present = [values[i] for _label, values in rows if values[i] is not None]
        total = sum(present, Decimal(0)) if present else None
        sums.append(plain(total) if total is not None else None)
        averages.append(plain(total / len(present)) if present else None)
    return Table(
        sheet=sheet,
        title=title,
        row_header=row_header,
        columns=tuple(indicators),
        rows=tuple(
            Row(label, tuple(plain(v) if v is not None else None for v in values))
            for label, values in rows
        ),
        footer=(Row(sum_label, tuple(sums)), Row(average_label, tuple(averages))),
        note=note,
    )


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or exponent (12.5000 -> 12.5, 100 stays 100)."""
    value = value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def heat_level(count: int, highest: int, levels: int = 5) -> int:
    """The heat-map shade of a cell (0 empty, 1 to ``levels`` by share of the fullest cell)."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(levels, round(levels * count / highest)))


def parse_number(text: str, *, max_digits: int = 14, decimal_places: int = 4) -> Decimal | None:
    """A number as people write it ("1 234,5" or "1234.5"), None when blank; else ValueError.

    The value is rounded to ``decimal_places`` and must fit ``max_digits`` digits in all.
    """
    cleaned = "".join(text.split()).replace("\u2009", "").replace(",", ".")
    if not cleaned:
        return None
    if not all(c.isdigit() or c in ".-+" for c in cleaned) or cleaned.count(".") > 1:
        raise ValueError(f"{text!r} is not a number")
    try:
        value = Decimal(cleaned)
    except ArithmeticError as error:
        raise ValueError(f"{text!r} is not a number") from error
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    value = value.quantize(Decimal(1).scaleb(-decimal_places))
    if abs(value) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError(f"{text!r} is too large")
    return value


@dataclass(frozen=True)
class BarPart:
    """One category's part of a stacked bar: its count, and where it lies (x, width)."""

    category: str
    count: int
    x: float
    width: float
    fill: str
    text_fill: str

    @property
    def label_x(self) -> float:
        """Where the count is written inside the part."""
        return round(self.x + 2, 1)


# Fills with their text colour: each pair has a contrast ratio of at least 4.5:1.
BAR_COLOURS: tuple[tuple[str, str], ...] = (
    ("#1f4e79", "#ffffff"),
    ("#9dc3e6", "#000000"),
    ("#d9d9d9", "#000000"),
    ("#7f3f00", "#ffffff"),
    ("#c5e0b4", "#000000"),
)


def stacked_bars(
    table: Table, scale: Sequence[str], *, width: float = 400.0, start: float = 0.0
) -> list[tuple[str, list[BarPart]]]:
    """Per column of a rating table, its footer counts as one bar of ``width`` for all rows.

    The footer rows of :func:`rating_table` hold the number of sites per category of ``scale``,
    in its order; each part is as wide as its share of the table's rows, the first at ``start``.
    """
    sites = len(table.rows)
    bars = []
    for i, column in enumerate(table.columns):
        x, parts = start, []
        for n, (category, row) in enumerate(zip(scale, table.footer, strict=True)):
            count = int(row.values[i] or 0)
            if count:
                part_width = width * count / sites
                fill, text_fill = BAR_COLOURS[n % len(BAR_COLOURS)]
                parts.append(
                    BarPart(category, count, round(x, 1), round(part_width, 1), fill, text_fill)
                )
                x += part_width
        bars.append((column, parts))
    return bars
