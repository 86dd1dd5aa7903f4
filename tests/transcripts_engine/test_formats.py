"""Each importer with good files made in the test."""

import json

import pytest

from bsbstudio.transcripts.engine import read_file

from .conftest import assert_offsets_valid, make_docx, make_odt

EXPECTED = [("I", "Hvordan var det?"), ("Deltaker 2", "Bra, altså … (latter)")]
TEXT = "I: Hvordan var det?\nDeltaker 2: Bra, altså … (latter)"


def turns(parsed):
    assert_offsets_valid(parsed)
    return [(t.speaker, parsed.spoken(t)) for t in parsed.turns]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        ("\ufeff".encode() + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
)
def test_txt_encodings(data, encoding):
    parsed = read_file(data, "intervju.txt")
    assert turns(parsed) == EXPECTED
    assert (parsed.source_format, parsed.encoding) == ("txt", encoding)


def test_txt_windows_1252_norwegian_letters():
    parsed = read_file("I: Blåbær på Ørsta – «ja»".encode("cp1252"), "a.TXT")
    assert parsed.spoken(parsed.turns[0]) == "Blåbær på Ørsta – «ja»"


def test_docx_paragraphs_and_table():
    data = make_docx(
        ["Intervju 4, Solvik", "I: Hvordan var det?", "Deltaker 2: Bra, altså …", "(latter)"],
        table_rows=[["00:01:10", "I", "Og etterpå?"], ["M:", "", "Takk."]],
    )
    parsed = read_file(data, "intervju.docx")
    assert parsed.source_format == "docx"
    assert turns(parsed) == [
        ("", "Intervju 4, Solvik"),
        ("I", "Hvordan var det?"),
        ("Deltaker 2", "Bra, altså …\n(latter)"),
        ("I", "Og etterpå?"),
        ("M", "Takk."),
    ]


def test_docx_tabs_breaks_and_tracked_changes():
    from .conftest import replace_docx_member

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>'
        "<w:p><w:r><w:t>I:</w:t></w:r><w:r><w:tab/><w:t>ja</w:t><w:br/><w:t>nei</w:t></w:r>"
        "<w:del><w:r><w:delText>slettet</w:delText></w:r></w:del>"
        '<w:ins><w:r><w:t xml:space="preserve"> lagt til</w:t></w:r></w:ins></w:p>'
        "</w:body></w:document>"
    )
    data = replace_docx_member(make_docx(["x"]), "word/document.xml", xml.encode())
    assert turns(read_file(data, "a.docx")) == [("I", "ja\nnei lagt til")]


def test_odt():
    body = (
        "<text:h>Fokusgruppe</text:h>"
        '<text:p>I:<text:s/>Hvordan<text:s text:c="2"/>var det?</text:p>'
        "<text:p>Deltaker 2: <text:span>Bra</text:span>, altså …"
        "<text:note><text:note-body><text:p>fotnote</text:p></text:note-body></text:note>"
        "<text:line-break/>(latter)</text:p>"
        "<text:list><text:list-item><text:p>M: punkt</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>H1</text:p></table:table-cell>"
        "<table:table-cell><text:p>Rad</text:p></table:table-cell></table:table-row>"
        "</table:table>"
    )
    parsed = read_file(make_odt(body), "fg.odt")
    assert turns(parsed) == [
        ("", "Fokusgruppe"),
        ("I", "Hvordan  var det?"),
        ("Deltaker 2", "Bra, altså …\n(latter)"),
        ("M", "punkt"),
        ("H1", "Rad"),
    ]


def test_rtf():
    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}"
        r"\pard I: Hvordan var det?\par"
        "\n"
        r"Deltaker 2: Bra, alts\'e5 \u8230? (latter)\par}"
    )
    assert turns(read_file(rtf.encode("ascii"), "a.rtf")) == EXPECTED


VTT = """WEBVTT

NOTE laget i en test

1
00:00:01.000 --> 00:00:03.000
<v I>Hvordan var det?</v>

00:00:03.500 --> 00:00:05.000 align:start
<v.loud Deltaker 2>Bra,</v>

00:00:05.000 --> 00:00:06.000
altså &hellip; <i>(latter)</i>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
I: Hvordan var
det?

2
00:00:03,500 --> 00:00:05,000
Deltaker 2: Bra,

3
00:00:05,000 --> 00:00:06,000
altså … (latter)
"""


def test_vtt_voices_and_merge():
    parsed = read_file(VTT.encode(), "opptak.vtt")
    assert turns(parsed) == [("I", "Hvordan var det?"), ("Deltaker 2", "Bra, altså … (latter)")]


def test_srt_prefix_codes_and_merge():
    parsed = read_file(SRT.encode("utf-8-sig"), "opptak.srt")
    assert turns(parsed) == [("I", "Hvordan var det?"), ("Deltaker 2", "Bra, altså … (latter)")]


def test_whisper_json_with_speakers():
    doc = {
        "text": "ignored",
        "segments": [
            {"start": 0.0, "end": 2.0, "text": " Hvordan var det?", "speaker": "SPEAKER_00"},
            {"start": 2.0, "end": 3.0, "text": " Bra,", "speaker": "SPEAKER_01"},
            {"start": 3.0, "end": 4.0, "text": " altså … (latter)"},
            {"start": 4.0, "end": 5.0, "text": " Takk.", "speaker": "SPEAKER_00"},
        ],
    }
    parsed = read_file(json.dumps(doc).encode(), "whisper.json")
    assert turns(parsed) == [
        ("SPEAKER_00", "Hvordan var det?"),
        ("SPEAKER_01", "Bra, altså … (latter)"),
        ("SPEAKER_00", "Takk."),
    ]


def test_whisper_json_without_speakers_uses_codes_in_text():
    doc = {
        "segments": [
            {"text": " I: Hvordan var det?"},
            {"text": " Deltaker 2: Bra,"},
            {"text": " altså … (latter)"},
        ]
    }
    parsed = read_file(json.dumps(doc, ensure_ascii=False).encode(), "w.json")
    assert turns(parsed) == [("I", "Hvordan var det?"), ("Deltaker 2", "Bra,\naltså … (latter)")]


def test_whisper_json_text_only_and_no_speakers_allowed():
    parsed = read_file(b'{"text": " bare tekst"}', "w.json", require_speakers=False)
    assert turns(parsed) == [("", "bare tekst")]
