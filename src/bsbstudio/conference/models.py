"""The dialogue conference (dialogkonferanse, step 7) where findings are validated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation, Site


class DialogueConference(models.Model):
    """A dialogue conference: users, staff and managers discuss the main points (dialogkonferanse)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="conferences")
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
        verbose_name=_("site"),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["evaluation", "date"]
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")

    def __str__(self) -> str:
        return self.title
