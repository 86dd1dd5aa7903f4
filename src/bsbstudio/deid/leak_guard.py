"""The leak guard (invariant 3): re-scan what is about to leave the system for direct identifiers.

An export may go out only when every direct identifier the engine finds in it has been looked at
by a person and judged harmless (a team member's name on the title page, say). What was judged so
is remembered per export as the set of flagged strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .actions import detector_for
from .engine.span import DIRECT_LABELS

# Placeholders written by the redactor ("[NAVN 3]") are the result of de-identification.
PLACEHOLDER = re.compile(r"\[[A-ZÆØÅ][A-ZÆØÅ\- ]* \d+\]")


@dataclass(frozen=True)
class Finding:
    """A direct identifier found in an export: the string, its label and why it was flagged."""

    text: str
    label: str
    explanation: str


def scan(evaluation, texts: list[str]) -> list[Finding]:
    """Every distinct direct identifier in ``texts`` (placeholders excepted), in order of finding."""
    detector = detector_for(evaluation)
    found: dict[tuple[str, str], Finding] = {}
    for text in texts:
        placeholders = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
        for span in detector.detect(text):
            if span.label not in DIRECT_LABELS:
                continue
            if any(a <= span.start and span.end <= b for a, b in placeholders):
                continue
            value = text[span.start : span.end]
            found.setdefault((value, span.label), Finding(value, span.label, span.explanation))
    return list(found.values())


def unreviewed(evaluation, texts: list[str], reviewed: list[str]) -> list[Finding]:
    """The findings in ``texts`` that nobody has yet judged harmless."""
    judged = set(reviewed)
    return [finding for finding in scan(evaluation, texts) if finding.text not in judged]
