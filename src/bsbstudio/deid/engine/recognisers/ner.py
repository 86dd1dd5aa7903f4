"""Names, places and organisations from the NER model trained on NorNE (see model/PROVENANCE.md)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from ..document import Document
from ..lexicon import word_frequencies
from ..model import load_model
from ..span import Span
from .base import Recogniser
from .capitalised import FREQUENT_WORD

LABELS = {
    "PER": ("PERSON", 0.8),
    "LOC": ("LOCATION", 0.7),
    "ORG": ("ORGANIZATION", 0.7),
    "GPE_LOC": ("LOCATION", 0.7),
    "GPE_ORG": ("ORGANIZATION", 0.7),
}
WINDOW = 6  # words either side of a trigger; the CNN sees 4 tokens either side
TRAILING_GENERIC = frozenset({"sentrum", "sentret", "området", "regionen", "distriktet"})
MAX_WINDOW_CHARS = 10_000  # joined windows stay far below spaCy's max_length on a 5 MB line


def _turn_opener(doc: Document, position: int) -> bool:
    """Tell whether the word opens a turn on its own ("D2: Maren.")."""
    word = doc.words[position]
    before = doc.text[max(0, word.start - 3) : word.start]
    return ":" in before and doc.text[word.end : word.end + 1] in (".", ",")


def _windows(doc: Document) -> list[tuple[int, int]]:
    """Character ranges around words the rules could not decide, within one line each.

    A trigger is a capitalised word that is not an ordinary word, not a short acronym, and not
    already inside a confident rule span. The model only runs on these windows: most of a
    transcript is ordinary lower-case speech where it has nothing to find.
    """
    lex = doc.lexicon
    covered: list[list[int]] = []  # the union of the confident spans, sorted, for bisection
    for start, end in sorted(doc.confident):
        if covered and start < covered[-1][1]:
            covered[-1][1] = max(covered[-1][1], end)
        else:
            covered.append([start, end])
    covered_starts = [start for start, _ in covered]
    words = doc.words
    ranges: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        text = word.text
        if not word.is_capitalised or lex.is_ordinary(text):
            continue
        if text.isupper() and len(text) <= 5:
            continue
        inside = bisect_right(covered_starts, word.start) - 1
        if inside >= 0 and word.start < covered[inside][1]:
            continue
        if doc.starts_sentence(i) and not _turn_opener(doc, i):
            continue
        first, last = max(0, i - WINDOW), min(len(words) - 1, i + WINDOW)
        while "\n" in doc.text[words[first].start : word.start]:
            first += 1
        while "\n" in doc.text[word.end : words[last].end]:
            last -= 1
        start, end = words[first].start, words[last].end
        if (
            ranges
            and start <= ranges[-1][1]
            and ranges[-1][1] - ranges[-1][0] < MAX_WINDOW_CHARS
            and "\n" not in doc.text[ranges[-1][1] : start]
        ):
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    return ranges


class NerRecogniser(Recogniser):
    """Run the NER component over each turn; drop entities that are generic words or roles."""

    name = "ner"
    label = "PERSON"
    needs_rules = True

    def __init__(self, model_dir: str | None = None) -> None:
        """Remember which model to use; it is loaded on first use and cached per process."""
        self.model_dir = model_dir

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Yield PERSON, LOCATION and ORGANIZATION spans found by the model."""
        nlp = load_model(self.model_dir)
        chunks = [(start, doc.text[start:end]) for start, end in _windows(doc)]
        lex = doc.lexicon
        codes = doc.speaker_codes
        for (offset, _), parsed in zip(chunks, nlp.pipe(c for _, c in chunks), strict=True):
            for ent in parsed.ents:
                if ent.label_ not in LABELS:
                    continue
                label, score = LABELS[ent.label_]
                tokens = list(ent)
                while tokens and (
                    tokens[0].lower_.rstrip(".") in lex.titles
                    or lex.is_ordinary(tokens[0].text)
                    or not tokens[0].text[:1].isalnum()
                ):
                    tokens.pop(0)
                while tokens and (
                    not tokens[-1].text[:1].isalnum() or tokens[-1].lower_ in TRAILING_GENERIC
                ):
                    tokens.pop()
                if not tokens or not tokens[0].text[:1].isupper():
                    continue  # lower-case guesses are left to the context rules
                if (
                    len(tokens) == 1
                    and tokens[0].i == 0
                    and (tokens[0].lower_.endswith(("et", "en", "ene", "a", "ing", "ig")))
                    and not lex.is_name(tokens[0].text)
                    and tokens[0].lower_ not in lex.places
                ):
                    continue  # "Fødselsnummeret.", "Kriseplanen": a noun starting a sentence
                if not tokens:
                    continue
                start = offset + tokens[0].idx
                end = offset + tokens[-1].idx + len(tokens[-1].text)
                if any(s <= start < e for s, e in codes):
                    continue
                surface = doc.text[start:end]
                folded = surface.casefold()
                if (
                    len(tokens) == 1
                    and word_frequencies().get(folded, 0.0) >= FREQUENT_WORD
                    and not lex.is_name(surface)
                    and folded not in lex.places
                ):
                    continue  # "Hver", "Tilbudet": an ordinary word with a capital, not a name
                if surface.casefold() in lex.not_identifiers or surface.casefold() in (
                    "norge",
                    "noreg",
                ):
                    continue
                if label == "PERSON" and lex.is_allowed(surface) and not surface[:1].isupper():
                    continue
                yield self.span(start, end, score, f"NER model: {ent.label_}", label=label)
