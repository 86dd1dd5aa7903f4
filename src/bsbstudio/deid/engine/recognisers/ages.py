"""A person's age: "jeg er 43", "Han er trettisju.", "en kvinne på førtitre", "førtito år"."""

from __future__ import annotations

import re

from ..document import Document
from ..numbers import NUMBER_WORD, word_value
from .base import Pattern, PatternRecogniser

AGE = rf"(?:1[01]\d|\d{{1,2}}|{NUMBER_WORD})"
VERB = r"(?:er|var|ble|blir|blei|vart|fyller|fylte|fylle|fyll|ble\s+nettopp|er\s+nå|er\s+no)"
SUBJECT = r"(?:jeg|eg|du|han|hun|ho|hon|som|[A-ZÆØÅ][\wæøå]+,?)"
# Dialect forms of "jeg er" ("æ e femtifem", "han e tjueåtte"): "e" only after a pronoun.
DIALECT_SUBJECT_VERB = r"(?:æ|æg|jæ|je|eg|han|hun|ho|dæm)\s+(?:e|æ)"
# Norwegian puts the verb second: "nå er jeg førtisju", "no er han førtiåtte".
INVERTED = r"(?:nå|no|nu|da|då|snart|i\s+dag|i\s+år)\s+(?:er|e|var|blir|fyller)\s+"
INVERTED_SUBJECT = r"(?:jeg|eg|æ|jæ|du|han|hun|ho|hon|[A-ZÆØÅ][\wæøå]+|[a-zæøå]+)"
PERSON_NOUN = (
    r"(?:mann|kvinne|kone|dame|gutt|jente|fyr|pasient|bruker|brukar|gammel|gamal|"
    r"ungdom|enke|enkemann|pensjonist|herre|karl|mor|far|bestemor|bestefar)"
)
AFTER = r"(?=\s*(?:[.,;!?)\n]|$|år\b|og\b|men\b|nå\b|no\b|nu\b|snart\b|i\s+dag\b|i\s+år\b|da\b|…))"


PRONOUNS = frozenset({"jeg", "eg", "æ", "jæ", "du", "han", "hun", "ho", "hon"})
QUALIFIERS = frozenset({"nesten", "snart", "bare", "over"})


class AgeRecogniser(PatternRecogniser):
    """Ages after "er/var/fyller" with a subject, after "en mann på", before "år gammel"."""

    name = "age"
    label = "AGE"
    FLAGS = 0
    PATTERNS = (
        Pattern(
            "subject + verb + age",
            rf"(?i:\b{SUBJECT})\s+(?i:{VERB})\s+(?:(?i:nesten|snart|bare|over|godt over|"
            rf"rundt)\s+)?(?P<hit>(?i:{AGE})){AFTER}",
            0.75,
        ),
        Pattern(
            "dialect subject + verb + age",
            rf"(?i:\b{DIALECT_SUBJECT_VERB})\s+(?P<hit>(?i:{AGE})){AFTER}",
            0.75,
        ),
        Pattern(
            "adverb + verb + subject + age",
            rf"(?i:\b{INVERTED}{INVERTED_SUBJECT})\s+(?:(?i:nesten|snart|bare|over)\s+)?"
            rf"(?P<hit>(?i:{AGE})){AFTER}",
            0.75,
        ),
        Pattern(
            "fyller + age",
            rf"(?i:\b(?:fyller|fylte|fylle|fyll|rundet|runda)\s+)(?P<hit>(?i:{AGE}))(?![\w-])"
            r"(?!\s(?:ut|på|inn|opp|i)\b)",
            0.8,
        ),
        Pattern(
            "person noun + på + age",
            rf"(?i:\b{PERSON_NOUN}\s+på\s+)(?P<hit>(?i:{AGE}))(?![\w-])",
            0.8,
        ),
        Pattern(
            "age + år gammel",
            rf"(?<![\w-])(?P<hit>(?i:{AGE}))(?i:\s+år\s+(?:gammel|gamal|"
            r"gamle|ung))\b",
            0.9,
        ),
        Pattern("age + åring", rf"(?<![\w-])(?P<hit>(?i:{AGE}))(?=-?(?i:åring|åringen)\b)", 0.8),
        Pattern(
            "name, age", rf"(?<!\w)[A-ZÆØÅ][a-zæøå]{{1,20}}, (?P<hit>(?i:{AGE}))(?=[.,;])", 0.6
        ),
    )

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Keep plausible ages (1..110); the article "en/ein/ett" is never an age."""
        hit = match.group("hit")
        if hit.casefold() in ("en", "ein", "ett", "eitt", "én", "éin"):
            return None
        value = int(hit) if hit.isdigit() else word_value(hit)
        if value is None or not 1 <= value <= 110:
            return None
        if pattern.name == "adverb + verb + subject + age":
            before = doc.text[match.start() : match.start("hit")].split()
            subject = before[-2] if before[-1].casefold() in QUALIFIERS else before[-1]
            pronoun = subject.casefold() in PRONOUNS
            if not (
                pronoun or doc.lexicon.is_name(subject) and not doc.lexicon.is_ordinary(subject)
            ):
                return None  # "nå er det to", "da var vi tre", "no er klokka ni"
        if pattern.name == "subject + verb + age":
            subject = match.group().split()[0].casefold().rstrip(",")
            if subject in ("det", "vi", "de", "dei", "dere", "klokka", "klokken"):
                return None
        return pattern.score, f"age ({pattern.name})"
