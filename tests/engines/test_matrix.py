"""The coarse matrix (themes x a chosen column), tested as plain Python without Django."""

import subprocess
import sys
import time

import pytest

from bsbstudio.analysis.engine.matrix import (
    Cell,
    Count,
    MatrixSegment,
    balance,
    build_matrix,
    fold,
    matrix_from_counts,
    not_asked,
    sort_themes,
)

THEMES = [10, 20, 30]
GROUPS = ["users", "relatives", "staff"]


def seg(segment_id, theme, group, site=1, polarity="neutral", directness="direct"):
    return MatrixSegment(
        segment_id=segment_id,
        theme_id=theme,
        group_id=group,
        site_id=site,
        interview_id=1,
        text=f"quote {segment_id}",
        polarity=polarity,
        directness=directness,
    )


SEGMENTS = [
    seg(1, 10, "users", polarity="positive"),
    seg(2, 10, "users", polarity="critical", site=2),
    seg(3, 10, "staff", polarity="critical", directness="indirect"),
    seg(4, 20, "users"),
    seg(5, 10, "users", polarity="positive", site=2),
    seg(6, 99, "users"),  # theme removed from the guide
    seg(7, 20, "managers"),  # group not shown
]


@pytest.fixture
def matrix():
    return build_matrix(SEGMENTS, theme_ids=THEMES, group_ids=GROUPS)


@pytest.mark.parametrize(
    ("theme", "group", "expected"),
    [
        (10, "users", Cell(3, 2, 1, 0, 3, 0)),
        (10, "staff", Cell(1, 0, 1, 0, 0, 1)),
        (20, "users", Cell(1, 0, 0, 1, 1, 0)),
        (30, "relatives", Cell()),
    ],
)
def test_cells_count_and_split_by_polarity(matrix, theme, group, expected):
    assert matrix.cell(theme, group) == expected


@pytest.mark.parametrize(
    ("site", "theme", "group", "count"),
    [(None, 10, "users", 3), (1, 10, "users", 1), (2, 10, "users", 2), (3, 10, "users", 0)],
)
def test_site_filter(site, theme, group, count):
    assert build_matrix(SEGMENTS, THEMES, GROUPS, site_id=site).cell(theme, group).count == count


@pytest.mark.parametrize(
    ("method", "key", "expected"),
    [
        ("row_total", 10, 4),
        ("row_total", 20, 1),
        ("row_total", 30, 0),
        ("column_total", "users", 4),
        ("column_total", "relatives", 0),
        ("column_total", "staff", 1),
    ],
)
def test_totals(matrix, method, key, expected):
    assert getattr(matrix, method)(key) == expected


def test_unknown_theme_and_group_are_ignored(matrix):
    assert matrix.total == 5
    assert matrix.theme_ids == (10, 20, 30)
    assert matrix.column_ids == ("users", "relatives", "staff")


@pytest.mark.parametrize(
    ("theme", "group"),
    [(99, "users"), (10, "managers")],
)
def test_asking_for_an_id_outside_the_matrix_is_a_key_error(matrix, theme, group):
    with pytest.raises(KeyError):
        matrix.cell(theme, group)


@pytest.mark.parametrize(
    ("theme", "group", "expected"),
    [
        (10, "users", 1.0),
        (10, "staff", 1 / 3),
        (30, "staff", 0.0),
    ],
)
def test_intensity_is_relative_to_the_fullest_cell(matrix, theme, group, expected):
    assert matrix.max_count == 3
    assert matrix.intensity(theme, group) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("segments", "themes", "groups"),
    [
        ([], THEMES, GROUPS),
        (SEGMENTS, [], []),
        (SEGMENTS, [30], ["relatives"]),
    ],
)
def test_empty_matrix(segments, themes, groups):
    matrix = build_matrix(segments, themes, groups)
    assert (matrix.total, matrix.max_count) == (0, 0)
    for theme in themes:
        assert matrix.row_total(theme) == 0
        for group in groups:
            assert matrix.cell(theme, group) == Cell()
            assert matrix.intensity(theme, group) == 0.0


