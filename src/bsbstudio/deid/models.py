"""De-identification under review: the evaluation's own names to hide, detections, the pseudonym mapping.

The pseudonym mapping (original -> replacement) lives in its own row, apart from every text, so
it can be destroyed when the evaluation ends without touching the de-identified texts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import Transcript


class ProtectedTerm(models.Model):
    """A name the evaluation knows must be hidden: a person, place or organisation."""

    class Kind(models.TextChoices):
        PERSON = "PERSON", _("Person")
        LOCATION = "LOCATION", _("Place")
        ORGANIZATION = "ORGANIZATION", _("Organisation or service")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="protected_terms"
    )
    text = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)

    class Meta:
        ordering = ["evaluation", "kind", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "text", "kind"], name="unique_protected_term"
            )
        ]
        verbose_name = _("name to hide")
        verbose_name_plural = _("names to hide")

    def __str__(self) -> str:
        return self.text


class KeptTerm(models.Model):
    """A word the team never wants flagged in this evaluation (its service, a unit, a word).

    Apart from the names to hide so that it can never be taken for one: the engine skips a hit
    made only of kept words, and a word that is also a name to hide is hidden all the same.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="kept_terms")
    text = models.CharField(_("word"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "text"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "text"], name="unique_kept_term")
        ]
        verbose_name = _("word to keep")
        verbose_name_plural = _("words to keep")

    def __str__(self) -> str:
        return self.text


class Detection(models.Model):
    """A span of the raw transcript the engine (or a person) flagged, and the decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        CONFIRMED = "confirmed", _("Hide")
        REJECTED = "rejected", _("Keep (not an identifier)")

    class Replacement(models.TextChoices):
        """What a hidden quasi-identifier with a category becomes: "[YRKE]" or "…"."""

        CATEGORY = "category", _("Its category")
        ELLIPSIS = "ellipsis", "…"

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="detections")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    score = models.FloatField(default=1.0)
    source = models.CharField(max_length=60)
    explanation = models.CharField(max_length=300, blank=True)
    # What a quasi-identifier is generalised to ("YRKE" -> "[YRKE]"); empty for every other hit.
    category = models.CharField(max_length=20, blank=True)
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    replacement = models.CharField(
        max_length=10, choices=Replacement.choices, default=Replacement.CATEGORY
    )

    class Meta:
        ordering = ["transcript", "start"]
        verbose_name = _("detection")
        verbose_name_plural = _("detections")

    def __str__(self) -> str:
        return f"{self.label} [{self.start}:{self.end}]"


class PseudonymMapping(models.Model):
    """An evaluation's mapping from identifiers to their replacements, kept apart from every text.

    Deleting this row destroys the link between de-identified texts and the people in them.
    """

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="pseudonym_mapping"
    )
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pseudonym mapping")
        verbose_name_plural = _("pseudonym mappings")

    def __str__(self) -> str:
        return f"{self.evaluation}: {len(self.mapping.get('entries', {}))}"


class LeakScan(models.Model):
    """The leak guard's detections in one text, kept so an unchanged text is not scanned again.

    Found by the SHA-256 of the text (the text itself is not stored) and the detector's
    fingerprint (its code, data, model and the evaluation's lists): an edited text or a changed
    detector misses and is scanned afresh; rows of an older fingerprint are dropped on the next
    scan. ``spans`` are the detector's spans as [start, end, label, score, source, explanation,
    category].
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    spans = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "fingerprint", "digest"], name="one_leak_scan_per_text"
            )
        ]
        verbose_name = _("leak guard scan")
        verbose_name_plural = _("leak guard scans")

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.digest[:12]}"
