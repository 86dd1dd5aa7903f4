"""Fixtures for recordings: a recordings folder under tmp_path, small audio files made in code."""

from __future__ import annotations

import datetime
import io
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone


def wav_bytes(frames: int = 800) -> bytes:
    """A tiny real WAV file (8 kHz mono, silence)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * frames)
    return buffer.getvalue()


# The smallest headers ``filetype`` recognises, followed by filler: enough to test sniffing.
AUDIO_SAMPLES = {
    "wav": wav_bytes(),
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 200,
    "m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 200,
    "ogg": b"OggS\x00\x02" + b"\x00" * 200,
    "flac": b"fLaC\x00\x00\x00\x22" + b"\x00" * 200,
}


@pytest.fixture
def recordings_root(settings, tmp_path):
    """RECORDINGS_ROOT in a fresh folder for this test."""
    root = tmp_path / "recordings"
    settings.RECORDINGS_ROOT = root
    return root


@pytest.fixture
def interview(evaluation, recordings_root):
    """The fixture's interview FG1, held three days ago (so it may still get a recording)."""
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    return interview


@pytest.fixture
def upload(client_as):
    """Post a file to an interview's upload URL as a user; returns the response."""

    def post(
        interview, content: bytes, name: str = "intervju.wav", username="peer_interviewer", **extra
    ):
        client = client_as(username)
        url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
        data = {"audio": SimpleUploadedFile(name, content, "audio/mpeg")}
        return client.post(url, data, **extra)

    return post


def files_in(folder) -> list[str]:
    """The names of the files in a folder (none if it does not exist yet)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def page_messages(response) -> list[str]:
    """The flash messages a response added."""
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages and messages in English, so the tests read the msgids (the default is bokmål)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def recording(interview, upload):
    """A WAV recording of the interview, uploaded by the peer interviewer."""
    from bsbstudio.fieldwork.models import Recording

    upload(interview, AUDIO_SAMPLES["wav"], "fg1.wav")
    return Recording.objects.get(interview=interview)
