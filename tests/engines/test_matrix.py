"""The coarse matrix (themes x informant groups), tested as plain Python without Django."""

import subprocess
import sys
import time

import pytest

from bsbstudio.analysis.engine.matrix import Cell, MatrixSegment, build_matrix

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
        (10, "users", Cell(3, 2, 1, 0, 3, 0, [1, 2, 5])),
        (10, "staff", Cell(1, 0, 1, 0, 0, 1, [3])),
        (20, "users", Cell(1, 0, 0, 1, 1, 0, [4])),
        (30, "relatives", Cell()),
    ],
)
def test_cells_count_and_split_by_polarity(matrix, theme, group, expected):
    assert matrix.cell(theme, group) == expected


@pytest.mark.parametrize(
    ("site", "theme", "group", "count", "segment_ids"),
    [
        (None, 10, "users", 3, [1, 2, 5]),
        (1, 10, "users", 1, [1]),
        (2, 10, "users", 2, [2, 5]),
        (3, 10, "users", 0, []),
    ],
)
def test_site_filter(site, theme, group, count, segment_ids):
    cell = build_matrix(SEGMENTS, THEMES, GROUPS, site_id=site).cell(theme, group)
    assert (cell.count, cell.segment_ids) == (count, segment_ids)


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
    assert matrix.group_ids == ("users", "relatives", "staff")


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
