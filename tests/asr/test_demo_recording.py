"""The demo ships a short synthesised Norwegian interview as a recording to transcribe."""

from __future__ import annotations

from pathlib import Path

import pytest

from bsbstudio.demo.recording import AUDIO, load_recording
from bsbstudio.fieldwork.recordings.engine import audio_duration, sniff_audio


def test_demo_audio_is_small_and_an_accepted_format():
    data = AUDIO.read_bytes()
    assert len(data) < 300_000
    assert sniff_audio(data[:8192]).extension == "ogg"
    assert 30 <= audio_duration(AUDIO) <= 45
    script = Path(AUDIO).with_suffix(".txt").read_text(encoding="utf-8")
    assert "I1:" in script and "B1:" in script


@pytest.mark.django_db
def test_load_recording_adds_a_held_interview_with_the_recording(evaluation, settings, tmp_path):
    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    leader = evaluation.memberships.get(role="process_leader").user
    evaluation.interviews.filter(code="FG1").update(code="EI2")
    interview = load_recording(evaluation, leader)
    assert interview is not None and interview.code == "EI6"
    recording = interview.recordings.get()
    assert recording.content_type == "audio/ogg"
    assert recording.duration_seconds == pytest.approx(41.7, abs=1)
    assert [p.speaker_code for p in interview.participations.all()] == ["B1"]
    assert load_recording(evaluation, leader) is None  # once only
