"""Run a long piece of work in the background, with progress, cancel and a result to download.

Every long piece of work in BSB Studio (de-identifying a big transcript, rendering a report or
slides, retention, REFI-QDA import and export) goes through this module:

1. Register the function once, with the kind of work it is::

       @job("reports.render", action=Action.VIEW_REPORTS, idempotent=True, unit="pages",
            stages={"assembling": gettext_noop("Putting the report together")})
       def render(ctx: JobContext, *, report_id: int) -> None:
           ctx.progress(0, 10, stage="assembling")   # refreshes the heartbeat, may raise Cancelled
           if ctx.cancelled():
               raise Cancelled
           ctx.save_result("rapport.docx", data)      # bytes or a file object

   ``action`` (from ``accounts.policy``) is what a member must be allowed to do to see the job,
   follow it and download its result. ``idempotent`` says the function may run again from the
   start after a worker died half-way. Raise ``JobFailed(template, **params)`` for a message the
   person should read (``template`` marked with ``gettext_noop``, shown in their language); any
   other exception ends the job with a general message and is logged.

2. Start it from a view::

       job = start("reports.render", evaluation=evaluation, user=request.user,
                   key=f"report-{report.pk}", args={"report_id": report.pk})

   ``args`` is a JSON-able dict passed to the function as keyword arguments. While a job of the
   same kind and key is queued or running, ``start`` returns that job instead of a second one.
   Show it with ``{% include "jobs/status.html" with job=job %}`` or redirect to
   ``job.get_absolute_url()``.

3. A worker runs it: the thread in `bsb serve`/`bsb demo`, or `bsb worker` (the database backend
   on one machine, RQ when ``BSB_TASKS_URL=redis://...``). A running job's heartbeat is refreshed
   every few seconds; ``recover_stale`` (run by every worker, and when a stale job's page is
   polled) gives a job whose worker died one more try if it is idempotent, and otherwise ends it
   with "the work was interrupted because the server stopped; start it again".
"""

from __future__ import annotations

import datetime
import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from bsbstudio.errors import gettext_noop

from .models import Job

logger = logging.getLogger("bsbstudio.jobs")

State = Job.State

INTERRUPTED = gettext_noop("The work was interrupted because the server stopped. Start it again.")
UNEXPECTED = gettext_noop(
    "The work stopped because of an unexpected problem. Start it again, or ask the administrator."
)
UNKNOWN_KIND = gettext_noop("This work can no longer be done by this version of BSB Studio.")
#: Runs of one job at most: the first, and one retry after a worker died.
MAX_ATTEMPTS = 2


class Cancelled(Exception):
    """Raised inside a job function to stop because the person cancelled it."""


class JobFailed(Exception):
    """Raised inside a job function to end it with a message for the person to read."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


@dataclass(frozen=True)
class JobSpec:
    """A registered kind of work: its function and how it may be shown and retried."""

    kind: str
    function: Callable
    action: str
    idempotent: bool = False
    unit: str = ""
    stages: dict[str, str] = field(default_factory=dict)
    private: bool = False

    @property
    def module(self) -> str:
        """The module that registers this kind (a worker imports it before running the job)."""
        return self.function.__module__


_REGISTRY: dict[str, JobSpec] = {}


def job(
    kind: str,
    *,
    action: str,
    idempotent: bool = False,
    unit: str = "",
    stages: dict[str, str] | None = None,
    private: bool = False,
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the work of ``kind`` (see the module docstring).

    ``private`` jobs (a result that depends on who asked, such as a draft report) are shown only
    to the person who started them.
    """

    def register(function: Callable) -> Callable:
        _REGISTRY[kind] = JobSpec(
            kind, function, str(action), idempotent, unit, dict(stages or {}), private
        )
        return function

    return register


def spec_of(kind: str, module: str = "") -> JobSpec | None:
    """The registration of ``kind``, importing ``module`` first when it is not loaded yet."""
    if kind not in _REGISTRY and module:
        try:
            importlib.import_module(module)
        except ImportError:
            logger.exception("job module %s could not be imported", module)
    return _REGISTRY.get(kind)


