"""Admin registrations for transcripts."""

from django.contrib import admin

from .models import DeidentifiedText, SpeakerTurn, Transcript


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    """Admin for Transcript."""

    list_display = ("interview", "version", "created_at")


@admin.register(DeidentifiedText)
class DeidentifiedTextAdmin(admin.ModelAdmin):
    """Admin for DeidentifiedText."""

    list_display = ("transcript", "version", "created_at")


@admin.register(SpeakerTurn)
class SpeakerTurnAdmin(admin.ModelAdmin):
    """Admin for SpeakerTurn."""

    list_display = ("speaker_code", "start", "end", "transcript", "deidentified_text")
