"""Bad input to `bsb deid detect/redact` and the engine: a message or a correct result, never a
traceback. Lists-file keys and types, empty keep entries and the 5 MB lists file are in
test_cli_select.py; this file covers what is left (wrong encodings, JSON shapes, redact, long
lines through every recogniser and the model, emoji and right-to-left scripts)."""

from __future__ import annotations

import json
import time

import pytest

from bsbstudio.cli.main import main
from bsbstudio.deid.engine.merge import merge
from bsbstudio.deid.engine.span import Span


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["deid", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_text_in_the_wrong_encoding_is_a_message(tmp_path, capsys, encoding):
    path = tmp_path / "intervju.txt"
    path.write_bytes("Kåre bor i Tromsø, ring 982 99 565.".encode(encoding))
    code, out, err = _run(capsys, "detect", "--no-ner", str(path))
    assert (code, out) == (2, "")
    assert "intervju.txt: not UTF-8 text (bad byte at position" in err


def test_lists_file_in_the_wrong_encoding_is_a_message(tmp_path, capsys):
    lists = tmp_path / "lister.yaml"
    lists.write_bytes("keep: [Tromsø]".encode("latin-1"))
    text = tmp_path / "t.txt"
    text.write_text("Kåre bor i Tromsø.", encoding="utf-8")
    code, out, err = _run(capsys, "detect", "--no-ner", "--lists", str(lists), str(text))
    assert (code, out) == (2, "")
    assert "lister.yaml: not UTF-8 text" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"keep": "PART"}', "keep must be a list of names"),
        ("42", "expected keys people, places, organizations, keep"),
        ('"PART"', "expected keys people, places, organizations, keep"),
        ('{"keep": ["…"]}', "keep, entry 1 is empty"),
        ('{"keep": ["PART", null]}', "keep, entry 2 is empty"),
        ('{"people": [{"name": "Kari"}]}', "people, entry 1 is not a name"),
        ('{"keep": ["PART"', "not valid YAML"),
    ],
)
def test_json_lists_file_of_the_wrong_shape_is_a_message(tmp_path, capsys, content, expected):
    lists = tmp_path / "lister.json"
    lists.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "detect", "--no-ner", "--lists", str(lists), "-")
    assert (code, out) == (2, "")
    assert expected in err and "lister.json" in err


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_lists_path_that_is_no_file_is_a_message(tmp_path, capsys, where):
    lists = tmp_path / "lister.yaml"
    if where == "folder":
        lists.mkdir()
    code, out, err = _run(capsys, "detect", "--no-ner", "--lists", str(lists), "-")
    assert (code, out) == (2, "")
    assert ("no such file" if where == "missing" else "is a folder") in err


def test_redact_with_a_bad_lists_file_prints_no_text_and_writes_no_mapping(tmp_path, capsys):
    lists = tmp_path / "lister.yaml"
    lists.write_text("keep: Solstrand", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("Kari Nordmann bor i Asker.", encoding="utf-8")
    mapping = tmp_path / "map.json"
    code, out, err = _run(
        capsys, "redact", "--no-ner", "--lists", str(lists), "--mapping", str(mapping), str(text)
    )
    assert (code, out) == (2, "")
    assert "keep must be a list of names" in err
    assert not mapping.exists()


def test_emoji_arabic_and_combining_marks_keep_code_point_offsets(tmp_path, capsys):
    text = "😀👍🏽 مرحبا أنا من هنا. Ce\u0301line og Kari Nordmann, ring 982 99 565 🙂"
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = _run(capsys, "detect", "--no-ner", str(path))
    assert code == 0
    found = [text[s["start"] : s["end"]] for s in json.loads(out)]
    assert "Kari Nordmann" in found and "982 99 565" in found
    assert not any("مرحبا" in f or "😀" in f for f in found)


def test_control_characters_in_jsonl_text_give_valid_spans(monkeypatch, capsys):
    import io

    body = "D1:\x00 Kari Nordmann\x1b[31m ringte\x07 982 99 565\x0c."
    line = json.dumps({"id": "x", "text": body}) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    code, out, _ = _run(capsys, "detect", "--jsonl", "--no-ner")
    assert code == 0
    spans = json.loads(out)["spans"]
    assert [body[s["start"] : s["end"]] for s in spans] == ["Kari Nordmann", "982 99 565"]


def test_merging_many_spans_is_not_quadratic():
    text = "x" * 400_000
    spans = [Span(i * 8, i * 8 + 5, "PHONE", 0.8) for i in range(50_000)]
    spans += [Span(i * 8 + 1, i * 8 + 3, "AGE", 0.6) for i in range(50_000)]  # inside, lower
    started = time.perf_counter()
    merged = merge(spans, text)
    assert time.perf_counter() - started < 10  # the pairwise scan took minutes here
    assert len(merged) == 50_000 and all(s.label == "PHONE" for s in merged)


def test_five_megabyte_line_through_every_rule(rules):
    speech = "ja og så var det sånn at vi gikk dit hver dag og snakket om livet og håp, " * 67_000
    text = speech + "ring Kari Nordmann på 982 99 565"
    assert len(text.encode()) > 5_000_000 and "\n" not in text
    started = time.perf_counter()
    spans = rules.detect(text)
    assert time.perf_counter() - started < 180  # about 30 s on one shared core
    assert [text[s.start : s.end] for s in spans] == ["Kari Nordmann", "982 99 565"]


def test_a_line_longer_than_the_models_limit_runs_through_the_model(detector):
    # an unknown capitalised word every few words sends the model a window each: before the
    # windows were capped they joined into one over spaCy's max_length (1,000,000 characters)
    text = "og så traff jeg Qvirnstad hos dem igjen, " * 25_000
    assert len(text) > 1_000_000 and "\n" not in text
    spans = detector.detect(text)
    assert len(spans) == 25_000
    assert {text[s.start : s.end] for s in spans} == {"Qvirnstad"}
