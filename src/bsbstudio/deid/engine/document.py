"""A text prepared once for all recognisers: words, sentence starts, speaker codes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, cached_property

from .lexicon import Lexicon, lexicon
from .lists import EvaluationLists

WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
# "I:", "D1:", "Intervjuer:", "Deltaker 3:", "D (via tolk):", "Far:" at the start of a line.
SPEAKER_RE = re.compile(
    r"^[ \t]*(?:[A-ZÆØÅ][\wÆØÅæøå]{0,14}(?:[ \t]?\d{1,2})?(?:[ \t]\([^()\n]{1,20}\))?):(?=\s)",
    re.MULTILINE,
)
SENTENCE_END = ".!?:;…\n"


@dataclass(frozen=True)
class Word:
    """A word token: ``text[start:end]``."""

    start: int
    end: int
    text: str

    @property
    def is_capitalised(self) -> bool:
        """Whether the word starts with an upper-case letter."""
        return self.text[:1].isupper()


@dataclass
class Document:
    """The text under analysis, with shared lazily computed views."""

    text: str
    lists: EvaluationLists = field(default_factory=EvaluationLists)
    lexicon: Lexicon = field(default_factory=lexicon)
    confident: list[tuple[int, int]] = field(default_factory=list)

    @cached_property
    def speaker_codes(self) -> list[tuple[int, int]]:
        """Offsets of speaker codes at line starts (never identifiers)."""
        return [(m.start(), m.end()) for m in SPEAKER_RE.finditer(self.text)]

    @cached_property
    def words(self) -> list[Word]:
        """The word tokens of the text, outside speaker codes."""
        codes = self.speaker_codes
        words = []
        index = 0
        for match in WORD_RE.finditer(self.text):
            while index < len(codes) and codes[index][1] <= match.start():
                index += 1
            if index < len(codes) and codes[index][0] <= match.start() < codes[index][1]:
                continue
            words.append(Word(match.start(), match.end(), match.group()))
        return words

    @cached_property
    def word_index(self) -> dict[int, int]:
        """Map a word's start offset to its position in :attr:`words`."""
        return {word.start: i for i, word in enumerate(self.words)}

    @cached_property
    def _starts(self) -> list[int]:
        return [word.start for word in self.words]

    @cached_property
    def _ends(self) -> list[int]:
        return [word.end for word in self.words]

    def word_before(self, offset: int) -> int | None:
        """Position of the last word that ends at or before ``offset``."""
        index = bisect_right(self._ends, offset) - 1
        return index if index >= 0 else None

    def word_at_or_after(self, offset: int) -> int | None:
        """Position of the first word that starts at or after ``offset``."""
        index = bisect_left(self._starts, offset)
        return index if index < len(self.words) else None

    @cached_property
    def folded(self) -> list[str]:
        """Each word of :attr:`words`, case-folded."""
        return [word.text.casefold() for word in self.words]

    def match_phrases(self, phrases: frozenset[str], max_words: int = 4):
        """Yield ``(first, last)`` word positions of listed phrases (case-folded), longest first.

        A lookup per word and length instead of a regex with thousands of alternatives; only words
        that can begin a listed phrase are looked at.
        """
        words = self.words
        text = self.text
        firsts = _first_words(phrases)
        folded = self.folded
        position = 0
        while position < len(words):
            if folded[position] not in firsts:
                position += 1
                continue
            found = None
            for last in range(min(len(words) - 1, position + max_words - 1), position - 1, -1):
                surface = text[words[position].start : words[last].end]
                if len(surface) <= 60 and "\n" not in surface and surface.casefold() in phrases:
                    found = last
                    break
            if found is None:
                position += 1
                continue
            yield position, found
            position = found + 1

    @cached_property
    def sentence_starts(self) -> frozenset[int]:
        """Positions of the words that begin a sentence or a turn."""
        return frozenset(i for i in range(len(self.words)) if self._starts_sentence(i))

    def starts_sentence(self, position: int) -> bool:
        """Whether the word at ``position`` in :attr:`words` begins a sentence or a turn."""
        return position in self.sentence_starts

    def _starts_sentence(self, position: int) -> bool:
        if position == 0:
            return True
        start = self.words[position].start
        previous = self.words[position - 1].end
        gap = self.text[previous:start]
        if any(ch in SENTENCE_END for ch in gap):
            return True
        return gap.strip() in ("-", "–", "«", '"', "(") and "\n" in gap

    def previous_words(self, position: int, count: int) -> list[Word]:
        """Up to ``count`` words before position ``position``."""
        return self.words[max(0, position - count) : position]


@cache
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    """The first word of every phrase, as :data:`WORD_RE` splits it."""
    return frozenset(match.group() for p in phrases if (match := WORD_RE.search(p)))
