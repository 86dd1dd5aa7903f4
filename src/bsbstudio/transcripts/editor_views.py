"""Views of the transcription editor: the page, saving the draft, finishing it, speech-to-text.

The editor shows raw material (the recording and what people said), so it is open only to members
whose role may add transcripts and hear recordings and who signed the confidentiality
declaration; every opening is audited. Saving works as a plain form POST; the page's script
(``static/transcripts/editor.js``) adds autosave, keyboard control and the speech-to-text progress.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action, can
from bsbstudio.errors import UserFacingError
from bsbstudio.fieldwork.models import Recording
from bsbstudio.web.messages import user_message

from . import editor, speakers
from .engine import TranscriptImportError
from .import_errors import import_error_message
from .models import SpeechToTextRun

#: The session key of the player's listening tickets (see ``fieldwork.recordings.views``).
_TICKETS = "recording_play_tickets"


def _recording(evaluation, pk) -> Recording:
    recording = get_object_or_404(
        Recording.objects.select_related("interview__evaluation"),
        pk=pk,
        interview__evaluation=evaluation,
    )
    return recording


def _check(request, evaluation) -> None:
    # raw_material_view checked ADD_TRANSCRIPT and the declaration; hearing audio needs VIEW_RAW.
    if not can(request.user, evaluation, Action.VIEW_RAW):
        raise PermissionDenied


def _grant_listening(request, recording) -> None:
    """Let this session stream the recording, as opening the player page does."""
    tickets = dict(request.session.get(_TICKETS, {}))
    tickets[str(recording.pk)] = time.time()
    request.session[_TICKETS] = tickets


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _run_state(run: SpeechToTextRun | None) -> dict | None:
    if run is None:
        return None
    interrupted = editor.is_interrupted(run)
    total = run.total_seconds or 0
    percent = int(100 * run.done_seconds / total) if total else 0
    message = ""
    if run.state == SpeechToTextRun.State.FAILED:
        error = UserFacingError("failed", run.error_template, **run.error_params)
        message = user_message(error)
    elif interrupted:
        message = _(
            "Speech-to-text was interrupted because the server stopped. The draft is kept; "
            "start it again."
        )
    return {
        "id": run.pk,
        "state": "interrupted" if interrupted else run.state,
        "label": _("Interrupted") if interrupted else run.get_state_display(),
        "done": round(run.done_seconds, 1),
        "total": round(total, 1),
        "percent": min(100, percent),
        "finished": run.finished or interrupted,
        "message": message,
    }


def _context(request, evaluation, recording, draft, **extra) -> dict:
    interview = recording.interview
    run = draft.runs.first()
    codes = ["I", *interview.participations.values_list("speaker_code", flat=True)]
    return {
        "evaluation": evaluation,
        "interview": interview,
        "recording": recording,
        "draft": draft,
        "turns": editor.draft_turns(draft.text),
        "speaker_codes": list(dict.fromkeys(codes)),
        "run": _run_state(run),
        "run_obj": run,
        "asr_ready": bool(editor.model_dir()),
        "languages": SpeechToTextRun.Language.choices,
        "nav_active": "transcripts",
        **extra,
    }


@raw_material_view(Action.ADD_TRANSCRIPT)
def editor_page(request, evaluation, recording_pk):
    """The editor (GET), or saving the draft (POST; JSON for the page's autosave)."""
    _check(request, evaluation)
    recording = _recording(evaluation, recording_pk)
    if recording.deleted_at is not None:
        messages.error(request, _("The recording was deleted. The draft is kept."))
    draft = editor.draft_for(recording.interview, recording)
    if request.method == "POST":
        return _save(request, evaluation, recording, draft)
    record(
        request.user,
        "transcript.editor.open",
        draft,
        evaluation,
        recording=recording.pk,
        interview=recording.interview.code,
    )
    if recording.deleted_at is None:
        record(request.user, "recording.play", recording, evaluation, page="transcripts.editor")
        _grant_listening(request, recording)
    return render(
        request, "transcripts/editor.html", _context(request, evaluation, recording, draft)
    )


def _save(request, evaluation, recording, draft):
    text = request.POST.get("text", "")
    try:
        base = int(request.POST.get("version", ""))
    except ValueError:
        base = -1
    try:
        draft = editor.save_draft(request.user, draft, text, base)
    except editor.DraftConflict as conflict:
        message = user_message(conflict)
        if _wants_json(request):
            return JsonResponse(
                {"message": message, "version": draft.version, "theirs": draft.text}, status=409
            )
        draft.refresh_from_db()
        return render(
            request,
            "transcripts/editor.html",
            _context(request, evaluation, recording, draft, conflict=message, mine=text),
            status=409,
        )
    if _wants_json(request):
        turns = [
            {"speaker": t.speaker, "offset": t.offset, "seconds": t.seconds}
            for t in editor.draft_turns(draft.text)
        ]
        return JsonResponse({"version": draft.version, "turns": turns})
    messages.success(request, _("The draft was saved."))
    return redirect("transcripts:editor", evaluation.slug, recording.pk)


@require_POST
@raw_material_view(Action.ADD_TRANSCRIPT)
def finish(request, evaluation, recording_pk):
    """Turn the draft into the interview's raw transcript, then go on as after an upload."""
    _check(request, evaluation)
    recording = _recording(evaluation, recording_pk)
    draft = editor.draft_for(recording.interview, recording)
    back = reverse("transcripts:editor", args=[evaluation.slug, recording.pk])
    text = request.POST.get("text")
    try:
        base = int(request.POST.get("version", ""))
        if text is not None and text.replace("\r\n", "\n") != draft.text:
            draft = editor.save_draft(request.user, draft, text, base)
            base = draft.version
        transcript = editor.finish(request.user, draft, base)
    except ValueError:
        messages.error(request, _("The draft could not be read. Reload the page and try again."))
        return redirect(back)
    except TranscriptImportError as error:
        messages.error(request, import_error_message(error))
        return redirect(back)
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return redirect(back)
    messages.success(request, _("The draft is now the interview's transcript."))
    if speakers.unresolved(speakers.speaker_labels(transcript)):
        messages.warning(
            request,
            _("Some speakers did not match a participant of the interview. Say who they are."),
        )
        return redirect("transcripts:speakers", evaluation.slug, transcript.pk)
    return redirect("deid:review", evaluation.slug, transcript.pk)


@require_POST
@raw_material_view(Action.ADD_TRANSCRIPT)
def speech_start(request, evaluation, recording_pk):
    """Start speech-to-text of the recording into the draft."""
    _check(request, evaluation)
    recording = _recording(evaluation, recording_pk)
    draft = editor.draft_for(recording.interview, recording)
    back = reverse("transcripts:editor", args=[evaluation.slug, recording.pk]) + "#speech"
    if recording.deleted_at is not None:
        messages.error(request, _("The recording was deleted. The draft is kept."))
        return redirect(back)
    try:
        editor.start_run(
            request.user,
            draft,
            recording,
            request.POST.get("language", "nb"),
            request.POST.get("replace") == "1",
        )
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return redirect(back)
    messages.info(request, _("Speech-to-text has started. You can go on typing meanwhile."))
    return redirect(back)


@raw_material_view(Action.ADD_TRANSCRIPT)
def speech_status(request, evaluation, recording_pk, run_pk):
    """How far a speech-to-text run has come (JSON, polled by the page)."""
    _check(request, evaluation)
    recording = _recording(evaluation, recording_pk)
    run = get_object_or_404(SpeechToTextRun, pk=run_pk, draft__interview=recording.interview)
    return JsonResponse(_run_state(run))


@require_POST
@raw_material_view(Action.ADD_TRANSCRIPT)
def speech_cancel(request, evaluation, recording_pk, run_pk):
    """Stop a speech-to-text run; the draft is kept."""
    _check(request, evaluation)
    recording = _recording(evaluation, recording_pk)
    run = get_object_or_404(SpeechToTextRun, pk=run_pk, draft__interview=recording.interview)
    editor.cancel_run(request.user, run)
    if _wants_json(request):
        run.refresh_from_db()
        return JsonResponse(_run_state(run))
    messages.info(request, _("Speech-to-text is stopping. The draft is kept."))
    return redirect(reverse("transcripts:editor", args=[evaluation.slug, recording.pk]) + "#speech")
