"""Admin registrations for reports."""

from django.contrib import admin

from .models import Report, ThemeSection


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Admin for Report."""

    list_display = ("title", "kind", "site", "evaluation")


@admin.register(ThemeSection)
class ThemeSectionAdmin(admin.ModelAdmin):
    """Admin for ThemeSection."""

    list_display = ("report", "theme")
