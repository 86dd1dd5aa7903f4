"""The leak guard scans each distinct text once and keeps its spans: same findings, changed text rescanned."""

from __future__ import annotations

import pytest

from bsbstudio.deid import leak_guard
from bsbstudio.deid.actions import detector_for
from bsbstudio.deid.engine import Detector
from bsbstudio.deid.models import LeakScan, ProtectedTerm

TEXTS = [
    "Jeg snakket med Kari Nordmann om det, og hun sa at Per Hansen kunne ringe 41 22 87 56.",
    "Hos Tilgang var det [NAVN 2] som tok imot meg på Ullevål sykehus.",
    "Ole fra Bergen hjalp meg, han er 45 år og jobber som sykepleier.",
    "ble jeg møtt med respekt",
    "Jeg snakket med Kari Nordmann om det, og hun sa at Per Hansen kunne ringe 41 22 87 56.",
    "   ",
    "Mor til Solveig Dahl skrev til post@eksempel.no i mars 2024.",
]


def uncached_scan(evaluation, texts):
    """The guard as it was before spans were kept: the detector over every text in turn."""
    detector = detector_for(evaluation)
    themes = leak_guard.theme_phrases(evaluation)
    found = {}
    for text in texts:
        placeholders = [(m.start(), m.end()) for m in leak_guard.PLACEHOLDER.finditer(text)]
        if themes is not None:
            placeholders += [(m.start(), m.end()) for m in themes.finditer(text)]
        for span in detector.detect(text):
            if any(a <= span.start and span.end <= b for a, b in placeholders):
                continue
            value = text[span.start : span.end]
            found.setdefault(
                (value, span.label), leak_guard.Finding(value, span.label, span.explanation)
            )
    return list(found.values())


@pytest.fixture
def fresh(evaluation):
    """The evaluation with a name to hide, and no spans kept in this process."""
    ProtectedTerm.objects.create(evaluation=evaluation, text="Solveig Dahl", kind="PERSON")
    leak_guard._recent.clear()
    yield evaluation
    leak_guard._recent.clear()


@pytest.fixture
def calls(monkeypatch):
    """The texts the detector is run over."""
    seen = []
    original = Detector.detect

    def detect(self, text):
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(Detector, "detect", detect)
    return seen


def test_kept_spans_give_the_same_findings_as_scanning_every_text(fresh):
    reference = uncached_scan(fresh, TEXTS)
    labels = {f.label for f in reference}
    assert {"PERSON", "PHONE", "EMAIL"} <= labels  # the texts do hold names
    assert {"Kari Nordmann", "Solveig Dahl"} <= {f.text for f in reference}
    first = leak_guard.scan(fresh, TEXTS)  # scanned, and kept
    from_process = leak_guard.scan(fresh, TEXTS)
    leak_guard._recent.clear()
    from_database = leak_guard.scan(fresh, TEXTS)
    assert first == from_process == from_database == reference


def test_each_distinct_text_is_scanned_once_and_then_kept(fresh, calls):
    leak_guard.scan(fresh, TEXTS)
    assert sorted(calls) == sorted({t for t in TEXTS if t.strip()})
    calls.clear()
    leak_guard.scan(fresh, TEXTS)
    leak_guard._recent.clear()
    leak_guard.scan(fresh, TEXTS)  # from the database, as another process would
    assert calls == []
    assert LeakScan.objects.filter(evaluation=fresh).count() == 5  # 7 texts: a repeat, a blank


def test_many_texts_are_read_back_in_one_pass_with_the_same_findings(fresh, calls, monkeypatch):
    first = leak_guard.scan(fresh, TEXTS)
    calls.clear()
    leak_guard._recent.clear()
    monkeypatch.setattr(leak_guard, "LOOKUP_BATCH", 2)  # 5 texts: past one batch
    assert leak_guard.scan(fresh, TEXTS) == first
    assert calls == []


def test_a_changed_text_is_scanned_again(fresh, calls):
    assert leak_guard.scan(fresh, ["Han het Ole, sa hun."]) == leak_guard.scan(
        fresh, ["Han het Ole, sa hun."]
    )
    assert calls == ["Han het Ole, sa hun."]
    found = leak_guard.scan(fresh, ["Han het Ole, sa hun. Ring 41 22 87 56."])
    assert calls[-1] == "Han het Ole, sa hun. Ring 41 22 87 56."
    assert "41 22 87 56" in {f.text for f in found}


def test_a_new_name_to_hide_scans_again_and_drops_the_old_spans(fresh, calls):
    text = "det var trulte som hjalp meg på kontoret."
    assert "trulte" not in {f.text for f in leak_guard.scan(fresh, [text])}
    old = set(LeakScan.objects.values_list("fingerprint", flat=True))
    ProtectedTerm.objects.create(evaluation=fresh, text="Trulte", kind="PERSON")
    assert "trulte" in {f.text for f in leak_guard.scan(fresh, [text])}
    assert calls == [text, text]
    assert not LeakScan.objects.filter(fingerprint__in=old).exists()


def test_a_kept_scan_holds_no_text(fresh):
    leak_guard.scan(fresh, TEXTS[:1])
    row = LeakScan.objects.get()
    stored = f"{row.digest} {row.fingerprint} {row.spans}"
    for word in ("Kari", "Nordmann", "Hansen", "41 22 87 56"):
        assert word not in stored
    assert {span[2] for span in row.spans} >= {"PERSON", "PHONE"}


def test_the_fingerprint_follows_the_lists_and_options():
    from bsbstudio.deid.engine.lists import EvaluationLists

    base = Detector(EvaluationLists(people=["Kari Nordmann"]), use_ner=False)
    assert (
        base.fingerprint()
        == Detector(EvaluationLists(people=["Kari Nordmann"]), use_ner=False).fingerprint()
    )
    for other in (
        Detector(EvaluationLists(people=["Kari Nordman"]), use_ner=False),
        Detector(EvaluationLists(people=["Kari Nordmann"], keep=["Nord"]), use_ner=False),
        Detector(EvaluationLists(people=["Kari Nordmann"]), use_ner=False, min_score=0.6),
        Detector(EvaluationLists(people=["Kari Nordmann"]), use_ner=False, skip=["phone"]),
    ):
        assert other.fingerprint() != base.fingerprint()


def test_the_export_bench_times_the_three_ways(db):
    import io

    from bsbstudio.reports.bench import export_part

    out = io.StringIO()
    export_part(200, 1, 12, out)
    printed = out.getvalue()
    assert "whole-evaluation matrix XLSX: 200 quotes written" in printed
    for row in ("nothing scanned before", "kept in the database", "kept in this process"):
        assert row in printed
    assert "target: under 5 s once the texts have been scanned (met" in printed
