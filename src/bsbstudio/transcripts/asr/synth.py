"""Synthesised Norwegian speech (espeak-ng) for tests and the demo: no recording of anyone.

``write_interview`` speaks a short invented interview with two voices (a lower and a higher
one) and silences between the turns into one WAV file, and returns where each turn lies.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The speaker code -> espeak-ng voice and pitch (0-99). Two clearly different voices.
VOICES: dict[str, tuple[str, int]] = {
    "I1": ("nb", 35),
    "B1": ("nb+f3", 80),
}

#: A short invented interview (peer interviewer I1, service user B1).
INTERVIEW: list[tuple[str, str]] = [
    ("I1", "Hei, og takk for at du vil være med. Kan du fortelle litt om hvordan du fikk hjelp?"),
    ("B1", "Ja. Jeg fikk time hos teamet etter to uker. Det syntes jeg var ganske raskt."),
    ("I1", "Var det noe som kunne vært bedre?"),
    ("B1", "Ventetiden på telefon var lang, og jeg savnet et tilbud på kveldstid."),
    ("I1", "Takk. Er det noe mer du vil si før vi avslutter?"),
    ("B1", "Nei, jeg tror jeg har sagt det viktigste. Takk for samtalen."),
]

SAMPLE_RATE = 22_050


@dataclass(frozen=True, slots=True)
class SpokenTurn:
    """Where a synthesised turn lies in the file (seconds) and what was said."""

    speaker: str
    t0: float
    t1: float
    text: str


def espeak_path() -> str | None:
    """Return the espeak-ng program, or ``None`` when it is not installed."""
    return shutil.which("espeak-ng")


def speak(text: str, voice: str, pitch: int, speed: int = 150) -> np.ndarray:
    """Return ``text`` spoken by espeak-ng as 16-bit samples at ``SAMPLE_RATE``."""
    program = espeak_path()
    if program is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    result = subprocess.run(
        [program, "-v", voice, "-p", str(pitch), "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with wave.open(io.BytesIO(result.stdout)) as reader:
        frames = reader.readframes(reader.getnframes())
    return np.frombuffer(frames, dtype="<i2")


def write_interview(
    path: str | Path,
    turns: list[tuple[str, str]] | None = None,
    *,
    pause: float = 2.0,
    voices: dict[str, tuple[str, int]] | None = None,
) -> list[SpokenTurn]:
    """Write ``turns`` (default ``INTERVIEW``) spoken with ``pause`` seconds between them as WAV."""
    voices = voices or VOICES
    silence = np.zeros(int(pause * SAMPLE_RATE), dtype="<i2")
    pieces = [np.zeros(int(0.5 * SAMPLE_RATE), dtype="<i2")]
    position = len(pieces[0])
    spoken: list[SpokenTurn] = []
    for code, text in turns or INTERVIEW:
        voice, pitch = voices[code]
        samples = speak(text, voice, pitch)
        spoken.append(
            SpokenTurn(code, position / SAMPLE_RATE, (position + len(samples)) / SAMPLE_RATE, text)
        )
        pieces += [samples, silence]
        position += len(samples) + len(silence)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(np.concatenate(pieces).tobytes())
    return spoken


def write_silence(path: str | Path, seconds: float = 3.0) -> None:
    """Write a WAV file of ``seconds`` of silence (for the no-speech case)."""
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(np.zeros(int(seconds * SAMPLE_RATE), dtype="<i2").tobytes())


def encode_ogg(wav_path: str | Path, out_path: str | Path, bitrate: int = 24_000) -> None:
    """Encode a WAV file as Ogg/Opus (mono, 48 kHz) with PyAV: small enough to ship in the demo."""
    import av

    with av.open(str(wav_path)) as source, av.open(str(out_path), "w", format="ogg") as target:
        stream = target.add_stream("libopus", rate=48_000)
        stream.bit_rate = bitrate
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for frame in source.decode(audio=0):
            for out in resampler.resample(frame):
                for packet in stream.encode(out):
                    target.mux(packet)
        for out in resampler.resample(None):
            for packet in stream.encode(out):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
