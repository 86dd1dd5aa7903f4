"""Admin registrations for accounts."""

from django.contrib import admin

from .models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Admin for Membership."""

    list_display = ("user", "role", "evaluation")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Admin for AuditEvent."""

    list_display = ("at", "user", "action", "object_type", "object_id")

    def has_change_permission(self, request, obj=None):
        """The audit log is append-only."""
        return False

    def has_delete_permission(self, request, obj=None):
        """The audit log is append-only."""
        return False
