"""Admin for followup: read-only; measures change only through the app."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import Measure, MeasureStatusChange


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """Admin for Measure."""

    list_display = ("text", "status", "due", "evaluation")


@admin.register(MeasureStatusChange)
class MeasureStatusChangeAdmin(ReadOnlyAdmin):
    """Admin for the history of a measure's status."""

    list_display = ("measure", "from_status", "to_status", "changed_on")
