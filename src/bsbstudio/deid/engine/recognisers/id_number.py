"""Fødselsnummer, D- and H-numbers: 11 digits in any grouping ("100779 02320", "13.10.80 08924")."""

from __future__ import annotations

import re

from ..checksums import check_number
from ..document import Document
from .base import Pattern, PatternRecogniser


class IdNumberRecogniser(PatternRecogniser):
    """Eleven digits, checked with the mod-11 rules; date-shaped failures are kept lower."""

    name = "id_number"
    label = "ID_NUMBER"
    PATTERNS = (Pattern("eleven digits", r"(?<![\d,.])\d(?:[ .\-/]?\d){10}(?![\d]|[ .\-]\d)", 0.5),)
    CONTEXT = (
        "fødselsnummer",
        "fødselsnr",
        "f.nr",
        "fnr",
        "personnummer",
        "d-nummer",
        "h-nummer",
        "personnr",
        "fødselsdato",
        "nummeret",
    )

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Keep valid numbers high, date-shaped ones lower, others only with context."""
        digits = re.sub(r"\D", "", match.group())
        result = check_number(digits)
        if result is not None:
            return result
        if self.context_word(doc, match.start()):
            return 0.5, "11-digit number next to an ID context word"
        return None