def stage_label(job_row: Job) -> str:
    """The untranslated label of the job's current stage ("" when it has none)."""
    spec = spec_of(job_row.kind, job_row.module)
    return (spec.stages.get(job_row.stage, "") if spec else "") or ""


def start(kind: str, *, evaluation=None, user=None, key: str = "", args: dict | None = None) -> Job:
    """Queue the work of ``kind`` and return its Job (the unfinished one when ``key`` is in use)."""
    spec = spec_of(kind)
    if spec is None:
        raise LookupError(f"no job registered as {kind!r}")
    if key:
        running = Job.objects.filter(kind=kind, key=key, state__in=Job.UNFINISHED).first()
        if running is not None:
            return running
    try:
        with transaction.atomic():
            row = Job.objects.create(
                kind=kind,
                key=key,
                module=spec.module,
                evaluation=evaluation,
                started_by=user if user is not None and user.is_authenticated else None,
                args=dict(args or {}),
                unit=spec.unit,
            )
    except IntegrityError:  # the same work was started at the same moment by another request
        return Job.objects.get(kind=kind, key=key, state__in=Job.UNFINISHED)
    _enqueue(row)
    row.refresh_from_db()
    return row


def _enqueue(row: Job) -> None:
    from django_tasks import default_task_backend

    from .tasks import run_job

    def send() -> None:
        run_job.enqueue(row.pk)

    # A queue outside the database (RQ) may run the task before this transaction commits and
    # not find the row: send it after the commit. The database backend stores it in the same
    # transaction, and the immediate backend (tests) runs it at once.
    if "rq" in type(default_task_backend).__module__:
        transaction.on_commit(send)
    else:
        send()


def request_cancel(row: Job) -> Job:
    """Ask a job to stop: a queued one ends at once, a running one at its next progress report."""
    Job.objects.filter(pk=row.pk, state__in=Job.UNFINISHED).update(
        cancel_requested=True, updated_at=timezone.now()
    )
    Job.objects.filter(pk=row.pk, state=State.QUEUED).update(state=State.CANCELLED)
    row.refresh_from_db()
    return row


class JobContext:
    """What a job function receives: report progress, check for cancel, save the result."""

    def __init__(self, row: Job) -> None:
        self.job = row
        self.attempt = row.attempts

    def _mine(self):
        return Job.objects.filter(pk=self.job.pk, state=State.RUNNING, attempts=self.attempt)

    def progress(self, done: int, total: int, unit: str | None = None, stage: str | None = None):
        """Record how far the work has come (and refresh the heartbeat); raise Cancelled if asked."""
        values = {"done": max(0, int(done)), "total": max(0, int(total))}
        if unit is not None:
            values["unit"] = unit
        if stage is not None:
            values["stage"] = stage
        now = timezone.now()
        if not self._mine().update(heartbeat_at=now, updated_at=now, **values):
            raise Cancelled  # another attempt took over, or the job was ended
        for name, value in values.items():
            setattr(self.job, name, value)
        if self.cancelled():
            raise Cancelled

    def cancelled(self) -> bool:
        """Whether the person asked the job to stop (the function should then raise Cancelled)."""
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def save_result(self, filename: str, content) -> None:
        """Store the job's result file (bytes or a file object) under ``filename`` for download."""
        if isinstance(content, bytes | bytearray):
            content = ContentFile(bytes(content))
        elif not isinstance(content, File):
            content = File(content)
        self.job.result_file.save(f"{self.job.pk}-{filename}", content, save=False)
        self.job.result_filename = filename
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_filename=filename
        )


def _heartbeat(job_id: int, attempt: int, stop: threading.Event) -> None:
    interval = max(0.5, settings.JOBS_STALE_SECONDS / 4)
    try:
        while not stop.wait(interval):
            now = timezone.now()
            Job.objects.filter(pk=job_id, state=State.RUNNING, attempts=attempt).update(
                heartbeat_at=now
            )
    except Exception:  # a missed heartbeat only risks a retry; never crash the worker thread
        logger.exception("heartbeat of job %s failed", job_id)
    finally:
        connection.close()


