"""Reports (steps 6 and 8): the process report per site, later partial and final reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bsbstudio.analysis.models import CodedSegment
from bsbstudio.evaluations.models import Evaluation, Goal, Site
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
    # The final report's front matter (sluttrapport); other kinds leave them empty.
    foreword = models.TextField(_("foreword"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
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
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(kind="final"),
                name="one_final_report_per_evaluation",
            )
        ]
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


class FinalChapter(models.Model):
    """One theme's chapter of the final report: users' experiences and the team's assessment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chapters")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    experiences = models.TextField(_("users' experiences"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)

    class Meta:
        ordering = ["report", "theme__order", "theme__id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="unique_final_chapter")
        ]
        verbose_name = _("final report chapter")
        verbose_name_plural = _("final report chapters")

    def __str__(self) -> str:
        return f"{self.report}: {self.theme}"


class QuoteBox(models.Model):
    """A quote chosen from the matrix for a chapter (sitatboks); numbered when rendered."""

    chapter = models.ForeignKey(FinalChapter, on_delete=models.CASCADE, related_name="quote_boxes")
    segment = models.ForeignKey(CodedSegment, on_delete=models.CASCADE, related_name="quote_boxes")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["chapter", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "segment"], name="unique_chapter_quote")
        ]
        verbose_name = _("quote box")
        verbose_name_plural = _("quote boxes")

    def __str__(self) -> str:
        return f"{self.chapter}: {self.segment_id}"


class Recommendation(models.Model):
    """A numbered recommendation of a chapter, with the plan goal(s) it answers (anbefaling)."""

    chapter = models.ForeignKey(
        FinalChapter, on_delete=models.CASCADE, related_name="recommendations"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("recommendation"))
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="recommendations", verbose_name=_("goals")
    )

    class Meta:
        ordering = ["chapter", "order", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]


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
    # The same approved version as PDF, rendered from the same input at the same moment.
    pdf_content = models.BinaryField(default=b"")
    pdf_sha256 = models.CharField(max_length=64, blank=True)
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


# The cross-site comparison (sammenligning mellom bydeler): areas rated per site, site facts,
# and what the leak guard's reviewers judged harmless in the analysis exports.


class RatingArea(models.Model):
    """An area of the service the sites are compared on (e.g. housing follow-up, activities)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="rating_areas"
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="unique_rating_area")
        ]
        verbose_name = _("rating area")
        verbose_name_plural = _("rating areas")

    def __str__(self) -> str:
        return self.name


class RatingScaleValue(models.Model):
    """One category of the evaluation's rating scale (e.g. "profiled", "little profiled")."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="rating_scale"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="unique_rating_value")
        ]
        verbose_name = _("rating scale value")
        verbose_name_plural = _("rating scale values")

    def __str__(self) -> str:
        return self.name


class SiteRating(models.Model):
    """A site's value on one area, with where it was read (document and page)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey(RatingArea, on_delete=models.CASCADE, related_name="ratings")
    value = models.ForeignKey(RatingScaleValue, on_delete=models.PROTECT, related_name="+")
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)

    class Meta:
        ordering = ["site__order", "area__order", "id"]
        constraints = [models.UniqueConstraint(fields=["site", "area"], name="unique_site_rating")]
        verbose_name = _("site rating")
        verbose_name_plural = _("site ratings")

    def __str__(self) -> str:
        return f"{self.site}: {self.area} = {self.value}"


class SiteIndicator(models.Model):
    """A numeric fact the sites are compared on (e.g. housing places per 1,000 inhabitants)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="site_indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="unique_site_indicator")
        ]
        verbose_name = _("site indicator")
        verbose_name_plural = _("site indicators")

    def __str__(self) -> str:
        return self.name


class SiteFact(models.Model):
    """A site's value of one indicator."""

    indicator = models.ForeignKey(SiteIndicator, on_delete=models.CASCADE, related_name="facts")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="facts")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator", "site__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "site"], name="unique_site_fact")
        ]
        verbose_name = _("site fact")
        verbose_name_plural = _("site facts")

    def __str__(self) -> str:
        return f"{self.site}: {self.indicator} = {self.value}"


class ExportReview(models.Model):
    """The strings a reviewer judged harmless in an evaluation's spreadsheet and CSV exports.

    The exports (the matrix, the quote list, the cross-site tables) are made fresh each time, so
    the leak guard's reviewed strings are kept per evaluation, as ``Report.reviewed_identifiers``
    keeps them per report.
    """

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="export_review"
    )
    reviewed_identifiers = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("export review")
        verbose_name_plural = _("export reviews")

    def __str__(self) -> str:
        return str(self.evaluation)
