"""Inter-coder agreement of two coders on one text: kappa, alpha, percent agreement, disagreements.

Two members code the same de-identified text blind to each other. Per theme this module measures
how well they agree at two levels:

* character level, as NVivo reports it: every character of the text is a unit, coded or not to
  the theme by each coder;
* segment level: the units are the passages either coder marked (overlapping segments, of any
  theme and either coder, merged into one unit), each coded or not to the theme by each coder.

At each level it gives Cohen's kappa, Krippendorff's alpha (nominal, from the maintained
``krippendorff`` package) and the share of units both coders treated alike. It also lists the
disagreements: for each passage of a theme, the character ranges only one of the two coded.

Plain Python (with numpy): the analysis app passes offsets, themes and segment ids in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

from bsbstudio.errors import UserFacingError, gettext_noop

CODER_A, CODER_B = "a", "b"


class AgreementError(UserFacingError):
    """Agreement cannot be measured: a coder has coded nothing, or a segment lies outside the text."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One coded segment of one coder: text[start:end] coded to ``theme``."""

    start: int
    end: int
    theme: Hashable
    segment_id: Hashable = None


@dataclass(frozen=True, slots=True)
class Measures:
    """Agreement over ``units`` units: kappa, alpha and the share of units coded alike (0–1)."""

    kappa: float
    alpha: float
    agreement: float
    units: int


@dataclass(frozen=True, slots=True)
class ThemeAgreement:
    """How two coders agree on one theme, by character and by segment."""

    theme: Hashable
    characters: Measures
    segments: Measures
    characters_a: int  # characters coder A coded to the theme
    characters_b: int


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) that only ``coder`` ("a" or "b") coded to the theme."""

    start: int
    end: int
    coder: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One passage of a theme (overlapping segments of both coders) where they coded differently.

    ``a_ids`` and ``b_ids`` are the segments of each coder in the passage (either may be empty);
    ``spans`` are the ranges only one of them coded.
    """

    theme: Hashable
    start: int
    end: int
    a_ids: tuple
    b_ids: tuple
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Agreement:
    """The agreement of two coders on one text: per used theme, the unused themes, the passages.

    ``disagreements`` are the passages they coded differently; ``matches`` those both coded
    alike (same characters, however split into segments; ``spans`` empty).
    """

    themes: list[ThemeAgreement]
    unused: list[Hashable]
    disagreements: list[Disagreement]
    matches: list[Disagreement]


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float:
    """Cohen's kappa of two coders' yes/no (1/0) codings of the same units.

    When chance agreement is certain (both gave every unit one and the same value) kappa is
    (po - pe) / (1 - pe) = 0/0; it is defined as 1 then, since they agreed on every unit.
    """
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    n, yes_a, yes_b = a.size, int(a.sum()), int(b.sum())
    if n == 0:
        raise ValueError("kappa needs at least one unit")
    agreed = int((a == b).sum())
    # In whole numbers, scaled by n²: observed po·n² and chance pe·n² agreement, exact.
    chance = yes_a * yes_b + (n - yes_a) * (n - yes_b)
    if chance == n * n:
        return 1.0
    return (agreed * n - chance) / (n * n - chance)


def krippendorff_alpha(a: Sequence[int], b: Sequence[int]) -> float:
    """Krippendorff's alpha (nominal) of two coders' yes/no codings of the same units.

    When only one value occurs at all, expected disagreement is 0 and the package gives NaN; alpha
    is 1 then, as the coders never disagreed.
    """
    a, b = np.asarray(a, dtype=np.int8), np.asarray(b, dtype=np.int8)
    if a.size == 0:
        raise ValueError("alpha needs at least one unit")
    if a.min() == a.max() == b.min() == b.max():
        return 1.0
    # Per unit, how many coders gave 0 and how many 1: the package's own input, built directly.
    yes = a + b
    value_counts = np.stack([2 - yes, yes], axis=1)
    return float(krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal"))


def measures(a: Sequence[int], b: Sequence[int]) -> Measures:
    """Kappa, alpha and percent agreement (as a share) of two coders over the same units."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    return Measures(
        kappa=cohen_kappa(a, b),
        alpha=krippendorff_alpha(a, b),
        agreement=float((a == b).mean()),
        units=int(a.size),
    )


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping ranges [start, end) merged; ranges that only touch stay apart."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _coverage(length: int, segments: Iterable[Segment]) -> np.ndarray:
    covered = np.zeros(length, dtype=bool)
    for s in segments:
        covered[s.start : s.end] = True
    return covered


def _runs(mask: np.ndarray, offset: int) -> list[tuple[int, int]]:
    """The ranges [start, end) where ``mask`` is true, shifted by ``offset``."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return [
        (int(s) + offset, int(e) + offset) for s, e in zip(edges[::2], edges[1::2], strict=True)
    ]


