"""Deleting recordings by their deadline (invariant 4): which are due, and the verified deletion.

A recording's *effective deadline* is its stored ``delete_by`` (the interview date plus
``settings.RECORDING_MAX_DAYS``), or the day its interview's transcript was first approved if
that came first (``engine.effective_deadline``). It is due on that day.

For the dashboard and other pages:

- ``due_recordings(on_date=None) -> list[Recording]``: live recordings, in all evaluations, whose
  effective deadline is ``on_date`` (default today) or earlier; what ``bsb retention run`` deletes.
- ``recordings_due_soon(evaluation, within_days=7, today=None) -> list[Recording]``: live
  recordings of one evaluation due within ``within_days`` days (overdue ones included), soonest
  first.

Both return recordings (not deleted) with three attributes added: ``deadline`` (the effective
deadline, a date), ``days_left`` (days from today to it, negative when overdue) and
``approved_on`` (the day the transcript was approved, or None). ``with_deadlines`` adds them to
any recordings.

Deleting: ``delete_recording`` deletes the file from the recordings store (a local folder or
a bucket), checks it is gone, then marks the row deleted and
writes the audit log (``recording.delete``); ``run_retention`` does it for every due recording and
also removes stray files in the folder that belong to no live recording.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.fieldwork.models import Recording
from bsbstudio.transcripts.models import DeidentifiedText

from . import engine, storage

logger = logging.getLogger("bsbstudio.retention")

#: A file in the folder with no live recording is removed once it is this old (younger ones may
#: be uploads still streaming in).
STRAY_FILE_AGE = datetime.timedelta(hours=24)
#: A ``.part`` file is an upload that never finished (the browser or the server went away) once
#: it is this old: no upload streams for an hour without a byte written (its time is updated
#: with every chunk).
STRAY_PART_AGE = datetime.timedelta(hours=1)


def first_approvals(interview_ids: Iterable[int]) -> dict[int, datetime.date]:
    """The local day each interview's transcript was first approved, for those approved."""
    days: dict[int, datetime.date] = {}
    rows = DeidentifiedText.objects.filter(
        transcript__interview_id__in=list(interview_ids), approved_at__isnull=False
    ).values_list("transcript__interview_id", "approved_at")
    for interview_id, approved_at in rows:
        day = timezone.localdate(approved_at)
        if interview_id not in days or day < days[interview_id]:
            days[interview_id] = day
    return days


def with_deadlines(
    recordings: Iterable[Recording], today: datetime.date | None = None
) -> list[Recording]:
    """The recordings as a list, each with ``deadline``, ``days_left`` and ``approved_on`` set."""
    today = today or timezone.localdate()
    recordings = list(recordings)
    approvals = first_approvals({r.interview_id for r in recordings})
    for recording in recordings:
        recording.approved_on = approvals.get(recording.interview_id)
        recording.deadline = engine.effective_deadline(recording.delete_by, recording.approved_on)
        recording.days_left = (recording.deadline - today).days
    return recordings


def _live():
    return Recording.objects.filter(deleted_at__isnull=True).select_related("interview__evaluation")


def due_recordings(on_date: datetime.date | None = None) -> list[Recording]:
    """Live recordings whose effective deadline is ``on_date`` (default today) or earlier."""
    on_date = on_date or timezone.localdate()
    recordings = with_deadlines(_live(), today=on_date)
    due = [r for r in recordings if engine.is_due(r.deadline, on_date)]
    return sorted(due, key=lambda r: (r.deadline, r.pk))


def recordings_due_soon(
    evaluation, within_days: int = 7, today: datetime.date | None = None
) -> list[Recording]:
    """Live recordings of ``evaluation`` due within ``within_days`` days (or overdue), soonest first."""
    today = today or timezone.localdate()
    recordings = with_deadlines(_live().filter(interview__evaluation=evaluation), today=today)
    soon = [r for r in recordings if r.days_left <= within_days]
    return sorted(soon, key=lambda r: (r.deadline, r.pk))