def test_rows_follow_the_given_order():
    matrix = build_matrix(SEGMENTS, [30, 10, 10], ["staff", "users"])
    assert [(theme, [c.count for c in cells]) for theme, cells in matrix.rows()] == [
        (30, [0, 0]),
        (10, [1, 3]),
    ]


def test_segments_can_be_a_generator():
    matrix = build_matrix((s for s in SEGMENTS), THEMES, GROUPS)
    assert matrix.total == 5


@pytest.mark.parametrize(
    ("field", "value"),
    [("polarity", "angry"), ("directness", "sideways")],
)
def test_segment_rejects_unknown_coding(field, value):
    with pytest.raises(ValueError, match=field):
        MatrixSegment(1, 10, "users", **{field: value})


def test_hundred_thousand_segments_in_well_under_a_second():
    polarities = ("positive", "critical", "neutral")
    segments = [
        MatrixSegment(i, i % 12, i % 4, i % 5, i % 60, "", polarities[i % 3])
        for i in range(100_000)
    ]
    start = time.perf_counter()
    matrix = build_matrix(segments, range(10), range(3), site_id=None)
    elapsed = time.perf_counter() - start
    assert matrix.total == sum(1 for i in range(100_000) if i % 12 < 10 and i % 4 < 3)
    assert elapsed < 0.5


def test_engine_imports_without_django():
    # A fresh interpreter: pytest-django may already have imported Django into this one.
    code = "import sys, bsbstudio.analysis.engine; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- counts from the database, folding, sorting, balance -----------------------------------


def test_counts_sum_into_the_same_matrix_as_the_segments(matrix):
    counts = [
        Count(10, "users", "positive", "direct", 2),
        Count(10, "users", "critical", "direct", 1),
        Count(10, "staff", "critical", "indirect", 1),
        Count(20, "users", "neutral", "direct", 1),
        Count(99, "users", "neutral", "direct", 7),  # theme not shown
    ]
    counted = matrix_from_counts(counts, THEMES, GROUPS)
    for theme in THEMES:
        assert counted.row(theme) == matrix.row(theme)
        for group in GROUPS:
            assert counted.cell(theme, group) == matrix.cell(theme, group)
    assert counted.row(10) == Cell(4, 2, 2, 0, 3, 1)
    assert counted.column("users") == Cell(4, 2, 1, 1, 4, 0)
    assert counted.total == 5


def test_counts_reject_unknown_coding():
    with pytest.raises(ValueError, match="polarity"):
        matrix_from_counts([Count(10, "users", "angry", "direct", 1)], THEMES, GROUPS)


def test_heat_is_zero_only_for_empty_cells():
    counted = matrix_from_counts(
        [Count(1, "a", "neutral", "direct", 100), Count(2, "a", "neutral", "direct", 1)],
        [1, 2, 3],
        ["a"],
    )
    assert [counted.heat(t, "a") for t in (1, 2, 3)] == [5, 1, 0]


def test_fold_sums_sub_themes_into_their_top_theme():
    # 1 is a main theme with sub-theme 2, whose own sub-theme is 3; 4 stands alone.
    counts = [
        Count(1, "a", "positive", "direct", 1),
        Count(2, "a", "critical", "direct", 2),
        Count(3, "b", "neutral", "indirect", 4),
        Count(4, "a", "positive", "direct", 8),
    ]
    folded = fold(matrix_from_counts(counts, [1, 2, 3, 4], ["a", "b"]), {2: 1, 3: 2, 4: None})
    assert folded.theme_ids == (1, 4)
    assert folded.cell(1, "a") == Cell(3, 1, 2, 0, 3, 0)
    assert folded.cell(1, "b") == Cell(4, 0, 0, 4, 0, 4)
    assert folded.row_total(1) == 7
    assert folded.total == 15
    with pytest.raises(KeyError):
        folded.cell(2, "a")


def test_fold_survives_a_cycle_and_a_parent_outside_the_matrix():
    counts = [Count(1, "a", "neutral", "direct", 1), Count(2, "a", "neutral", "direct", 1)]
    folded = fold(matrix_from_counts(counts, [1, 2], ["a"]), {1: 2, 2: 1, 5: 9})
    assert folded.total == 2
    assert folded.theme_ids == (1, 2)


