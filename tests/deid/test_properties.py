"""Property tests: any text, however odd, gives valid, sorted, non-overlapping spans."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bsbstudio.deid.engine import LABELS
from bsbstudio.deid.engine.merge import merge
from bsbstudio.deid.engine.span import Span

PIECES = st.sampled_from(
    [
        "Kari",
        "Nordmann",
        "per",
        "uke",
        "I:",
        "D1:",
        "\n",
        " ",
        ".",
        ",",
        "100779 02320",
        "982 99 565",
        "@",
        "www.",
        ".no",
        "17. mai",
        "jeg er",
        "43",
        "førtito",
        "dr.",
        "DPS",
        "Sykehuset",
        "Østfold",
        "\x00",
        "\u200b",
        "é",
        "Ω",
        "漢字",
        "🙂",
        "\t",
        "\r\n",
        "-",
        "1",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=80).map("".join))


def check(text, spans):
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        assert span.label in LABELS
        previous_end = span.end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_rules_never_crash_and_spans_are_valid(rules, text):
    check(text, rules.detect(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_with_model_spans_are_valid(detector, text):
    check(text, detector.detect(text))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 50), st.integers(1, 20), st.sampled_from(sorted(LABELS)), st.floats(0, 1)
        ),
        max_size=30,
    )
)
def test_merge_never_overlaps(raw):
    text = "x" * 80
    spans = [Span(s, s + n, label, score) for s, n, label, score in raw]
    check(text, merge(spans, text))


def test_empty_and_huge_text(rules):
    assert rules.detect("") == []
    assert rules.detect("   \n ") == []
    huge = ("Jeg heter Kari og bor i Asker. " * 4000) + "ring 982 99 565"
    spans = rules.detect(huge)
    check(huge, spans)
    assert spans[-1].label == "PHONE"
