"""Fixtures for recordings: a recordings folder under tmp_path, small audio files made in code."""

from __future__ import annotations

import datetime
import io
import struct
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone


def wav_bytes(frames: int = 800) -> bytes:
    """A tiny real WAV file (8 kHz mono, silence, 0.1 s)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * frames)
    return buffer.getvalue()


def mp3_bytes(frames: int = 40) -> bytes:
    """An ID3 tag and ``frames`` MPEG-1 layer III frames (128 kbit/s, 44.1 kHz): about 1 s."""
    frame = b"\xff\xfb\x90\x00" + b"\x00" * (417 - 4)
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * frames


def flac_bytes(seconds: int = 1, rate: int = 8000) -> bytes:
    """A FLAC stream header whose STREAMINFO says ``seconds`` of 16-bit mono sound."""
    info = struct.pack(">HH", 4096, 4096) + b"\x00" * 6
    info += struct.pack(">Q", (rate << 44) | (15 << 36) | (rate * seconds)) + b"\x00" * 16
    return b"fLaC\x80" + len(info).to_bytes(3, "big") + info


def ogg_bytes(seconds: int = 1, rate: int = 8000) -> bytes:
    """Ogg Vorbis pages: identification and comment headers, and a last page at ``seconds``."""
    from mutagen.ogg import OggPage

    ident = b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, rate, 0, 64000, 0, 0xB8, 1)
    comment = b"\x03vorbis" + struct.pack("<II", 0, 0) + b"\x01"
    packets = [(ident, 0), (comment, 0), (b"\x00" * 16, rate * seconds)]
    pages = []
    for sequence, (packet, position) in enumerate(packets):
        page = OggPage()
        page.packets, page.serial, page.sequence, page.position = [packet], 1, sequence, position
        page.first, page.last = sequence == 0, sequence == len(packets) - 1
        pages.append(page.write())
    return b"".join(pages)


def m4a_bytes(seconds: int = 1) -> bytes:
    """An MPEG-4 audio container with a movie header of ``seconds``."""

    def atom(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    header = b"\x00" * 4 + struct.pack(">IIII", 0, 0, 1000, 1000 * seconds) + b"\x00" * 80
    return atom(b"ftyp", b"M4A \x00\x00\x00\x00M4A mp42isom") + atom(b"moov", atom(b"mvhd", header))


# Small files built in code that mutagen reads as sound with a length (what an upload needs).
AUDIO_SAMPLES = {
    "wav": wav_bytes(),
    "mp3": mp3_bytes(),
    "m4a": m4a_bytes(),
    "ogg": ogg_bytes(),
    "flac": flac_bytes(),
}

#: Starts like an MP3 (an ID3 tag) and holds no sound at all: 10 bytes.
TEN_BYTE_MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"


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
