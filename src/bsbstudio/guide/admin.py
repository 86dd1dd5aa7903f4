"""Admin for guide: read-only; the guide changes only through the app (codes kept in step)."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import GuideQuestion, InformantGroup, Theme


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    """Admin for Theme."""

    list_display = ("name", "parent", "order", "evaluation")


@admin.register(InformantGroup)
class InformantGroupAdmin(ReadOnlyAdmin):
    """Admin for InformantGroup."""

    list_display = ("code", "name", "evaluation")


@admin.register(GuideQuestion)
class GuideQuestionAdmin(ReadOnlyAdmin):
    """Admin for GuideQuestion."""

    list_display = ("theme", "group", "text")
