"""Admin for conference: read-only; conferences change only through the app."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import (
    AgendaItem,
    ConferenceGroup,
    DialogueConference,
    GroupOutput,
    ParticipantCount,
    ThemeValidation,
)


@admin.register(DialogueConference)
class DialogueConferenceAdmin(ReadOnlyAdmin):
    """Admin for DialogueConference."""

    list_display = ("title", "date", "site", "evaluation", "minutes_approved_at")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    """Admin for AgendaItem."""

    list_display = ("title", "start_time", "end_time", "conference")


@admin.register(ParticipantCount)
class ParticipantCountAdmin(ReadOnlyAdmin):
    """Admin for ParticipantCount (counts per role; no names exist)."""

    list_display = ("conference", "role", "count")


@admin.register(ConferenceGroup)
class ConferenceGroupAdmin(ReadOnlyAdmin):
    """Admin for ConferenceGroup."""

    list_display = ("name", "conference")


@admin.register(GroupOutput)
class GroupOutputAdmin(ReadOnlyAdmin):
    """Admin for GroupOutput."""

    list_display = ("group", "kind", "order")


@admin.register(ThemeValidation)
class ThemeValidationAdmin(ReadOnlyAdmin):
    """Admin for ThemeValidation."""

    list_display = ("conference", "code", "status")
