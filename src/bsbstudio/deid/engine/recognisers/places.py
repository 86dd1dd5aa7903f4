"""Places: municipalities and counties, other Norwegian and foreign places (see PROVENANCE.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..span import Span
from .base import PLACE_PREPOSITIONS, Recogniser, previous_word

BYDEL_RE = re.compile(
    r"\b(?:bydel(?:en)?|bydelane|bydelene)\s+(?P<hit>[A-ZÆØÅ][\wæøå\-]+"
    r"(?:\s(?:[A-ZÆØÅ][\wæøå\-]+))?)"
)
NOT_A_PLACE = frozenset({"norge", "noreg", "norges", "noregs"})  # every text is Norwegian


class PlaceRecogniser(Recogniser):
    """Listed places; in lower case only after a place preposition, ordinary words need capitals."""

    name = "place_list"
    label = "LOCATION"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Match the place list and named city districts."""
        lex = doc.lexicon
        text = doc.text
        for first, last in doc.match_phrases(lex.places):
            start, end = doc.words[first].start, doc.words[last].end
            found = text[start:end]
            folded = found.casefold()
            if folded in NOT_A_PLACE:
                continue
            ordinary = lex.is_ordinary_place_word(found)
            preposition = previous_word(text, start) in PLACE_PREPOSITIONS
            position = first
            if found[:1].isupper():
                if ordinary and (position is None or doc.starts_sentence(position)):
                    continue
                if ordinary and not preposition:
                    continue
                score = 0.8 if not ordinary else 0.65
                why = "a listed Norwegian or foreign place"
            else:
                if ordinary or not preposition:
                    continue
                score, why = 0.65, "a listed place in lower case after a place preposition"
            if preposition:
                score = min(1.0, score + 0.1)
            yield self.span(start, end, score, why)
        for match in BYDEL_RE.finditer(text):
            start, end = match.span("hit")
            yield self.span(start, end, 0.85, "a named city district (bydel)")
