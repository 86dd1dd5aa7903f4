"""Views of transcripts: the list, bringing one in, and the restricted raw text."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.fieldwork.models import Interview

from . import actions
from .forms import TranscriptUploadForm
from .models import Transcript


@evaluation_view(Action.VIEW_WORK)
def transcript_list(request, evaluation):
    """Every interview with the state of its transcript: missing, under review, de-identified."""
    interviews = evaluation.interviews.select_related("site").prefetch_related(
        "transcripts__deidentified_texts"
    )
    pending = dict(
        Transcript.objects.filter(interview__evaluation=evaluation)
        .annotate(n=Count("detections", filter=Q(detections__decision="pending")))
        .values_list("pk", "n")
    )
    rows = []
    for interview in interviews:
        transcript = interview.transcripts.all()[0] if interview.transcripts.all() else None
        deid = (
            transcript.deidentified_texts.all()[0]
            if transcript and transcript.deidentified_texts.all()
            else None
        )
        rows.append(
            {
                "interview": interview,
                "transcript": transcript,
                "deid": deid,
                "pending": pending.get(transcript.pk, 0) if transcript else 0,
            }
        )
    return render(
        request,
        "transcripts/list.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "nav_active": "transcripts",
        },
    )


@require_POST
@evaluation_view(Action.ADD_TRANSCRIPT)
def upload(request, evaluation, interview_pk):
    """Bring in a transcript for an interview; bad input is a message and changes nothing."""
    interview = get_object_or_404(Interview, pk=interview_pk, evaluation=evaluation)
    form = TranscriptUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(
            reverse("fieldwork:interview", args=[evaluation.slug, interview.pk]) + "#transcript"
        )
    transcript = actions.import_transcript(
        request.user, interview, form.cleaned_data["parsed"], form.cleaned_data["filename"]
    )
    messages.success(
        request,
        _("The transcript was added with %(n)d turns. Review the de-identification next.")
        % {"n": len(form.cleaned_data["parsed"].turns)},
    )
    return redirect("deid:review", evaluation.slug, transcript.pk)


@raw_material_view(Action.VIEW_RAW)
def raw(request, evaluation, pk):
    """The raw transcript, for members whose role needs it; every viewing is audited."""
    transcript = get_object_or_404(Transcript, pk=pk, interview__evaluation=evaluation)
    record(request.user, "transcript.raw.view", transcript, evaluation)
    turns = [(turn, transcript.raw_text[turn.start : turn.end]) for turn in transcript.turns.all()]
    return render(
        request,
        "transcripts/raw.html",
        {
            "evaluation": evaluation,
            "transcript": transcript,
            "turns": turns,
            "nav_active": "transcripts",
        },
    )
