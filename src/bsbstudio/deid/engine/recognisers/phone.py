"""Norwegian phone numbers: 8 digits in any grouping, with optional +47 / 0047."""

from __future__ import annotations

import re

from ..document import Document
from .base import Pattern, PatternRecogniser

PUBLIC_NUMBERS = frozenset(
    {
        "55553333",
        "22225555",
        "80012000",
        "81533300",
        "91508588",
        "23084000",
        "81555999",
        "80057000",
        "80030445",
    }
)
YEAR = re.compile(r"^(19|20)\d\d$")


class PhoneRecogniser(PatternRecogniser):
    """Eight digits not starting with 0 or 1 (Norwegian numbering plan), or with a country code."""

    name = "phone"
    label = "PHONE"
    PATTERNS = (
        Pattern(
            "+47 and 8 digits",
            r"(?<![\w+])(?:\+|00)\s?47[ .\-]?\d(?:[ .\-]?\d){7}(?![\d]|[ .\-]\d)",
            0.9,
        ),
        Pattern("8 digits", r"(?<![\w+.,\-])[2-9](?:[ .\-]?\d){7}(?![\d]|[ .\-]\d|,\d)", 0.6),
    )
    CONTEXT = (
        "telefon",
        "tlf",
        "mobil",
        "nummer",
        "ring",
        "ringe",
        "sms",
        "direktenummer",
        "jobbtelefon",
        "nr.",
        "nummeret",
    )

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Drop public service numbers and pairs of years ("1993 2001")."""
        digits = re.sub(r"\D", "", match.group())
        if digits[-8:] in PUBLIC_NUMBERS:
            return None
        groups = re.split(r"[ .\-]", match.group())
        if len(groups) == 2 and all(YEAR.match(g) for g in groups):
            return None
        return pattern.score, "Norwegian phone number"
