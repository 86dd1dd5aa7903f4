"""The recordings section of the interview page."""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from bsbstudio.accounts.policy import Action
from bsbstudio.web.messages import user_message

from . import engine
from .actions import upload_blocker
from .labels import label_all, may_see_names
from .retention import with_deadlines


def blocker_text(reason: engine.RecordingError) -> str:
    """Why the page offers no upload, said calmly: nothing was tried, so nothing "was not saved".

    The refusals of ``engine`` answer an upload someone made; on the page they would read as if
    something had gone wrong.
    """
    params = reason.params
    if reason.code == "past_deadline":
        return gettext(
            "Recordings of this interview are kept only until %(deadline)s, and that date has "
            "passed, so no recording can be added. If the interview's date is wrong, correct it "
            "first."
        ) % {"deadline": date_format(params["deadline"])}
    if reason.code == "transcript_approved":
        return gettext("The transcript is approved, so this interview keeps no recording.")
    if reason.code == "refused":
        return gettext(
            "%(codes)s said no to being recorded, so this interview takes no recording."
        ) % {"codes": params["codes"]}
    return user_message(reason)


def interview_section(request, interview) -> dict:
    """Context for ``fieldwork/_interview_recordings.html``.

    ``recordings`` carry their deadline (``deadline``, ``days_left``, ``approved_on``) and the
    name to show (``label``: the file name, or a neutral label, see ``labels.py``); the upload
    form shows only to those who may add a recording, and only when the interview may have one
    (otherwise ``recording_blocker`` says why).
    """
    user_actions = getattr(request, "bsb_actions", frozenset())
    upload, blocker = None, ""
    if Action.ADD_RECORDING in user_actions:
        reason = upload_blocker(interview)
        if reason is None:
            upload = {
                "max_bytes": settings.MAX_AUDIO_BYTES,
                "too_large": user_message(engine.too_large(None, settings.MAX_AUDIO_BYTES)),
                "limit_mb": engine.format_megabytes(settings.MAX_AUDIO_BYTES),
            }
        else:
            blocker = blocker_text(reason)
    show_names = may_see_names(request.user, interview.evaluation)
    recordings = interview.recordings.order_by("uploaded_at", "pk")
    return {
        "recordings": label_all(with_deadlines(recordings), show_names),
        "recording_upload": upload,
        "recording_blocker": blocker,
        "recording_can_listen": Action.VIEW_RAW in user_actions,
        "recording_can_delete": Action.EDIT_PLAN in user_actions,
    }
