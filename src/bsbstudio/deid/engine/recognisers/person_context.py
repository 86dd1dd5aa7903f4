"""Person names recognised by their context, also in lower case and when not listed.

"heter Ylva", "Kari heter jeg", "vi kaller ham Bamse", "dr. Lien", "psykologen Line", "Kari sin",
"broren min, Kjell,", a turn that opens with a bare name ("D4: Oddrun.") and initials used as a
name ("K.H. sa at", "møtte H.", "han K").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document, Word
from ..lexicon import word_frequencies
from ..span import Span
from .base import Recogniser
from .person_names import PARTICLES, name_extent

NAMING_VERBS = frozenset(
    {"heter", "heiter", "het", "hette", "kalles", "kallar", "kaller", "kalt", "kalla", "kalte"}
)
NAMING_OBJECTS = frozenset({"meg", "deg", "ham", "han", "henne", "ho", "seg", "oss"})
POSSESSIVE = frozenset({"sin", "sitt", "sine", "si"})
RELATION_OWNERS = frozenset(
    {
        "min",
        "mi",
        "mitt",
        "mine",
        "vår",
        "vårt",
        "hans",
        "hennes",
        "deres",
        "din",
        "di",
        "sin",
        "si",
    }
)
NOUN_ENDINGS = ("ene", "ane", "sjon", "het", "else", "ing", "lig", "isk", "bart", "ert", "eren")
TITLES_ANY_CASE = frozenset({"dr", "dr.", "doktor"})
# Initials are a name after these words ("møtte H.", "han K") or before these ("T. sa at").
INITIAL_BEFORE = frozenset(
    {"møtte", "med", "heter", "het", "kalt", "han", "hun", "ho", "hos", "ringte", "spurte"}
)
INITIAL_AFTER = frozenset(
    {"sa", "sier", "seier", "mente", "fortalte", "syntes", "synes", "spurte", "svarte", "ringte"}
)
DIALECT_ARTICLES = frozenset({"han", "hun", "ho"})  # "han K" / "ho Kari": a name follows


def _is_candidate(doc: Document, word: Word, *, allow_lower: bool) -> bool:
    lex = doc.lexicon
    if (
        not word.text[:1].isalpha()
        or len(word.text) < 2
        or word.text.isupper()
        or any(ch.isdigit() or ch == "." for ch in word.text)
    ):
        return False
    if lex.is_ordinary(word.text) or word.text.casefold() in lex.titles:
        return False
    if word.is_capitalised:
        return True
    return allow_lower and (lex.is_name(word.text) or not lex.is_allowed(word.text))


class PersonContextRecogniser(Recogniser):
    """Names found by the words around them."""

    name = "name_context"
    label = "PERSON"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Apply each context rule over the words of the text."""
        words = doc.words
        lex = doc.lexicon
        text = doc.text
        for i, word in enumerate(words):
            folded = word.text.casefold()
            nxt = words[i + 1] if i + 1 < len(words) else None
            if folded in NAMING_VERBS and nxt is not None:
                j = i + 1
                if words[j].text.casefold() in NAMING_OBJECTS and j + 1 < len(words):
                    j += 1
                if words[j].text.casefold() == "for" and j + 1 < len(words):
                    j += 1  # "kaller meg for Pelle"
                target = words[j]
                if _is_candidate(doc, target, allow_lower=True) and not _crosses(doc, i, j):
                    yield from self._emit(doc, j, 0.85, f"name after '{word.text}'")
                prev = words[i - 1] if i > 0 else None
                if (
                    prev is not None
                    and nxt.text.casefold() in ("jeg", "eg", "han", "hun", "ho")
                    and _is_candidate(doc, prev, allow_lower=True)
                    and not _crosses(doc, i - 1, i)
                ):
                    yield self.span(
                        prev.start, prev.end, 0.85, f"name before '{word.text} {nxt.text}'"
                    )
            elif (
                folded.rstrip(".") in lex.titles or folded in TITLES_ANY_CASE
            ) and nxt is not None:
                if _crosses(doc, i, i + 1, abbreviation=folded in TITLES_ANY_CASE):
                    continue
                lower_ok = folded.startswith("dr") or folded == "doktor" or lex.is_name(nxt.text)
                if _is_candidate(doc, nxt, allow_lower=lower_ok) and (
                    nxt.is_capitalised or lex.is_name(nxt.text) or folded in TITLES_ANY_CASE
                ):
                    yield from self._emit(doc, i + 1, 0.8, f"name after the role '{word.text}'")
            elif folded in POSSESSIVE and i > 0:
                prev = words[i - 1]
                if text[prev.end : word.start] == " " and (
                    (prev.is_capitalised and _is_candidate(doc, prev, allow_lower=False))
                    or (
                        not prev.is_capitalised
                        and lex.name_strength(prev.text) >= 0.5
                        and not lex.is_allowed(prev.text)
                    )
                ):
                    yield self.span(prev.start, prev.end, 0.8, f"name before '{word.text}'")
            if folded in lex.relations and nxt is not None:
                j = i + 1
                if words[j].text.casefold() in RELATION_OWNERS and j + 1 < len(words):
                    j += 1
                target = words[j]
                gap = text[words[j - 1].end : target.start]
                after = text[target.end : target.end + 1]
                if (
                    gap.strip() == ","
                    and after in (",", ".", "")
                    and _is_candidate(doc, target, allow_lower=True)
                ):
                    yield self.span(
                        target.start, target.end, 0.75, f"name in apposition to '{word.text}'"
                    )
        yield from self._turn_openers(doc)
        yield from self._initials(doc)

    def _emit(self, doc: Document, position: int, score: float, why: str) -> Iterator[Span]:
        word = doc.words[position]
        last = name_extent(doc, position)  # "heter Kari Nordmann", "heter kari hansen"
        if not word.is_capitalised:
            last = _unlisted_lower_case_extent(doc, last)
        yield self.span(word.start, doc.words[last].end, score, why)

    def _initials(self, doc: Document) -> Iterator[Span]:
        """Initials in a naming context: "K.H. sa at", "møtte H.", "han K", "T. sa"."""
        words = doc.words
        text = doc.text
        for i, word in enumerate(words):
            if not _is_initials(word.text):
                continue
            dotted = text[word.end : word.end + 1] == "."
            before = words[i - 1].text.casefold() if i else ""
            after = words[i + 1].text.casefold() if i + 1 < len(words) else ""
            if "\n" in text[words[i - 1].end : word.start] if i else True:
                before = ""
            bare_article = before in DIALECT_ARTICLES and len(word.text) == 1
            if not (dotted or "." in word.text or bare_article):
                continue  # a capital letter alone ("vitamin D", "plan B") is not a name
            if before in INITIAL_BEFORE or after in INITIAL_AFTER:
                end = word.end + 1 if dotted and "." in word.text else word.end
                yield self.span(word.start, end, 0.7, "initials used as a name")

    def _turn_openers(self, doc: Document) -> Iterator[Span]:
        """Flag a turn that opens with a bare name: "D4: Oddrun." / "B3: Arne, sekstito"."""
        for _, end in doc.speaker_codes:
            position = doc.word_index.get(_next_word_start(doc.text, end))
            if position is None:
                continue
            word = doc.words[position]
            after = doc.text[word.end : word.end + 1]
            if after not in (".", ",") or not word.is_capitalised or "-" in word.text:
                continue
            if not _is_candidate(doc, word, allow_lower=False) or doc.lexicon.is_allowed(word.text):
                continue
            if doc.lexicon.is_name(word.text):
                yield self.span(word.start, word.end, 0.75, "a turn that opens with a listed name")
            elif not word.text.casefold().endswith(NOUN_ENDINGS):
                yield self.span(word.start, word.end, 0.55, "a turn that opens with a bare name")


