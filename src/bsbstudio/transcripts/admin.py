"""Admin for transcripts: read-only; raw transcripts without their text or file name, audited.

De-identified texts are approved only through the app (its checks, its audit entry). Speaker
turns are not registered: a turn's title is its speaker label, which may be a name.
"""

from django.contrib import admin

from bsbstudio.accounts.admin import RawMaterialAdmin, ReadOnlyAdmin

from .models import DeidentifiedText, Transcript


@admin.register(Transcript)
class TranscriptAdmin(RawMaterialAdmin):
    """Admin for Transcript (the raw text is never a form field; the file name may name someone)."""

    list_display = ("interview", "version", "created_at")
    exclude = ("source_filename",)
    evaluation_path = "interview.evaluation"


@admin.register(DeidentifiedText)
class DeidentifiedTextAdmin(ReadOnlyAdmin):
    """Admin for DeidentifiedText."""

    list_display = ("transcript", "version", "created_at", "approved_at")
