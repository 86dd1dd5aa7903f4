"""parse_text: canonical text, turns and offsets."""

import pytest

from bsbstudio.transcripts.engine import TranscriptImportError, Turn, parse_text

from .conftest import assert_offsets_valid

FOCUS_GROUP = """\ufeffFokusgruppe 2, Solvik bydel
Merk: navn er endret

M: Velkommen, alle sammen.   \r
Vi starter med tema 1.\r
D1: Ja … jeg (?) tenker at // det var bra.
D (via tolk): Hun sier JA. (latter)

[Kari] Det var slik: ingen ringte.
"""


def test_canonical_text_reads_like_a_transcript():
    parsed = parse_text(FOCUS_GROUP)
    assert parsed.text == (
        "Fokusgruppe 2, Solvik bydel\nMerk: navn er endret\n"
        "M: Velkommen, alle sammen.\nVi starter med tema 1.\n"
        "D1: Ja … jeg (?) tenker at // det var bra.\n"
        "D (via tolk): Hun sier JA. (latter)\n"
        "Kari: Det var slik: ingen ringte."
    )
    assert [t.speaker for t in parsed.turns] == ["", "M", "D1", "D", "Kari"]
    assert parsed.turns[3].note == "via tolk"
    assert parsed.speakers() == ["M", "D1", "D", "Kari"]
    assert_offsets_valid(parsed)


def test_offsets_point_at_spoken_text_only():
    parsed = parse_text("I: Hva tenker du?\nDeltaker 2: Det var bra.\nmen ikke alltid")
    spoken = [parsed.spoken(t) for t in parsed.turns]
    assert spoken == ["Hva tenker du?", "Det var bra.\nmen ikke alltid"]
    assert parsed.turns[0] == Turn("I", 3, 17)


def test_markup_stays_as_text():
    parsed = parse_text("I: Ja… (…) (?) // (latter) NEI")
    assert parsed.spoken(parsed.turns[0]) == "Ja… (…) (?) // (latter) NEI"


def test_nfc_and_newlines_normalised():
    parsed = parse_text("I: Bjo\u0308rn\r\nM: a\u2028b\x00c")
    assert parsed.text == "I: Björn\nM: a\nbc"


def test_blank_header_is_dropped_and_empty_turn_kept():
    parsed = parse_text("\n\n   \nI:\nM: Hei")
    assert [(t.speaker, parsed.spoken(t)) for t in parsed.turns] == [("I", ""), ("M", "Hei")]
    assert parsed.text == "I:\nM: Hei"


def test_code_on_its_own_line_takes_following_lines():
    parsed = parse_text("I:\nHva tenker du?\n\n\nOm tilbudet?")
    assert parsed.text == "I: Hva tenker du?\n\nOm tilbudet?"
    assert parsed.spoken(parsed.turns[0]) == "Hva tenker du?\n\nOm tilbudet?"


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("  \n\t\n", "empty"), ("Bare tekst uten koder.\nOg mer.", "no_speaker_codes")],
)
def test_bad_text(text, code):
    with pytest.raises(TranscriptImportError) as caught:
        parse_text(text)
    assert caught.value.code == code
    assert "the text" in caught.value.message.lower()


def test_error_names_the_file():
    with pytest.raises(TranscriptImportError) as caught:
        parse_text("ingen koder", "intervju3.txt")
    assert caught.value.params["filename"] == "intervju3.txt"
    assert "intervju3.txt" in caught.value.message


def test_speakers_optional():
    parsed = parse_text("Bare tekst.", require_speakers=False)
    assert parsed.turns == [Turn("", 0, 11)]
