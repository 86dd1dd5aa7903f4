"""`bsb serve` (the web application) and `bsb manage` (Django's management commands)."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import threading
import time

logger = logging.getLogger("bsbstudio.tasks")


def setup_django() -> None:
    """Point Django at BSB Studio's settings and load the apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    """Bring the database up to date (creating it on first use)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def serve(host: str, port: int) -> None:
    """Serve the application with waitress, a production WSGI server in pure Python."""
    from django.conf import settings
    from waitress import serve as waitress_serve

    from bsbstudio.web.warmup import warm_up
    from bsbstudio.wsgi import application  # every page's code is imported with it

    # Load the NER model and compile the templates while the first page is opened, not when the
    # first transcript or export arrives (2 s of a 26,000-word upload's 2.5 s is the model).
    threading.Thread(target=warm_up, name="bsb-warm-up", daemon=True).start()
    # waitress spools request bodies (a whole recording) to ``tempfile`` files and has no option
    # for where: keep them in the private data folder, not in the shared system temp folder.
    tempfile.tempdir = str(settings.UPLOAD_TEMP_DIR)
    os.environ["TMPDIR"] = tempfile.tempdir
    # waitress refuses bodies over 1 GiB by itself; let the largest allowed recording (plus the
    # form around it) through, so that the app's own limit answers with a clear message.
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=8,
        ident="BSB Studio",
        max_request_body_size=settings.MAX_AUDIO_BYTES + 1024 * 1024,
    )


def _run_worker(worker) -> None:
    while True:
        try:
            worker.run()
            return
        except Exception:  # a database error must not end background work for good
            logger.exception("The background task worker failed; it starts again in 10 s")
            time.sleep(10)


def start_task_worker() -> threading.Thread:
    """Run django-tasks' database worker in a daemon thread of this process.

    It executes the tasks the app enqueues (the import of a large transcript). Where the web
    server runs as several processes, run `bsb manage db_worker` beside them instead.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    from bsbstudio.jobs.api import start_recovery_thread

    # Jobs whose worker died (no heartbeat) are retried or ended while this worker runs.
    start_recovery_thread()
    worker = Worker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"bsb-{os.getpid()}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=_run_worker, args=(worker,), name="bsb-tasks", daemon=True)
    thread.start()
    return thread


def start_background_work() -> None:
    """The threads `bsb serve` and `bsb demo` both run: retention and the task worker.

    With ``BSB_TASKS_URL`` (Redis) the work runs in `bsb worker` processes instead, so no worker
    thread starts here; jobs the last run left half-way are retried or ended either way.
    """
    from django.conf import settings

    from bsbstudio.fieldwork.recordings.schedule import start_scheduled_retention
    from bsbstudio.jobs.api import recover_stale

    # Recordings are deleted by their deadline while the server runs (see that module for cron).
    from bsbstudio.transcripts.background import end_interrupted_imports

    end_interrupted_imports()  # imports the last run of the server left half-way
    recover_stale()  # jobs whose worker stopped with the last run: retried once or ended
    start_scheduled_retention()
    if not settings.TASKS_URL:
        start_task_worker()


def add_address_arguments(parser: argparse.ArgumentParser) -> None:
    """The --host and --port options shared by `bsb serve` and `bsb demo`."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")


def run_serve(args) -> int:
    """Migrate, then serve until interrupted."""
    setup_django()
    migrate()
    start_background_work()
    print(f"BSB Studio: http://{args.host}:{args.port}/", flush=True)
    serve(args.host, args.port)
    return 0


def run_manage(args) -> int:
    """Pass the remaining arguments to Django's management commands."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bsb manage", *args.arguments])
    return 0


def register(subparsers) -> None:
    """Add `bsb serve` and `bsb manage`."""
    serve_parser = subparsers.add_parser("serve", help="run the web application")
    add_address_arguments(serve_parser)
    serve_parser.set_defaults(func=run_serve)
    manage_parser = subparsers.add_parser("manage", help="run a Django management command")
    manage_parser.add_argument("arguments", nargs=argparse.REMAINDER)
    manage_parser.set_defaults(func=run_manage)
