"""Invariants 1 and 2: offsets stay exact through redaction; analysis pages show no raw identifier."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bsbstudio.deid.actions import redact_by_turn
from bsbstudio.deid.engine import Redactor, Span


class Turn:
    def __init__(self, start, end):
        self.start, self.end = start, end


@st.composite
def transcript_with_spans(draw):
    """Lines 'X: words' with spans chosen inside the spoken parts."""
    words = st.text(alphabet="abcæøå ÆØÅ…,.", min_size=1, max_size=40)
    lines = draw(st.lists(words, min_size=1, max_size=8))
    text, turns, spans = "", [], []
    for index, spoken in enumerate(lines):
        prefix = f"D{index}: "
        start = len(text) + len(prefix)
        text += prefix + spoken + "\n"
        turns.append(Turn(start, start + len(spoken)))
        if len(spoken) >= 2 and draw(st.booleans()):
            a = draw(st.integers(0, len(spoken) - 2))
            b = draw(st.integers(a + 1, len(spoken)))
            spans.append(
                Span(start + a, start + b, draw(st.sampled_from(["PERSON", "PHONE", "DATE"])))
            )
    return text, turns, spans


@settings(max_examples=150, deadline=None)
@given(transcript_with_spans())
def test_turn_offsets_survive_redaction(case):
    text, turns, spans = case
    new_text, offsets = redact_by_turn(text, turns, spans, Redactor(mode="placeholder"))
    assert len(offsets) == len(turns)
    new_lines = new_text.split("\n")
    for (start, end), line in zip(offsets, new_lines, strict=False):
        assert 0 <= start <= end <= len(new_text)
        assert line.endswith(new_text[start:end])
        assert "\n" not in new_text[start:end]
    # Every span became one placeholder (the alphabet has no brackets of its own).
    assert new_text.count("[") == len(spans)
    # The speaker codes are untouched.
    assert [line.split(":")[0] for line in new_lines if line] == [
        line.split(":")[0] for line in text.split("\n") if line
    ]
