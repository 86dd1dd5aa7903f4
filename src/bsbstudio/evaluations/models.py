"""The plan of an evaluation (step 1): what is evaluated, for whom, where, and against which goals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    """One BSB evaluation (brukerevaluering): a commission with a mandate, sites and a team."""

    class ReplacementMode(models.TextChoices):
        PLACEHOLDER = "placeholder", _("Typed placeholders ([NAVN 1])")
        SURROGATE = "surrogate", _("Realistic invented names")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    commissioner = models.CharField(_("commissioner"), max_length=200, blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    replacement_mode = models.CharField(
        _("de-identification replaces with"),
        max_length=20,
        choices=ReplacementMode.choices,
        default=ReplacementMode.PLACEHOLDER,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The evaluation this one is the next round of (see evaluations/rounds.py); one next round each.
    previous_round = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_round",
        verbose_name=_("previous round"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The evaluation's dashboard."""
        return reverse("evaluations:dashboard", args=[self.slug])


class Round(models.Model):
    """A round of the evaluation; the next round compares with the previous one (step 9)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    name = models.CharField(_("name"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="unique_round_number")
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.name or f"{self.evaluation} – {self.number}"


class Site(models.Model):
    """A place or service unit evaluated, e.g. a city district (bydel) or a team."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="unique_site_name")
        ]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """A goal of the service from a plan document, with the page it is stated on."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:80]


class ProblemStatement(models.Model):
    """A question the evaluation is to answer (problemstilling)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="problem_statements"
    )
    text = models.TextField(_("problem statement"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        verbose_name = _("problem statement")
        verbose_name_plural = _("problem statements")

    def __str__(self) -> str:
        return self.text[:80]
