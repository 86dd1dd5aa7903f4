"""The leak guard (invariant 3): re-scan what is about to leave the system for identifiers.

The guard covers every label the engine knows. Direct identifiers, addresses, places and ages
block: an export may go out only when each of them has been looked at by a person and judged
harmless (a team member's name on the title page, say). What was judged so is remembered per
export as the set of flagged strings. The other quasi-identifiers (organisations, dates, other
details) are warnings shown on the review pages; alone they rarely point to a person, and they
never block.
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
# What a name from the plan can be taken for (never an age or a direct identifier).
PLAN_LABELS = frozenset({"LOCATION", "ORGANIZATION"})

YEAR = re.compile(r"(?:19|20)\d\d")

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


def plan_names(evaluation) -> set[str]:
    """The plan's own names, casefolded: whole theme names, words of the other names.

    The other names are the evaluation's, the commissioner's and the sites'. They name the
    service being evaluated, its parts ("Nord", a city district) and what was asked about
    ("Tilgang"), not a person, and reports name them on purpose; the guard does not ask about
    them as places or organisations. A word the team listed to be hidden is asked about all the
    same.
    """
    names = [evaluation.name, evaluation.commissioner]
    names += evaluation.sites.order_by("pk").values_list("name", flat=True)
    themes = evaluation.themes.order_by("pk").values_list("name", flat=True)
    hidden = {
        word.casefold()
        for term in evaluation.protected_terms.values_list("text", flat=True)
        for word in term.split()
    }
    plan = {word.casefold() for name in names for word in name.split()}
    plan |= {" ".join(theme.casefold().split()) for theme in themes}
    return plan - hidden


def _from_plan(value: str, plan: set[str]) -> bool:
    """Whether ``value`` is one of the plan's names or made of its words, a year aside.

    The address pattern reads a district's name and a year ("Kvernhaugen 2025") as a street and
    a house number; a house number ("Kvernhaugen 12") is no year, so an address is still asked
    about.
    """
    words = [word for word in value.casefold().split() if not YEAR.fullmatch(word)]
    return bool(words) and (set(words) <= plan or " ".join(words) in plan)


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
    """Every distinct identifier in ``texts`` (placeholders and the plan's names excepted)."""
    detector = detector_for(evaluation)
    plan = plan_names(evaluation)
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
            if span.label in PLAN_LABELS and _from_plan(value, plan):
                continue
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