@dataclass
class DeletionResult:
    """What happened to one recording, and why a deletion failed (``error``).

    ``status`` is ``deleted``, ``would_delete`` (dry run), ``failed`` or ``already_deleted``.
    """

    recording: Recording
    status: str
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether the recording is (or, in a dry run, would be) gone."""
        return self.status != "failed"


def delete_recording(recording: Recording, actor=None, reason: str = "deadline") -> DeletionResult:
    """Delete a recording's file, verify it is gone, then mark it deleted and audit it.

    ``actor`` is the person (None for the scheduled run). The row is marked deleted only when
    the store says the file no longer exists (``storage.remove``); otherwise the result is ``failed`` and a
    ``recording.delete_failed`` event is written, and the next run tries again. If marking fails
    after the file is gone, the next run finds the file missing and finishes the job.
    """
    evaluation = recording.interview.evaluation
    with transaction.atomic():
        locked = (
            Recording.objects.select_for_update(of=("self",))
            .select_related("interview__evaluation")
            .get(pk=recording.pk)
        )
        for name in ("deadline", "days_left", "approved_on"):  # as computed by with_deadlines
            if hasattr(recording, name):
                setattr(locked, name, getattr(recording, name))
        if locked.deleted_at is not None:
            return DeletionResult(locked, "already_deleted")
        try:
            gone = storage.remove(locked.stored_name)
            error = "" if gone else "the file still exists after it was deleted"
        except (OSError, ValueError) as exc:
            gone, error = False, f"the file could not be deleted: {exc}"
        if not gone:
            logger.error("Recording %s of %s was NOT deleted: %s", locked.pk, evaluation, error)
            record(actor, "recording.delete_failed", locked, evaluation, reason=reason, error=error)
            return DeletionResult(locked, "failed", error)
        locked.deleted_at = timezone.now()
        locked.deleted_by = actor if actor is not None and actor.is_authenticated else None
        locked.save(update_fields=["deleted_at", "deleted_by"])
        record(
            actor,
            "recording.delete",
            locked,
            evaluation,
            reason=reason,
            interview=locked.interview.code,
            delete_by=locked.delete_by.isoformat(),
            sha256=locked.sha256,
            verified_gone=True,
        )
    return DeletionResult(locked, "deleted")


@dataclass
class RetentionReport:
    """The outcome of one retention run."""

    today: datetime.date
    dry_run: bool
    results: list[DeletionResult] = field(default_factory=list)
    stray_files: list[str] = field(default_factory=list)
    stray_failures: list[str] = field(default_factory=list)

    @property
    def deleted(self) -> list[DeletionResult]:
        """Recordings deleted (or, in a dry run, that would be)."""
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[DeletionResult]:
        """Recordings whose file could not be deleted."""
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        """Whether everything due is gone."""
        return not self.failed and not self.stray_failures


def _reason(recording: Recording) -> str:
    approved = recording.approved_on is not None and recording.approved_on < recording.delete_by
    return "transcript_approved" if approved else "deadline"


def run_retention(today: datetime.date | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete every due recording (see ``due_recordings``) and stray files; nothing in a dry run.

    The scheduled run (``schedule.py``) and ``bsb retention run`` both call this.
    """
    today = today or timezone.localdate()
    report = RetentionReport(today=today, dry_run=dry_run)
    for recording in due_recordings(today):
        if dry_run:
            report.results.append(DeletionResult(recording, "would_delete"))
            continue
        result = delete_recording(recording, actor=None, reason=_reason(recording))
        if result.status != "already_deleted":
            report.results.append(result)
    _sweep_stray_files(report)
    return report


def _sweep_stray_files(report: RetentionReport) -> None:
    """Remove files that belong to no live recording: left by a crash, or by a restored backup.

    Interrupted uploads (``.part`` files) go after an hour, other files after a day.

    Audio nobody can see in the application must not outlive its promise either.
    """
    live = set(
        Recording.objects.filter(deleted_at__isnull=True).values_list("stored_name", flat=True)
    )
    now = time.time()
    for name, modified in storage.stored_files():
        partial = name.endswith(storage.PARTIAL_SUFFIX)
        age = STRAY_PART_AGE if partial else STRAY_FILE_AGE
        if name in live or modified > now - age.total_seconds():
            continue
        report.stray_files.append(name)
        if report.dry_run:
            continue
        if storage.remove(name):
            logger.warning("Removed stray recording file %s (no live recording)", name)
            record(None, "recording.stray_file_delete", None, None, stored_name=name)
        else:
            logger.error("Could not remove stray recording file %s", name)
            report.stray_failures.append(name)
