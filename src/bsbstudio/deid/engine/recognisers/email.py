"""E-mail addresses."""

from __future__ import annotations

from .base import Pattern, PatternRecogniser


class EmailRecogniser(PatternRecogniser):
    """Local part, @, and a domain with a dot."""

    name = "email"
    label = "EMAIL"
    PATTERNS = (
        Pattern(
            "e-mail",
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zæøå]{2,}(?![\w@])",
            0.97,
        ),
    )
    description = "e-mail address"
