"""Issue 8: recordings that are not sound, malformed requests, deadlines that follow the date,
interrupted uploads, file names that may name a participant, and the demo's background threads."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.models import Recording
from bsbstudio.fieldwork.recordings import engine, retention

from .conftest import AUDIO_SAMPLES, TEN_BYTE_MP3, files_in, page_messages

# --- hole 8: a file that only starts like sound ----------------------------------------------


def test_ten_byte_id3_file_is_refused_as_no_sound(interview, upload, recordings_root):
    response = upload(interview, TEN_BYTE_MP3, "opptak.mp3")
    assert response.status_code == 302
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []
    (message,) = page_messages(response)
    assert "opptak.mp3" in message and "no sound that can be played" in message


def test_header_and_one_broken_frame_is_refused(interview, upload, recordings_root):
    response = upload(interview, TEN_BYTE_MP3 + b"\xff\xfb\x90\x00" + b"\x00" * 200, "x.mp3")
    assert not Recording.objects.exists()
    assert "no sound" in page_messages(response)[0]


@pytest.mark.parametrize("extension", sorted(AUDIO_SAMPLES))
def test_real_sound_is_taken_with_its_length(interview, upload, extension):
    upload(interview, AUDIO_SAMPLES[extension], f"opptak.{extension}")
    recording = Recording.objects.get()
    assert recording.duration_seconds > 0


def test_audio_duration_of_files(tmp_path):
    good, bad = tmp_path / "a.flac", tmp_path / "b.mp3"
    good.write_bytes(AUDIO_SAMPLES["flac"])
    bad.write_bytes(TEN_BYTE_MP3)
    assert engine.audio_duration(good) == pytest.approx(1.0)
    assert engine.audio_duration(bad) is None
    assert engine.audio_duration(tmp_path / "missing.wav") is None


# --- hole 7: malformed requests ---------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("bytes=" + "9" * 5000 + "-", "416"),
        ("bytes=0-" + "9" * 5000, (0, 99)),
        ("bytes=-" + "9" * 5000, (0, 99)),
        ("bytes=" + "0" * 5000 + "5-9", (5, 9)),
    ],
)
def test_ranges_with_thousands_of_digits(header, expected):
    if expected == "416":
        with pytest.raises(engine.RangeNotSatisfiable):
            engine.parse_range(header, 100)
    else:
        found = engine.parse_range(header, 100)
        assert (found.start, found.end) == expected


def test_5000_digit_range_header_is_416_not_a_server_error(recording, client_as):
    client = client_as("transcriber")
    slug = recording.interview.evaluation.slug
    client.get(reverse("fieldwork:recording", args=[slug, recording.pk]))
    url = reverse("fieldwork:recording_audio", args=[slug, recording.pk])
    response = client.get(url, HTTP_RANGE="bytes=" + "9" * 5000 + "-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{recording.size_bytes}"
    response = client.get(url, HTTP_RANGE="bytes=0-" + "9" * 5000)
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == AUDIO_SAMPLES["wav"]


def _post_files(client_as, interview, files):
    client = client_as("peer_interviewer")
    client.raise_request_exception = False
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    return client.post(url, files)


def test_two_sound_files_in_one_upload_are_refused_clearly(interview, client_as, recordings_root):
    files = {
        "audio": [
            SimpleUploadedFile("a.wav", AUDIO_SAMPLES["wav"]),
            SimpleUploadedFile("b.wav", AUDIO_SAMPLES["wav"]),
        ]
    }
    response = _post_files(client_as, interview, files)
    assert response.status_code == 302
    assert page_messages(response) == ["Add one sound file at a time. Nothing was saved."]
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []


def test_another_file_field_after_the_sound_file_leaves_it_whole(interview, client_as):
    files = {
        "audio": SimpleUploadedFile("a.wav", AUDIO_SAMPLES["wav"]),
        "zzz": SimpleUploadedFile("notes.txt", b"notes"),
    }
    response = _post_files(client_as, interview, files)
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert "was added" in page_messages(response)[0]
    assert recording.size_bytes == len(AUDIO_SAMPLES["wav"])


# --- hole 8: the deadline follows the interview's date -----------------------------------------


def test_changing_the_interview_date_moves_the_deadline_and_is_audited(
    recording, interview, client_as, settings
):
    new_date = interview.date - datetime.timedelta(days=20)
    client = client_as("process_leader")
    data = {
        "interview-code": interview.code,
        "interview-kind": interview.kind,
        "interview-status": interview.status,
        "interview-site": interview.site_id,
        "interview-date": new_date.isoformat(),
    }
    url = reverse("fieldwork:interview_edit", args=[interview.evaluation.slug, interview.pk])
    response = client.post(url, data)
    assert response.status_code == 302
    recording.refresh_from_db()
    expected = new_date + datetime.timedelta(days=settings.RECORDING_MAX_DAYS)
    assert recording.delete_by == expected
    event = AuditEvent.objects.get(action="recording.deadline_change")
    assert event.detail["new"] == expected.isoformat()
    assert event.detail["reason"] == "interview_date"


def test_a_later_date_never_keeps_a_recording_past_its_upload_plus_the_limit(
    recording, interview, settings
):
    from django.contrib.auth.models import User

    from bsbstudio.fieldwork.recordings.actions import move_deadlines

    interview.date = timezone.localdate() + datetime.timedelta(days=300)
    interview.save(update_fields=["date"])
    move_deadlines(User.objects.get(username="process_leader"), interview)
    recording.refresh_from_db()
    uploaded = timezone.localdate(recording.uploaded_at)
    assert recording.delete_by == uploaded + datetime.timedelta(days=settings.RECORDING_MAX_DAYS)


# --- hole 8: interrupted uploads ---------------------------------------------------------------


def test_old_partial_uploads_are_removed_and_counted(recording, recordings_root):
    old_part = recordings_root / ("a" * 32 + ".part")
    new_part = recordings_root / ("b" * 32 + ".part")
    for path in (old_part, new_part):
        path.write_bytes(b"half a recording")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(old_part, (two_hours_ago, two_hours_ago))
    report = retention.run_retention()
    assert report.stray_files == [old_part.name]
    assert not old_part.exists() and new_part.exists()
    assert recordings_root.joinpath(recording.stored_name).exists()
    from bsbstudio.cli.retention import report_lines

    assert report_lines(report)[-1].endswith("1 stray files.")


# --- hole 9: the original file name --------------------------------------------------------------


def _unsign_everyone(evaluation):
    from django.contrib.auth.models import User

    from bsbstudio.accounts.confidentiality import revise

    revise(User.objects.get(username="process_leader"), evaluation, "A new declaration.")


def test_file_name_is_shown_to_signed_members_who_may_see_raw_material(recording, client_as):
    interview = recording.interview
    url = reverse("fieldwork:interview", args=[interview.evaluation.slug, interview.pk])
    page = client_as("transcriber").get(url).content.decode()
    assert "fg1.wav" in page


def test_file_name_is_hidden_from_members_who_have_not_signed(recording, client_as):
    interview = recording.interview
    _unsign_everyone(interview.evaluation)
    url = reverse("fieldwork:interview", args=[interview.evaluation.slug, interview.pk])
    for username in ("process_leader", "peer_interviewer", "transcriber"):
        page = client_as(username).get(url).content.decode()
        assert "fg1.wav" not in page
        assert "Recording 1, 1 min" in page
    delete_page = client_as("process_leader").get(
        reverse("fieldwork:recording_delete", args=[interview.evaluation.slug, recording.pk])
    )
    assert "fg1.wav" not in delete_page.content.decode()
    response = client_as("process_leader").post(
        reverse("fieldwork:recording_delete", args=[interview.evaluation.slug, recording.pk])
    )
    assert "fg1.wav" not in " ".join(page_messages(response))


def test_neutral_label_counts_recordings_and_minutes():
    from django.utils import translation

    from bsbstudio.fieldwork.recordings.labels import neutral_label

    with translation.override("en"):
        assert neutral_label(2, 42 * 60 + 10) == "Recording 2, 42 min"
        assert neutral_label(1, 5) == "Recording 1, 1 min"
        assert neutral_label(3, None) == "Recording 3"
    with translation.override("nb"):
        assert neutral_label(2, 42 * 60 + 10) == "Opptak 2, 42 min"


# --- hole 8: `bsb demo` runs the background threads like `bsb serve` ----------------------------


def test_demo_starts_retention_and_the_task_worker(monkeypatch, db):
    from bsbstudio.cli import demo, server
    from bsbstudio.demo import loader
    from bsbstudio.fieldwork.recordings import schedule

    started = []
    monkeypatch.setattr(schedule, "start_scheduled_retention", lambda: started.append("retention"))
    monkeypatch.setattr(server, "start_task_worker", lambda: started.append("tasks"))
    monkeypatch.setattr(demo, "migrate", lambda: None)
    monkeypatch.setattr(demo, "serve", lambda host, port: started.append("serve"))
    monkeypatch.setattr(loader, "load_all", lambda username, password: [])
    parsed = type("Args", (), {"no_serve": False, "host": "127.0.0.1", "port": 8765})()
    assert demo.run_demo(parsed) == 0
    assert started == ["retention", "tasks", "serve"]


def test_serve_spools_uploads_inside_the_private_data_folder(monkeypatch, settings, tmp_path):
    import tempfile

    import waitress

    from bsbstudio.cli import server
    from bsbstudio.deid.engine import model

    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setenv("TMPDIR", os.environ.get("TMPDIR", "/tmp"))
    monkeypatch.setattr(model, "load_model", lambda: None)
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    server.serve("127.0.0.1", 8765)
    assert served["port"] == 8765
    assert tempfile.gettempdir() == str(settings.UPLOAD_TEMP_DIR)
    assert os.environ["TMPDIR"] == str(settings.UPLOAD_TEMP_DIR)
    assert settings.FILE_UPLOAD_TEMP_DIR == str(settings.UPLOAD_TEMP_DIR)
    assert str(settings.UPLOAD_TEMP_DIR).startswith(str(settings.DATA_DIR))
    assert os.stat(settings.UPLOAD_TEMP_DIR).st_mode & 0o777 == 0o700
    with tempfile.TemporaryFile() as spool:  # what waitress's buffers do
        assert os.stat(spool.fileno()).st_mode & 0o077 == 0