def test_sort_by_count_and_by_critical_share():
    counts = [
        Count(1, "a", "positive", "direct", 5),
        Count(1, "a", "critical", "direct", 1),
        Count(2, "a", "critical", "direct", 2),
        Count(3, "a", "positive", "direct", 9),
        Count(3, "a", "critical", "direct", 3),
    ]
    matrix = matrix_from_counts(counts, [1, 2, 3, 4], ["a"])
    assert sort_themes(matrix, "count") == [3, 1, 2, 4]
    assert sort_themes(matrix, "critical") == [2, 3, 1, 4]  # 100 %, 25 %, 17 %, empty
    assert sort_themes(matrix, "order") == [1, 2, 3, 4]


def test_balance_flags_themes_without_critical_or_positive_quotes():
    counts = [
        Count(1, "a", "positive", "direct", 3),
        Count(2, "a", "critical", "direct", 2),
        Count(2, "b", "neutral", "direct", 1),
        Count(3, "a", "positive", "direct", 1),
        Count(3, "a", "critical", "direct", 1),
    ]
    rows = {b.theme_id: b for b in balance(matrix_from_counts(counts, [1, 2, 3, 4], ["a", "b"]))}
    assert (rows[1].lacks_critical, rows[1].lacks_positive) == (True, False)
    assert (rows[2].lacks_critical, rows[2].lacks_positive) == (False, True)
    assert (rows[3].lacks_critical, rows[3].lacks_positive) == (False, False)
    # A theme with no quotes at all is not flagged for balance: it has nothing to weigh.
    assert (rows[4].lacks_critical, rows[4].lacks_positive, rows[4].total) == (False, False, 0)
    assert (rows[2].positive, rows[2].critical, rows[2].neutral) == (0, 2, 1)
    assert rows[2].percent("critical") == pytest.approx(200 / 3)


# -- cells the theme guide never asked ----------------------------------------------------------

# Guide themes: 1 "Tilgang" with sub-theme 11 "Ventetid"; 2 "Å bli møtt"; 3 "Bolig" with 31.
THEME_PARENT = {1: None, 11: 1, 2: None, 3: None, 31: 3}
# Groups "B" (users) and "A" (staff); codes are named after their themes, "e" emerged.
CODE_THEMES = {"c1": 1, "c11": 11, "c2": 2, "c3": 3, "c31": 31, "e": None}


def test_a_group_without_a_question_on_a_theme_is_not_asked():
    asked = {(1, "B"), (1, "A"), (2, "B")}
    cells = not_asked(CODE_THEMES, THEME_PARENT, asked, ["B", "A"])
    assert ("c2", "A") in cells and ("c2", "B") not in cells
    # Nobody was asked about housing, its sub-theme neither; an emerged theme is never "not asked".
    assert {("c3", "B"), ("c3", "A"), ("c31", "B"), ("c31", "A")} <= cells
    assert not {cell for cell in cells if cell[0] == "e"}


def test_a_question_above_or_below_a_theme_counts_as_asked():
    # Main theme 1 asked of users: its sub-theme 11 is asked too.
    # Sub-theme 31 asked of staff: its main theme 3 is asked too (a folded row holds it).
    cells = not_asked(CODE_THEMES, THEME_PARENT, {(1, "B"), (31, "A")}, ["B", "A"])
    assert ("c11", "B") not in cells and ("c11", "A") in cells
    assert ("c3", "A") not in cells and ("c3", "B") in cells
    assert ("c1", "A") in cells


def test_every_cell_asked_gives_none_and_a_cycle_ends_the_walk():
    asked = {(t, g) for t in THEME_PARENT for g in ("B", "A")}
    assert not_asked(CODE_THEMES, THEME_PARENT, asked, ["B", "A"]) == set()
    assert not_asked({"x": 7}, {7: 8, 8: 7}, {(8, "B")}, ["B"]) == set()
    assert not_asked({"x": 7}, {7: 8, 8: 7}, set(), ["B"]) == {("x", "B")}
