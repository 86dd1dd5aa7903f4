"""Reading coded quotes for the matrix: counted in the database, quotes fetched per cell.

A quote belongs to the informant group of the participant whose turn it starts in
(``CodedSegment.turn``, set when it is coded; its group, site and interview are copied onto the
segment by ``placement``). Like the method's matrix, only quotes from an informant's turn count;
quotes from an interviewer's turn stay out. Counting is one ``COUNT ... GROUP BY`` over an index
of the segments of the evaluation's codes, whatever the column: no join, no loop in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count as CountOf
from django.db.models import F, Q

from bsbstudio.guide.models import GuideQuestion, Theme

from .engine.matrix import Count, MatrixSegment, not_asked
from .models import CodedSegment

COLUMNS: dict[str, str] = {
    "group": "group_id",
    "site": "site_id",
    "interview": "interview_id",
    "polarity": "polarity",
}
"""The columns a user may choose, and the segment's field that holds the column's key."""


@dataclass(frozen=True)
class MatrixQuery:
    """What to count: the column, the scope (a site or one transcript) and the filters."""

    column: str = "group"
    site_id: int | None = None
    text_id: int | None = None
    group_id: int | None = None
    polarity: str | None = None
    directness: str | None = None
    hidden: Q | None = None  # quotes this reader may not see now (a blind double coding)


def _segments(code_ids, query: MatrixQuery):
    """The quotes the matrix counts for ``query``, among the codes ``code_ids``."""
    segments = CodedSegment.objects.filter(code_id__in=list(code_ids), group__isnull=False)
    if query.text_id is not None:
        segments = segments.filter(text_id=query.text_id)
    if query.site_id is not None:
        segments = segments.filter(site_id=query.site_id)
    if query.group_id is not None:
        segments = segments.filter(group_id=query.group_id)
    if query.polarity is not None:
        segments = segments.filter(polarity=query.polarity)
    if query.directness is not None:
        segments = segments.filter(directness=query.directness)
    if query.hidden is not None:
        segments = segments.exclude(query.hidden)
    return segments


def matrix_counts(code_ids, query: MatrixQuery) -> Iterator[Count]:
    """The quotes counted per code, column key, polarity and directness, in one query.

    The counts are handed out one by one, not as a list: a matrix by interview has thousands of
    them, and holding them all made Python's full garbage collection (tens of milliseconds in a
    large process) run during requests. Read them once, as ``matrix_from_counts`` does.
    """
    rows = (
        _segments(code_ids, query)
        .values_list("code_id", COLUMNS[query.column], "polarity")
        # Directness as a second count, not a grouping: half the rows to send back. (A row per
        # code and key with six filtered counts sends fewer still, but SQLite counts them slower.)
        .annotate(n=CountOf("*"), direct=CountOf("pk", filter=Q(directness="direct")))
        .order_by()
    )
    for code, key, polarity, n, direct in rows:
        if direct:
            yield Count(code, key, polarity, "direct", direct)
        if n - direct:
            yield Count(code, key, polarity, "indirect", n - direct)


def cell_quotes(code_ids, query: MatrixQuery, key):
    """The quotes of one cell (one or more codes, one column key), in transcript order.

    The caller pages the result; nothing is read until it is sliced. The whole transcript of
    each quote is not loaded (``text`` is not joined): the quote and its place are enough.
    """
    return (
        _segments(code_ids, query)
        .filter(**{COLUMNS[query.column]: key})
        .select_related("code", "interview", "site", "turn")
        .order_by("interview__code", "text_id", "start", "pk")
    )


def matrix_quotes(code_ids, query: MatrixQuery, limit: int) -> dict[tuple, list] | None:
    """Every quote of the matrix by (code, column key), for the quotes-in-cells view.

    None when there are more than ``limit`` quotes: a page that long helps no one, and the
    caller asks for a narrower scope instead.
    """
    quotes = list(
        _segments(code_ids, query)
        .annotate(column_key=F(COLUMNS[query.column]))
        .select_related("interview", "turn")
        .order_by("code_id", "interview__code", "text_id", "start", "pk")[: limit + 1]
    )
    if len(quotes) > limit:
        return None
    cells: dict[tuple, list] = {}
    for quote in quotes:
        cells.setdefault((quote.code_id, quote.column_key), []).append(quote)
    return cells


def matrix_segments(evaluation) -> list[MatrixSegment]:
    """Every coded quote of the evaluation with its speaker's group and its interview's site.

    Quotes from an interviewer's turn have no group (``group_id`` None).
    """
    rows = (
        CodedSegment.objects.filter(code__evaluation=evaluation)
        .order_by("text_id", "start", "pk")
        .values_list(
            "pk",
            "code_id",
            "group_id",
            "site_id",
            "interview_id",
            "quote",
            "polarity",
            "directness",
        )
    )
    return [MatrixSegment(*row) for row in rows]


def not_asked_cells(evaluation, codes, query: MatrixQuery) -> frozenset[tuple[int, int]]:
    """The (code, group) cells the theme guide never asked, when the columns are informant groups.

    Where the guide has no question for a group on a theme, the cell is empty by design, not a
    silence: the matrix says "not asked" there instead of 0 (``engine.matrix.not_asked``).
    """
    if query.column != "group":
        return frozenset()
    theme_parent = dict(Theme.objects.filter(evaluation=evaluation).values_list("pk", "parent_id"))
    asked = set(
        GuideQuestion.objects.filter(theme__evaluation=evaluation, text__gt="").values_list(
            "theme_id", "group_id"
        )
    )
    groups = evaluation.informant_groups.values_list("pk", flat=True)
    return frozenset(not_asked({c.pk: c.theme_id for c in codes}, theme_parent, asked, groups))