def _is_initials(text: str) -> bool:
    """Whether ``text`` is one capital letter or dotted capitals ("K", "K.H")."""
    parts = text.split(".")
    return len(parts) <= 3 and all(len(p) == 1 and p.isupper() for p in parts)


def _unlisted_lower_case_extent(doc: Document, last: int) -> int:
    """Extend a lower-case name found by its context over unlisted name words that follow.

    "heter fatima al-hassan", "heter máret ánne": after a naming word, a word that is no
    Norwegian word at all (not in the word frequencies) or starts with a name particle is part
    of the name. At most two more words.
    """
    words = doc.words
    frequencies = word_frequencies()
    for _ in range(2):
        nxt = last + 1
        if nxt >= len(words) or doc.text[words[last].end : words[nxt].start] != " ":
            break
        folded = words[nxt].text.casefold()
        particle = folded.split("-", 1)[0] in PARTICLES and "-" in folded
        unknown = (
            folded.isalpha()
            and len(folded) >= 3
            and folded not in frequencies
            and not doc.lexicon.is_ordinary(folded)
        )
        if not (particle or unknown or doc.lexicon.name_strength(folded) >= 0.5):
            break
        last = nxt
    return last


def _next_word_start(text: str, offset: int) -> int:
    match = re.compile(r"\s*").match(text, offset)
    return match.end() if match else offset


def _crosses(doc: Document, i: int, j: int, *, abbreviation: bool = False) -> bool:
    """Whether a sentence end or line break lies between words ``i`` and ``j``.

    With ``abbreviation`` a single full stop after word ``i`` ("dr. Lien") does not count.
    """
    gap = doc.text[doc.words[i].end : doc.words[j].start]
    if "\n" in gap:
        return True
    if abbreviation and gap.startswith("."):
        gap = gap[1:]
    return any(ch in ".!?:;" for ch in gap)
