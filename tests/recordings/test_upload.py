"""Uploading a recording: streamed to the recordings folder, checked by content, all or nothing."""

from __future__ import annotations

import datetime
import hashlib
import stat

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.fieldwork.models import Consent, Interview, Recording
from bsbstudio.fieldwork.recordings.upload import RecordingUploadHandler
from bsbstudio.transcripts.models import DeidentifiedText, Transcript

from .conftest import AUDIO_SAMPLES, files_in, page_messages


def test_good_upload_is_stored_privately_with_its_deadline_and_audited(
    interview, upload, recordings_root, settings
):
    content = AUDIO_SAMPLES["wav"]
    response = upload(interview, content, "Intervju med Kari.wav")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/interviews/{interview.pk}/#recordings")
    recording = Recording.objects.get(interview=interview)
    assert recording.original_name == "Intervju med Kari.wav"
    assert recording.content_type == "audio/wav"
    assert recording.size_bytes == len(content)
    assert recording.sha256 == hashlib.sha256(content).hexdigest()
    assert recording.delete_by == interview.date + datetime.timedelta(
        days=settings.RECORDING_MAX_DAYS
    )
    # A random name, the original nowhere on disk, readable by the server's user alone.
    assert files_in(recordings_root) == [recording.stored_name]
    assert "Kari" not in recording.stored_name and recording.stored_name.endswith(".wav")
    path = recordings_root / recording.stored_name
    assert path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(recordings_root.stat().st_mode) == 0o700
    event = AuditEvent.objects.get(action="recording.upload")
    assert event.object_id == str(recording.pk) and event.user.username == "peer_interviewer"
    assert "Kari" not in str(event.detail)
    interview.refresh_from_db()
    assert interview.guide_version is not None  # the interview happened: its guide is frozen
    assert any("was added" in m for m in page_messages(response))


@pytest.mark.parametrize("extension", ["mp3", "m4a", "ogg", "flac"])
def test_each_format_is_taken_by_its_content(interview, upload, extension):
    # The browser's content type (audio/mpeg for all) and the name say nothing here.
    upload(interview, AUDIO_SAMPLES[extension], "opptak.bin")
    recording = Recording.objects.get(interview=interview)
    assert recording.stored_name.endswith("." + extension)


def test_upload_without_date_counts_from_the_upload(interview, upload, settings):
    Interview.objects.filter(pk=interview.pk).update(date=None)
    upload(interview, AUDIO_SAMPLES["wav"])
    recording = Recording.objects.get()
    assert recording.delete_by == timezone.localdate() + datetime.timedelta(
        days=settings.RECORDING_MAX_DAYS
    )


def _assert_nothing_saved(response, recordings_root, expected_message):
    assert response.status_code == 302
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []
    assert not AuditEvent.objects.filter(action="recording.upload").exists()
    found = page_messages(response)
    assert any(expected_message in m for m in found), found


def test_text_file_renamed_mp3_is_refused(interview, upload, recordings_root):
    response = upload(interview, b"Dette er ikke lyd.\n" * 50, "opptak.mp3")
    _assert_nothing_saved(response, recordings_root, "opptak.mp3 is not a sound file")


def test_empty_file_is_refused(interview, upload, recordings_root):
    response = upload(interview, b"", "tom.wav")
    _assert_nothing_saved(response, recordings_root, "tom.wav is empty")


def test_no_file_is_refused(interview, client_as, recordings_root):
    client = client_as("peer_interviewer")
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    response = client.post(url, {"note": "no file"})
    _assert_nothing_saved(response, recordings_root, "Choose a sound file first")


def test_too_large_is_stopped_while_streaming(interview, upload, recordings_root, settings):
    settings.MAX_AUDIO_BYTES = 1000
    response = upload(interview, AUDIO_SAMPLES["wav"], "stor.wav")  # 1644 bytes
    _assert_nothing_saved(response, recordings_root, "stor.wav is larger than 0.00095 MB")


def test_too_large_by_declared_length_is_refused_unread(
    interview, upload, recordings_root, settings
):
    settings.MAX_AUDIO_BYTES = 1024 * 1024
    response = upload(interview, AUDIO_SAMPLES["wav"] + b"\x00" * (2 * 1024 * 1024), "stor.wav")
    _assert_nothing_saved(response, recordings_root, "The file is larger than 1 MB")


def test_exactly_the_limit_is_taken(interview, upload, settings):
    content = AUDIO_SAMPLES["wav"]
    settings.MAX_AUDIO_BYTES = len(content)
    upload(interview, content)
    assert Recording.objects.count() == 1


def test_handler_stops_at_the_limit_and_removes_the_partial_file(recordings_root):
    from django.core.files.uploadhandler import StopUpload

    handler = RecordingUploadHandler(None, max_bytes=10)
    handler.new_file("audio", "a.wav", "audio/wav", None)
    handler.receive_data_chunk(b"12345", 0)
    assert len(files_in(recordings_root)) == 1
    assert files_in(recordings_root)[0].endswith(".part")
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"678901", 5)
    assert not stopped.value.connection_reset  # the browser still gets the page with the message
    assert handler.too_large and handler.rejected_name == "a.wav"
    assert files_in(recordings_root) == []


def test_handler_skips_other_file_fields(recordings_root):
    from django.core.files.uploadhandler import SkipFile

    handler = RecordingUploadHandler(None, max_bytes=10)
    with pytest.raises(SkipFile):
        handler.new_file("attachment", "a.txt", "text/plain", None)
    assert files_in(recordings_root) == []


