"""Codings read from an imported REFI-QDA project, waiting for their transcript's de-identification.

An imported text is raw material: it is stored as a transcript and reviewed like any other, so
its codings cannot become quotes until the de-identified text exists. They wait here, with
offsets into the raw transcript, and ``carry.carry_codings`` moves them onto the de-identified
text (through the redaction's replacements) when that text is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.analysis.models import Code
from bsbstudio.transcripts.models import Transcript


class PendingCoding(models.Model):
    """One imported coding (or a note on a passage) in raw-transcript offsets, not yet carried."""

    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="pending_codings"
    )
    # None for a passage that only carries a note (the note becomes a memo on the text).
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Polarity and directness from the "Polaritet"/"Direkthet" codes BSB Studio exports; blank
    # for the quote's defaults.
    polarity = models.CharField(max_length=10, blank=True)
    directness = models.CharField(max_length=10, blank=True)
    # The notes on the passage (or, for a whole-text row, on the text), already de-identified.
    notes = models.JSONField(default=list, blank=True)
    source_guid = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["transcript", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="pending_coding_ordered"
            )
        ]
        verbose_name = _("imported coding")
        verbose_name_plural = _("imported codings")

    def __str__(self) -> str:
        return f"{self.transcript} [{self.start}:{self.end}]"
