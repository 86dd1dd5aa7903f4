"""The transcript section of the interview page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat

from bsbstudio.accounts.confidentiality import has_signed
from bsbstudio.accounts.policy import Action

from .forms import TranscriptUploadForm
from .models import DeidentifiedText
from .progress import recent_imports


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
        "imports": recent_imports(interview, request.user)
        if Action.ADD_TRANSCRIPT in request.bsb_actions
        else [],
        # A file name may name a participant ("intervju Kari.docx"): raw material, shown only
        # to those who may see raw transcripts and have signed the declaration.
        "show_filenames": Action.VIEW_RAW in request.bsb_actions
        and has_signed(request.user, interview.evaluation),
    }
