"""Admin registrations for conference."""

from django.contrib import admin

from .models import DialogueConference


@admin.register(DialogueConference)
class DialogueConferenceAdmin(admin.ModelAdmin):
    """Admin for DialogueConference."""

    list_display = ("title", "date", "site", "evaluation")
