"""Inter-coder agreement: numbers checked against hand-computed values and the krippendorff package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from bsbstudio.analysis.engine.agreement import (
    AgreementError,
    Span,
    cohen_kappa,
    compare,
    krippendorff_alpha,
    merge_ranges,
)
from bsbstudio.analysis.engine.agreement import Segment as S

# A text of 100 characters. Theme X: A codes [10,30) and [50,60), B codes [10,30) and [55,70).
# Theme Y: only A codes [80,90). Theme Z: no one.
A = [S(10, 30, "X", "a1"), S(50, 60, "X", "a2"), S(80, 90, "Y", "a3")]
B = [S(10, 30, "X", "b1"), S(55, 70, "X", "b2")]


@pytest.fixture
def result():
    return compare(100, A, B, themes=["Z", "X", "Y"])


def by_theme(result):
    return {t.theme: t for t in result.themes}


def test_character_level_theme_x_matches_hand_computation(result):
    x = by_theme(result)["X"].characters
    # Both 25 chars, A only 5, B only 10, neither 60: po = .85; pe = .3·.35 + .7·.65 = .56.
    assert x.agreement == pytest.approx(0.85)
    assert x.kappa == pytest.approx((0.85 - 0.56) / (1 - 0.56))
    # Coincidences: 15 disagreeing units give 30; expected 2·65·135/199.
    assert x.alpha == pytest.approx(1 - 30 / (2 * 65 * 135 / 199))
    assert x.units == 100
    assert (by_theme(result)["X"].characters_a, by_theme(result)["X"].characters_b) == (30, 35)


def test_character_level_alpha_is_the_krippendorff_packages(result):
    a = np.zeros(100, dtype=int)
    b = np.zeros(100, dtype=int)
    a[10:30] = a[50:60] = 1
    b[10:30] = b[55:70] = 1
    expected = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
    assert by_theme(result)["X"].characters.alpha == pytest.approx(expected)


def test_theme_only_one_coder_used_has_kappa_zero_and_negative_alpha(result):
    y = by_theme(result)["Y"]
    assert y.characters.agreement == pytest.approx(0.9)
    assert y.characters.kappa == pytest.approx(0.0)
    assert y.characters.alpha == pytest.approx(1 - 20 / (2 * 10 * 190 / 199))
    assert y.segments.kappa == pytest.approx(0.0)
    assert y.segments.alpha == pytest.approx(0.0)


def test_segment_level_units_are_merged_overlapping_passages(result):
    # Units: [10,30), [50,70) (A's and B's overlapping X quotes) and [80,90): three.
    x = by_theme(result)["X"].segments
    assert x.units == 3
    assert (x.kappa, x.alpha, x.agreement) == (1.0, 1.0, 1.0)
    y = by_theme(result)["Y"].segments
    assert y.agreement == pytest.approx(2 / 3)


def test_theme_no_one_used_is_listed_apart_and_order_follows_themes(result):
    assert result.unused == ["Z"]
    assert [t.theme for t in result.themes] == ["X", "Y"]


def test_passages_coded_alike_are_matches(result):
    assert [(m.theme, m.start, m.end, m.a_ids, m.b_ids) for m in result.matches] == [
        ("X", 10, 30, ("a1",), ("b1",))
    ]


def test_disagreements_are_the_ranges_only_one_coder_coded(result):
    assert [(d.theme, d.start, d.end, d.a_ids, d.b_ids, d.spans) for d in result.disagreements] == [
        ("X", 50, 70, ("a2",), ("b2",), (Span(50, 55, "a"), Span(60, 70, "b"))),
        ("Y", 80, 90, ("a3",), (), (Span(80, 90, "a"),)),
    ]


def test_identical_coding_agrees_fully_and_has_no_disagreements():
    same = compare(50, [S(0, 10, "X", 1), S(20, 30, "Y", 2)], [S(0, 10, "X", 3), S(20, 30, "Y", 4)])
    for theme in same.themes:
        for level in (theme.characters, theme.segments):
            assert (level.kappa, level.alpha, level.agreement) == (1.0, 1.0, 1.0)
    assert same.disagreements == []
    assert [(m.theme, m.a_ids, m.b_ids) for m in same.matches] == [
        ("X", (1,), (3,)),
        ("Y", (2,), (4,)),
    ]


def test_same_coverage_split_differently_is_no_disagreement():
    split = compare(40, [S(0, 10, "X", 1), S(10, 20, "X", 2)], [S(0, 20, "X", 3)])
    assert split.disagreements == []
    assert by_theme(split)["X"].characters.kappa == 1.0


def test_whole_text_coded_by_both_is_perfect_agreement_not_nan():
    # Chance agreement is 1 here: kappa would be 0/0; both coded every character alike.
    full = compare(10, [S(0, 10, "X")], [S(0, 10, "X")])
    assert by_theme(full)["X"].characters.kappa == 1.0
    assert by_theme(full)["X"].characters.alpha == 1.0


@pytest.mark.parametrize("empty", ["a", "b"])
def test_a_coder_who_coded_nothing_gets_a_message_naming_them(empty):
    a, b = ([], B) if empty == "a" else (A, [])
    with pytest.raises(AgreementError) as refused:
        compare(100, a, b, names=("Kari", "Ola"))
    assert refused.value.code == "coded_nothing"
    assert refused.value.message.startswith("Kari" if empty == "a" else "Ola")


def test_segment_outside_the_text_is_refused():
    with pytest.raises(AgreementError) as refused:
        compare(20, [S(5, 25, "X")], [S(0, 5, "X")])
    assert refused.value.code == "outside_text"


def test_kappa_matches_the_textbook_formula_on_random_codings():
    rng = np.random.default_rng(12)
    for _ in range(20):
        a, b = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
        po = np.mean(a == b)
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        assert cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe))
        expected = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
        assert krippendorff_alpha(a, b) == pytest.approx(expected)


def test_merge_ranges_joins_overlaps_but_not_touching_ranges():
    assert merge_ranges([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 8), (8, 9)]
