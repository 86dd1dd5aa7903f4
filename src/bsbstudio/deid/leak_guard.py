"""The leak guard (invariant 3): re-scan what is about to leave the system for identifiers.

The guard covers every label the engine knows. Direct identifiers, addresses, places and ages
block: an export may go out only when each of them has been looked at by a person and judged
harmless (a team member's name on the title page, say). What was judged so is remembered per
export as the set of flagged strings. The other quasi-identifiers (organisations, dates, other
details) are warnings shown on the review pages; alone they rarely point to a person, and they
never block. The evaluation's own names (itself, its commissioner, its sites, its keep list) are
kept by the detector (``deid.actions.own_world``); the guide's theme names are left out here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .actions import detector_for
from .engine.span import DIRECT_LABELS, LABELS

# Addresses and places share the LOCATION label.
BLOCKING_LABELS = DIRECT_LABELS | {"LOCATION", "AGE"}
WARNING_LABELS = LABELS - BLOCKING_LABELS

# Placeholders written by the redactor ("[NAVN 3]") are the result of de-identification.
PLACEHOLDER = re.compile(r"\[[A-ZÆØÅ][A-ZÆØÅ\- ]* \d+\]")

# What a reviewer reads instead of the engine's label.
KIND_NAMES = {
    "PERSON": _("Name"),
    "ID_NUMBER": _("National identity or other number"),
    "PHONE": _("Phone number"),
    "EMAIL": _("Email address"),
    "URL": _("Web address"),
    "LOCATION": _("Place or address"),
    "AGE": _("Age"),
    "ORGANIZATION": _("Organisation or service"),
    "DATE": _("Date"),
    "QUASI": _("Other detail"),
}


@dataclass(frozen=True)
class Finding:
    """An identifier found in an export: the string, its label and why it was flagged."""

    text: str
    label: str
    explanation: str

    @property
    def blocking(self) -> bool:
        """Whether the finding stops the export until a person has judged it harmless."""
        return self.label in BLOCKING_LABELS

    @property
    def kind(self) -> str:
        """The label in the reader's language."""
        return str(KIND_NAMES.get(self.label, self.label))


@dataclass(frozen=True)
class Review:
    """What an export holds that nobody has judged harmless: what blocks, and warnings."""

    blocking: list[Finding]
    warnings: list[Finding]


def theme_phrases(evaluation) -> re.Pattern | None:
    """The guide's theme names as one pattern, those with a word the team hides left out.

    A theme name is the team's own wording of what was asked about ("Samarbeid med andre
    tjenester"); a word in it is no one's name even where the engine reads it as one.
    """
    hidden = {
        word.casefold()
        for term in evaluation.protected_terms.values_list("text", flat=True)
        for word in term.split()
    }
    names = [
        name
        for name in evaluation.themes.order_by("pk").values_list("name", flat=True)
        if name.strip() and not {word.casefold() for word in name.split()} & hidden
    ]
    if not names:
        return None
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in longest_first), re.IGNORECASE)


def scan(evaluation, texts: list[str]) -> list[Finding]:
    """Every distinct identifier in ``texts`` (placeholders and theme names excepted)."""
    detector = detector_for(evaluation)
    themes = theme_phrases(evaluation)
    found: dict[tuple[str, str], Finding] = {}
    for text in texts:
        placeholders = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
        if themes is not None:
            placeholders += [(m.start(), m.end()) for m in themes.finditer(text)]
        for span in detector.detect(text):
            if any(a <= span.start and span.end <= b for a, b in placeholders):
                continue
            value = text[span.start : span.end]
            found.setdefault((value, span.label), Finding(value, span.label, span.explanation))
    return list(found.values())


def review(evaluation, texts: list[str], reviewed: list[str]) -> Review:
    """The findings in ``texts`` that nobody has yet judged harmless, split by whether they block.

    A string already listed as blocking is not warned about again under another label.
    """
    judged = set(reviewed)
    findings = [finding for finding in scan(evaluation, texts) if finding.text not in judged]
    blocking = [finding for finding in findings if finding.blocking]
    flagged = {finding.text for finding in blocking}
    warnings, warned = [], set()
    for finding in findings:
        if not finding.blocking and finding.text not in flagged | warned:
            warned.add(finding.text)
            warnings.append(finding)
    return Review(blocking, warnings)


def unreviewed(evaluation, texts: list[str], reviewed: list[str]) -> list[Finding]:
    """The blocking findings in ``texts`` that nobody has yet judged harmless."""
    return review(evaluation, texts, reviewed).blocking
