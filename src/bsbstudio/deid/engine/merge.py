"""Merge the spans of all recognisers into one sorted, non-overlapping list.

Rules, in order:

1. Spans inside a speaker code are dropped; whitespace and edge punctuation are trimmed off.
2. Overlapping spans with the same label are joined into one (the highest score wins).
3. Across labels, higher scores win, and a longer span that contains others wins when its
   score is at most ``CONTAINER_MARGIN`` below theirs ("Sykehuset Østfold Kalnes" over
   "Østfold"). Partial overlaps keep the higher-scoring span only.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import replace

from .span import Span

CONTAINER_MARGIN = 0.2
EDGE = " \t\r\n,;:!?«»\"'()[]{}…-–—"


def trim(text: str, span: Span) -> Span | None:
    """Remove whitespace and punctuation from the edges (a final dot too, except in "dr.")."""
    start, end = span.start, span.end
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and (text[end - 1] in EDGE or text[end - 1] == "."):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end)


def _join_same_label(spans: list[Span]) -> list[Span]:
    by_label: dict[str, list[Span]] = {}
    for span in spans:
        by_label.setdefault(span.label, []).append(span)
    joined: list[Span] = []
    for group in by_label.values():
        group.sort(key=lambda s: (s.start, -s.end))
        current = group[0]
        for span in group[1:]:
            if span.start < current.end:
                best = current if current.score >= span.score else span
                why = best.explanation
                other = span if best is current else current
                if other.source != best.source and other.source not in why:
                    why += f"; also {other.source}"
                current = Span(
                    current.start,
                    max(current.end, span.end),
                    best.label,
                    max(current.score, span.score),
                    best.source,
                    why,
                    best.category,
                )
            else:
                joined.append(current)
                current = span
        joined.append(current)
    return joined


def merge(
    spans: Iterable[Span],
    text: str,
    *,
    exclude: Iterable[tuple[int, int]] = (),
    min_score: float = 0.0,
) -> list[Span]:
    """Apply the merge rules and return spans sorted by start, never overlapping."""
    # speaker codes and accepted spans never overlap among themselves, so sorted by start their
    # ends are sorted too and a bisection finds the clashes (a 5 MB text has 100,000s of spans)
    excluded: list[list[int]] = []  # the union of the excluded ranges, sorted
    for start, end in sorted(exclude):
        if excluded and start < excluded[-1][1]:
            excluded[-1][1] = max(excluded[-1][1], end)
        else:
            excluded.append([start, end])
    excluded_starts, excluded_ends = [s for s, _ in excluded], [e for _, e in excluded]
    cleaned = []
    for span in spans:
        if span.score < min_score:
            continue
        trimmed = trim(text, span)
        if trimmed is None or trimmed.end > len(text):
            continue
        first = bisect_right(excluded_ends, trimmed.start)
        if first < bisect_left(excluded_starts, trimmed.end):
            continue
        cleaned.append(trimmed)
    if not cleaned:
        return []
    candidates = _join_same_label(cleaned)
    candidates.sort(key=lambda s: (-s.score, -(s.end - s.start), s.start))
    accepted: list[Span] = []  # sorted by start, never overlapping
    starts: list[int] = []
    ends: list[int] = []
    for candidate in candidates:
        first = bisect_right(ends, candidate.start)
        last = bisect_left(starts, candidate.end)
        clashes = accepted[first:last]
        if clashes and not all(
            candidate.contains(a)
            and len(candidate) > len(a)
            and candidate.score >= a.score - CONTAINER_MARGIN
            for a in clashes
        ):
            continue
        accepted[first:last] = [candidate]
        starts[first:last] = [candidate.start]
        ends[first:last] = [candidate.end]
    return accepted
