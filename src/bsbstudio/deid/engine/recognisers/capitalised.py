"""Capitalised words inside a sentence that are not ordinary words.

Norwegian does not capitalise nouns, so "… bor på Hafslundsøy" or "… møtte jeg Guttorm" points
to a name. After a place preposition the word is taken as a place, else as a person; the NER
model and the lists give better labels and scores when they know the word.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..lexicon import word_frequencies
from ..span import Span
from .base import PLACE_PREPOSITIONS, Recogniser

PLACE_ENDINGS = (
    "øy",
    "øya",
    "øyna",
    "dal",
    "dalen",
    "vik",
    "vika",
    "viken",
    "fjord",
    "fjorden",
    "nes",
    "neset",
    "stad",
    "sund",
    "sundet",
    "moen",
    "heim",
    "haug",
    "haugen",
    "berg",
    "bygd",
    "bygda",
    "by",
    "byen",
    "strand",
    "seter",
    "setra",
    "lia",
    "rud",
    "mark",
    "marka",
    "land",
    "holm",
    "holmen",
    "åsen",
    "våg",
    "vågen",
    "øyra",
    "eid",
    "skog",
    "skogen",
    "toppen",
    "tangen",
    "sjøen",
    "vann",
    "vatnet",
    "elva",
    "foss",
    "fossen",
    "hamn",
    "havn",
    "kollen",
    "sletta",
    "jordet",
    "gård",
    "gården",
    "tun",
    "bakken",
)


# An unlisted capitalised word this frequent in Norwegian (zipf, about 3 per 100,000 words) is an
# ordinary word that got a capital (a heading, a line break in a PDF), not a name: names that are
# also frequent words are in the Statistics Norway lists, and places in the place lists.
FREQUENT_WORD = 4.5


class CapitalisedWordRecogniser(Recogniser):
    """Unknown capitalised words mid-sentence; acronyms and listed words are left to others."""

    name = "capitalised"
    label = "PERSON"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Yield each capitalised, unknown word that does not start a sentence."""
        lex = doc.lexicon
        words = doc.words
        for i, word in enumerate(words):
            text = word.text
            if (
                not word.is_capitalised
                or len(text) < 3
                or text.isupper()
                or any(ch.isdigit() for ch in text)
            ):
                continue
            if sum(ch.isupper() for ch in text) > 1 and "-" not in text:
                continue
            if "-" in text and not text.rsplit("-", 1)[1][:1].isupper():
                continue  # "D-nummer", "Instagram-konto", "Røros-regionen"
            if lex.is_ordinary(text) or lex.is_name(text):
                continue
            if doc.starts_sentence(i):
                pair = self._pair_at_start(doc, i)
                if pair is not None:
                    yield pair
                continue
            folded = text.casefold()
            if folded in lex.places or folded in lex.titles or folded in lex.relations:
                continue
            previous = words[i - 1].text.casefold() if i else ""
            if previous not in PLACE_PREPOSITIONS and word_frequencies().get(folded, 0.0) >= (
                FREQUENT_WORD
            ):
                continue  # "Hver", "Slutter": an ordinary word given a capital, not a name
            if previous in PLACE_PREPOSITIONS:
                score = 0.65 if folded.endswith(PLACE_ENDINGS) else 0.55
                yield self.span(
                    word.start,
                    word.end,
                    score,
                    "capitalised unknown word after a place preposition",
                    "LOCATION",
                )
            else:
                label = "LOCATION" if folded.endswith(PLACE_ENDINGS) else "PERSON"
                yield self.span(
                    word.start,
                    word.end,
                    0.5,
                    "capitalised word inside a sentence that is not an ordinary word",
                    label,
                )

    def _pair_at_start(self, doc: Document, i: int) -> Span | None:
        """Two unknown capitalised words opening a sentence: a full name ("Ylva Tangstad, ...").

        Norwegian capitalises only the first word of a sentence, so a second capital says name.
        """
        lex = doc.lexicon
        words = doc.words
        if i + 1 >= len(words) or doc.text[words[i].end : words[i + 1].start] != " ":
            return None
        first, second = words[i], words[i + 1]
        for word in (first, second):
            folded = word.text.casefold()
            if (
                not word.is_capitalised
                or word.text.isupper()
                or any(ch.isdigit() for ch in word.text)
                or lex.is_ordinary(word.text)
                or folded in lex.titles
                or folded in lex.relations
                or word_frequencies().get(folded, 0.0) >= FREQUENT_WORD
            ):
                return None  # "Gruppe To", "Dialogkonferanse Nord": a heading, not a name
        if first.text.casefold() in lex.places or second.text.casefold() in lex.places:
            return None  # "Oslo Sentrum": the place recogniser decides
        if doc.lists.keep and any(doc.lists.is_kept(w.text, "PERSON") for w in (first, second)):
            return None  # the evaluation's own service ("Fjordglimt Helsehus")
        return self.span(first.start, second.end, 0.55, "two capitalised words opening a sentence")
