"""Admin for conference: read-only; conferences change only through the app."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import DialogueConference


@admin.register(DialogueConference)
class DialogueConferenceAdmin(ReadOnlyAdmin):
    """Admin for DialogueConference."""

    list_display = ("title", "date", "site", "evaluation")
