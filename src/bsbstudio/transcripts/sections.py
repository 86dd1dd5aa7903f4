"""The transcript section of the interview page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat

from bsbstudio.accounts.policy import Action

from .forms import TranscriptUploadForm
from .models import DeidentifiedText


def interview_section(request, interview) -> dict:
    """Context for ``transcripts/_interview_transcripts.html``."""
    return {
        "transcripts": interview.transcripts.prefetch_related(
            Prefetch(
                "deidentified_texts",
                queryset=DeidentifiedText.objects.select_related("approved_by"),
            )
        ),
        "upload_form": TranscriptUploadForm()
        if Action.ADD_TRANSCRIPT in request.bsb_actions
        else None,
        "upload_limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
    }
