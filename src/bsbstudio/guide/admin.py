"""Admin registrations for guide."""

from django.contrib import admin

from .models import GuideQuestion, InformantGroup, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Admin for Theme."""

    list_display = ("name", "parent", "order", "evaluation")


@admin.register(InformantGroup)
class InformantGroupAdmin(admin.ModelAdmin):
    """Admin for InformantGroup."""

    list_display = ("code", "name", "evaluation")


@admin.register(GuideQuestion)
class GuideQuestionAdmin(admin.ModelAdmin):
    """Admin for GuideQuestion."""

    list_display = ("theme", "group", "text")
