"""The leak guard (invariant 3): re-scan what is about to leave the system for identifiers.

The guard covers every label the engine knows. Direct identifiers, addresses, places and ages
block: an export may go out only when each of them has been looked at by a person and judged
harmless (a team member's name on the title page, say). What was judged so is remembered per
export as the set of flagged strings. The other quasi-identifiers (organisations, dates, other
details) are warnings shown on the review pages; alone they rarely point to a person, and they
never block. The evaluation's own names (itself, its commissioner, its sites, its keep list) are
kept by the detector (``deid.actions.own_world``); the guide's theme names are left out here.
Each distinct text is scanned once and its spans kept until the text or the detector changes
(:func:`detected`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import astuple, dataclass

from django.utils.translation import gettext_lazy as _

from .actions import detector_for
from .engine.span import DIRECT_LABELS, LABELS, Span
from .models import LeakScan

# Addresses and places share the LOCATION label.
BLOCKING_LABELS = DIRECT_LABELS | {"LOCATION", "AGE"}
WARNING_LABELS = LABELS - BLOCKING_LABELS

# Placeholders written by the redactor ("[NAVN 3]") are the result of de-identification.
PLACEHOLDER = re.compile(r"\[[A-ZÆØÅ][A-ZÆØÅ\- ]* \d+\]")

# Up to this many texts are looked up by digest (SQLite allows a few hundred parameters in
# older builds); more are read in one pass. Also the batch size of writes.
LOOKUP_BATCH = 500

# Spans of texts scanned lately in this process, by (detector fingerprint, SHA-256 of the text);
# emptied when full. Spans are immutable, so sharing them between exports is safe.
RECENT_MAX = 200_000
_recent: dict[tuple[str, str], tuple[Span, ...]] = {}

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
    themes = theme_phrases(evaluation)
    found: dict[tuple[str, str], Finding] = {}
    for text, spans in detected(evaluation, texts).items():
        placeholders = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
        if themes is not None:
            placeholders += [(m.start(), m.end()) for m in themes.finditer(text)]
        for span in spans:
            if any(a <= span.start and span.end <= b for a, b in placeholders):
                continue
            value = text[span.start : span.end]
            found.setdefault((value, span.label), Finding(value, span.label, span.explanation))
    return list(found.values())


def detected(evaluation, texts: list[str]) -> dict[str, list[Span]]:
    """The detector's spans in each distinct text, in first-seen order.

    A text is scanned once however often it is exported: its spans are kept under the SHA-256
    of the text and the detector's fingerprint, in this process and in the database
    (``LeakScan``), so an export of thousands of quotes reads the kept spans and scans only what
    is new or changed.
    """
    detector = detector_for(evaluation)
    fingerprint = detector.fingerprint()
    digests = {
        text: hashlib.sha256(text.encode("utf-8")).hexdigest()
        for text in dict.fromkeys(texts)
        if text.strip()
    }
    LeakScan.objects.filter(evaluation=evaluation).exclude(fingerprint=fingerprint).delete()
    kept: dict[str, tuple[Span, ...] | list[Span]] = {}
    for digest in digests.values():
        recent = _recent.get((fingerprint, digest))  # one lookup: another thread may clear it
        if recent is not None:
            kept[digest] = recent
    wanted = set(digests.values()) - kept.keys()
    rows = LeakScan.objects.filter(evaluation=evaluation, fingerprint=fingerprint)
    if len(wanted) <= LOOKUP_BATCH:
        rows = rows.filter(digest__in=sorted(wanted))
    # Past a batch, one pass over the evaluation's kept scans beats many lookups.
    for digest, spans in rows.values_list("digest", "spans").iterator(chunk_size=2000):
        if digest in wanted:
            kept[digest] = [Span(*row) for row in spans]
    spans_of: dict[str, list[Span]] = {}
    new: dict[str, list[Span]] = {}
    for text, digest in digests.items():
        if digest not in kept:
            kept[digest] = new[digest] = detector.detect(text)
        spans_of[text] = list(kept[digest])
    LeakScan.objects.bulk_create(
        (
            LeakScan(
                evaluation=evaluation,
                fingerprint=fingerprint,
                digest=digest,
                spans=[list(astuple(span)) for span in spans],
            )
            # In digest order: two exports inserting overlapping texts in different orders
            # would wait for each other's rows (a deadlock on PostgreSQL).
            for digest, spans in sorted(new.items())
        ),
        batch_size=LOOKUP_BATCH,
        ignore_conflicts=True,  # another export may have kept the same text meanwhile
    )
    if len(_recent) + len(kept) > RECENT_MAX:
        _recent.clear()
    _recent.update(((fingerprint, d), tuple(spans)) for d, spans in kept.items())
    return spans_of


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
