"""Follow-up (oppfølging, step 9): the measures (tiltak) agreed after an evaluation and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.guide.models import Theme


class Measure(models.Model):
    """A measure (tiltak) proposed at the conference or recommended in a report, and its status.

    Where it came from: ``source_output`` is a conference group's proposal,
    ``source_recommendation`` a final report's recommendation; a measure has at most one of them.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    CLOSED = (Status.DONE, Status.DROPPED)

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="measures")
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Leave empty when the measure concerns every site."),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="measures", verbose_name=_("themes")
    )
    text = models.TextField(_("measure"))
    owner = models.CharField(
        _("owner"),
        max_length=200,
        blank=True,
        help_text=_(
            "The service or role that is responsible, for example “the team leader”. "
            "Do not write a person's name or other private information."
        ),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # Where the measure came from (at most one of the two). A deleted source leaves the measure.
    source_output = models.ForeignKey(
        "conference.GroupOutput",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("proposed by a conference group"),
    )
    source_recommendation = models.ForeignKey(
        "reports.Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("recommended in the final report"),
    )

    class Meta:
        ordering = ["evaluation", "due", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_closed(self) -> bool:
        """Whether the measure is done or dropped."""
        return self.status in self.CLOSED

    def is_overdue(self, today=None) -> bool:
        """Whether the due date has passed while the measure is still open."""
        today = today or timezone.localdate()
        return self.due is not None and self.due < today and not self.is_closed


class MeasureStatusChange(models.Model):
    """One change of a measure's status, dated, with the reason given (the measure's history).

    The first entry of a measure has an empty ``from_status``: the status it was created with.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=10, choices=Measure.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Measure.Status.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["measure", "changed_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status} ({self.changed_on})"
