"""Large transcript files, read in a background task with progress the person can follow.

A file above ``settings.BACKGROUND_IMPORT_BYTES`` is not read during the request: the form's file
is copied, chunk by chunk, to a private file in ``settings.TRANSCRIPT_IMPORTS_ROOT``; a
``TranscriptImport`` row says where it stands, and ``run_import`` (a django-tasks task, run by the
worker in `bsb serve`, `bsb demo` or `bsb manage db_worker`) reads it, looks for identifiers and
saves the transcript in one short transaction (``actions.import_transcript``). The interview page
polls the row for its stage. The file is removed when the task ends, whatever the outcome.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from bsbstudio.errors import gettext_noop

from .engine import TranscriptImportError, read_file
from .models import TranscriptImport

logger = logging.getLogger(__name__)

Stage = TranscriptImport.Stage

DAMAGED = gettext_noop("The file %(filename)s could not be read. It may be damaged.")
INTERRUPTED = gettext_noop(
    "The reading of %(filename)s was interrupted because the server stopped. Send the file again."
)
#: A running import whose row has not moved for this long lost its worker (a crash or a restart).
INTERRUPTED_AFTER = datetime.timedelta(hours=1)
NOT_ALLOWED = gettext_noop(
    "The file %(filename)s was not imported: its sender may no longer add transcripts here."
)


def root() -> Path:
    """The folder of files waiting to be imported, created (mode 0700) on first use."""
    folder = Path(settings.TRANSCRIPT_IMPORTS_ROOT)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def path_of(stored_name: str) -> Path:
    """The path of a waiting file; refuses a name this module did not make."""
    if not (len(stored_name) == 39 and stored_name.endswith(".upload")):
        raise ValueError(f"not an import file name: {stored_name!r}")
    return root() / stored_name


def store_upload(upload) -> str:
    """Copy an uploaded file, chunk by chunk, to a new 0600 file; return its stored name."""
    name = secrets.token_hex(16) + ".upload"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path_of(name), flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        remove(name)
        raise
    return name


def remove(stored_name: str) -> None:
    """Delete a waiting file (gone already is fine)."""
    try:
        os.unlink(path_of(stored_name))
    except FileNotFoundError:
        pass


def set_stage(job: TranscriptImport, stage: str) -> None:
    """Move the import to ``stage`` in its own short write, so the page can show it at once."""
    job.stage = stage
    job.save(update_fields=["stage", "updated_at"])


def _fail(job: TranscriptImport, template: str, params: dict) -> None:
    job.stage = Stage.FAILED
    job.error_template = template
    job.error_params = {key: value for key, value in params.items() if value is not None}
    job.save(update_fields=["stage", "error_template", "error_params", "updated_at"])


def error_of(job: TranscriptImport) -> TranscriptImportError | None:
    """The refusal of a failed import, as the error the form would have shown."""
    if job.stage != Stage.FAILED:
        return None
    params = {"filename": job.filename, **job.error_params}
    return TranscriptImportError("refused", template=job.error_template or DAMAGED, **params)


@task()
def run_import(import_id: int) -> int | None:
    """Read, check and import one waiting file; return the new transcript's id, or None."""
    from .actions import import_transcript

    job = TranscriptImport.objects.select_related("interview__evaluation", "created_by").get(
        pk=import_id
    )
    if job.finished:
        return job.transcript_id
    try:
        if job.created_by is None:
            raise PermissionDenied
        set_stage(job, Stage.READING)
        parsed = read_file(
            path_of(job.stored_name).read_bytes(),
            job.filename,
            max_bytes=settings.MAX_UPLOAD_BYTES,
            max_part_bytes=settings.MAX_XML_PART_BYTES,
            max_words=settings.MAX_TRANSCRIPT_WORDS,
        )
        transcript = import_transcript(
            job.created_by,
            job.interview,
            parsed,
            job.filename,
            on_stage=lambda stage: set_stage(job, stage),
        )
    except TranscriptImportError as error:
        _fail(job, error.template, dict(error.params))
        return None
    except (PermissionDenied, Http404):
        _fail(job, NOT_ALLOWED, {"filename": job.filename})
        return None
    except Exception:  # any file, however hostile, ends as a message on the page
        logger.exception("background import %s failed unexpectedly", job.pk)
        _fail(job, DAMAGED, {"filename": job.filename})
        return None
    finally:
        remove(job.stored_name)
    job.transcript = transcript
    job.stage = Stage.DONE
    job.save(update_fields=["transcript", "stage", "updated_at"])
    return transcript.pk


def end_interrupted_imports(older_than: datetime.timedelta = INTERRUPTED_AFTER) -> int:
    """End imports whose worker died, and remove waiting files no import needs; return how many.

    A server that stops mid-import leaves its row at a step forever and its file in the private
    folder; run at start-up and by ``bsb retention run``, this tells the sender and removes it.
    """
    cutoff = timezone.now() - older_than
    running = TranscriptImport.objects.exclude(stage__in=[Stage.DONE, Stage.FAILED])
    ended = 0
    for job in running.filter(updated_at__lt=cutoff):
        _fail(job, INTERRUPTED, {"filename": job.filename})
        remove(job.stored_name)
        ended += 1
    waiting = set(running.values_list("stored_name", flat=True))
    for path in root().glob("*.upload"):
        if (
            path.name not in waiting
            and path.stat().st_mtime < time.time() - older_than.total_seconds()
        ):
            remove(path.name)
            ended += 1
    return ended
