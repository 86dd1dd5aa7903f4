"""The scheduled retention run inside `bsb serve`: once at start, then every hour.

``start_scheduled_retention()`` starts a daemon thread that calls ``run_retention`` and logs what it
deleted (logger ``bsbstudio.retention``). The interval comes from the environment variable
``BSB_RETENTION_INTERVAL_MINUTES`` (default 60; ``0`` turns the thread off). A failing run is
logged and tried again next time; it never stops the web server.

Cron instead of the thread
--------------------------
Where the web server runs as several processes, or is not always running, let cron run the
retention and turn the thread off::

    # /etc/cron.d/bsbstudio: every hour, as the user that owns the data folder
    BSB_DATA_DIR=/srv/bsbstudio
    BSB_RETENTION_INTERVAL_MINUTES=0
    15 * * * * bsbstudio /opt/bsbstudio/.venv/bin/bsb retention run >> /var/log/bsb-retention.log 2>&1

`bsb retention run` exits non-zero when a file could not be deleted, so cron's mail (or the
monitoring that reads the log) notices. Running both the thread and cron is harmless: a recording
is deleted once, and the second run finds nothing due.

As a background job
-------------------
``fieldwork.retention`` is the same run as a job (``bsbstudio.jobs``): `bsb worker` queues it on
the same interval, so a deployment whose web processes run no worker still deletes on time. Its
key makes every worker share one run at a time; it is safe to repeat after a crash.
"""

from __future__ import annotations

import logging
import os
import threading

from django.db import connections

from bsbstudio.accounts.policy import Action
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import JobFailed, job, start

logger = logging.getLogger("bsbstudio.retention")

DEFAULT_INTERVAL_MINUTES = 60


def interval_minutes() -> float:
    """The configured interval in minutes (0 = off); a value that does not parse gives 60."""
    raw = os.environ.get("BSB_RETENTION_INTERVAL_MINUTES", "").strip()
    if not raw:
        return DEFAULT_INTERVAL_MINUTES
    try:
        minutes = float(raw)
    except ValueError:
        logger.warning(
            "BSB_RETENTION_INTERVAL_MINUTES=%r is not a number; using %d minutes",
            raw,
            DEFAULT_INTERVAL_MINUTES,
        )
        return DEFAULT_INTERVAL_MINUTES
    return max(minutes, 0)


def run_once():
    """One retention run, logged; any exception is logged and swallowed. Returns the report."""
    from .retention import run_retention

    try:
        report = run_retention()
        _log(report)
    except Exception:
        logger.exception("The scheduled deletion of recordings failed; it runs again later")
        return None
    return report


def _log(report) -> None:
    for result in report.results:
        recording = result.recording
        if result.ok:
            logger.info(
                "Deleted recording %s of interview %s/%s (deadline %s)",
                recording.pk,
                recording.interview.evaluation.slug,
                recording.interview.code,
                getattr(recording, "deadline", recording.delete_by),
            )
        else:
            logger.error("Recording %s could not be deleted: %s", recording.pk, result.error)
    logger.info(
        "Retention run: %d deleted, %d failed, %d stray files",
        len(report.deleted),
        len(report.failed),
        len(report.stray_files),
    )


def _loop(interval_seconds: float, stop: threading.Event) -> None:
    while True:
        run_once()
        try:
            # This thread's database connections are its own; do not hold them between runs.
            connections.close_all()
        except Exception:
            logger.exception("Could not close the retention thread's database connections")
        if stop.wait(interval_seconds):
            return


def start_scheduled_retention(
    interval_seconds: float | None = None,
) -> tuple[threading.Thread, threading.Event] | None:
    """Start the retention thread; return it and the event that stops it, or None when off."""
    if interval_seconds is None:
        interval_seconds = interval_minutes() * 60
    if interval_seconds <= 0:
        logger.warning("Scheduled deletion of recordings is off (BSB_RETENTION_INTERVAL_MINUTES=0)")
        return None
    # Deletions must show in the server's log even at the default WARNING level.
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    stop = threading.Event()
    thread = threading.Thread(
        target=_loop, args=(interval_seconds, stop), name="bsb-retention", daemon=True
    )
    thread.start()
    return thread, stop


@job(
    "fieldwork.retention",
    action=Action.MANAGE_TEAM,
    idempotent=True,
    unit="recordings",
    stages={"deleting": gettext_noop("Deleting recordings past their deadline")},
)
def retention_job(ctx) -> None:
    """Run retention as a background job: delete every due recording, then report how many."""
    from .retention import due_recordings

    due = len(list(due_recordings(None)))
    ctx.progress(0, due, stage="deleting")
    report = run_once()
    if report is None:
        raise JobFailed(gettext_noop("Recordings past their deadline could not be deleted."))
    ctx.progress(len(report.deleted), max(due, len(report.deleted)), stage="deleting")
    if report.failed:
        raise JobFailed(
            gettext_noop("%(count)s recordings could not be deleted. See the server log."),
            count=len(report.failed),
        )


def queue_retention():
    """Queue one retention job (or return the one already waiting or running)."""
    return start("fieldwork.retention", key="retention")


def start_retention_queueing(interval_seconds: float | None = None) -> threading.Thread | None:
    """In a worker process: queue the retention job now and then every interval (0 = off)."""
    if interval_seconds is None:
        interval_seconds = interval_minutes() * 60
    if interval_seconds <= 0:
        return None

    def loop() -> None:
        while True:
            try:
                queue_retention()
            except Exception:
                logger.exception("Could not queue the deletion of recordings; trying again later")
            finally:
                connections.close_all()
            threading.Event().wait(interval_seconds)

    thread = threading.Thread(target=loop, name="bsb-retention-queue", daemon=True)
    thread.start()
    return thread
