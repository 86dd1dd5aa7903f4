"""`bsb transcribe --json` and `bsb bench asr` on the tiny test model, without a database."""

from __future__ import annotations

import json

from bsbstudio.cli.main import main
from bsbstudio.transcripts.asr import synth
from bsbstudio.transcripts.engine import parse_text


def test_transcribe_json_prints_text_and_turns(tmp_path, model_dir, espeak, capsys):
    audio = tmp_path / "kort.wav"
    synth.write_interview(audio, [("I1", "Hei, hvordan har du det i dag?")])
    status = main(["transcribe", str(audio), "--model", model_dir, "--device", "cpu", "--json"])
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"text", "turns"}
    assert result["turns"]
    parsed = parse_text(result["text"])
    assert [(t.speaker, t.start, t.end) for t in parsed.turns] == [
        (t["speaker"], t["start"], t["end"]) for t in result["turns"]
    ]
    assert all(t["t0"] <= t["t1"] for t in result["turns"])

    status = main(
        ["bench", "asr", "--model", model_dir, "--audio", str(audio), "--device", "cpu", "--json"]
    )
    assert status == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["real_time_factor"] > 0
    assert figures["device"] == "cpu" and figures["compute_type"] == "int8"


def test_transcribe_errors_exit_2_with_a_message(tmp_path, capsys):
    audio = tmp_path / "a.wav"
    synth.write_silence(audio, 1.0)
    status = main(["transcribe", str(audio), "--model", str(tmp_path / "ingen"), "--json"])
    assert status == 2
    err = capsys.readouterr().err
    assert "ingen" in err and "model" in err
