"""Admin for followup: read-only; measures change only through the app."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import Measure


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """Admin for Measure."""

    list_display = ("text", "status", "due", "evaluation")
