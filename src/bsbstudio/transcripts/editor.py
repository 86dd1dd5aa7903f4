"""Changes made from the transcription editor: save a draft, finish it, start or stop speech-to-text.

A draft is saved with the version it was loaded at; a save from an older version is refused
(``DraftConflict``) so that two transcribers never overwrite each other without knowing. "Finish"
parses the draft exactly like pasted text and stores it through ``actions.import_transcript``, the
same path as an upload, so speaker mapping and de-identification follow as for any transcript.

The draft's text has one turn per line that starts with a speaker code (``D1: ...``), with
timestamps written ``[hh:mm:ss]`` after the code; ``draft_turns`` reads them for the turn list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop

from . import actions
from .engine import TranscriptImportError, parse_text
from .models import SpeechToTextRun, TranscriptDraft

TIMESTAMP = re.compile(r"\[(\d{1,2}):(\d{2}):(\d{2})\]")
TURN_START = re.compile(r"^\s*([A-Za-zÆØÅæøå][\wÆØÅæøå-]{0,11}):", re.MULTILINE)

#: A running speech-to-text run whose heartbeat is older than this lost its worker.
STALE_SECONDS = 120


class DraftConflict(UserFacingError):
    """Someone else saved the draft after this copy was loaded; nothing was overwritten."""


CONFLICT = gettext_noop(
    "Someone else has changed the draft since you opened it. Both versions are kept below: "
    "copy what you need into the newest one and save again."
)
EMPTY = gettext_noop("The draft is empty. Write the transcript (or run speech-to-text) first.")
NO_MODEL = gettext_noop(
    "Speech-to-text is not set up on this server. Ask the person who runs BSB Studio to "
    "install a speech model (see the operations guide)."
)
ALREADY_RUNNING = gettext_noop("Speech-to-text is already running for this recording.")


@dataclass(frozen=True)
class DraftTurn:
    """A turn of the draft: its speaker code, where its line starts and its first timestamp."""

    speaker: str
    offset: int
    seconds: int | None
    preview: str


def seconds_of(match: re.Match) -> int:
    """The seconds a ``[hh:mm:ss]`` timestamp stands for."""
    hours, minutes, seconds = (int(group) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def timestamp(seconds: float) -> str:
    """A ``[hh:mm:ss]`` timestamp for a time in seconds."""
    whole = max(0, int(seconds))
    return f"[{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}]"


def draft_turns(text: str) -> list[DraftTurn]:
    """The turns of a draft: each line starting with a speaker code, with its first timestamp."""
    starts = list(TURN_START.finditer(text))
    turns = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[match.end() : end]
        stamp = TIMESTAMP.search(body)
        preview = TIMESTAMP.sub("", body).strip()
        turns.append(
            DraftTurn(
                speaker=match.group(1),
                offset=match.start(),
                seconds=seconds_of(stamp) if stamp else None,
                preview=preview[:80],
            )
        )
    return turns


def draft_for(interview, recording=None) -> TranscriptDraft:
    """The interview's draft, made empty on first use."""
    draft, _created = TranscriptDraft.objects.get_or_create(
        interview=interview, defaults={"recording": recording}
    )
    if recording is not None and draft.recording_id is None:
        draft.recording = recording
        draft.save(update_fields=["recording"])
    return draft


def save_draft(actor, draft: TranscriptDraft, text: str, base_version: int) -> TranscriptDraft:
    """Save ``text`` over the draft if nobody saved since ``base_version``; return the draft.

    The check and the write are one conditional UPDATE, so two saves at the same moment cannot
    both win. Raises ``DraftConflict`` (with the newest text in ``params["theirs"]``) otherwise.
    """
    require(actor, draft.interview.evaluation, Action.ADD_TRANSCRIPT)
    text = text.replace("\r\n", "\n")
    updated = TranscriptDraft.objects.filter(pk=draft.pk, version=base_version).update(
        text=text,
        version=base_version + 1,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    draft.refresh_from_db()
    if not updated:
        if draft.text == text:  # the same text saved twice (a retried request): no conflict
            return draft
        raise DraftConflict("conflict", CONFLICT, version=draft.version, theirs=draft.text)
    return draft


def finish(actor, draft: TranscriptDraft, base_version: int):
    """Turn the draft into the interview's raw transcript, as an upload would; return it.

    Raises ``DraftConflict`` when the draft changed since ``base_version`` and
    ``TranscriptImportError`` when the text cannot be read as a transcript.
    """
    interview = draft.interview
    require(actor, interview.evaluation, Action.ADD_TRANSCRIPT)
    if draft.version != base_version:
        raise DraftConflict("conflict", CONFLICT, version=draft.version, theirs=draft.text)
    if not draft.text.strip():
        raise TranscriptImportError("empty", template=EMPTY)
    parsed = parse_text(draft.text, filename="", max_words=settings.MAX_TRANSCRIPT_WORDS)
    transcript = actions.import_transcript(actor, interview, parsed, "")
    TranscriptDraft.objects.filter(pk=draft.pk).update(finished_transcript=transcript)
    record(
        actor, "transcript.draft.finish", transcript, interview.evaluation, version=draft.version
    )
    return transcript


def model_dir() -> str:
    """The configured speech model folder, or "" when speech-to-text is not set up."""
    return str(getattr(settings, "ASR_MODEL_DIR", "") or "")


def active_run(draft: TranscriptDraft) -> SpeechToTextRun | None:
    """The newest run of the draft that is not over yet."""
    return draft.runs.filter(
        state__in=[SpeechToTextRun.State.QUEUED, SpeechToTextRun.State.RUNNING]
    ).first()


def is_interrupted(run: SpeechToTextRun) -> bool:
    """Whether a run that says it is running has not been heard from for too long."""
    if run.finished:
        return False
    last = run.heartbeat or run.created_at
    return (timezone.now() - last).total_seconds() > STALE_SECONDS


def start_run(actor, draft: TranscriptDraft, recording, language: str, replace: bool):
    """Queue speech-to-text of ``recording`` into ``draft``; return the run."""
    from . import speech_to_text

    evaluation = draft.interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    require(actor, evaluation, Action.VIEW_RAW)
    if not model_dir():
        raise UserFacingError("no_model", NO_MODEL)
    running = active_run(draft)
    if running is not None:
        if not is_interrupted(running):
            raise UserFacingError("running", ALREADY_RUNNING)
        speech_to_text.mark_interrupted(running)
    if language not in SpeechToTextRun.Language.values:
        language = SpeechToTextRun.Language.BOKMAL
    with transaction.atomic():
        run = SpeechToTextRun.objects.create(
            draft=draft,
            recording=recording,
            language=language,
            replace=replace,
            created_by=actor,
            heartbeat=timezone.now(),
        )
        record(actor, "transcript.asr.start", run, evaluation, recording=recording.pk)
    # Enqueued after the commit: an immediate backend runs it at once and must find the row.
    speech_to_text.run_speech_to_text.enqueue(run.pk)
    run.refresh_from_db()
    return run


def cancel_run(actor, run: SpeechToTextRun) -> None:
    """Ask a run to stop; the task stops at its next progress report."""
    require(actor, run.draft.interview.evaluation, Action.ADD_TRANSCRIPT)
    if run.finished:
        return
    if run.state == SpeechToTextRun.State.QUEUED or is_interrupted(run):
        SpeechToTextRun.objects.filter(pk=run.pk).update(
            state=SpeechToTextRun.State.CANCELLED, cancel_requested=True
        )
    else:
        SpeechToTextRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    record(actor, "transcript.asr.cancel", run, run.draft.interview.evaluation)
