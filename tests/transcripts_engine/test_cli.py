"""`bsb transcript parse FILE --json` without a database."""

import json

from bsbstudio.cli.main import main


def test_parse_json(tmp_path, capsys):
    path = tmp_path / "intervju.txt"
    path.write_text("I: Hei\nDeltaker 2: Hallo, blåbær", encoding="utf-8")
    assert main(["transcript", "parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == "I: Hei\nDeltaker 2: Hallo, blåbær"
    assert out["turns"] == [
        {"speaker": "I", "start": 3, "end": 6},
        {"speaker": "Deltaker 2", "start": 19, "end": 32},
    ]


def test_parse_summary(tmp_path, capsys):
    path = tmp_path / "intervju.txt"
    path.write_text("I: Hei\nM: Hallo", encoding="utf-8")
    assert main(["transcript", "parse", str(path)]) == 0
    assert "2 turns" in capsys.readouterr().out


def test_parse_error_goes_to_stderr(tmp_path, capsys):
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    assert main(["transcript", "parse", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "tom.txt" in captured.err and "empty" in captured.err


def test_parse_too_large_and_missing(tmp_path, capsys):
    path = tmp_path / "stor.txt"
    path.write_bytes(b"I: " + b"a" * 100)
    assert main(["transcript", "parse", str(path), "--max-bytes", "10"]) == 1
    assert "too large" in capsys.readouterr().err
    assert main(["transcript", "parse", str(tmp_path / "finnes-ikke.txt")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_bench_import_runs_small(capsys):
    assert main(["bench", "import", "--words", "400", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "fokusgruppe.docx" in out and "met" in out
