"""Every mention: once a name is found with confidence, flag its other mentions too.

A name found as "Per" in "Jeg er Per" makes "Pers team" a name as well; "Rojin, og barna,
Dilan og Azad" extends from a name to the capitalised names listed beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .document import Document
from .recognisers.person_names import is_acronym
from .span import Span

MIN_SCORE = 0.7
SOURCE = "propagation"
# After these words a name that is also a word is the word: "Dag for dag", "Liv og lære".
ORDINARY_AFTER = frozenset(
    {"i", "for", "og", "etter", "på", "til", "med", "av", "om", "uten", "som", "er", "var"}
)


def _word_after(doc: Document, position: int) -> str:
    """The next word, case-folded, if only a space separates it ("" otherwise)."""
    if position + 1 >= len(doc.words):
        return ""
    word, nxt = doc.words[position], doc.words[position + 1]
    return nxt.text.casefold() if doc.text[word.end : nxt.start] == " " else ""


def propagate(doc: Document, spans: Iterable[Span]) -> list[Span]:
    """Return spans for further mentions of confidently found names, and coordinated names."""
    spans = list(spans)
    lex = doc.lexicon
    forms: dict[str, bool] = {}
    for span in spans:
        if span.label != "PERSON" or span.score < MIN_SCORE:
            continue
        surface = doc.text[span.start : span.end]
        for part in {surface, *surface.split()}:
            if len(part) < 2 or lex.is_ordinary(part):
                continue
            lower = part.islower()
            if lower and lex.is_allowed(part):
                continue
            forms[part] = forms.get(part, False) or lower
    new: list[Span] = []
    if forms:
        alternatives = sorted(forms, key=len, reverse=True)
        regex = re.compile(
            r"(?<![\w@.-])(?:" + "|".join(map(re.escape, alternatives)) + r")s?(?![\w@-])",
            re.IGNORECASE,
        )
        for match in regex.finditer(doc.text):
            found = match.group()
            base = (
                found
                if found in forms or found.casefold() in map(str.casefold, forms)
                else found[:-1]
            )
            if not found[:1].isupper() and not any(
                f.casefold() == base.casefold() and forms[f] for f in forms
            ):
                continue  # a name seen only capitalised is not matched in lower case ("per uke")
            position = doc.word_index.get(match.start())
            if found[:1].isupper() and (lex.is_allowed(base) or lex.is_ambiguous_name(base)):
                if position is None or (
                    doc.starts_sentence(position)
                    and found == base
                    and _word_after(doc, position) in ORDINARY_AFTER
                ):
                    continue  # "Dag for dag" in a text about a man called Dag
            if is_acronym(found) and found not in forms:
                continue  # "EVA" the service, in a text about Eva
            new.append(
                Span(
                    match.start(),
                    match.end(),
                    "PERSON",
                    0.72,
                    SOURCE,
                    f"another mention of the name '{base}' found elsewhere in the text",
                )
            )
    new.extend(_coordinated(doc, spans + new))
    return new


COORD_RE = re.compile(r"^(?:,\s*(?:og\s+|eller\s+)?|\s+(?:og|eller)\s+)$")


def _coordinated(doc: Document, spans: list[Span]) -> Iterable[Span]:
    """Capitalised words listed with a person ("Dilan og Azad")."""
    lex = doc.lexicon
    people = sorted(
        (s for s in spans if s.label == "PERSON" and s.score >= MIN_SCORE), key=lambda s: s.start
    )
    starts = {s.start for s in people}
    for span in people:
        position = doc.word_at_or_after(span.end)
        while position is not None and position < len(doc.words):
            word = doc.words[position]
            previous_end = span.end if position == 0 else doc.words[position - 1].end
            gap = doc.text[max(previous_end, span.end) : word.start]
            if (
                not COORD_RE.match(gap)
                or not word.is_capitalised
                or lex.is_ordinary(word.text)
                or word.start in starts
                or lex.is_allowed(word.text)
            ):
                break
            yield Span(
                word.start,
                word.end,
                "PERSON",
                0.7,
                SOURCE,
                "a capitalised name listed together with a person's name",
            )
            break
