"""Views of recordings: upload, the player page, the audio stream, and deleting one now.

Audio is raw material (invariant 2): the player and the stream need ``Action.VIEW_RAW`` and a
signed confidentiality declaration (``raw_material_view``). Each opening of the player page is
audited once (``recording.play``); the stream itself is served only within a session that opened
the player page, so every listening is covered by an audit record without one per seek.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.errors import UserFacingError
from bsbstudio.fieldwork.models import Interview, Recording
from bsbstudio.web.messages import user_message

from . import actions, engine, storage
from .labels import label_of, may_see_names
from .retention import with_deadlines
from .upload import FIELD, RecordingUploadHandler

logger = logging.getLogger(__name__)

#: Room for the form's other fields and the multipart framing when judging Content-Length.
MULTIPART_OVERHEAD = 64 * 1024
#: How long opening the player page lets the browser fetch the audio.
TICKET_SECONDS = 12 * 60 * 60
_TICKETS = "recording_play_tickets"
_CHUNK = 64 * 1024


def _interview_url(interview: Interview) -> str:
    return (
        reverse("fieldwork:interview", args=[interview.evaluation.slug, interview.pk])
        + "#recordings"
    )


def _finish(request, back: str, error: UserFacingError | None = None, success: str = ""):
    """Answer an upload: a message, then back to the interview (JSON for the upload script).

    The script asks for JSON so that the message waits in the session for the page it loads
    next, instead of being shown (and used up) by a redirect the script follows unseen.
    """
    if error is not None:
        messages.error(request, user_message(error))
    elif success:
        messages.success(request, success)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": error is None, "location": back})
    return redirect(back)


@csrf_exempt
@require_POST
@evaluation_view(Action.ADD_RECORDING)
def upload(request, evaluation, interview_pk):
    """Receive a recording for an interview, streamed to disk with the size limit enforced.

    Django's pattern for changing upload handlers in one view: the view is ``csrf_exempt`` so the
    CSRF middleware does not read the body before the handler is in place; the CSRF check then
    runs in ``_receive`` (``csrf_protect``). Permission, the interview and whether it may have a
    recording are checked first, before a byte of the file is read.
    """
    interview = get_object_or_404(Interview, pk=interview_pk, evaluation=evaluation)
    back = _interview_url(interview)
    blocker = actions.upload_blocker(interview)
    if blocker is not None:
        return _finish(request, back, error=blocker)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.MAX_AUDIO_BYTES + MULTIPART_OVERHEAD:
        # Certainly too big: answer without reading (or storing) any of it.
        return _finish(request, back, error=engine.too_large(None, settings.MAX_AUDIO_BYTES))
    handler = RecordingUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _receive(request, interview, handler, back)
    except MultiPartParserError:
        return _finish(request, back, error=engine.unreadable())
    finally:
        handler.discard()


@csrf_protect
def _receive(request, interview, handler, back):
    """Read the form (the file streams to disk now) and accept the recording, or say why not."""
    try:
        received = request.FILES.getlist(FIELD)
    except OSError:  # the browser went away mid-upload
        return _finish(request, back, error=engine.unreadable())
    if handler.too_large:
        return _finish(
            request, back, error=engine.too_large(handler.rejected_name, handler.max_bytes)
        )
    if handler.storage_failed:
        return _finish(request, back, error=engine.storage_failed(handler.rejected_name))
    if handler.several_files:
        return _finish(request, back, error=engine.several_files())
    try:
        recording = actions.add_recording(
            request.user, interview, received[0] if received else None
        )
    except engine.RecordingError as error:
        return _finish(request, back, error=error)
    except OSError:  # the file could not be kept (a full disk, the object store unreachable)
        logger.exception("Cannot keep an uploaded recording")
        return _finish(
            request, back, error=engine.storage_failed(received[0].name if received else "")
        )
    return _finish(
        request,
        back,
        success=_("The recording %(filename)s was added. It will be deleted by %(date)s.")
        % {
            "filename": label_of(recording, may_see_names(request.user, interview.evaluation)),
            "date": date_format(recording.delete_by),
        },
    )


def _recording(evaluation, pk) -> Recording:
    return get_object_or_404(
        Recording.objects.select_related("interview__evaluation"),
        pk=pk,
        interview__evaluation=evaluation,
    )


def _gone(request, evaluation, recording, missing: bool = False, status: int = 410):
    """410: the recording was deleted (as promised), or its file is missing (503: unreachable)."""
    return render(
        request,
        "fieldwork/recording_gone.html",
        {
            "evaluation": evaluation,
            "recording": recording,
            "interview": recording.interview,
            "missing": missing,
            "nav_active": "fieldwork",
        },
        status=status,
    )


@require_safe
@raw_material_view(Action.VIEW_RAW)
def player(request, evaluation, pk):
    """The page with the audio player, for transcribers; each opening is audited."""
    recording = _recording(evaluation, pk)
    if recording.deleted_at is not None:
        return _gone(request, evaluation, recording)
    try:
        present = storage.exists(recording.stored_name)
    except storage.StoreUnavailable:
        logger.exception("The recordings store cannot be reached")
        return _gone(request, evaluation, recording, missing=True, status=503)
    if not present:
        logger.error("The file of recording %s is missing", recording.pk)
        return _gone(request, evaluation, recording, missing=True)
    record(request.user, "recording.play", recording, evaluation)
    tickets = {
        key: when
        for key, when in request.session.get(_TICKETS, {}).items()
        if when > time.time() - TICKET_SECONDS
    }
    tickets[str(recording.pk)] = time.time()
    request.session[_TICKETS] = tickets
    (recording,) = with_deadlines([recording])
    return render(
        request,
        "fieldwork/recording_player.html",
        {
            "evaluation": evaluation,
            "recording": recording,
            "interview": recording.interview,
            "nav_active": "fieldwork",
        },
    )


def _has_ticket(request, recording) -> bool:
    opened = request.session.get(_TICKETS, {}).get(str(recording.pk))
    return opened is not None and opened > time.time() - TICKET_SECONDS


class _FileRange:
    """Yields ``length`` bytes of an open file from ``start``; closing it closes the file.

    A class rather than a generator because Django calls ``close()`` on the response content even
    when the client left before the first chunk, and an unstarted generator would not run its
    ``finally``.
    """

    def __init__(self, handle, start: int, length: int):
        self.handle, self.start, self.remaining = handle, start, length

    def __iter__(self):
        self.handle.seek(self.start)
        while self.remaining > 0:
            chunk = self.handle.read(min(_CHUNK, self.remaining))
            if not chunk:
                return
            self.remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


@require_safe
@raw_material_view(Action.VIEW_RAW)
def audio(request, evaluation, pk):
    """The audio bytes for the player, whole (200) or one byte range (206).

    Django's FileResponse always sends the whole file with status 200. Browsers' audio players
    ask for byte ranges (``Range: bytes=N-``) to find the duration and to seek; without 206
    answers Chrome cannot jump to a point in the recording and Safari will not play it at all,
    and each seek in a two-hour focus group would resend the whole file. So this view answers one
    range itself (several ranges in one request are answered with the whole file, which RFC 9110
    allows). ``no-store`` keeps the audio out of browser and proxy caches.
    """
    recording = _recording(evaluation, pk)
    if recording.deleted_at is not None:
        return _gone(request, evaluation, recording)
    if not _has_ticket(request, recording):
        # Listening starts at the player page, which writes the audit record.
        return redirect("fieldwork:recording", evaluation.slug, recording.pk)
    try:
        handle = storage.open_for_reading(recording.stored_name)
    except FileNotFoundError:
        logger.error("The file of recording %s is missing", recording.pk)
        return _gone(request, evaluation, recording, missing=True)
    except storage.StoreUnavailable:
        logger.exception("The recordings store cannot be reached")
        return _gone(request, evaluation, recording, missing=True, status=503)
    size = storage.size_of(handle)
    try:
        # With If-Range the browser asks "only if unchanged"; there is no validator to compare
        # with, so it gets the whole file, as RFC 9110 says.
        wanted = None if "If-Range" in request.headers else request.headers.get("Range")
        byte_range = engine.parse_range(wanted, size)
    except engine.RangeNotSatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _no_store(response)
    if byte_range is None:
        response = StreamingHttpResponse(
            _FileRange(handle, 0, size), content_type=recording.content_type
        )
        response["Content-Length"] = str(size)
    else:
        response = StreamingHttpResponse(
            _FileRange(handle, byte_range.start, byte_range.length),
            status=206,
            content_type=recording.content_type,
        )
        response["Content-Length"] = str(byte_range.length)
        response["Content-Range"] = byte_range.content_range(size)
    response["Accept-Ranges"] = "bytes"
    # Played in the page, never offered as a download.
    response["Content-Disposition"] = "inline"
    return _no_store(response)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@evaluation_view(Action.EDIT_PLAN)
def delete(request, evaluation, pk):
    """The process leader deletes a recording before its deadline: a question, then the deletion."""
    recording = _recording(evaluation, pk)
    back = _interview_url(recording.interview)
    if recording.deleted_at is not None:
        messages.info(request, _("This recording is already deleted."))
        return redirect(back)
    recording.label = label_of(recording, may_see_names(request.user, evaluation))
    if request.method == "POST":
        result = actions.delete_now(request.user, recording)
        if result.ok:
            messages.success(
                request,
                _("The recording %(filename)s was deleted, and the file was checked to be gone.")
                % {"filename": recording.label},
            )
        else:
            messages.error(
                request,
                _(
                    "The recording %(filename)s could not be deleted. Nothing was changed. Tell "
                    "the administrator."
                )
                % {"filename": recording.label},
            )
        return redirect(back)
    (recording,) = with_deadlines([recording])  # the same object, label kept
    return render(
        request,
        "fieldwork/recording_delete.html",
        {
            "evaluation": evaluation,
            "recording": recording,
            "interview": recording.interview,
            "nav_active": "fieldwork",
        },
    )
