"""Team memberships with roles, and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation


class Role(models.TextChoices):
    """The roles a person can hold in an evaluation team."""

    PROCESS_LEADER = "process_leader", _("Process leader")
    PEER_INTERVIEWER = "peer_interviewer", _("Peer interviewer")
    TRANSCRIBER = "transcriber", _("Transcriber")
    COMMISSIONER = "commissioner", _("Commissioner")


class Membership(models.Model):
    """A person's role in one evaluation (a person may hold several roles)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["evaluation", "role", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user", "role"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return (
            f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"
        )


class AuditEvent(models.Model):
    """One entry of the audit log: who did or saw what, when. Never updated or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
