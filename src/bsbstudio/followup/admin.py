"""Admin registrations for followup."""

from django.contrib import admin

from .models import Measure


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    """Admin for Measure."""

    list_display = ("text", "status", "due", "evaluation")
