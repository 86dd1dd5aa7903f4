"""Street addresses and postcodes with a place.

"Voldportgata 12", "Bygdøy allé 58", "Kongens gate", "1710 Sarpsborg".
"""

from __future__ import annotations

import re

from ..document import Document
from .base import Pattern, PatternRecogniser

STREET_SUFFIX = (
    r"(?:gata|gaten|gate|gt\.|veien|vegen|vei|veg|allé|alle|plass|plassen|torget|"
    r"torg|stien|stuben|bakken|brygga|bryggen|kaia|kaien|svingen|lia|tunet|ringen|"
    r"kroken|løkka|haugen|jordet|tråkket|vollen|parken)"
)
NUMBER = r"(?:\s\d{1,4}\s?[A-Za-z]?(?![\w]))"


class AddressRecogniser(PatternRecogniser):
    """A word ending in a street suffix, or a name and a street word, with or without a number."""

    name = "address"
    label = "LOCATION"
    FLAGS = 0
    PATTERNS = (
        Pattern(
            "street word + number", rf"(?<![\w-])[A-ZÆØÅ][\wæøå-]*(?i:{STREET_SUFFIX}){NUMBER}", 0.9
        ),
        Pattern(
            "lower-case street word + number",  # speech recognition: "hagaveien 7"
            rf"(?<![\w-])[a-zæøå][\wæøå-]{{2,}}(?:gata|gaten|gate|veien|vegen|vei|veg|allé|"
            rf"plass|plassen|stien|brygga|bryggen){NUMBER}",
            0.8,
        ),
        Pattern(
            "name + street word + number",
            rf"(?<![\w-])[\wæøåÆØÅ][\wæøå-]+\s(?i:gate|gata|gaten|allé|alle|vei|veg|veien|"
            rf"vegen|plass|terrasse|park){NUMBER}",
            0.85,
        ),
        Pattern(
            "name + street word", r"(?<![\w-])[A-ZÆØÅ][\wæøå-]+s?\s(?i:gate|allé)(?![\w])", 0.75
        ),
        Pattern(
            "lower-case name + street word", r"(?<![\w-])[a-zæøå][\wæøå-]+s\s(?:gate)(?![\w])", 0.6
        ),
        Pattern(
            "street word",
            r"(?<![\w-])[A-ZÆØÅ][\wæøå-]{2,}(?:gata|gaten|gate|veien|vegen|"
            r"allé)(?![\w])",
            0.7,
        ),
        Pattern(
            "postcode + place", r"(?<![\w-])\d{4}\s[A-ZÆØÅ][\wæøå-]+(?:\s[A-ZÆØÅ][\wæøå-]+)?", 0.8
        ),
        Pattern(
            "capitalised name + number",
            r"(?<=\bi\s)(?:[A-ZÆØÅ][\wæøå-]{2,})\s\d{1,3}[A-Za-z]?(?=[,.;\s]|$)",
            0.55,
        ),
    )
    description = "street address"

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Drop "hele veien 10", "samme gate 4": an ordinary lower-case word is no street name."""
        first = match.group().split()[0]
        if first.islower() and " " in match.group() and doc.lexicon.is_ordinary(first):
            return None
        return pattern.score, self.description
