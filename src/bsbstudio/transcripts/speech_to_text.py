"""Speech-to-text of a recording in the background, filling the transcription editor's draft.

``run_speech_to_text`` (a django-tasks task, run by the worker in `bsb serve`, `bsb demo` or
`bsb worker`) copies the recording to a private temporary file, runs the local engine
(``transcripts.asr.transcribe``) on it, and reports how much audio it has processed on the
``SpeechToTextRun`` row, which the editor page polls. The row's ``cancel_requested`` stops it at
the next progress report. Nothing leaves the machine: the engine reads a model from
``settings.ASR_MODEL_DIR``.

The result goes into the draft only when the draft is empty or the transcriber chose "replace";
otherwise it is kept beside the draft (``TranscriptDraft.proposal``) so no typing is lost. Each
word the engine was unsure of gets the method's "(?)" mark after it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from bsbstudio.errors import gettext_noop

from .models import SpeechToTextRun, TranscriptDraft

logger = logging.getLogger(__name__)

State = SpeechToTextRun.State

RECORDING_GONE = gettext_noop(
    "The recording was deleted (or its file is missing), so speech-to-text stopped. "
    "The draft is kept."
)
FAILED = gettext_noop("Speech-to-text failed unexpectedly. The draft is kept; try again.")
INTERRUPTED = gettext_noop(
    "Speech-to-text was interrupted because the server stopped. The draft is kept; start it again."
)
UNSURE_MARK = " (?)"


def _fail(run_id: int, template: str, params: dict | None = None) -> None:
    SpeechToTextRun.objects.filter(pk=run_id).update(
        state=State.FAILED,
        error_template=template,
        error_params={k: v for k, v in (params or {}).items() if isinstance(v, (str, int, float))},
        heartbeat=timezone.now(),
    )


def mark_interrupted(run: SpeechToTextRun) -> None:
    """End a run whose worker died, with a message saying it can be started again."""
    _fail(run.pk, INTERRUPTED)


def marked_text(text: str, uncertain) -> tuple[str, list[list[int]]]:
    """The text with " (?)" after each unsure span, and the spans moved to the new text."""
    pieces, spans, shift, last = [], [], 0, 0
    for start, end in sorted((int(a), int(b)) for a, b in uncertain):
        if start < last or end > len(text) or start >= end:
            continue
        pieces.append(text[last:end])
        spans.append([start + shift, end + shift])
        pieces.append(UNSURE_MARK)
        shift += len(UNSURE_MARK)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), spans


def with_timestamps(text: str, turns) -> str:
    """The engine's text with each turn's start time written after its speaker code."""
    from .editor import timestamp

    out, last = [], 0
    for turn in turns:
        out.append(text[last : turn.start])
        out.append(f"{timestamp(turn.t0)} ")
        last = turn.start
    out.append(text[last:])
    return "".join(out)


def _copy_recording(recording) -> Path:
    """Copy the stored recording to a private temporary file (the engine needs a path)."""
    from bsbstudio.fieldwork.recordings import storage

    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = Path(recording.original_name).suffix[:10] or ".audio"
    descriptor, name = tempfile.mkstemp(prefix="asr-", suffix=suffix, dir=folder)
    try:
        with (
            os.fdopen(descriptor, "wb") as out,
            storage.open_for_reading(recording.stored_name) as source,
        ):
            shutil.copyfileobj(source, out, 1024 * 1024)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _recording_gone(recording) -> bool:
    if recording is None:
        return True
    recording.refresh_from_db(fields=["deleted_at"])
    return recording.deleted_at is not None


@task()
def run_speech_to_text(run_id: int) -> str:
    """Transcribe one run's recording into its draft; return the run's final state."""
    from . import asr

    run = SpeechToTextRun.objects.select_related("draft__interview", "recording").get(pk=run_id)
    if run.finished or run.cancel_requested:
        if not run.finished:
            SpeechToTextRun.objects.filter(pk=run_id).update(state=State.CANCELLED)
        return State.CANCELLED if not run.finished else run.state
    recording = run.recording
    if _recording_gone(recording):
        _fail(run_id, RECORDING_GONE)
        return State.FAILED
    SpeechToTextRun.objects.filter(pk=run_id).update(
        state=State.RUNNING, heartbeat=timezone.now(), total_seconds=recording.duration_seconds
    )
    path = None

    def on_progress(done: float, total: float) -> bool:
        SpeechToTextRun.objects.filter(pk=run_id).update(
            done_seconds=done, total_seconds=total, heartbeat=timezone.now()
        )
        current = SpeechToTextRun.objects.filter(pk=run_id).values("cancel_requested").first()
        if current is None or current["cancel_requested"]:
            return False
        # Retention may delete the recording while it is being transcribed: stop at once.
        return not _recording_gone(recording)

    codes = list(run.draft.interview.participations.values_list("speaker_code", flat=True))
    speaker_codes = ["I", *codes] if codes else []
    try:
        try:
            path = _copy_recording(recording)
        except FileNotFoundError:
            _fail(run_id, RECORDING_GONE)
            return State.FAILED
        result = asr.transcribe(
            path,
            settings.ASR_MODEL_DIR,
            language=run.language,
            on_progress=on_progress,
            # Offline speaker separation proposes a code per turn (the interviewer and each
            # participant); the transcriber confirms or changes them in the editor.
            speakers=len(speaker_codes) if len(speaker_codes) > 1 else None,
            speaker_codes=speaker_codes or None,
        )
    except asr.Cancelled:
        if _recording_gone(recording):
            _fail(run_id, RECORDING_GONE)
            return State.FAILED
        SpeechToTextRun.objects.filter(pk=run_id).update(state=State.CANCELLED)
        return State.CANCELLED
    except asr.AsrError as error:
        params = dict(error.params)
        if "filename" in params:  # the engine saw the private copy; name the person's file
            params["filename"] = recording.original_name
        _fail(run_id, error.template, params)
        return State.FAILED
    except Exception:
        logger.exception("speech-to-text run %s failed unexpectedly", run_id)
        _fail(run_id, FAILED)
        return State.FAILED
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    _deliver(run, result)
    return State.DONE


def _deliver(run: SpeechToTextRun, result) -> None:
    """Put the result in the draft (empty draft or "replace") or beside it; mark the run done."""
    text = with_timestamps(result.text, result.turns)
    # Offsets moved by the timestamps: recompute the unsure spans on the stamped text.
    shifted = []
    for start, end in result.uncertain:
        before = sum(1 for turn in result.turns if turn.start <= start)
        shifted.append((start + before * 11, end + before * 11))  # "[hh:mm:ss] " is 11 long
    text, spans = marked_text(text, shifted)
    draft = TranscriptDraft.objects.get(pk=run.draft_id)
    if run.replace or not draft.text.strip():
        TranscriptDraft.objects.filter(pk=draft.pk).update(
            text=text, uncertain=spans, proposal="", version=F("version") + 1
        )
    else:
        TranscriptDraft.objects.filter(pk=draft.pk).update(proposal=text)
    SpeechToTextRun.objects.filter(pk=run.pk).update(
        state=State.DONE,
        done_seconds=result.duration,
        total_seconds=result.duration,
        heartbeat=timezone.now(),
    )
