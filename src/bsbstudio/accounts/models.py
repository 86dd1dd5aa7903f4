"""Team memberships with roles, and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an entry of the audit log."""


class AuditEventQuerySet(models.QuerySet):
    """Queries on the audit log: reading only; bulk writes that would skip the chain are refused."""

    def update(self, **kwargs):
        """Refuse: entries are never changed."""
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        """Refuse: entries are never deleted."""
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        """Refuse: entries are appended one by one, each chained to the last."""
        # Each entry must be chained to the one before it: only accounts.audit.record writes.
        raise AuditLogIsAppendOnly("audit entries are written one by one by audit.record")

    def bulk_update(self, objs, *args, **kwargs):
        """Refuse: entries are never changed."""
        raise AuditLogIsAppendOnly("audit entries cannot be changed")


class AuditEvent(models.Model):
    """One entry of the audit log: who did or saw what, when. Never updated or deleted.

    The entries form one hash chain (``accounts.audit``): each stores the hash of the entry before
    it and its own hash over its content, so a change or a deletion made behind the application's
    back (in the database itself) is found by ``bsb audit verify``. Deleting a user or an
    evaluation empties the foreign key (SET_NULL); ``user_key``, ``user_label`` and
    ``evaluation_key`` keep who and where as written, and they are what the hash covers.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_key = models.BigIntegerField(null=True, editable=False)
    user_label = models.CharField(max_length=300, blank=True, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation_key = models.BigIntegerField(null=True, db_index=True, editable=False)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        """Insert a new entry; an entry already written is never saved again."""
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refuse: the audit log keeps every entry."""
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class AuditChainHead(models.Model):
    """The last link of the audit chain, in one row: locking it serialises appends.

    Two writers that read the same last entry would fork the chain; ``accounts.audit.record``
    takes this row ``FOR UPDATE`` first (PostgreSQL), and SQLite's IMMEDIATE transactions already
    admit one writer at a time. It also lets ``verify`` notice entries deleted from the end.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


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


class Invitation(models.Model):
    """An invitation to join an evaluation team with a role, sent as a one-time link.

    Only the SHA-256 hash of the link's random token is kept, so the database cannot give a
    working link away; the link itself is shown once to the process leader who made it.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="invitations")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        """Whether the link still works: not used, not revoked, not expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
