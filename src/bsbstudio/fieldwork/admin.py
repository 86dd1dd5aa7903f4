"""Admin for fieldwork: read-only; consent and informants change only through the app (audited).

Recordings are not registered: an original file name may name a participant.
"""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import Consent, Informant, Interview, Participation


@admin.register(Informant)
class InformantAdmin(ReadOnlyAdmin):
    """Admin for Informant."""

    list_display = ("code", "group", "site", "evaluation")


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    """Admin for Interview."""

    list_display = ("code", "kind", "site", "date", "evaluation")


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    """Admin for Participation."""

    list_display = ("interview", "speaker_code", "informant")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Admin for Consent."""

    list_display = ("informant", "interview", "oral_consent", "recording_consent", "withdrawn_at")
