"""The speech-to-text engine on the tiny test model and synthesised Norwegian speech."""

from __future__ import annotations

import json

import pytest

from bsbstudio.transcripts.asr import (
    AsrError,
    AudioSilent,
    AudioUnreadable,
    Cancelled,
    Draft,
    ModelMissing,
    synth,
    transcribe,
)
from bsbstudio.transcripts.asr.engine import Word, build_draft, resolve_device, split_turns
from bsbstudio.transcripts.engine import parse_text


def test_draft_has_turns_in_transcript_format(transcribed):
    draft, _progress, _attempts = transcribed
    assert isinstance(draft, Draft)
    assert draft.turns, "the tiny model found no words in the synthesised speech"
    assert draft.text.strip()
    for line, turn in zip(draft.text.split("\n"), draft.turns, strict=True):
        assert line.startswith(f"{turn.speaker}: ")
    assert draft.model_name == "model"
    assert draft.language == "en"  # tiny.en is English-only, so no Norwegian was requested
    assert draft.duration == pytest.approx(draft.duration, abs=0) and draft.duration > 5


def test_offsets_agree_with_the_transcript_parser(transcribed):
    draft, _progress, _attempts = transcribed
    parsed = parse_text(draft.text)
    assert [(t.speaker, t.start, t.end) for t in parsed.turns] == [
        (t.speaker, t.start, t.end) for t in draft.turns
    ]
    for start, end in draft.uncertain:
        assert 0 <= start < end <= len(draft.text)
        assert not draft.text[start:end].isspace()


def test_timestamps_increase_and_lie_in_the_audio(transcribed):
    draft, _progress, _attempts = transcribed
    previous_end = 0.0
    for turn in draft.turns:
        assert 0 <= turn.t0 <= turn.t1 <= draft.duration + 0.01
        assert turn.t0 >= previous_end - 0.01
        previous_end = turn.t1


def test_progress_calls_increase_to_the_total(transcribed):
    draft, progress, _attempts = transcribed
    assert len(progress) >= 2
    done = [d for d, _ in progress]
    assert done == sorted(done)
    assert progress[0][0] == 0
    assert progress[-1] == (pytest.approx(draft.duration, abs=0.01),) * 2
    assert all(total == pytest.approx(draft.duration, abs=0.01) for _, total in progress)


def test_no_network_connection_is_opened(transcribed):
    _draft, _progress, attempts = transcribed
    assert attempts == []


def test_speakers_proposed_from_the_given_codes(transcribed):
    draft, _progress, _attempts = transcribed
    assert {t.speaker for t in draft.turns} <= {"I1", "B1"}
    assert draft.turns[0].speaker == "I1"


def test_returning_false_from_progress_cancels(interview_wav, model_dir):
    with pytest.raises(Cancelled) as caught:
        transcribe(interview_wav[0], model_dir, device="cpu", on_progress=lambda d, t: False)
    assert caught.value.code == "cancelled"


def test_corrupt_file_is_unreadable(tmp_path, model_dir):
    bad = tmp_path / "opptak.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really a sound file" * 10)
    with pytest.raises(AudioUnreadable) as caught:
        transcribe(bad, model_dir, device="cpu")
    assert "opptak.wav" in caught.value.message
    assert caught.value.params == {"filename": "opptak.wav"}


def test_missing_file_is_unreadable(tmp_path, model_dir):
    with pytest.raises(AudioUnreadable):
        transcribe(tmp_path / "borte.wav", model_dir, device="cpu")


def test_silent_file_has_no_speech(tmp_path, model_dir):
    quiet = tmp_path / "stille.wav"
    synth.write_silence(quiet, 3.0)
    with pytest.raises(AudioSilent) as caught:
        transcribe(quiet, model_dir, device="cpu")
    assert "stille.wav" in caught.value.message


@pytest.mark.parametrize("kind", ["missing", "empty", "broken"])
def test_missing_or_wrong_model_folder_is_named(tmp_path, kind):
    folder = tmp_path / "modell"
    if kind != "missing":
        folder.mkdir()
    if kind == "broken":
        (folder / "model.bin").write_bytes(b"not a model")
        (folder / "config.json").write_text("{}")
    audio = tmp_path / "a.wav"
    synth.write_silence(audio, 1.0)
    with pytest.raises(ModelMissing) as caught:
        transcribe(audio, folder, device="cpu")
    assert str(folder) in caught.value.message
    assert isinstance(caught.value, AsrError)


def test_cpu_uses_int8():
    assert resolve_device("cpu") == ("cpu", "int8")
    assert resolve_device("cuda") == ("cuda", "float16")


def test_long_pause_starts_a_new_turn_and_low_probability_is_marked():
    words = [
        Word("Hei", 0.0, 0.4, 0.9),
        Word("du", 0.5, 0.7, 0.3),
        Word("Ja", 2.5, 2.8, 0.95),
    ]
    groups = split_turns(words, 1.5)
    assert [[w.text for w in g] for g in groups] == [["Hei", "du"], ["Ja"]]
    draft = build_draft(
        groups, ["I1", "B1"], min_probability=0.5, duration=3, language="nb", model_name="m"
    )
    assert draft.text == "I1: Hei du\nB1: Ja"
    assert [draft.text[a:b] for a, b in draft.uncertain] == ["du"]
    assert [(t.t0, t.t1) for t in draft.turns] == [(0.0, 0.7), (2.5, 2.8)]
    assert json.loads(json.dumps(draft.to_dict()))["turns"][1] == {
        "speaker": "B1",
        "start": 15,
        "end": 17,
        "t0": 2.5,
        "t1": 2.8,
    }


def test_engine_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, bsbstudio.transcripts.asr, bsbstudio.transcripts.asr.speakers, "
        "bsbstudio.transcripts.asr.synth, bsbstudio.transcripts.asr.bench; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
