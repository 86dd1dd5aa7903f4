"""Every importer, fed generated files: a result, or its own error with a message; nothing else.

The contract of each importer is the same: any bytes in, and out comes either a parsed result
whose text a database can store (no NUL, no lone surrogate; offsets inside the text), or the
importer's documented error (``TranscriptImportError``, ``TableImportError``, ``ImportRefused``,
``RecordingError`` or ``RangeNotSatisfiable``) with a message. Any other exception fails the
test. ``make fuzz`` runs each with 10,000 inputs (see ``conftest.py``).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bsbstudio.guide.engine import table_import
from bsbstudio.guide.engine.table_import import TableImportError
from bsbstudio.transcripts.engine import TranscriptImportError, parse_text, read_file

from .profile import FUZZ
from .strategies import (
    TRANSCRIPT_FILES,
    any_text,
    audio_files,
    guide_files,
    guide_outline,
    norwegian_text,
    range_headers,
)


def assert_storable(text: str) -> None:
    """Text PostgreSQL can hold and the browser can show."""
    assert "\x00" not in text
    text.encode("utf-8")  # a lone surrogate raises here


def assert_transcript(parsed) -> None:
    assert_storable(parsed.text)
    position = 0
    for turn in parsed.turns:
        assert position <= turn.start <= turn.end <= len(parsed.text)
        assert_storable(turn.speaker)
        position = turn.end


def assert_refusal(error) -> None:
    assert error.code and error.message


@pytest.mark.parametrize("fmt", sorted(TRANSCRIPT_FILES))
@FUZZ
@given(data=st.data())
def test_transcript_importer_gives_a_transcript_or_its_own_error(fmt, data):
    content = data.draw(TRANSCRIPT_FILES[fmt], label=f"{fmt} bytes")
    require = data.draw(st.booleans(), label="require_speakers")
    try:
        parsed = read_file(content, f"intervju.{fmt}", require_speakers=require, max_words=5000)
    except TranscriptImportError as error:
        assert_refusal(error)
        return
    assert_transcript(parsed)


@FUZZ
@given(
    content=st.one_of(*TRANSCRIPT_FILES.values()),
    name=st.one_of(
        st.sampled_from([f"x.{ext}" for ext in TRANSCRIPT_FILES] + ["x", "x.pdf", "a/b\\c.TXT"]),
        st.text(max_size=20),
    ),
)
def test_any_file_under_any_name_gives_a_transcript_or_its_own_error(content, name):
    try:
        parsed = read_file(content, name, max_words=5000)
    except TranscriptImportError as error:
        assert_refusal(error)
        return
    assert_transcript(parsed)


@FUZZ
@given(text=norwegian_text)
def test_pasted_text_gives_a_transcript_or_its_own_error(text):
    try:
        parsed = parse_text(text, require_speakers=False, max_words=5000)
    except TranscriptImportError as error:
        assert_refusal(error)
        return
    assert_transcript(parsed)


def assert_guide(guide) -> None:
    for group in guide.groups:
        assert_storable(group.name)
    for theme in guide.themes:
        assert_storable(theme.name)
        assert len(theme.cells) == len(guide.groups)
        for cell in theme.cells:
            assert_storable(cell.as_text())
    # The preview page round-trips the guide through its data; that must hold too.
    assert table_import.from_data(guide.to_data()) == guide


@FUZZ
@given(content=guide_files(), name=st.sampled_from(["guide.docx", "guide.xlsx", "guide.csv", ""]))
# Found by this test: a first row with questions but no theme was an IndexError.
@example(content=b'"0";"";"";"";"0"\n"";"";"";"";"0"', name="guide.csv")
def test_guide_table_file_gives_a_guide_or_its_own_error(content, name):
    try:
        guide = table_import.read_file(content, name)
    except TableImportError as error:
        assert_refusal(error)
        return
    assert_guide(guide)


@FUZZ
@given(text=st.one_of(guide_outline(), any_text, norwegian_text))
@example(text="\t0\n\t0\n0")  # found by this test, as above
@example(text="0\n- \n - ")  # an empty follow-up question was lost in the round trip
def test_pasted_guide_gives_a_guide_or_its_own_error(text):
    try:
        guide = table_import.read_text(text)
    except TableImportError as error:
        assert_refusal(error)
        return
    assert_guide(guide)


@FUZZ
@given(content=audio_files())
def test_recording_sniffing_and_duration_never_fail(content, tmp_path_factory):
    from bsbstudio.fieldwork.recordings.engine import audio_duration, sniff_audio

    found = sniff_audio(content)
    assert found is None or found.extension in ("wav", "mp3", "m4a", "ogg", "flac")
    path = tmp_path_factory.mktemp("audio") / "opptak"
    path.write_bytes(content)
    duration = audio_duration(path)
    assert duration is None or duration > 0


@FUZZ
@given(header=range_headers, size=st.integers(0, 10**12))
def test_range_header_gives_a_range_inside_the_file_or_416(header, size):
    from bsbstudio.fieldwork.recordings.engine import RangeNotSatisfiable, parse_range

    try:
        found = parse_range(header, size)
    except RangeNotSatisfiable:
        return
    assert found is None or 0 <= found.start <= found.end < size
