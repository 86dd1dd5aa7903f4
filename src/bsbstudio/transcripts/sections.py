"""The transcript section of the interview page."""

from __future__ import annotations

from bsbstudio.accounts.policy import Action

from .forms import TranscriptUploadForm


def interview_section(request, interview) -> dict:
    """Context for ``transcripts/_interview_transcripts.html``."""
    return {
        "transcripts": interview.transcripts.prefetch_related("deidentified_texts"),
        "upload_form": TranscriptUploadForm()
        if Action.ADD_TRANSCRIPT in request.bsb_actions
        else None,
    }
