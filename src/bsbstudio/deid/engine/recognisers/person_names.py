"""Person names from the Statistics Norway name lists, extended over a full name.

A listed name is a name unless it is also a frequent ordinary word ("Per", "Dag", "Berg") and
nothing around it says name: then it needs a capital letter inside a sentence, a surname after
it, or to stand alone as a turn ("D1: Ja … Per."). "Ingrid Marie van Dijk" is one span. In
lower-case speech-recognition text only names that are rare as words count ("kari hansen").
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..span import Span
from .base import Recogniser

CONTINUATION_MAX = 3
# Lower-case words between the parts of a name ("Ingrid van Dijk", "Omar bin Laden").
PARTICLES = frozenset({"van", "von", "de", "af", "av", "bin", "el", "al"})
# A name that is also a word stands alone as a name when it is at least this strong; weaker ones
# ("Sol.", "Dag.") need a surname or a naming context.
ALONE_STRENGTH = 0.15
# Lower-case words in ordinary text: only given names this rarely used as a word (NorNE train:
# 13 hits in 183,517 lower-case words, at 0.85). In text without capitals (speech recognition)
# every given name that is not ambiguous counts; a surname only after one ("kari hansen").
LOWER_CASE_STRENGTH = 0.85
BARE_END = frozenset({".", ",", "!", "?", "…", ""})


def is_acronym(text: str) -> bool:
    """Whether ``text`` is an all-capitals word of 2-6 letters ("NAV", "FACT", "ROS")."""
    return 2 <= len(text) <= 6 and text.isupper()


def name_extent(doc: Document, position: int) -> int:
    """Return the last word position of a full name starting at ``position``.

    Capitalised words follow a capitalised name ("Audun Bråten", "Ingrid Marie Solvang",
    "Ingrid van Dijk"); in lower case only listed names that are rare as words ("kari hansen").
    """
    words = doc.words
    lex = doc.lexicon
    capitalised = words[position].is_capitalised
    last = position
    nxt = position + 1
    while nxt < len(words) and nxt - position <= CONTINUATION_MAX:
        gap = doc.text[words[nxt - 1].end : words[nxt].start]
        if gap not in (" ", "-"):
            break
        word = words[nxt]
        folded = word.text.casefold()
        if capitalised and folded in PARTICLES and not word.is_capitalised:
            if (
                nxt + 1 < len(words)
                and words[nxt + 1].is_capitalised
                and (doc.text[word.end : words[nxt + 1].start] == " ")
            ):
                nxt += 1
                continue
            break
        if capitalised:
            if not word.is_capitalised or lex.is_ordinary(word.text):
                break
            if folded in lex.titles or is_acronym(word.text):
                break
        elif (
            word.is_capitalised
            or lex.is_ordinary(word.text)
            or lex.name_strength(word.text) < LOWER_CASE_STRENGTH
        ):
            break
        last = nxt
        nxt += 1
    return last


def is_lower_case_text(doc: Document) -> bool:
    """Whether most sentences start in lower case, as in speech-recognition output."""
    starts = [doc.words[i].text[:1] for i in doc.sentence_starts]
    letters = [c for c in starts if c.isalpha()]
    return bool(letters) and sum(c.islower() for c in letters) > len(letters) / 2


def stands_alone(doc: Document, position: int) -> bool:
    """Whether the word at ``position`` is followed by punctuation or the end of the text."""
    word = doc.words[position]
    return doc.text[word.end : word.end + 1] in BARE_END


class PersonNameRecogniser(Recogniser):
    """Words in the name lists; ordinary words that are also names need capitals or context."""

    name = "name_list"
    label = "PERSON"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Flag listed names, with the names that follow them, as one span."""
        lex = doc.lexicon
        words = doc.words
        skip_to = -1
        lower_case_text = is_lower_case_text(doc)
        lower_strength = 0.5 if lower_case_text else LOWER_CASE_STRENGTH
        for i, word in enumerate(words):
            text = word.text
            if i <= skip_to or len(text) < 2 or not lex.is_name(text) or lex.is_ordinary(text):
                continue
            if is_acronym(text):
                continue  # "NAV", "ROS": the evaluation's lists say when capitals are a name
            strength = lex.name_strength(text)
            if word.is_capitalised:
                found = self._capitalised(doc, i, strength)
            elif lex.is_given_name(text) and strength >= lower_strength and len(text) > 2:
                last = name_extent(doc, i)
                found = (
                    last,
                    0.6 if last > i else 0.55,
                    "name in lower case (speech recognition text)",
                )
            else:
                continue  # "per uke", "på bakken": the context recogniser decides
            if found is None:
                continue
            last, score, why = found
            skip_to = last
            yield self.span(word.start, words[last].end, score, why)

    def _capitalised(self, doc: Document, i: int, strength: float) -> tuple[int, float, str] | None:
        """(last word, score, explanation) for a capitalised listed name, or None."""
        last = name_extent(doc, i)
        if last > i:
            if strength >= 0.5:
                return last, 0.9, "full name starting with a listed name"
            return last, 0.8, "listed name followed by a surname"
        sentence_start = doc.starts_sentence(i)
        if strength >= 0.5:
            return i, 0.75 if sentence_start else 0.8, "listed name"
        if not sentence_start:
            return i, 0.55, "capitalised mid-sentence, but also an ordinary word"
        if strength >= ALONE_STRENGTH and stands_alone(doc, i):
            return i, 0.6, "a name that is also a word, standing alone"
        return None  # "Dag for dag", "Per i dag", "Stein i magen"
