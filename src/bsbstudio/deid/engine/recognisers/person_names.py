"""Person names from the given- and family-name lists, extended over a full name."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..span import Span
from .base import Recogniser

CONTINUATION_MAX = 3


def name_extent(doc: Document, position: int) -> int:
    """Return the last word position of a full name starting at ``position`` ("Audun Bråten")."""
    words = doc.words
    lex = doc.lexicon
    last = position
    for nxt in range(position + 1, min(len(words), position + 1 + CONTINUATION_MAX)):
        gap = doc.text[words[nxt - 1].end : words[nxt].start]
        if gap not in (" ", "-"):
            break
        word = words[nxt]
        if not word.is_capitalised or lex.is_ordinary(word.text):
            break
        if word.text.casefold() in lex.titles or word.text.isupper() and len(word.text) > 1:
            break
        last = nxt
    return last


class PersonNameRecogniser(Recogniser):
    """Words in the name lists; ordinary words that are also names need capitals mid-sentence."""

    name = "name_list"
    label = "PERSON"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Flag listed names, with their following family names, as one span."""
        lex = doc.lexicon
        words = doc.words
        skip_to = -1
        for i, word in enumerate(words):
            if i <= skip_to or not lex.is_name(word.text) or len(word.text) < 2:
                continue
            folded = word.text.casefold()
            if folded in lex.not_identifiers or folded in lex.common_words:
                continue
            sentence_start = doc.starts_sentence(i)
            last = name_extent(doc, i) if word.is_capitalised else i
            full = last > i
            if lex.is_allowed(word.text) or lex.is_allowed(word.text.rstrip("s")):
                if not word.is_capitalised:
                    continue  # "per uke", "håp": the context recogniser decides
                if sentence_start and not full:
                    continue  # "Ro." / "Stein i magen"
                score, why = (
                    (0.8, "listed name followed by a surname")
                    if full
                    else (0.55, "capitalised mid-sentence, but also an ordinary word")
                )
            elif word.is_capitalised:
                score = 0.9 if full else (0.8 if not sentence_start else 0.75)
                why = "full name starting with a listed name" if full else "listed name"
            else:
                score, why = 0.6, "listed name in lower case (speech recognition text)"
            skip_to = last
            yield self.span(word.start, words[last].end, score, why)
