"""Writing the audit log: one call per thing that must be accounted for."""

from __future__ import annotations

from bsbstudio.accounts.models import AuditEvent


def record(user, action: str, obj=None, evaluation=None, **detail) -> AuditEvent:
    """Append an event to the audit log (who, what, which object, extra detail)."""
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        evaluation=evaluation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
