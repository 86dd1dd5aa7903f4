"""Offline speaker separation tells two synthesised voices apart."""

from __future__ import annotations

import wave

import numpy as np

from bsbstudio.transcripts.asr import synth
from bsbstudio.transcripts.asr.speakers import cluster_turns, first_appearance, propose_codes

TURNS = [
    ("I1", "Hei, og velkommen til intervjuet."),
    ("B1", "Takk, det er fint å være her."),
    ("I1", "Kan du fortelle om hjelpen du fikk?"),
    ("B1", "Jeg fikk god hjelp etter en stund."),
    ("I1", "Hva var det viktigste for deg?"),
    ("B1", "At noen lyttet til meg."),
]


def read_wav(path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768, rate


def test_two_espeak_voices_are_separated(tmp_path, espeak):
    path = tmp_path / "to_stemmer.wav"
    spoken = synth.write_interview(path, TURNS, pause=0.5)
    samples, rate = read_wav(path)
    numbers = cluster_turns(samples, [(t.t0, t.t1) for t in spoken], 2, rate=rate)
    codes = propose_codes(numbers, ["I1", "B1"])
    assert codes == [t.speaker for t in spoken]


def test_numbers_follow_first_appearance_and_codes_fall_back():
    assert first_appearance([3, 3, 1, 3, 0]) == [0, 0, 1, 0, 2]
    assert propose_codes([0, 1, 2], ["I1"]) == ["I1", "T2", "T3"]


def test_one_speaker_or_few_turns_need_no_clustering():
    samples = np.zeros(16_000, dtype=np.float32)
    assert cluster_turns(samples, [(0, 0.5), (0.5, 1)], 1) == [0, 0]
    assert cluster_turns(samples, [(0, 0.5)], 2) == [0]
    assert cluster_turns(samples, [], 2) == []
