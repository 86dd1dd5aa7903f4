"""The recordings section of the interview page."""

from __future__ import annotations

from django.conf import settings

from bsbstudio.accounts.policy import Action
from bsbstudio.web.messages import user_message

from . import engine
from .actions import upload_blocker
from .labels import label_all, may_see_names
from .retention import with_deadlines


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
            blocker = user_message(reason)
    show_names = may_see_names(request.user, interview.evaluation)
    recordings = interview.recordings.order_by("uploaded_at", "pk")
    return {
        "recordings": label_all(with_deadlines(recordings), show_names),
        "recording_upload": upload,
        "recording_blocker": blocker,
        "recording_can_listen": Action.VIEW_RAW in user_actions,
        "recording_can_delete": Action.EDIT_PLAN in user_actions,
    }
