"""Organisations and health-care units: known names, and generic words with a name beside them.

"Follo DPS", "Voss sjukehus", "NAV Asker", "Sykehuset Østfold Kalnes", "Kafé Brygga",
"Regionalt senter for spiseforstyrrelser". A generic word alone ("DPS-en", "NAV") is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..document import Document, Word
from ..lexicon import Lexicon, word_frequencies
from ..span import Span
from .base import PLACE_PREPOSITIONS, Recogniser, previous_word

OPEN_PREFIXES = (
    "senter for",
    "klinikk for",
    "kompetansetjeneste for",
    "seksjon for",
    "avdeling for",
)
MAX_NAME_WORDS = 3
# A service unit in the definite form, named by where it is: "utekontakten i Bodø",
# "boligkontoret i Tromsø kommune", "tannhelsetenesta på Stord". The unit word alone is generic.
UNIT_ENDINGS = (
    "kontoret",
    "kontakten",
    "teamet",
    "tjenesten",
    "tenesta",
    "tenesten",
    "sentralen",
    "senteret",
    "sentret",
    "huset",
    "stasjonen",
    "klinikken",
    "avdelingen",
    "avdelinga",
    "enheten",
    "eininga",
    "posten",
    "verket",
    "skolen",
    "skulen",
)
UNIT_MIN_LENGTH = 8
JOINERS = frozenset({"og", "i", "på", "for"})
DEFINITE_ENDINGS = ("en", "et", "a")


@cache
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name.casefold() for name in names)


@cache
def _regexes(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    suffixes = "|".join(re.escape(s) for s in sorted(lex.org_suffixes, key=len, reverse=True))
    prefixes = "|".join(re.escape(p) for p in sorted(lex.org_prefixes, key=len, reverse=True))
    suffix_re = re.compile(rf"(?<![\w-])(?i:{suffixes})(?![\w-])")
    prefix_re = re.compile(rf"(?<![\w-])(?:{prefixes})(?![\w-])", re.IGNORECASE)
    return suffix_re, prefix_re


def _is_name_word(doc: Document, word: Word) -> bool:
    lex = doc.lexicon
    folded = word.text.casefold()
    if folded in lex.places:
        return word.is_capitalised or not lex.is_ordinary_place_word(word.text)
    if (
        not word.is_capitalised
        and lex.is_name(word.text)
        and not lex.is_allowed(word.text)
        and not lex.is_ordinary(word.text)
    ):
        return True  # "eyvinds orkester" in lower-case speech-recognition text, not "hos"
    if not word.is_capitalised or lex.is_ordinary(word.text):
        return False
    return not (len(word.text) > 1 and word.text.isupper() and folded in lex.not_identifiers)


class OrganisationRecogniser(Recogniser):
    """Known organisations, and prefix/suffix patterns from ``org_patterns.yaml``."""

    name = "organisation"
    label = "ORGANIZATION"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Run the known-name list, then the suffix and prefix patterns."""
        suffix_re, prefix_re = _regexes(doc.lexicon)
        yield from self._known(doc)
        yield from self._suffixed(doc, suffix_re)
        yield from self._prefixed(doc, prefix_re)
        yield from self._units_at_places(doc)

    def _units_at_places(self, doc: Document) -> Iterator[Span]:
        """A definite service-unit word, "i"/"på" and a place: one organisation."""
        words = doc.words
        lex = doc.lexicon
        folded = doc.folded
        for i in range(len(words) - 2):
            unit = folded[i]
            if len(unit) < UNIT_MIN_LENGTH or not unit.endswith(UNIT_ENDINGS):
                continue
            if folded[i + 1] not in ("i", "på") or not _is_name_word(doc, words[i + 2]):
                continue
            if (
                lex.is_ordinary(words[i + 2].text)
                or "\n" in doc.text[words[i].end : words[i + 2].start]
            ):
                continue
            last = i + 2
            if last + 1 < len(words) and folded[last + 1] in ("kommune", "kommunes", "herad"):
                last += 1
            yield self.span(
                words[i].start, words[last].end, 0.75, f"'{words[i].text}' named by its place"
            )

    def _known(self, doc: Document) -> Iterator[Span]:
        lex = doc.lexicon
        for first, last in doc.match_phrases(_folded(lex.organisations)):
            start, end = doc.words[first].start, doc.words[last].end
            found = doc.text[start:end]
            ordinary = lex.is_ordinary_place_word(found)
            sentence_start = doc.starts_sentence(first)
            preposition = previous_word(doc.text, start) in PLACE_PREPOSITIONS
            if found.islower() and first == last and found in word_frequencies():
                ordinary = True  # "union", "viking": in lower case a word before it is a name
            if not found[:1].isupper() or found.isupper():
                if ordinary and not preposition:
                    continue
            elif ordinary and sentence_start:
                continue
            yield self.span(start, end, 0.85, "a known organisation or hospital")

    def _suffixed(self, doc: Document, regex: re.Pattern) -> Iterator[Span]:
        words = doc.words
        for match in regex.finditer(doc.text):
            position = doc.word_before(match.start())
            first = None
            while position is not None and position >= 0:
                word = words[position]
                gap = doc.text[
                    word.end : (words[position + 1].start if first is not None else match.start())
                ]
                if gap not in (" ", "-") or not _is_name_word(doc, word):
                    break
                if first is not None and doc.starts_sentence(position + 1):
                    break
                first = position
                if match.start() - word.start > 60:
                    break
                position -= 1
            if first is None:
                continue
            yield self.span(
                words[first].start, match.end(), 0.85, f"a name followed by '{match.group()}'"
            )

    def _prefixed(self, doc: Document, regex: re.Pattern) -> Iterator[Span]:
        words = doc.words
        for match in regex.finditer(doc.text):
            prefix = match.group().casefold()
            index = doc.word_at_or_after(match.end())
            if index is None:
                continue
            open_ended = prefix.endswith(OPEN_PREFIXES)
            # a unit in the definite form takes its place after "i"/"på" ("Frivilligsentralen i X")
            definite = prefix.endswith(DEFINITE_ENDINGS)
            last = None
            previous_end = match.end()
            for position in range(index, min(len(words), index + 5)):
                word = words[position]
                if doc.text[previous_end : word.start] != " ":
                    break
                if open_ended:
                    if not word.text[:1].isalpha() or word.text.casefold() in ("og", "der", "som"):
                        break
                elif not _is_name_word(doc, word):
                    folded = word.text.casefold()
                    if definite and last is None and folded in ("i", "på"):
                        previous_end = word.end
                        continue
                    if folded in JOINERS and last is not None:
                        continue
                    break
                last = position
                previous_end = word.end
            if last is None:
                continue
            yield self.span(
                match.start(), words[last].end, 0.85, f"'{match.group()}' followed by a name"
            )
