"""The unit of detection: a labelled, explained span of text."""

from __future__ import annotations

from dataclasses import dataclass

DIRECT_LABELS = frozenset({"PERSON", "ID_NUMBER", "PHONE", "EMAIL", "URL"})
QUASI_LABELS = frozenset({"LOCATION", "ORGANIZATION", "DATE", "AGE", "QUASI"})
LABELS = DIRECT_LABELS | QUASI_LABELS
# What a quasi-identifier is generalised to, as BSB reports write it: "[YRKE]", "[HENDELSE]".
QUASI_CATEGORIES = {
    "YRKE": "occupation or position",
    "ROLLE": "unique role",
    "DIAGNOSE": "rare condition or diagnosis",
    "MEDLEMSKAP": "membership",
    "HENDELSE": "notable event",
}


@dataclass(frozen=True, order=True)
class Span:
    """A detected identifier: ``text[start:end]`` (code points, end exclusive).

    ``label`` is one of :data:`LABELS`, ``score`` the confidence in 0..1, ``source`` the name of
    the recogniser that found it and ``explanation`` a sentence a reviewer can read. A QUASI span
    may carry a ``category`` (one of :data:`QUASI_CATEGORIES`): what it may be generalised to in
    the de-identified text ("[YRKE]") instead of being removed.
    """

    start: int
    end: int
    label: str
    score: float = 1.0
    source: str = ""
    explanation: str = ""
    category: str = ""

    def __post_init__(self) -> None:
        """Reject empty or inverted spans and unknown labels."""
        if not 0 <= self.start < self.end:
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")
        if self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}")
        if self.category and self.category not in QUASI_CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")

    @property
    def identifier(self) -> str:
        """``direct`` for labels that name a person outright, else ``quasi``."""
        return "direct" if self.label in DIRECT_LABELS else "quasi"

    def __len__(self) -> int:
        """Length of the span in code points."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """Whether ``other`` lies inside this span."""
        return self.start <= other.start and other.end <= self.end

    def to_dict(self, *, full: bool = True) -> dict:
        """Return a JSON-serialisable dict (``full=False``: start, end, label and score only)."""
        data = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": round(self.score, 3),
        }
        if full:
            data.update(
                identifier=self.identifier, source=self.source, explanation=self.explanation
            )
            if self.category:
                data["category"] = self.category
        return data
