"""`bsb worker`: run background work on its own, for the configured queue (database or Redis).

With the default database queue this is django-tasks' database worker (what `bsb serve` also
runs in a thread); with ``BSB_TASKS_URL=redis://...`` it is an RQ worker on that Redis. Either
way it first ends or retries jobs whose previous worker died, and keeps checking for them.
"""

from __future__ import annotations

import os
import socket


def run_worker(args) -> int:
    """Migrate, recover interrupted jobs, then run the worker until stopped."""
    from bsbstudio.cli.server import migrate, setup_django

    setup_django()
    migrate()
    from django.conf import settings

    from bsbstudio.fieldwork.recordings.schedule import start_retention_queueing
    from bsbstudio.jobs.api import recover_stale, start_recovery_thread

    recover_stale()
    start_recovery_thread()
    if not args.burst:
        start_retention_queueing()
    name = f"bsb-{socket.gethostname()}-{os.getpid()}"
    if settings.TASKS_URL:
        return _run_rq(name, burst=args.burst)
    return _run_database(name, burst=args.burst)


def _run_database(name: str, *, burst: bool) -> int:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=1,
        batch=burst,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name[:64],
        excluded_queue_names=[],
    )
    worker.configure_signals()
    print(f"BSB Studio worker {name}: database queue", flush=True)
    worker.run()
    return 0


def _run_rq(name: str, *, burst: bool) -> int:
    import django_rq
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    # SimpleWorker runs each job in this process instead of a forked child, so no database
    # connection is shared across a fork; a job lost with the process is recovered by heartbeat.
    worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker, name=name)
    print(f"BSB Studio worker {name}: Redis queue", flush=True)
    worker.work(burst=burst, with_scheduler=False)
    return 0


def register(subparsers) -> None:
    """Add `bsb worker`."""
    parser = subparsers.add_parser(
        "worker", help="run background work (reports, de-identification, retention) on its own"
    )
    parser.add_argument(
        "--burst", action="store_true", help="stop when no work is left instead of waiting"
    )
    parser.set_defaults(func=run_worker)
