"""`bsb deid detect --only/--skip`, `bsb deid recognisers`, and the lists file's `keep:` key."""

from __future__ import annotations

import json

import pytest

from bsbstudio.cli.main import main
from bsbstudio.deid.engine.recognisers.registry import ALL_RECOGNISERS

TEXT = "Kari Nordmann ringte 982 99 565 fra Solstrand i Tromsø."


def _detect(tmp_path, capsys, *options: str, text: str = TEXT) -> list[tuple[str, str]]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["deid", "detect", "--no-ner", *options, str(path)]) == 0
    return [(text[s["start"] : s["end"]], s["source"]) for s in json.loads(capsys.readouterr().out)]


def test_recognisers_lists_each_one_on_one_line(capsys):
    assert main(["deid", "recognisers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [cls.name for cls in ALL_RECOGNISERS]
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)
    assert any(line.startswith("ner ") for line in lines)


def test_only_runs_the_named_recognisers(tmp_path, capsys):
    assert _detect(tmp_path, capsys, "--only", "phone") == [("982 99 565", "phone")]
    found = _detect(tmp_path, capsys, "--only", "phone,name_list")
    assert ("982 99 565", "phone") in found
    assert {source for _, source in found} <= {"phone", "name_list", "propagation"}
    assert any(source == "name_list" for _, source in found)


def test_skip_leaves_the_named_recognisers_out(tmp_path, capsys):
    everything = _detect(tmp_path, capsys)
    assert ("982 99 565", "phone") in everything
    skipped = _detect(tmp_path, capsys, "--skip", "phone,spoken_number")
    assert all(source != "phone" for _, source in skipped)
    assert "982 99 565" not in [surface for surface, _ in skipped]
    assert [s for s in skipped if s[1] != "phone"] == [s for s in everything if s[1] != "phone"]


@pytest.mark.parametrize(
    "options",
    [["--only", "phone,nosuch"], ["--skip", "nosuch"], ["--only", "PHONE"]],
)
def test_unknown_recogniser_is_a_message_and_exit_2(tmp_path, capsys, options):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["deid", "detect", *options, str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown recogniser" in err and "bsb deid recognisers" in err
    assert "Traceback" not in err


def test_only_and_skip_together_or_empty_are_refused(tmp_path, capsys):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    for options in (["--only", "phone", "--skip", "email"], ["--only", ","]):
        with pytest.raises(SystemExit) as exit_:
            main(["deid", "detect", *options, str(path)])
        assert exit_.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


def _lists(tmp_path, content: str):
    path = tmp_path / "lists.yaml"
    path.write_text(content, encoding="utf-8")
    return ["--lists", str(path)]


def test_keep_key_stops_the_services_name_being_flagged(tmp_path, capsys):
    text = "D1: Jeg var på Fjordglimt Helsehus i går, og Kari Nordmann var der."
    before = [s for s, _ in _detect(tmp_path, capsys, text=text)]
    assert "Helsehus" in " ".join(before)  # without the keep entry: a false alarm
    options = _lists(tmp_path, "keep: [Fjordglimt Helsehus]")
    after = [s for s, _ in _detect(tmp_path, capsys, *options, text=text)]
    assert after == ["Kari Nordmann"]


def test_keep_never_outranks_a_name_to_hide(tmp_path, capsys):
    options = _lists(tmp_path, "people: [Kari Solstrand]\nkeep: [Solstrand]\n")
    found = [s for s, _ in _detect(tmp_path, capsys, *options, text="Hun heter Solstrand.")]
    assert found == ["Solstrand"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("peoples: [Kari]", "unknown key peoples"),
        ("- Kari\n- Ola\n", "expected keys people, places, organizations, keep"),
        ("people: Kari Nordmann", "people must be a list of names"),
        ("keep: {Solstrand: 1}", "keep must be a list of names"),
        ("keep: [[Solstrand]]", "keep, entry 1 is not a name"),
        ("keep: [true]", "keep, entry 1 is not a name"),
        ("keep:\n  - Solstrand\n  -\n", "keep, entry 2 is empty"),
        ("keep: ['', Solstrand]", "keep, entry 1 is empty"),
        ("keep: ['  \t ']", "keep, entry 1 is empty"),
        ("keep: ['\x01\x02']", "not valid YAML"),
        (f"keep: ['{'a' * 300}']", "keep, entry 1 is longer than 200 characters"),
        ("keep: [Solstrand", "not valid YAML"),
    ],
)
def test_bad_lists_file_is_a_message_and_exit_2(tmp_path, capsys, content, expected):
    options = _lists(tmp_path, content)
    assert main(["deid", "detect", "--no-ner", *options, "-"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "lists.yaml" in err
    assert "Traceback" not in err


def test_five_megabyte_lists_file_in_one_line_is_refused(tmp_path, capsys):
    options = _lists(tmp_path, "keep: [" + "Solstrand, " * 500_000 + "]")
    assert main(["deid", "detect", "--no-ner", *options, "-"]) == 2
    assert "too large for a lists file" in capsys.readouterr().err


def test_empty_lists_file_and_null_keys_are_empty_lists(tmp_path, capsys):
    assert _detect(tmp_path, capsys, *_lists(tmp_path, ""), "--only", "phone") == [
        ("982 99 565", "phone")
    ]
    options = _lists(tmp_path, "people:\nkeep: null\n")
    assert _detect(tmp_path, capsys, *options, "--only", "phone") == [("982 99 565", "phone")]


def test_control_characters_and_mixed_scripts_in_lists(tmp_path, capsys):
    # a tab inside an entry is whitespace; Cyrillic "Кари" is its own name, not Latin "Kari"
    options = _lists(tmp_path, 'people: ["Кари\\tЛиен"]\nkeep: ["Sol\\u0007strand"]\n')
    text = "Кари Лиен og Kari møttes. Sol strand var stengt."
    found = _detect(tmp_path, capsys, *options, "--only", "evaluation_list", text=text)
    assert found == [("Кари Лиен", "evaluation_list")]


def test_five_megabyte_text_in_one_line(tmp_path, capsys):
    text = "ja og nei " * 500_000 + "ring 982 99 565"
    found = _detect(tmp_path, capsys, "--only", "phone", text=text)
    assert found == [("982 99 565", "phone")]


def test_control_characters_and_mixed_scripts_in_text(tmp_path, capsys):
    text = "Ring\x00 982 99 565\x1b[0m. Привет, Kari Nordmann, 你好 \u202eevil."
    found = _detect(tmp_path, capsys, text=text)
    assert ("982 99 565", "phone") in found
    assert any(surface == "Kari Nordmann" for surface, _ in found)