def test_refused_consent_blocks_the_upload(interview, upload, recordings_root):
    informant = interview.participations.get(speaker_code="D1").informant
    Consent.objects.create(informant=informant, interview=interview, recording_consent=False)
    response = upload(interview, AUDIO_SAMPLES["wav"])
    _assert_nothing_saved(response, recordings_root, "B-01 said no to being recorded")


def test_general_refusal_counts_unless_this_interview_says_yes(interview, upload, recordings_root):
    informant = interview.participations.get(speaker_code="D2").informant
    Consent.objects.create(informant=informant, interview=None, recording_consent=False)
    response = upload(interview, AUDIO_SAMPLES["wav"])
    _assert_nothing_saved(response, recordings_root, "A-01 said no")
    Consent.objects.create(informant=informant, interview=interview, recording_consent=True)
    upload(interview, AUDIO_SAMPLES["wav"])
    assert Recording.objects.count() == 1


def test_interview_past_its_deadline_cannot_get_a_recording(interview, upload, recordings_root):
    Interview.objects.filter(pk=interview.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=200)
    )
    response = upload(interview, AUDIO_SAMPLES["wav"])
    _assert_nothing_saved(response, recordings_root, "which has passed")


def test_approved_transcript_means_no_new_recording(interview, upload, recordings_root):
    transcript = Transcript.objects.create(interview=interview, raw_text="D1: Hei.")
    DeidentifiedText.objects.create(
        transcript=transcript, text="D1: Hei.", approved_at=timezone.now()
    )
    response = upload(interview, AUDIO_SAMPLES["wav"])
    _assert_nothing_saved(response, recordings_root, "already approved")


def test_a_failure_after_the_file_is_kept_leaves_nothing(
    interview, upload, recordings_root, monkeypatch
):
    from bsbstudio.fieldwork.recordings import actions

    def broken(*args, **kwargs):
        raise RuntimeError("database trouble")

    monkeypatch.setattr(actions, "version_for_interview", broken)
    with pytest.raises(RuntimeError):
        upload(interview, AUDIO_SAMPLES["wav"])
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []


@pytest.mark.parametrize(
    ("username", "status"), [("transcriber", 403), ("commissioner", 403), ("outsider", 404)]
)
def test_who_may_not_upload(interview, upload, recordings_root, username, status):
    response = upload(interview, AUDIO_SAMPLES["wav"], username=username)
    assert response.status_code == status
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []


def test_process_leader_may_upload(interview, upload):
    upload(interview, AUDIO_SAMPLES["wav"], username="process_leader")
    assert Recording.objects.count() == 1


def test_interview_of_another_evaluation_is_not_found(
    evaluation, interview, client_as, recordings_root
):
    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="X")
    foreign = Interview.objects.create(evaluation=other, code="X1", kind="individual")
    client = client_as("peer_interviewer")
    url = reverse("fieldwork:recording_upload", args=[evaluation.slug, foreign.pk])
    response = client.post(url, {"audio": AUDIO_SAMPLES["wav"]})
    assert response.status_code == 404
    assert files_in(recordings_root) == []


def test_get_is_not_allowed(interview, client_as):
    client = client_as("peer_interviewer")
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    assert client.get(url).status_code == 405


def test_csrf_is_checked_after_the_handler_is_set(
    interview, django_user_model, recordings_root, verified_client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(
        django_user_model.objects.get(username="peer_interviewer"),
        Client(enforce_csrf_checks=True),
    )
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    response = client.post(url, {"audio": SimpleUploadedFile("a.wav", AUDIO_SAMPLES["wav"])})
    assert response.status_code == 403
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []  # the streamed file was removed


def test_script_gets_json_with_the_page_to_show(interview, upload):
    response = upload(interview, AUDIO_SAMPLES["wav"], HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["location"].endswith("#recordings")
    # The message waits for the page the script loads next.
    assert any("was added" in m for m in page_messages(response))


def test_interview_page_shows_form_deadline_and_links(interview, upload, client_as):
    upload(interview, AUDIO_SAMPLES["wav"], "fg1.wav")
    url = reverse("fieldwork:interview", args=[interview.evaluation.slug, interview.pk])
    page = client_as("peer_interviewer").get(url).content.decode()
    assert 'for="recording-file"' in page and 'name="audio"' in page
    assert "recording-upload.js" in page
    assert "To be deleted by" in page and "in 57 days" in page
    assert "Listen (restricted)" in page
    assert "Delete now" not in page  # only the process leader
    leader_page = client_as("process_leader").get(url).content.decode()
    assert "Delete now" in leader_page
    transcriber_page = client_as("transcriber").get(url).content.decode()
    assert 'name="audio"' not in transcriber_page
    assert "Listen (restricted)" in transcriber_page
    commissioner = client_as("commissioner").get(url)
    assert commissioner.status_code in (403, 404) or "Listen" not in commissioner.content.decode()


def test_interview_page_says_why_no_upload(interview, client_as):
    informant = interview.participations.get(speaker_code="D1").informant
    Consent.objects.create(informant=informant, interview=interview, recording_consent=False)
    url = reverse("fieldwork:interview", args=[interview.evaluation.slug, interview.pk])
    page = client_as("peer_interviewer").get(url).content.decode()
    assert 'name="audio"' not in page
    assert "said no to being recorded" in page


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=xyz", "multipart/form-data", "application/octet-stream"],
)
def test_broken_request_is_a_message_not_a_server_error(
    interview, client_as, recordings_root, content_type
):
    client = client_as("peer_interviewer")
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    response = client.generic("POST", url, b"--xyz\r\ngarbage", content_type=content_type)
    assert response.status_code in (302, 400)
    assert not Recording.objects.exists()
    assert files_in(recordings_root) == []
