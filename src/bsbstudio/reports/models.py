"""Reports (steps 6 and 8): the process report per site, later partial and final reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

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
    # Only reports.actions changes the state: approve_report, and any edit after it (back to draft).
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
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


class ReportApproval(models.Model):
    """One approval of a report by a process leader: the frozen file that may leave the system.

    At approval the report is rendered once, and those DOCX bytes are stored with their SHA-256.
    A commissioner is always served these bytes, never a fresh rendering, so a later edit (which
    makes the report a draft again) can never reach them unapproved, and what they receive is
    byte for byte what the process leader approved and the audit log names by hash. Freezing the
    file rather than a JSON snapshot of the input also freezes what no input captures: the
    renderer's code, the fixed texts, the theme names and the report's date as of the approval.
    The cost (the file is in the language of the person who approved it, tens of kilobytes per
    approval) is small beside that guarantee.

    The leak guard still re-scans every download (invariant 3): ``scanned_texts`` are the texts
    of the approved version it looked at, so a name added to the list of names to hide after the
    approval still stops the file. ``quoted_texts`` are the de-identified texts quoted, so a
    withdrawn text approval stops it too.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="approvals")
    version = models.PositiveIntegerField(_("version"))
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who approved, as shown then; it outlives the user account.
    approved_by_name = models.CharField(max_length=300)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    scanned_texts = models.JSONField(default=list)
    quoted_texts = models.JSONField(default=list)

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="unique_report_approval")
        ]
        verbose_name = _("report approval")
        verbose_name_plural = _("report approvals")

    def __str__(self) -> str:
        return f"{self.report} (approved v{self.version})"
