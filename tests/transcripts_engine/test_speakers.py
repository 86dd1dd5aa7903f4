"""Speaker-code recognition at line start, as a table."""

import pytest

from bsbstudio.transcripts.engine import match_code

POSITIVES = [
    ("I: Hei", "I", "", "Hei"),
    ("M: Velkommen", "M", "", "Velkommen"),
    ("K: ja", "K", "", "ja"),
    ("H1: Jeg tror det", "H1", "", "Jeg tror det"),
    ("D2: Mm.", "D2", "", "Mm."),
    ("P1: (latter)", "P1", "", "(latter)"),
    ("Intervjuer: Hva tenker du?", "Intervjuer", "", "Hva tenker du?"),
    ("Moderator: Da begynner vi.", "Moderator", "", "Da begynner vi."),
    ("Deltaker 3: Det var bra.", "Deltaker 3", "", "Det var bra."),
    ("Informant 2: Nei.", "Informant 2", "", "Nei."),
    ("D (via tolk): Hun sier ja.", "D", "via tolk", "Hun sier ja."),
    ("[Kari] Jeg synes …", "Kari", "", "Jeg synes …"),
    ("[Kari]: Jeg synes", "Kari", "", "Jeg synes"),
    ("[H1] Ja", "H1", "", "Ja"),
    ("Kari: Ja, altså …", "Kari", "", "Ja, altså …"),
    ("Kari Nordmann: Ja", "Kari Nordmann", "", "Ja"),
    ("Per-Olav: Ja", "Per-Olav", "", "Ja"),
    ("SPEAKER_00: hello", "SPEAKER_00", "", "hello"),
    ("Ørjan: Hei", "Ørjan", "", "Hei"),
    ("I:", "I", "", ""),
    ("I:Hei", "I", "", "Hei"),
    ("  I: innrykk", "I", "", "innrykk"),
    ("I:\tmed tab", "I", "", "med tab"),
    ("Deltaker  4 :  mellomrom", "Deltaker 4", "", "mellomrom"),
]

NEGATIVES = [
    "Det var slik: ikke bra",
    "Jeg sa: nei",
    "Merk: lydfilen er slettet",
    "Dato: 12. mars",
    "Til stede: fire deltakere",
    "Transkribert av: AB",
    "NB: uklart",
    "Altså: sånn er det",
    "Ja: det stemmer",
    "[latter]",
    "[Latter] ha ha",
    "[00:12:33] I: hei",
    "10:30 møtte vi",
    "https://example.org",
    "http: lowercase",
    "i: lower case code",
    "(latter) I: ikke i starten",
    "Kari:Hei",  # no space is only allowed after short codes
    "Dette Er En Veldig Lang: kode",
    "Abcdefghijklmnopqrstuvwxyzæøå: for lang",
    "D (via tolk som var veldig sen i dag): ja",
    "- I: tankestrek",
    "…I: pause",
    "",
    "I",
]


@pytest.mark.parametrize(("line", "speaker", "note", "rest"), POSITIVES)
def test_recognises_speaker_code(line, speaker, note, rest):
    found = match_code(line)
    assert found is not None, line
    assert (found.speaker, found.note, line[found.rest :]) == (speaker, note, rest)


@pytest.mark.parametrize("line", NEGATIVES)
def test_does_not_take_sentence_or_label_for_a_code(line):
    assert match_code(line) is None


def test_space_before_colon_is_allowed():
    found = match_code("I : ")
    assert found is not None and found.speaker == "I"
