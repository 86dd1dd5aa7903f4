"""Admin registrations for fieldwork."""

from django.contrib import admin

from .models import Consent, Informant, Interview, Participation


@admin.register(Informant)
class InformantAdmin(admin.ModelAdmin):
    """Admin for Informant."""

    list_display = ("code", "group", "site", "evaluation")


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    """Admin for Interview."""

    list_display = ("code", "kind", "site", "date", "evaluation")


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Admin for Participation."""

    list_display = ("interview", "speaker_code", "informant")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Admin for Consent."""

    list_display = ("informant", "interview", "oral_consent", "recording_consent", "withdrawn_at")
