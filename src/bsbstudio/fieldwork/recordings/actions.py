"""Changes to recordings: adding one to an interview, and deleting one on the process leader's word.

Each action checks permission, does its change atomically and writes the audit log. Deletion on
schedule lives in ``retention.py``; ``delete_now`` uses the same function.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.fieldwork.consent import recording_refused
from bsbstudio.fieldwork.models import Interview, Recording
from bsbstudio.guide.versions import version_for_interview

from . import engine, retention, storage
from .upload import StoredUpload


def upload_blocker(
    interview: Interview, today: datetime.date | None = None
) -> engine.RecordingError | None:
    """Why ``interview`` cannot receive a recording now, or None if it can.

    A refusal by any participant, an approved transcript (the recording would be due at once),
    or a deletion date already passed (the interview was too long ago).
    """
    today = today or timezone.localdate()
    refusals = recording_refused(interview)
    if refusals:
        return engine.refused(interview.code, [informant.code for informant in refusals])
    if retention.first_approvals([interview.pk]).get(interview.pk):
        return engine.transcript_approved(interview.code)
    deadline = engine.deletion_deadline(interview.date, today, settings.RECORDING_MAX_DAYS)
    if engine.is_due(deadline, today):
        return engine.past_deadline(interview.code, deadline)
    return None


def add_recording(user, interview: Interview, upload: StoredUpload | None) -> Recording:
    """Accept a received audio file as the interview's recording, or raise ``RecordingError``.

    The file was already streamed into the recordings folder as a partial file; here it is
    checked (not empty, a sound format by its content, sound that plays for some time, the
    interview may have a recording),
    renamed to its stored name, and recorded in one transaction with the audit event and the
    interview's guide version. If anything fails the file is removed, so nothing is half-saved.
    """
    evaluation = interview.evaluation
    require(user, evaluation, Action.ADD_RECORDING)
    if upload is None:
        raise engine.no_file()
    if not upload.size:
        raise engine.empty_file(upload.name)
    audio_format = engine.sniff_audio(upload.head)
    if audio_format is None:
        raise engine.not_audio(upload.name)
    today = timezone.localdate()
    blocker = upload_blocker(interview, today)
    if blocker is not None:
        raise blocker
    duration = engine.audio_duration(storage.path_of(upload.partial_name))
    if duration is None:
        raise engine.not_playable(upload.name)
    stored_name = storage.keep(upload.partial_name, audio_format.extension)
    upload.kept_name = stored_name
    try:
        with transaction.atomic():
            # Lock the interview so a consent refusal saved meanwhile is seen (on PostgreSQL).
            Interview.objects.select_for_update().filter(pk=interview.pk).first()
            refusals = recording_refused(interview)
            if refusals:
                raise engine.refused(interview.code, [i.code for i in refusals])
            recording = Recording.objects.create(
                interview=interview,
                stored_name=stored_name,
                original_name=upload.name[:255],
                content_type=audio_format.content_type,
                size_bytes=upload.size,
                sha256=upload.sha256,
                duration_seconds=duration,
                uploaded_by=user,
                delete_by=engine.deletion_deadline(
                    interview.date, today, settings.RECORDING_MAX_DAYS
                ),
            )
            version_for_interview(user, interview)
            # The original file name stays out of the log: it may name a participant.
            record(
                user,
                "recording.upload",
                recording,
                evaluation,
                interview=interview.code,
                size_bytes=recording.size_bytes,
                sha256=recording.sha256,
                content_type=recording.content_type,
                delete_by=recording.delete_by.isoformat(),
            )
    except BaseException:
        upload.kept_name = None
        storage.remove(stored_name)
        raise
    return recording


def move_deadlines(user, interview: Interview) -> int:
    """Give the interview's live recordings the deadline its (changed) date sets; audited.

    Called by ``fieldwork.actions.update_interview`` inside its transaction when the date
    changes: a recording is kept ``RECORDING_MAX_DAYS`` after the interview, so a corrected date
    moves the deadline (never past the upload day plus that time, see
    ``engine.deletion_deadline``). Returns how many deadlines moved.
    """
    moved = 0
    for recording in interview.recordings.filter(deleted_at__isnull=True).order_by("pk"):
        uploaded_on = timezone.localdate(recording.uploaded_at)
        deadline = engine.deletion_deadline(
            interview.date, uploaded_on, settings.RECORDING_MAX_DAYS
        )
        if deadline == recording.delete_by:
            continue
        record(
            user,
            "recording.deadline_change",
            recording,
            interview.evaluation,
            interview=interview.code,
            reason="interview_date",
            old=recording.delete_by.isoformat(),
            new=deadline.isoformat(),
        )
        recording.delete_by = deadline
        recording.save(update_fields=["delete_by"])
        moved += 1
    return moved


def delete_now(user, recording: Recording) -> retention.DeletionResult:
    """Delete a recording before its deadline (the process leader's decision), verified."""
    require(user, recording.interview.evaluation, Action.EDIT_PLAN)
    return retention.delete_recording(recording, actor=user, reason="manual")
