"""Deletion by deadline (invariant 4): due recordings, verified deletion, audit, dry run, CLI."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.fieldwork.models import Recording
from bsbstudio.fieldwork.recordings import retention, schedule, storage
from bsbstudio.transcripts.models import DeidentifiedText, Transcript

from .conftest import files_in

TODAY = datetime.date(2026, 3, 12)


def _approve(interview, when):
    transcript = Transcript.objects.create(interview=interview, raw_text="D1: Hei.")
    return DeidentifiedText.objects.create(transcript=transcript, text="D1: Hei.", approved_at=when)


def _set_deadline(recording, day):
    Recording.objects.filter(pk=recording.pk).update(delete_by=day)
    recording.refresh_from_db()
    return recording


def test_due_on_and_after_the_deadline(recording):
    _set_deadline(recording, TODAY)
    assert retention.due_recordings(TODAY - datetime.timedelta(days=1)) == []
    (due,) = retention.due_recordings(TODAY)
    assert due.pk == recording.pk and due.deadline == TODAY and due.days_left == 0


def test_run_deletes_verifies_and_audits(recording, recordings_root):
    _set_deadline(recording, TODAY - datetime.timedelta(days=1))
    report = retention.run_retention(TODAY)
    assert [r.status for r in report.results] == ["deleted"]
    assert report.ok
    assert files_in(recordings_root) == []
    recording.refresh_from_db()
    assert recording.deleted_at is not None and recording.deleted_by is None
    event = AuditEvent.objects.get(action="recording.delete")
    assert event.user is None
    assert event.object_id == str(recording.pk)
    assert event.detail["verified_gone"] is True and event.detail["reason"] == "deadline"
    # A second run finds nothing more to do.
    assert retention.run_retention(TODAY).results == []


def test_dry_run_changes_nothing(recording, recordings_root):
    _set_deadline(recording, TODAY)
    report = retention.run_retention(TODAY, dry_run=True)
    assert [r.status for r in report.results] == ["would_delete"]
    assert files_in(recordings_root) == [recording.stored_name]
    recording.refresh_from_db()
    assert recording.deleted_at is None
    assert not AuditEvent.objects.filter(action__startswith="recording.delete").exists()


def test_approval_moves_the_deadline_earlier(recording, recordings_root):
    _set_deadline(recording, TODAY + datetime.timedelta(days=40))
    assert retention.due_recordings(TODAY) == []
    approved_at = timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 30))
    _approve(recording.interview, approved_at)
    (due,) = retention.due_recordings(TODAY)
    assert due.deadline == TODAY and due.approved_on == TODAY
    assert retention.due_recordings(TODAY - datetime.timedelta(days=1)) == []
    report = retention.run_retention(TODAY)
    assert [r.status for r in report.results] == ["deleted"]
    assert AuditEvent.objects.get(action="recording.delete").detail["reason"] == (
        "transcript_approved"
    )


def test_unapproved_text_does_not_count(recording):
    _set_deadline(recording, TODAY + datetime.timedelta(days=40))
    _approve(recording.interview, None)
    assert retention.due_recordings(TODAY) == []


def test_due_soon_for_the_dashboard(recording, evaluation, interview, upload):
    from .conftest import AUDIO_SAMPLES

    upload(interview, AUDIO_SAMPLES["flac"], "del2.flac")
    later = Recording.objects.exclude(pk=recording.pk).get()
    _set_deadline(recording, TODAY + datetime.timedelta(days=9))
    _set_deadline(later, TODAY + datetime.timedelta(days=30))
    soon = retention.recordings_due_soon(evaluation, within_days=10, today=TODAY)
    assert [(r.pk, r.days_left) for r in soon] == [(recording.pk, 9)]
    assert len(retention.recordings_due_soon(evaluation, within_days=30, today=TODAY)) == 2
    retention.delete_recording(recording)
    assert retention.recordings_due_soon(evaluation, within_days=30, today=TODAY) == [later]


def test_a_file_that_will_not_go_is_reported_and_not_marked(recording, monkeypatch):
    _set_deadline(recording, TODAY)
    monkeypatch.setattr(storage.os, "unlink", lambda path: None)
    report = retention.run_retention(TODAY)
    assert [r.status for r in report.results] == ["failed"]
    assert not report.ok
    assert "still exists" in report.results[0].error
    recording.refresh_from_db()
    assert recording.deleted_at is None
    assert not AuditEvent.objects.filter(action="recording.delete").exists()
    assert AuditEvent.objects.filter(action="recording.delete_failed").count() == 1


def test_a_file_already_missing_counts_as_gone(recording, recordings_root):
    _set_deadline(recording, TODAY)
    (recordings_root / recording.stored_name).unlink()
    report = retention.run_retention(TODAY)
    assert [r.status for r in report.results] == ["deleted"]


def test_stray_files_are_removed_once_old(recording, recordings_root):
    old = time.time() - 2 * 24 * 3600
    stray = recordings_root / ("a" * 32 + ".wav")
    stray.write_bytes(b"RIFF")
    os.utime(stray, (old, old))
    fresh = recordings_root / ("b" * 32 + ".part")  # an upload still streaming in
    fresh.write_bytes(b"RIFF")
    foreign = recordings_root / "README.txt"
    foreign.write_text("not ours")
    os.utime(foreign, (old, old))
    os.utime(recordings_root / recording.stored_name, (old, old))
    dry = retention.run_retention(TODAY, dry_run=True)
    assert dry.stray_files == [stray.name] and stray.exists()
    report = retention.run_retention(TODAY)
    assert report.stray_files == [stray.name]
    assert not stray.exists()
    assert (
        fresh.exists() and foreign.exists() and (recordings_root / recording.stored_name).exists()
    )
    assert AuditEvent.objects.filter(action="recording.stray_file_delete").count() == 1


def test_cli_run_prints_each_recording_and_totals(recording, capsys):
    _set_deadline(recording, TODAY)
    assert main(["retention", "run", "--dry-run", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"would delete  recording {recording.pk} of test/FG1, due 2026-03-12" in out
    assert "1 would be deleted, 0 failed" in out
    assert "fg1.wav" not in out  # file names may name people; they stay out of logs
    recording.refresh_from_db()
    assert recording.deleted_at is None
    assert main(["retention", "run", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"deleted       recording {recording.pk}" in out and "1 deleted, 0 failed" in out
    recording.refresh_from_db()
    assert recording.deleted_at is not None


def test_cli_fails_when_a_file_stays(recording, monkeypatch, capsys):
    _set_deadline(recording, TODAY)
    monkeypatch.setattr(storage.os, "unlink", lambda path: None)
    assert main(["retention", "run", "--today", TODAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "0 deleted, 1 failed" in out


def test_cli_rejects_a_bad_date(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["retention", "run", "--today", "12.03.2026"])
    assert exited.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_process_leader_deletes_now_with_a_question_first(recording, client_as, recordings_root):
    url = reverse(
        "fieldwork:recording_delete", args=[recording.interview.evaluation.slug, recording.pk]
    )
    client = client_as("process_leader")
    page = client.get(url)
    assert page.status_code == 200 and "cannot be brought back" in page.content.decode()
    assert files_in(recordings_root) == [recording.stored_name]
    response = client.post(url)
    assert response.status_code == 302
    assert files_in(recordings_root) == []
    recording.refresh_from_db()
    assert recording.deleted_at is not None and recording.deleted_by.username == "process_leader"
    event = AuditEvent.objects.get(action="recording.delete")
    assert event.user.username == "process_leader" and event.detail["reason"] == "manual"
    assert client.post(url).status_code == 302  # already deleted: a message, no error


@pytest.mark.parametrize(
    ("username", "status"), [("peer_interviewer", 403), ("transcriber", 403), ("outsider", 404)]
)
def test_others_cannot_delete_now(recording, client_as, recordings_root, username, status):
    url = reverse(
        "fieldwork:recording_delete", args=[recording.interview.evaluation.slug, recording.pk]
    )
    assert client_as(username).post(url).status_code == status
    assert files_in(recordings_root) == [recording.stored_name]


def test_scheduled_run_survives_errors(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(retention, "run_retention", broken)
    assert schedule.run_once() is None
    assert "failed" in caplog.text


def test_scheduled_run_logs_deletions(recording, caplog):
    import logging

    _set_deadline(recording, timezone.localdate())
    with caplog.at_level(logging.INFO, logger="bsbstudio.retention"):
        report = schedule.run_once()
    assert [r.status for r in report.results] == ["deleted"]
    assert f"Deleted recording {recording.pk} of interview test/FG1" in caplog.text


@pytest.mark.parametrize(
    ("value", "minutes"), [("", 60), ("15", 15), ("0", 0), ("x", 60), ("-5", 0)]
)
def test_interval_from_the_environment(monkeypatch, value, minutes):
    monkeypatch.setenv("BSB_RETENTION_INTERVAL_MINUTES", value)
    assert schedule.interval_minutes() == minutes


def test_interval_zero_starts_no_thread(monkeypatch):
    monkeypatch.setenv("BSB_RETENTION_INTERVAL_MINUTES", "0")
    assert schedule.start_scheduled_retention() is None


def test_thread_runs_at_start_and_again(monkeypatch):
    import threading

    calls = []
    two = threading.Event()

    def fake_run_once():
        calls.append(1)
        if len(calls) >= 2:
            two.set()

    monkeypatch.setattr(schedule, "run_once", fake_run_once)
    monkeypatch.setattr(schedule.connections, "close_all", lambda: None)
    thread, stop = schedule.start_scheduled_retention(interval_seconds=0.01)
    try:
        assert thread.daemon
        assert two.wait(5)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
