"""The common base of all recognisers: patterns, context words, validation, explanation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..document import Document
from ..span import Span


@dataclass(frozen=True)
class Pattern:
    """A named regular expression with a base score. Group ``hit`` (if any) is the span."""

    name: str
    regex: str
    score: float


class Recogniser:
    """Finds one kind of identifier. Subclasses set ``name`` and ``label``, override analyse."""

    name = "recogniser"
    label = "QUASI"
    needs_rules = False  # True: runs after the rule recognisers and sees doc.confident

    def analyse(self, doc: Document) -> Iterable[Span]:
        """Yield the spans found in ``doc``."""
        raise NotImplementedError

    def span(
        self,
        start: int,
        end: int,
        score: float,
        why: str,
        label: str | None = None,
        category: str = "",
    ) -> Span:
        """Build a span from this recogniser, with the explanation a reviewer reads."""
        score = min(max(score, 0.0), 1.0)
        return Span(start, end, label or self.label, score, self.name, why, category)


class PatternRecogniser(Recogniser):
    """A recogniser defined by ``PATTERNS``; ``CONTEXT`` words just before a hit raise its score.

    Override :meth:`validate` to check a hit (checksums) and return ``(score, why)`` or ``None``.
    """

    PATTERNS: tuple[Pattern, ...] = ()
    CONTEXT: tuple[str, ...] = ()
    CONTEXT_WINDOW = 50
    CONTEXT_BOOST = 0.2
    FLAGS = re.IGNORECASE
    description = "pattern"

    def __init__(self) -> None:
        """Compile the patterns once."""
        self._compiled = [(p, re.compile(p.regex, self.FLAGS)) for p in self.PATTERNS]
        self._context = [c.casefold() for c in self.CONTEXT]

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Score a hit; ``None`` drops it. The default keeps the pattern's score."""
        return pattern.score, self.description

    def context_word(self, doc: Document, start: int) -> str | None:
        """Return the first context word found in the window before ``start``, if any."""
        if not self._context:
            return None
        window = doc.text[max(0, start - self.CONTEXT_WINDOW) : start].casefold()
        return next((word for word in self._context if word in window), None)

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Run every pattern, validate each hit, apply context, and explain the result."""
        for pattern, regex in self._compiled:
            for match in regex.finditer(doc.text):
                group = "hit" if "hit" in regex.groupindex else 0
                start, end = match.span(group)
                if start >= end:
                    continue
                result = self.validate(doc, match, pattern)
                if result is None:
                    continue
                score, why = result
                detail = f"{why} (pattern '{pattern.name}', score {score:.2f}"
                context = self.context_word(doc, start)
                if context:
                    boosted = min(1.0, score + self.CONTEXT_BOOST)
                    detail += f" → {boosted:.2f} after context word '{context}'"
                    score = boosted
                yield self.span(start, end, score, detail + ")")


SHORT_ENTRY = 3  # entries this short match only as written: "JA" is a name, "ja" is a word


def list_regex(names: Iterable[str]) -> re.Pattern | None:
    """One regex matching any of ``names`` as whole words, longest first.

    Entries longer than ``SHORT_ENTRY`` match in any case; shorter ones only as written.
    """
    entries = sorted({n for n in names if n}, key=len, reverse=True)
    if not entries:
        return None
    alternatives = [
        re.escape(n) if len(n) <= SHORT_ENTRY else f"(?i:{re.escape(n)})" for n in entries
    ]
    return re.compile(rf"(?<![\w@.])(?:{'|'.join(alternatives)})(?![\w@]|\.\w)")


PLACE_PREPOSITIONS = frozenset(
    {
        "i",
        "på",
        "fra",
        "frå",
        "til",
        "ved",
        "utenfor",
        "utanfor",
        "rundt",
        "nær",
        "mot",
        "over",
        "ovanfor",
        "hos",
        "gjennom",
        "nord",
        "sør",
        "øst",
        "vest",
        "bort",
        "opp",
        "ned",
        "inn",
        "ut",
        # spoken and dialect compounds: "oppi Hallingdal", "nedi byen", "bortpå Nes"
        "oppi",
        "nedi",
        "borti",
        "inni",
        "uti",
        "oppå",
        "nedpå",
        "bortpå",
        "innpå",
        "utpå",
    }
)


def previous_word(text: str, start: int) -> str:
    """Return the word just before ``start`` (lower case), or an empty string."""
    match = re.search(r"(\w+)\W{0,3}$", text[max(0, start - 30) : start])
    return match.group(1).casefold() if match else ""
