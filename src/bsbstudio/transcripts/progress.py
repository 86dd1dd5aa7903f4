"""Where each interview's transcript stands: missing, raw, de-identified or approved.

And where a background import of a large file stands (``recent_imports``, ``import_progress``).

Only the latest transcript of an interview counts, and of it only the newest de-identified text.
The queries are a fixed handful whatever the number of interviews (no query per row).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from bsbstudio.deid.models import Detection
from bsbstudio.fieldwork.engine.consent import took_place
from bsbstudio.fieldwork.models import Interview

from .models import DeidentifiedText, Transcript, TranscriptImport

RAW = "raw"
DEIDENTIFIED = "deidentified"
APPROVED = "approved"
MISSING = "missing"
PLANNED = "planned"  # no transcript yet, and none expected yet (not held, or cancelled)
COUNTED = (RAW, DEIDENTIFIED, APPROVED, MISSING)


@dataclass
class InterviewTranscriptState:
    """One interview with its latest transcript and de-identified text (ids) and its state."""

    interview: Interview
    state: str
    transcript_id: int | None = None
    transcript_version: int | None = None
    deidentified: DeidentifiedText | None = None
    pending: int = 0


def interview_states(evaluation) -> list[InterviewTranscriptState]:
    """Every interview of ``evaluation`` with the state of its latest transcript."""
    today = timezone.localdate()
    interviews = list(evaluation.interviews.select_related("site"))
    latest: dict[int, tuple[int, int]] = {}
    for pk, interview_id, version in Transcript.objects.filter(
        interview__evaluation=evaluation
    ).values_list("pk", "interview_id", "version"):
        if interview_id not in latest or version > latest[interview_id][1]:
            latest[interview_id] = (pk, version)
    transcript_ids = [pk for pk, _version in latest.values()]
    newest: dict[int, DeidentifiedText] = {}
    for text in (
        DeidentifiedText.objects.filter(transcript_id__in=transcript_ids)
        .select_related("approved_by")
        .only("pk", "transcript_id", "version", "approved_at", "approved_by", "created_at")
    ):
        if text.transcript_id not in newest or text.version > newest[text.transcript_id].version:
            newest[text.transcript_id] = text
    pending = dict(
        Detection.objects.filter(
            transcript_id__in=transcript_ids, decision=Detection.Decision.PENDING
        )
        .values("transcript_id")
        .annotate(n=Count("pk"))
        .values_list("transcript_id", "n")
    )
    rows = []
    for interview in interviews:
        transcript_id, version = latest.get(interview.pk, (None, None))
        text = newest.get(transcript_id) if transcript_id else None
        if text is not None:
            state = APPROVED if text.approved_at else DEIDENTIFIED
        elif transcript_id:
            state = RAW
        else:
            state = MISSING if took_place(interview.status, interview.date, today) else PLANNED
        rows.append(
            InterviewTranscriptState(
                interview=interview,
                state=state,
                transcript_id=transcript_id,
                transcript_version=version,
                deidentified=text,
                pending=pending.get(transcript_id, 0) if transcript_id else 0,
            )
        )
    return rows


def transcript_states(evaluation) -> dict[str, int]:
    """Interviews by the state of their latest transcript, for the dashboard.

    Returns ``{"raw": n, "deidentified": n, "approved": n, "missing": n}``: ``raw`` has a
    transcript but no de-identified text yet, ``deidentified`` has one not yet approved,
    ``approved`` has its newest de-identified text approved, and ``missing`` is marked held, or
    dated before today and not cancelled, without any transcript. Interviews still planned (or
    cancelled without a transcript) are in none of them.
    """
    counts = dict.fromkeys(COUNTED, 0)
    for row in interview_states(evaluation):
        if row.state in counts:
            counts[row.state] += 1
    return counts


#: The steps of a background import, in order (``TranscriptImport.Stage``).
IMPORT_STEPS = ("queued", "reading", "detecting", "saving", "done")
#: How long a refused or finished import stays on the interview page.
IMPORT_SHOWN_FOR = datetime.timedelta(hours=24)


@dataclass
class ImportProgress:
    """A background import as the interview page shows it: step ``step`` of ``steps``.

    ``mine`` says whether ``user`` sent it: the file name (which may name a participant) and the
    refusal, which names the file, are shown to the sender only.
    """

    job: TranscriptImport
    step: int
    steps: int
    mine: bool
    message: str = ""


def import_progress(job: TranscriptImport, user) -> ImportProgress:
    """How far ``job`` has come, as ``user`` may see it."""
    from .background import error_of
    from .import_errors import import_error_message

    mine = job.created_by_id == user.pk
    error = error_of(job)
    message = ""
    if error is not None:
        message = import_error_message(error) if mine else gettext("The file was not imported.")
    step = IMPORT_STEPS.index(job.stage) + 1 if job.stage in IMPORT_STEPS else 0
    return ImportProgress(job=job, step=step, steps=len(IMPORT_STEPS), mine=mine, message=message)


def recent_imports(interview, user) -> list[ImportProgress]:
    """The interview's background imports still running, or ended in the last day, newest first."""
    since = timezone.now() - IMPORT_SHOWN_FOR
    jobs = TranscriptImport.objects.filter(interview=interview).filter(
        Q(created_at__gte=since)
        | ~Q(stage__in=[TranscriptImport.Stage.DONE, TranscriptImport.Stage.FAILED])
    )
    return [import_progress(job, user) for job in jobs.order_by("-created_at", "-pk")]
