"""Admin for accounts, and the two kinds of admin every app uses for its sensitive models.

Django's admin is a way around every safeguard of the app (permissions, approval checks, the
audit log), so it is kept for what only it does: users, groups and team memberships, with every
change audited (``AuditedAdmin``). Everything else is
read-only there (``ReadOnlyAdmin``); models holding raw material show no raw field, cannot be
filtered by field values, and every page of them is audited (``RawMaterialAdmin``). Models whose
every rendering would name someone (names to hide, speaker turns, recordings) are not registered.
"""

from __future__ import annotations

import operator

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record
from .models import AuditEvent, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows and changes nothing: data changes only through the app's checked, audited actions."""

    def has_add_permission(self, request, obj=None):
        """Nothing is added here."""
        return False

    def has_change_permission(self, request, obj=None):
        """Nothing is changed here (the change page shows the row read-only)."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Nothing is deleted here."""
        return False


class RawMaterialAdmin(ReadOnlyAdmin):
    """Read-only admin of raw material: raw fields left out, every page audited, no field filters.

    Subclasses list the raw fields in ``exclude`` and keep them out of ``list_display``, and name
    the way from a row to its evaluation in ``evaluation_path`` so the entry reaches that
    evaluation's audit page.
    """

    evaluation_path = "evaluation"

    def lookup_allowed(self, lookup, value, request=None):
        """Refuse every field filter in the URL (answered 400)."""
        # A filter such as ?text__startswith=K would reveal a hidden field one guess at a time.
        return False

    def changelist_view(self, request, extra_context=None):
        """The list, audited (the model; a list spans evaluations)."""
        record(request.user, "admin.list", model=self.model._meta.label_lower)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """One row, read-only, audited against its evaluation."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            evaluation = operator.attrgetter(self.evaluation_path)(obj)
            record(request.user, "admin.view", obj, evaluation)
        return super().change_view(request, object_id, form_url, extra_context)


class AuditedAdmin(admin.ModelAdmin):
    """Editable admin whose every addition, change and deletion is written to the audit log.

    The admin's add, change and delete pages run in a transaction: the row and its entry are
    written together. Entries are named ``admin.<model>.add`` / ``.change`` / ``.delete``.
    """

    def _record(self, request, verb: str, obj, **detail) -> None:
        evaluation = getattr(obj, "evaluation", None)
        record(request.user, f"admin.{self.opts.model_name}.{verb}", obj, evaluation, **detail)

    def log_addition(self, request, obj, message):
        """Audit an addition (beside Django's own admin history)."""
        self._record(request, "add", obj, change=message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        """Audit a change, with the names of the fields changed (never their values)."""
        self._record(request, "change", obj, change=message)
        return super().log_change(request, obj, message)

    def delete_model(self, request, obj):
        """Audit the deletion, then delete."""
        self._record(request, "delete", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The list's bulk delete, one audited deletion at a time, all or nothing."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


# Users and groups stay editable in admin (the organisation's accounts), audited.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin, with every change audited (a password change included)."""


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    """Django's group admin (organisation administrators are a group), audited."""


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """Team memberships: editable here, every change audited against the evaluation."""

    list_display = ("user", "role", "evaluation")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, read-only: entries are written by the app and never changed or deleted."""

    list_display = ("seq", "at", "user_label", "action", "object_type", "object_id")
    list_filter = ("action",)


# Two-factor devices: django-otp's own admin shows each person's secret key and recovery codes.
# Here the admin only sees who has which device and resets a lost phone by deleting it (audited).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(TOTPDevice, StaticDevice)
class TwoFactorDeviceAdmin(AuditedAdmin):
    """A person's authenticator app or recovery codes: no secret shown; delete to reset."""

    list_display = ("user", "name", "confirmed")
    fields = ("user", "name", "confirmed")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        """Devices are set up by their owner on the two-factor pages."""
        return False

    def has_change_permission(self, request, obj=None):
        """A device is never edited; deleting it is the reset."""
        return False
