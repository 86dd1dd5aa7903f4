"""Follow-up (step 9): measures proposed and their progress."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation, Site


class Measure(models.Model):
    """A measure (tiltak) proposed at the conference or recommended in a report, and its status."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="measures")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("measure"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )

    class Meta:
        ordering = ["evaluation", "due", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.text[:80]
