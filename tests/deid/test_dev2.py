"""The second dev set (data/deid/dev2.*) and the bench that scores it beside false alarms."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from bsbstudio.cli.main import main
from bsbstudio.deid import bench

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
DEV2 = ROOT / "data" / "deid" / "dev2.jsonl"
SCORER = DATA / "deid" / "score.py"
needs_scorer = pytest.mark.skipif(not SCORER.is_file(), reason="no shared score.py")


def _build_module():
    spec = importlib.util.spec_from_file_location("build_dev2", ROOT / "scripts" / "build_dev2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()
FILLER = " ord" * 120  # the builder refuses excerpts under 120 words


def test_dev2_jsonl_is_what_its_source_builds():
    parsed = build.parse_source(build.SOURCE.read_text(encoding="utf-8"))
    assert build.to_jsonl([doc for _, doc in parsed]) == DEV2.read_text(encoding="utf-8")


def test_dev2_has_the_styles_sizes_and_layout_the_issue_asks_for():
    parsed = build.parse_source(build.SOURCE.read_text(encoding="utf-8"))
    styles = [style for style, _ in parsed]
    assert len(parsed) >= 40
    assert {s: styles.count(s) for s in build.STYLES} == {
        "asr": 16,
        "nynorsk": 12,
        "dialect": 10,
        "focusgroup": 10,
    }
    for number, (style, doc) in enumerate(parsed, start=1):
        assert set(doc) == {"id", "text", "spans"} and doc["id"] == f"dev2_{number:03d}"
        assert 120 <= len(re.findall(r"\w+", doc["text"])) <= 250
        previous_end = 0
        for span in doc["spans"]:
            surface = doc["text"][span["start"] : span["end"]]
            assert surface == surface.strip() and surface, (doc["id"], span)
            assert span["start"] >= previous_end  # sorted, never overlapping
            previous_end = span["end"]
            default = "direct" if span["label"] in build.DIRECT_LABELS else "quasi"
            assert span["identifier"] in (default, "direct")
        if style == "asr":  # speech recognition: no capitals, no speaker codes
            assert doc["text"] == doc["text"].lower()
            assert not re.search(r"(?m)^\w{1,3}\d?:", doc["text"])


def test_markup_gives_code_point_offsets_and_identifier_overrides():
    doc = build.parse_document(
        "😀 Øystein: [[Åse|PERSON]] jobbet i [[Åses Bil|ORGANIZATION|direct]] i [[Å|LOCATION]]."
        + FILLER,
        "dev2_999",
    )
    text = doc["text"]
    assert [(text[s["start"] : s["end"]], s["identifier"]) for s in doc["spans"]] == [
        ("Åse", "direct"),
        ("Åses Bil", "direct"),
        ("Å", "quasi"),
    ]
    assert doc["spans"][0]["start"] == len("😀 Øystein: ")  # code points, not bytes


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[Kari|NAME]]", "unknown label"),
        ("[[Kari|PERSON]", "malformed"),
        ("[[ Kari|PERSON]]", "spaces at its edge"),
        ("[[Kari|PERSON]] for kort", "words"),
    ],
)
def test_markup_mistakes_are_refused(body, message):
    filler = "" if message == "words" else FILLER
    with pytest.raises(build.SourceError, match=message):
        build.parse_document(body + filler, "dev2_999")


@needs_scorer
def test_dev2_is_scored_by_the_shared_scorer():
    scorer = bench.load_scorer(SCORER)
    gold = scorer.load_gold(str(DEV2))
    direct = sum(s["identifier"] == "direct" for d in gold.values() for s in d["spans"])
    empty = scorer.evaluate(gold, {})
    assert empty["leaks"] == direct == 180
    perfect = scorer.evaluate(
        gold, {i: [(s["start"], s["end"]) for s in d["spans"]] for i, d in gold.items()}
    )
    assert perfect["direct_recall"] == perfect["token_precision"] == 1.0


REPORT = (
    "Brukerne ble spurt om ”dialogbaserte metoder”, se tabell 3.\n"
    "”Jeg har vært hos PART på Grünerløkka i to år, og det er det beste\n"
    "jeg har vært med på. Jeg ringte Kari Nordmann på 982 99 565 da.”\n"
    "”It is important to keep in mind that the intent of a focus group is not to judge”\n"
    "“Det er ikke så lett å si, men vi har fått mer hjelp enn før, og det er bra.”\n"
)


def test_interview_quotes_are_long_norwegian_block_quotes_on_one_line():
    quotes = bench.interview_quotes(REPORT)
    assert quotes == [
        "Jeg har vært hos PART på Grünerløkka i to år, og det er det beste jeg har vært med på. "
        "Jeg ringte Kari Nordmann på 982 99 565 da.",
        "Det er ikke så lett å si, men vi har fått mer hjelp enn før, og det er bra.",
    ]


def test_false_alarms_use_each_reports_own_world(tmp_path):
    (tmp_path / "000_report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "999_unknown.txt").write_text(REPORT, encoding="utf-8")  # no known evaluation
    kept = []

    def make(keep):
        kept.append(tuple(keep))
        return lambda text: [
            (m.start(), m.end(), "ORGANIZATION") for m in re.finditer("PART", text)
        ]

    result = bench.false_alarms(make, tmp_path)
    assert kept == [bench.OWN_WORLD["000"]]
    words = sum(len(re.findall(r"\w+", q)) for q in bench.interview_quotes(REPORT))
    assert (result["passages"], result["words"], result["flags"]) == (2, words, 1)
    assert result["per_1000"] == pytest.approx(1000 / words)


@needs_scorer
def test_bench_scores_both_dev_sets_and_real_quotes(tmp_path):
    data = tmp_path / "data"
    (data / "deid").mkdir(parents=True)
    shutil.copy(SCORER, data / "deid" / "score.py")
    text = "D1: Jeg heter Kari Nordmann og ringer 982 99 565."
    start = text.index("Kari")
    gold = {
        "id": "dev_001",
        "text": text,
        "spans": [{"start": start, "end": start + 13, "label": "PERSON", "identifier": "direct"}],
    }
    (data / "deid" / "dev.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    dev2 = tmp_path / "dev2.jsonl"
    dev2.write_text(json.dumps({**gold, "id": "dev2_001"}) + "\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "004_report.txt").write_text(REPORT, encoding="utf-8")  # Oslo's districts kept
    out = io.StringIO()
    figures = bench.run(
        data, with_presidio=False, use_ner=False, dev2=dev2, seeds=seeds, show=5, out=out
    )
    printed = out.getvalue()
    engine = figures["BSB engine (rules only)"]
    assert engine["dev"]["direct_recall"] == engine["dev2"]["direct_recall"] == 1.0
    flagged = {q[s:e] for _, q, s, e, _ in engine["real"]["_flags"]}
    assert "Grünerløkka" not in flagged  # a unit of the evaluated service is kept
    assert {"Kari Nordmann", "982 99 565"} <= flagged
    for row in ("dev2 direct recall", "dev2 leaks", "real quotes: flags/1,000 words"):
        assert row in printed
    assert "[982 99 565]" in printed and "score.py report for" in printed


def test_show_flags_needs_a_whole_number(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "deid", "--show-flags", "many"])
    assert exit_.value.code == 2
    assert "expected a whole number" in capsys.readouterr().err