def _check(length: int, segments_a: list[Segment], segments_b: list[Segment], names) -> None:
    for s in (*segments_a, *segments_b):
        if not 0 <= s.start < s.end <= length:
            raise AgreementError(
                "outside_text",
                gettext_noop("A coded quote (%(start)d–%(end)d) lies outside the text."),
                start=s.start,
                end=s.end,
            )
    for coder, segments in zip(names, (segments_a, segments_b), strict=True):
        if not segments:
            raise AgreementError(
                "coded_nothing",
                gettext_noop(
                    "%(coder)s has not coded anything in this text yet, so there is nothing to "
                    "compare. Wait until both have coded the text."
                ),
                coder=coder,
            )


def _passages(theme, seg_a: list[Segment], seg_b: list[Segment]) -> list[Disagreement]:
    """Each passage of the theme (overlapping segments merged), with the ranges only one coded."""
    found = []
    for start, end in merge_ranges((s.start, s.end) for s in (*seg_a, *seg_b)):
        inside_a = [s for s in seg_a if start <= s.start and s.end <= end]
        inside_b = [s for s in seg_b if start <= s.start and s.end <= end]
        a = _coverage(
            end - start, (Segment(s.start - start, s.end - start, theme) for s in inside_a)
        )
        b = _coverage(
            end - start, (Segment(s.start - start, s.end - start, theme) for s in inside_b)
        )
        spans = sorted(
            [Span(s, e, CODER_A) for s, e in _runs(a & ~b, start)]
            + [Span(s, e, CODER_B) for s, e in _runs(b & ~a, start)],
            key=lambda span: span.start,
        )
        found.append(
            Disagreement(
                theme=theme,
                start=start,
                end=end,
                a_ids=tuple(s.segment_id for s in inside_a),
                b_ids=tuple(s.segment_id for s in inside_b),
                spans=tuple(spans),
            )
        )
    return found


def compare(
    length: int,
    segments_a: Iterable[Segment],
    segments_b: Iterable[Segment],
    themes: Sequence[Hashable] = (),
    names: tuple[str, str] = ("A", "B"),
) -> Agreement:
    """Measure the agreement of coder A and coder B on a text of ``length`` characters.

    ``themes`` gives the order of the result (themes neither coder used go to ``unused``); themes
    a coder used that are not in it follow, in order of first use. Raises AgreementError (naming
    the coder by ``names``) when a coder has coded nothing or a segment lies outside the text.
    """
    segments_a, segments_b = list(segments_a), list(segments_b)
    _check(length, segments_a, segments_b, names)
    order = list(dict.fromkeys([*themes, *(s.theme for s in (*segments_a, *segments_b))]))
    units = merge_ranges((s.start, s.end) for s in (*segments_a, *segments_b))
    unit_starts = np.array([start for start, _end in units])

    def unit_vector(segments: list[Segment]) -> np.ndarray:
        coded = np.zeros(len(units), dtype=bool)
        # Each segment lies inside exactly one merged unit: the last one starting at or before it.
        coded[np.searchsorted(unit_starts, [s.start for s in segments], side="right") - 1] = True
        return coded

    results, unused = [], []
    for theme in order:
        seg_a = [s for s in segments_a if s.theme == theme]
        seg_b = [s for s in segments_b if s.theme == theme]
        if not seg_a and not seg_b:
            unused.append(theme)
            continue
        chars_a, chars_b = _coverage(length, seg_a), _coverage(length, seg_b)
        results.append(
            ThemeAgreement(
                theme=theme,
                characters=measures(chars_a, chars_b),
                segments=measures(unit_vector(seg_a), unit_vector(seg_b)),
                characters_a=int(chars_a.sum()),
                characters_b=int(chars_b.sum()),
            )
        )
    disagreements, matches = passages(segments_a, segments_b, order)
    return Agreement(results, unused, disagreements, matches)


def passages(
    segments_a: Iterable[Segment], segments_b: Iterable[Segment], themes: Sequence[Hashable] = ()
) -> tuple[list[Disagreement], list[Disagreement]]:
    """The passages of each theme the two coders coded differently, and those coded alike.

    Cheaper than :func:`compare` (no measures), for settling disagreements one by one.
    """
    segments_a, segments_b = list(segments_a), list(segments_b)
    order = list(dict.fromkeys([*themes, *(s.theme for s in (*segments_a, *segments_b))]))
    found = []
    for theme in order:
        found.extend(
            _passages(
                theme,
                [s for s in segments_a if s.theme == theme],
                [s for s in segments_b if s.theme == theme],
            )
        )
    return [p for p in found if p.spans], [p for p in found if not p.spans]
