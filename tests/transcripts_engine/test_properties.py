"""Property tests: parse_text never crashes and its offsets are always valid."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bsbstudio.transcripts.engine import TranscriptImportError, parse_text

from .conftest import assert_offsets_valid

CODES = ["I: ", "M: ", "H1: ", "Deltaker 2: ", "[Kari] ", "D (via tolk): ", "Merk: ", ""]
line = st.tuples(st.sampled_from(CODES), st.text(max_size=40)).map("".join)
transcript = st.lists(line, max_size=20).map("\n".join)
tricky = st.text(alphabet=" \t\n\r\u2028\x00:;I[]()MKaø0.-\u0308\ufeff", max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), transcript, tricky))
def test_parse_text_never_crashes_and_offsets_are_valid(text):
    try:
        parsed = parse_text(text, require_speakers=False)
    except TranscriptImportError as error:
        assert error.code == "empty"
        return
    assert_offsets_valid(parsed)
    assert parsed.text == parsed.text.strip("\n")
    assert all(line == line.rstrip() for line in parsed.text.split("\n"))


@settings(max_examples=100, deadline=None)
@given(transcript)
def test_parsing_canonical_text_again_is_stable(text):
    try:
        first = parse_text(text)
    except TranscriptImportError:
        return
    second = parse_text(first.text)
    assert second.text == first.text
    assert second.turns == first.turns
