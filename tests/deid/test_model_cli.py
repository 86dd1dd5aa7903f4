"""The shipped model and the command line."""

from __future__ import annotations

import json
import socket

import pytest

from bsbstudio.cli.main import main
from bsbstudio.deid.engine.model import load_model, model_available, model_path


def test_model_loads_from_package_without_network(monkeypatch):
    if not model_available():
        pytest.skip("no trained NER model in the package")

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    load_model.cache_clear()
    nlp = load_model()
    assert "ner" in nlp.pipe_names
    assert str(model_path()).endswith("deid/model")
    doc = nlp("Statsminister Jonas Gahr Støre besøkte Tromsø i går.")
    assert any(ent.label_ == "PER" for ent in doc.ents)


def test_model_finds_unlisted_name(detector):
    text = "Der møtte jeg Guttorm Kvalvåg, og han hjalp meg."
    assert any(s.label == "PERSON" for s in detector.detect(text))


def test_detect_file(tmp_path, capsys):
    path = tmp_path / "t.txt"
    path.write_text("Jeg heter Kari. Ring 982 99 565.", encoding="utf-8")
    assert main(["deid", "detect", "--no-ner", str(path)]) == 0
    spans = json.loads(capsys.readouterr().out)
    assert {s["label"] for s in spans} == {"PERSON", "PHONE"}
    assert all({"start", "end", "label", "score", "explanation"} <= set(s) for s in spans)


def test_detect_jsonl(monkeypatch, capsys):
    import io

    lines = '{"id": "a", "text": "Jeg heter Kari."}\n{"id": 2, "text": "Ingen her."}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["deid", "detect", "--jsonl", "--no-ner", "-"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0] == {
        "id": "a",
        "spans": [
            {"start": 10, "end": 14, "label": "PERSON", "score": out[0]["spans"][0]["score"]}
        ],
    }
    assert out[1] == {"id": 2, "spans": []}


def test_redact(tmp_path, capsys):
    path = tmp_path / "t.txt"
    path.write_text("Jeg heter Kari. Kari bor i Asker.", encoding="utf-8")
    mapping = tmp_path / "map.json"
    assert main(["deid", "redact", "--no-ner", "--mapping", str(mapping), str(path)]) == 0
    assert capsys.readouterr().out == "Jeg heter [NAVN 1]. [NAVN 1] bor i [STED 1]."
    assert json.loads(mapping.read_text())["entries"]


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00bad", "dir"])
def test_unreadable_input(tmp_path, capsys, content):
    path = tmp_path / "input.txt"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    assert main(["deid", "detect", "--no-ner", str(path)]) == 2
    err = capsys.readouterr().err
    assert "input.txt" in err


def test_bad_jsonl_line(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"id": 1}\n')))
    assert main(["deid", "detect", "--jsonl", "--no-ner"]) == 2
    assert "line 1" in capsys.readouterr().err
