"""Views of transcripts: the list, bringing one in, its speakers, reading it, approving it.

The raw transcript and the speakers page (labels may be names) are raw material: shown only to
members who signed the confidentiality declaration, and every viewing is audited. The
de-identified reading page is ordinary work material.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.fieldwork.models import Interview
from bsbstudio.web.messages import user_message

from . import actions, progress, search, speakers
from .forms import SpeakerMappingForm, TranscriptUploadForm
from .models import DeidentifiedText, Transcript, TranscriptImport


@evaluation_view(Action.VIEW_WORK)
def transcript_list(request, evaluation):
    """Every interview with the state of its latest transcript and the next step to take."""
    return render(
        request,
        "transcripts/list.html",
        {
            "evaluation": evaluation,
            "rows": progress.interview_states(evaluation),
            "counts": progress.transcript_states(evaluation),
            "nav_active": "transcripts",
        },
    )


@require_POST
@evaluation_view(Action.ADD_TRANSCRIPT)
def upload(request, evaluation, interview_pk):
    """Bring in a transcript for an interview; bad input is a message and changes nothing.

    Afterwards the person checks the speakers when some labels matched nobody, and otherwise
    goes on to the de-identification review.
    """
    interview = get_object_or_404(Interview, pk=interview_pk, evaluation=evaluation)
    form = TranscriptUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(
            reverse("fieldwork:interview", args=[evaluation.slug, interview.pk]) + "#transcript"
        )
    parsed, filename = form.cleaned_data["parsed"], form.cleaned_data["filename"]
    if parsed is None:  # a large file: read in the background, followed on the interview page
        actions.queue_import(request.user, interview, form.cleaned_data["upload"])
        messages.info(
            request,
            _("%(name)s is being read. This can take a few minutes; see below how far it has come.")
            % {"name": filename},
        )
        return redirect(
            reverse("fieldwork:interview", args=[evaluation.slug, interview.pk]) + "#transcript"
        )
    transcript = actions.import_transcript(request.user, interview, parsed, filename)
    spoken = [turn for turn in parsed.turns if turn.speaker]  # not a header before the first code
    summary = {
        "name": filename,
        "turns": len(spoken),
        "speakers": len(parsed.speakers()),
        "words": sum(len(parsed.spoken(turn).split()) for turn in spoken),
    }
    if filename:
        text = _("%(name)s was added. Turns: %(turns)d. Speakers: %(speakers)d. Words: %(words)d.")
    else:
        text = _(
            "The pasted text was added. Turns: %(turns)d. Speakers: %(speakers)d. Words: %(words)d."
        )
    messages.success(request, text % summary)
    if speakers.unresolved(speakers.speaker_labels(transcript)):
        messages.warning(
            request,
            _("Some speakers did not match a participant of the interview. Say who they are."),
        )
        return redirect("transcripts:speakers", evaluation.slug, transcript.pk)
    return redirect("deid:review", evaluation.slug, transcript.pk)


def _search_context(request, text: str, turns) -> dict:
    """The turn rows with the search (``?q=``) and speaker filter (``?speaker=``) applied."""
    query = search.clean_query(request.GET.get("q"))
    options = list(dict.fromkeys(turn.speaker_code for turn in turns if turn.speaker_code))
    speaker = request.GET.get("speaker", "")
    speaker = speaker if speaker in options else ""

    def describe(turn) -> str:
        if turn.participation_id:
            informant = turn.participation.informant
            return f"{informant.code} · {informant.group.name}"
        return turn.get_role_display() if turn.role in speakers.ROLES_WITHOUT_PARTICIPANT else ""

    rows = search.turn_rows(text, turns, describe, query, speaker)
    return {
        "rows": rows,
        "q": query,
        "speaker": speaker,
        "speaker_options": options,
        "filtered": bool(query or speaker),
        "matches": sum(1 for row in rows if row.shown),
    }


@raw_material_view(Action.VIEW_RAW)
def raw(request, evaluation, pk):
    """The raw transcript, for members whose role needs it; every viewing is audited."""
    transcript = get_object_or_404(
        Transcript.objects.select_related("interview"), pk=pk, interview__evaluation=evaluation
    )
    record(request.user, "transcript.raw.view", transcript, evaluation, page="transcripts.raw")
    turns = list(transcript.turns.select_related("participation__informant__group"))
    labels = speakers.speaker_labels(transcript, turns)
    found = _search_context(request, transcript.raw_text, turns)
    if found["filtered"]:
        # A search inside raw text is an access of its own: someone looked for something in
        # what people said in confidence. The log keeps that it happened, how long the words
        # were and how many turns matched, never the words: they are most often a name (the
        # very thing the raw text is restricted for), and the log is read more widely and kept
        # longer than the text. Likewise the speaker filter is kept as a yes/no, since a label
        # may be a name. The page searches on the server only (it loads no search script), so
        # every search comes through here.
        record(
            request.user,
            "transcript.raw.search",
            transcript,
            evaluation,
            query_length=len(found["q"]),
            speaker_filter=bool(found["speaker"]),
            matches=found["matches"],
        )
    return render(
        request,
        "transcripts/raw.html",
        {
            "evaluation": evaluation,
            "transcript": transcript,
            "unresolved": len(speakers.unresolved(labels)),
            "nav_active": "transcripts",
            **found,
        },
    )


@evaluation_view(Action.VIEW_WORK)
def text(request, evaluation, pk):
    """A de-identified text to read and search, with its approval."""
    deidentified = get_object_or_404(
        DeidentifiedText.objects.select_related("transcript__interview__site", "approved_by"),
        pk=pk,
        transcript__interview__evaluation=evaluation,
    )
    transcript = deidentified.transcript
    turns = list(deidentified.turns.select_related("participation__informant__group"))
    can_approve = Action.APPROVE_TRANSCRIPT in request.bsb_actions
    problems = []
    if can_approve and not deidentified.approved_at:
        problems = [user_message(p) for p in actions.approval_problems(deidentified)]
    return render(
        request,
        "transcripts/text.html",
        {
            "evaluation": evaluation,
            "deidentified": deidentified,
            "transcript": transcript,
            "interview": transcript.interview,
            "newest": transcript.deidentified_texts.first(),
            "can_approve": can_approve,
            "problems": problems,
            "nav_active": "transcripts",
            **_search_context(request, deidentified.text, turns),
        },
    )


@raw_material_view(Action.ADD_TRANSCRIPT)
def speaker_mapping(request, evaluation, pk):
    """Say who each speaker label is; the labels may be names, so this is raw material."""
    transcript = get_object_or_404(
        Transcript.objects.select_related("interview"), pk=pk, interview__evaluation=evaluation
    )
    interview = transcript.interview
    labels = speakers.speaker_labels(transcript)
    form = SpeakerMappingForm(
        request.POST or None,
        labels=labels,
        participations=interview.participations.select_related("informant__group"),
    )
    public = speakers.public_labels(transcript, labels)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = actions.map_speakers(request.user, transcript, form.decisions())
            except actions.SpeakerMappingError as error:
                messages.error(request, user_message(error))
            else:
                messages.success(
                    request, _("The speakers were saved. Turns changed: %(n)d.") % {"n": changed}
                )
                if "review" in request.POST:
                    return redirect("deid:review", evaluation.slug, transcript.pk)
                return redirect("transcripts:speakers", evaluation.slug, transcript.pk)
        else:
            messages.error(request, _("Nothing was saved. Correct the choices marked below."))
    # The page shows the labels (which may be names) and each speaker's first words: every
    # rendering is a viewing of raw material, a refused or invalid post included.
    record(request.user, "transcript.raw.view", transcript, evaluation, page="transcripts.speakers")
    return render(
        request,
        "transcripts/speakers.html",
        {
            "evaluation": evaluation,
            "transcript": transcript,
            "interview": interview,
            "form": form,
            "rows": [(info, field, public.get(info.label)) for info, field in form.rows()],
            "totals": {
                "turns": sum(info.turns for info in labels),
                "speakers": len(labels),
                "words": sum(info.words for info in labels),
            },
            "deidentified": transcript.deidentified_texts.first(),
            "nav_active": "transcripts",
        },
    )


def _text_for_approval(evaluation, pk) -> DeidentifiedText:
    return get_object_or_404(
        DeidentifiedText.objects.select_related("transcript__interview"),
        pk=pk,
        transcript__interview__evaluation=evaluation,
    )


@require_POST
@evaluation_view(Action.APPROVE_TRANSCRIPT)
def approve(request, evaluation, pk):
    """Approve a de-identified text, or say what still stands in the way."""
    deidentified = _text_for_approval(evaluation, pk)
    try:
        actions.approve_text(request.user, deidentified)
    except actions.ApprovalRefused as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The de-identified text is approved."))
    return redirect("transcripts:text", evaluation.slug, deidentified.pk)


@require_POST
@evaluation_view(Action.APPROVE_TRANSCRIPT)
def withdraw(request, evaluation, pk):
    """Withdraw the approval of a de-identified text."""
    deidentified = _text_for_approval(evaluation, pk)
    try:
        actions.withdraw_approval(request.user, deidentified)
    except actions.ApprovalRefused as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The approval was withdrawn."))
    return redirect("transcripts:text", evaluation.slug, deidentified.pk)


@evaluation_view(Action.ADD_TRANSCRIPT)
def import_status(request, evaluation, pk):
    """How far a background import has come: the fragment the interview page polls."""
    job = get_object_or_404(
        TranscriptImport.objects.select_related("interview"),
        pk=pk,
        interview__evaluation=evaluation,
    )
    row = progress.import_progress(job, request.user)
    return render(
        request, "transcripts/_import_status.html", {"evaluation": evaluation, "row": row}
    )