def _end(row: Job, state: str, template: str = "", params: dict | None = None) -> None:
    Job.objects.filter(pk=row.pk, state=State.RUNNING, attempts=row.attempts).update(
        state=state,
        message_template=template,
        message_params={k: v for k, v in (params or {}).items() if v is not None},
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )


def run(job_id: int) -> str:
    """Run one job to its end (what the worker's task does); return its final state."""
    row = Job.objects.filter(pk=job_id).first()
    if row is None or row.finished:
        return row.state if row else "missing"
    spec = spec_of(row.kind, row.module)
    now = timezone.now()
    claimed = Job.objects.filter(pk=row.pk, state=State.QUEUED, attempts=row.attempts).update(
        state=State.RUNNING, attempts=row.attempts + 1, heartbeat_at=now, updated_at=now
    )
    if not claimed:  # another worker has it, or it was cancelled while waiting
        return Job.objects.get(pk=job_id).state
    row.refresh_from_db()
    if spec is None:
        _end(row, State.FAILED, UNKNOWN_KIND)
        return State.FAILED
    context = JobContext(row)
    stop = threading.Event()
    beat = None
    if not connection.in_atomic_block:  # a worker, not a test or request running it inline
        beat = threading.Thread(
            target=_heartbeat, args=(row.pk, row.attempts, stop), daemon=True, name="bsb-beat"
        )
        beat.start()
    try:
        if row.cancel_requested:
            raise Cancelled
        spec.function(context, **row.args)
    except Cancelled:
        _end(row, State.CANCELLED)
    except JobFailed as error:
        _end(row, State.FAILED, error.template, dict(error.params))
    except Exception:
        logger.exception("job %s (%s) failed", row.pk, row.kind)
        _end(row, State.FAILED, UNEXPECTED)
    else:
        _end(row, State.DONE)
        Job.objects.filter(pk=row.pk).update(done=F("total"))  # done shows the whole total
    finally:
        stop.set()
        if beat is not None:
            beat.join(timeout=5)
    return Job.objects.get(pk=job_id).state


def recover_stale(older_than: float | None = None, *, job_id: int | None = None) -> int:
    """Retry or end running jobs whose worker died (no heartbeat for a while); return how many.

    An idempotent job gets one more try from the start; any other ends with a message that says
    the work was interrupted and must be started again. No job stays "running" for ever.
    """
    seconds = settings.JOBS_STALE_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    stale = Job.objects.filter(state=State.RUNNING, heartbeat_at__lt=cutoff)
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    handled = 0
    for row in list(stale):
        spec = spec_of(row.kind, row.module)
        mine = Job.objects.filter(pk=row.pk, state=State.RUNNING, attempts=row.attempts)
        now = timezone.now()
        if spec is not None and spec.idempotent and row.attempts < MAX_ATTEMPTS:
            if mine.update(state=State.QUEUED, heartbeat_at=None, updated_at=now):
                logger.warning("job %s lost its worker; trying it again", row.pk)
                _enqueue(row)
                handled += 1
        elif mine.update(
            state=State.FAILED, message_template=INTERRUPTED, message_params={}, updated_at=now
        ):
            logger.warning("job %s lost its worker; ended as interrupted", row.pk)
            handled += 1
    return handled


def start_recovery_thread() -> threading.Thread:
    """Check for jobs whose worker died every so often, in a daemon thread of a worker process."""

    def loop() -> None:
        while True:
            try:
                close_old_connections()
                recover_stale()
            except Exception:  # the database may be away for a moment; try again later
                logger.exception("checking for interrupted jobs failed")
            finally:
                connection.close()
            threading.Event().wait(max(1.0, settings.JOBS_STALE_SECONDS / 2))

    thread = threading.Thread(target=loop, daemon=True, name="bsb-job-recovery")
    thread.start()
    return thread
