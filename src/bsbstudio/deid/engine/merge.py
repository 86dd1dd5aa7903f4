"""Merge the spans of all recognisers into one sorted, non-overlapping list.

Rules, in order:

1. Spans inside a speaker code are dropped; whitespace and edge punctuation are trimmed off.
2. Overlapping spans with the same label are joined into one (the highest score wins).
3. Across labels, higher scores win, and a longer span that contains others wins when its
   score is at most ``CONTAINER_MARGIN`` below theirs ("Sykehuset Østfold Kalnes" over
   "Østfold"). Partial overlaps keep the higher-scoring span only.
"""

from __future__ import annotations

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
    excluded = list(exclude)
    cleaned = []
    for span in spans:
        if span.score < min_score:
            continue
        trimmed = trim(text, span)
        if trimmed is None or trimmed.end > len(text):
            continue
        if any(s < trimmed.end and trimmed.start < e for s, e in excluded):
            continue
        cleaned.append(trimmed)
    if not cleaned:
        return []
    candidates = _join_same_label(cleaned)
    candidates.sort(key=lambda s: (-s.score, -(s.end - s.start), s.start))
    accepted: list[Span] = []
    for candidate in candidates:
        clashes = [a for a in accepted if a.overlaps(candidate)]
        if not clashes:
            accepted.append(candidate)
        elif all(
            candidate.contains(a)
            and len(candidate) > len(a)
            and candidate.score >= a.score - CONTAINER_MARGIN
            for a in clashes
        ):
            for a in clashes:
                accepted.remove(a)
            accepted.append(candidate)
    accepted.sort(key=lambda s: s.start)
    return accepted
