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


class ConfidentialityDeclaration(models.Model):
    """The evaluation's confidentiality declaration (taushetserklæring), one row per text version.

    Members sign the current version before any raw material (audio, raw transcript) is shown to
    them; a new version must be signed again.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="declarations"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "version"], name="unique_declaration")
        ]
        verbose_name = _("confidentiality declaration")
        verbose_name_plural = _("confidentiality declarations")

    def __str__(self) -> str:
        return f"{self.evaluation} v{self.version}"


class DeclarationSignature(models.Model):
    """A member's signature of one version of the declaration: the name typed, and when."""

    declaration = models.ForeignKey(
        ConfidentialityDeclaration, on_delete=models.PROTECT, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declaration_signatures"
    )
    signed_name = models.CharField(_("full name"), max_length=200)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declaration", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "user"], name="unique_signature")
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.signed_name} ({self.signed_at:%Y-%m-%d})"
