"""Issue 8, hole 4: a large upload never blocks the app's other writes, and memory is bounded.

Identifiers are looked for outside any transaction (another write goes through meanwhile); a
file over the background threshold is read by a django-tasks task with its progress on the
interview page; an expanding DOCX and a transcript with too many words are refused with a message
naming the file, and nothing is written; SQLite waits for a busy database instead of failing.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from bsbstudio.deid.engine import Detector
from bsbstudio.deid.models import Detection
from bsbstudio.transcripts import background
from bsbstudio.transcripts.models import Transcript, TranscriptImport

from .conftest import make_docx, make_zip, messages_of, upload, url

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def nothing_written():
    return not (
        Transcript.objects.exists()
        or Detection.objects.exists()
        or TranscriptImport.objects.filter(stage=TranscriptImport.Stage.DONE).exists()
    )


# --- detection outside the write transaction ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_detection_runs_with_no_transaction_open_and_other_writes_go_on(
    evaluation, interview, leader, transcript_text, monkeypatch
):
    seen = {}
    original = Detector.detect

    def detect(self, text):
        seen["in_atomic_block"] = connection.in_atomic_block

        def write_elsewhere():
            try:
                interview.evaluation.__class__.objects.filter(pk=evaluation.pk).update(
                    name="Endret mens teksten ble lest"
                )
                seen["other_write"] = "ok"
            except Exception as error:  # noqa: BLE001 - the test reports what happened
                seen["other_write"] = repr(error)
            finally:
                connections.close_all()

        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(timeout=30)
        return original(self, text)

    monkeypatch.setattr(Detector, "detect", detect)
    upload(leader, evaluation, interview, text=transcript_text)
    assert seen["in_atomic_block"] is False
    assert seen["other_write"] == "ok"
    evaluation.refresh_from_db()
    assert evaluation.name == "Endret mens teksten ble lest"
    transcript = interview.transcripts.get()
    assert transcript.detections.exists()  # the phone number, flagged after detection


def test_sqlite_waits_for_a_busy_database(settings, db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 20
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000


# --- refusals that bound memory --------------------------------------------------------------------


def test_expanding_docx_is_refused_with_a_message_and_nothing_written(
    evaluation, interview, leader, settings
):
    settings.MAX_XML_PART_BYTES = 100_000
    paragraph = b"<w:p><w:r><w:t>I: Det tok lang tid.</w:t></w:r></w:p>"
    xml = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + paragraph * 4000 + b"</w:body></w:document>"
    )
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml})
    response = upload(leader, evaluation, interview, file=("bombe.docx", data))
    text = messages_of(response)
    assert "bombe.docx" in text and "unpacked" in text
    assert nothing_written()


def test_too_long_transcript_is_refused_with_a_message(evaluation, interview, leader, settings):
    settings.MAX_TRANSCRIPT_WORDS = 20
    body = ("I: " + "ord " * 15 + "\nD1: " + "ord " * 15 + "\n").encode()
    response = upload(leader, evaluation, interview, file=("lang.txt", body))
    assert "lang.txt has more than 20 words" in messages_of(response)
    assert nothing_written()
    response = upload(leader, evaluation, interview, text=body.decode())
    assert "The text has more than 20 words" in messages_of(response)
    assert nothing_written()


# --- large files in the background -----------------------------------------------------------------


@pytest.fixture
def background_over_100_bytes(settings, tmp_path):
    settings.BACKGROUND_IMPORT_BYTES = 100
    settings.TRANSCRIPT_IMPORTS_ROOT = tmp_path / "imports"
    return settings.TRANSCRIPT_IMPORTS_ROOT


def test_large_file_is_read_by_a_task_with_progress_on_the_interview_page(
    evaluation, interview, leader, transcript_text, settings, background_over_100_bytes
):
    settings.TASKS = DUMMY  # stored, not run: the page shows it waiting
    data = make_docx(transcript_text.splitlines())
    response = upload(leader, evaluation, interview, file=("stor.docx", data))
    assert "stor.docx is being read" in messages_of(response)
    job = TranscriptImport.objects.get()
    assert job.stage == "queued" and not Transcript.objects.exists()
    assert [p.name for p in background_over_100_bytes.iterdir()] == [job.stored_name]
    page = response.content.decode()
    assert "Step 1 of 5: Waiting to start" in page
    status_url = url("transcripts:import_status", evaluation, job.pk)
    assert f'hx-get="{status_url}"' in page

    transcript_id = background.run_import.call(job.pk)  # what the worker does

    job.refresh_from_db()
    assert job.stage == "done" and job.transcript_id == transcript_id
    transcript = Transcript.objects.get(pk=transcript_id)
    assert transcript.source_filename == "stor.docx"
    assert transcript.detections.exists()  # the phone number, flagged for review
    assert list(background_over_100_bytes.iterdir()) == []  # the waiting file is gone
    fragment = leader.get(status_url).content.decode()
    assert "The transcript was read and saved." in fragment and "hx-get" not in fragment


def test_large_bad_file_ends_as_a_message_naming_it_and_nothing_written(
    evaluation, interview, leader, settings, background_over_100_bytes, client_as
):
    settings.TASKS = IMMEDIATE
    settings.MAX_TRANSCRIPT_WORDS = 10
    body = ("I: " + "ord " * 100 + "\n").encode()
    response = upload(leader, evaluation, interview, file=("lang.txt", body))
    job = TranscriptImport.objects.get()
    assert job.stage == "failed"
    assert nothing_written()
    assert list(background_over_100_bytes.iterdir()) == []
    page = response.content.decode()
    assert "lang.txt has more than 10 words" in page
    # Another member sees that it failed, not the file's name (which may name someone).
    other = client_as("transcriber").get(url("transcripts:import_status", evaluation, job.pk))
    assert "The file was not imported." in other.content.decode()
    assert "lang.txt" not in other.content.decode()


def test_unsupported_large_file_is_refused_at_once(
    evaluation, interview, leader, background_over_100_bytes
):
    response = upload(leader, evaluation, interview, file=("opptak.pdf", b"%PDF" + b"x" * 500))
    assert "opptak.pdf" in messages_of(response)
    assert not TranscriptImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_import(
    evaluation, interview, leader, transcript_text, background_over_100_bytes
):
    """The real backend of `bsb serve`: django-tasks-db, executed by its worker."""
    from django_tasks_db.management.commands.db_worker import Worker

    upload(leader, evaluation, interview, file=("stor.txt", transcript_text.encode()))
    job = TranscriptImport.objects.get()
    assert job.stage == "queued"
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()
    job.refresh_from_db()
    assert job.stage == "done"
    assert interview.transcripts.get().source_filename == "stor.txt"


def test_an_import_left_half_way_by_a_crash_is_ended_and_its_file_removed(
    evaluation, interview, leader, transcript_text, settings, background_over_100_bytes
):
    import datetime
    import os

    settings.TASKS = DUMMY
    upload(
        leader, evaluation, interview, file=("stor.docx", make_docx(transcript_text.splitlines()))
    )
    job = TranscriptImport.objects.get()
    background.set_stage(job, TranscriptImport.Stage.DETECTING)  # then the server died
    stray = background_over_100_bytes / ("0" * 32 + ".upload")
    stray.write_bytes(b"left by an older crash")
    two_hours_ago = datetime.datetime.now().timestamp() - 7200
    os.utime(stray, (two_hours_ago, two_hours_ago))

    assert background.end_interrupted_imports() == 1  # the stray file; the job is still fresh
    assert stray.exists() is False
    TranscriptImport.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - datetime.timedelta(hours=2)
    )
    assert background.end_interrupted_imports() == 1
    job.refresh_from_db()
    assert job.stage == "failed" and "interrupted" in job.error_template
    assert list(background_over_100_bytes.iterdir()) == []
    assert not Transcript.objects.exists()
