"""Reports (steps 6 and 8): the process report per site, later partial and final reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.analysis.models import CodedSegment
from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.guide.models import Theme


class Report(models.Model):
    """A report of the evaluation; a process report (prosessrapport) belongs to one site."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Process report")
        PARTIAL = "partial", _("Partial report")
        FINAL = "final", _("Final report")
        CROSS_SITE = "cross_site", _("Cross-site comparison")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports")
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("site"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROCESS)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    reviewed_identifiers = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "kind", "site__order"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title


class ThemeSection(models.Model):
    """One theme's part of a report: the main points written by the team and the chosen quotes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    main_points = models.TextField(_("main points"), blank=True)
    quotes = models.ManyToManyField(
        CodedSegment, blank=True, related_name="report_sections", verbose_name=_("selected quotes")
    )

    class Meta:
        ordering = ["report", "theme__order", "theme__id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="unique_report_theme")
        ]
        verbose_name = _("theme section")
        verbose_name_plural = _("theme sections")

    def __str__(self) -> str:
        return f"{self.report}: {self.theme}"
