"""The Job row: one long piece of work, where it stands, and what it produced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def result_storage():
    """Where job results go: the "generated" storage when configured, else the default one."""
    from django.core.files.storage import default_storage, storages

    if "generated" in getattr(settings, "STORAGES", {}):
        return storages["generated"]
    return default_storage


# Ways of counting progress, as the page says them ("12 of 40 pages").
UNITS = {
    "pages": "%(done)s of %(total)s pages",
    "seconds": "%(done)s of %(total)s seconds",
    "slides": "%(done)s of %(total)s slides",
    "transcripts": "%(done)s of %(total)s transcripts",
    "recordings": "%(done)s of %(total)s recordings",
    "quotes": "%(done)s of %(total)s quotes",
    "characters": "%(done)s of %(total)s characters",
}
STEPS = "%(done)s of %(total)s steps"


class Job(models.Model):
    """A long piece of work run by a worker, with progress the person who started it can follow.

    ``kind`` names the registered function (see ``bsbstudio.jobs.api.job``); ``key`` makes
    starting the same work twice return the unfinished job instead of a second one.
    """

    class State(models.TextChoices):
        """Where a job stands."""

        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Working")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped with a problem")
        CANCELLED = "cancelled", _("Stopped on request")

    UNFINISHED = (State.QUEUED, State.RUNNING)

    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200, blank=True, default="")
    module = models.CharField(max_length=200, blank=True, default="")
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    args = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    unit = models.CharField(max_length=20, blank=True, default="")
    stage = models.CharField(max_length=40, blank=True, default="")
    message_template = models.TextField(blank=True, default="")
    message_params = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(storage=result_storage, upload_to="jobs/", blank=True)
    result_filename = models.CharField(max_length=200, blank=True, default="")
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("piece of background work")
        verbose_name_plural = _("pieces of background work")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(key=""),
                name="jobs_one_unfinished_per_key",
            )
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="jobs_state_heartbeat")]

    def __str__(self) -> str:
        """The kind and number, for the admin and logs."""
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        """Whether the job has ended (done, failed or cancelled)."""
        return self.state not in self.UNFINISHED

    @property
    def percent(self) -> int:
        """How far the job has come, 0-100 (0 while the total is unknown)."""
        if not self.total:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.done / self.total))

    @property
    def message(self) -> str:
        """The failure message in the reader's language ("" when there is none)."""
        from django.utils.translation import gettext

        if not self.message_template:
            return ""
        text = gettext(self.message_template)
        try:
            return text % self.message_params
        except (KeyError, TypeError, ValueError):
            return text

    @property
    def stage_display(self) -> str:
        """The current stage in the reader's language ("" when there is none)."""
        from django.utils.translation import gettext

        from .api import stage_label

        label = stage_label(self)
        return gettext(label) if label else ""

    @property
    def progress_display(self) -> str:
        """How far the job has come, in words ("" while the total is unknown)."""
        from django.utils.translation import gettext

        if not self.total:
            return ""
        return gettext(UNITS.get(self.unit, STEPS)) % {"done": self.done, "total": self.total}

    def get_absolute_url(self) -> str:
        """The job's status page under its evaluation."""
        return reverse("jobs:detail", args=[self.evaluation.slug, self.pk])
