"""Bringing a transcript in through the interview page: every format, and bad files refused."""

from __future__ import annotations

import json

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.deid.models import Detection
from bsbstudio.transcripts.models import SpeakerTurn, Transcript

from .conftest import NAMED_TRANSCRIPT, make_docx, make_odt, make_zip, messages_of, upload, url

LINES = ["I: Hvordan var det å få hjelp?", "D1: Det tok lang tid.", "D2: Vi har for få folk."]
UTF8 = ("\n".join(LINES) + "\nD1: Æ, ø og å er med.\n").encode("utf-8")

SRT = """1
00:00:01,000 --> 00:00:03,000
I: Hvordan var det å få hjelp?

2
00:00:03,500 --> 00:00:05,000
D1: Det tok lang tid.

3
00:00:05,500 --> 00:00:07,000
D2: Vi har for få folk.
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v I>Hvordan var det å få hjelp?

00:00:03.500 --> 00:00:05.000
<v D1>Det tok lang tid.

00:00:05.500 --> 00:00:07.000
<v D2>Vi har for få folk.
"""

WHISPER = {
    "text": "…",
    "segments": [
        {"start": 0.0, "end": 2.0, "text": " Hvordan var det å få hjelp?", "speaker": "I"},
        {"start": 2.0, "end": 4.0, "text": " Det tok lang tid.", "speaker": "D1"},
        {"start": 4.0, "end": 6.0, "text": " Vi har for få folk.", "speaker": "D2"},
    ],
}

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}"
    r"\f0 I: Hvordan var det \'e5 f\'e5 hjelp?\par D1: Det tok lang tid.\par "
    r"D2: Vi har for f\'e5 folk.\par}"
).encode("ascii")

FORMATS = {
    "utf8.txt": UTF8,
    "utf16.txt": ("\n".join(LINES) + "\nD1: Æ, ø og å er med.\n").encode("utf-16"),
    "windows.txt": ("\n".join(LINES) + "\nD1: Æ, ø og å er med.\n").encode("cp1252"),
    "intervju.docx": make_docx(LINES),
    "intervju.odt": make_odt(LINES),
    "intervju.rtf": RTF,
    "intervju.vtt": VTT.encode("utf-8"),
    "intervju.srt": SRT.encode("utf-8"),
    "whisper.json": json.dumps(WHISPER).encode("utf-8"),
}


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_is_imported_through_the_view(evaluation, interview, leader, name):
    response = upload(leader, evaluation, interview, file=(name, FORMATS[name]))
    assert response.status_code == 200
    transcript = interview.transcripts.get()
    assert transcript.source_filename == name
    codes = [t.speaker_code for t in transcript.turns.all()]
    assert codes[:3] == ["I", "D1", "D2"]
    assert "Hvordan var det å få hjelp?" in transcript.raw_text
    if name.endswith(".txt"):
        assert "Æ, ø og å er med." in transcript.raw_text
    # I is the interviewer, D1 and D2 match participants: straight on to the review.
    assert response.redirect_chain[-1][0] == url("deid:review", evaluation, transcript.pk)
    assert name in messages_of(response)


def test_success_message_summarises_turns_speakers_and_words(evaluation, interview, leader):
    response = upload(leader, evaluation, interview, text="\n".join(LINES))
    text = messages_of(response)
    assert "Turns: 3" in text and "Speakers: 3" in text and "Words: 15" in text


def test_unmatched_speakers_lead_to_the_speakers_page(evaluation, interview, leader):
    response = upload(leader, evaluation, interview, text=NAMED_TRANSCRIPT)
    transcript = interview.transcripts.get()
    assert response.redirect_chain[-1][0] == url("transcripts:speakers", evaluation, transcript.pk)
    assert response.status_code == 200


def test_interviewer_label_is_marked_at_import(evaluation, interview, leader, transcript_text):
    upload(leader, evaluation, interview, text=transcript_text)
    transcript = interview.transcripts.get()
    roles = dict(transcript.turns.values_list("speaker_code", "role").distinct())
    assert roles == {"I": "interviewer", "D1": "participant", "D2": "participant"}


def test_upload_form_names_the_formats_and_accepts_them(evaluation, interview, leader):
    html = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert 'accept=".txt,.docx,.odt,.rtf,.vtt,.srt,.json"' in html
    assert "(.vtt, .srt)" in html or ".vtt" in html


def _bomb() -> bytes:
    # 5 MB of one byte compresses a thousandfold: far beyond what a document needs.
    return make_zip({"word/document.xml": b"a" * 5_000_000, "[Content_Types].xml": b"<x/>"})


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>I: &x;</w:t></w:r></w:p></w:body></w:document>"
)

BAD_FILES = [
    ("tom.txt", b""),
    ("blank.docx", b"   \n "),
    ("bilde.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("rot.txt", bytes(range(256)) * 40),
    ("ødelagt.docx", b"PK\x03\x04 not really a zip"),
    ("ikke-zip.odt", b"I: this is not a zip"),
    ("bombe.docx", _bomb()),
    ("xxe.docx", make_zip({"word/document.xml": XXE})),
    ("uten-koder.txt", b"Bare tekst uten talerkoder.\nOg en linje til."),
    ("whisper.json", b'{"segments": "nope"}'),
    ("broken.json", b'{"segments": ['),
    ("latin.json", '{"text": "I: hei på deg"}'.encode("cp1252")),
    ("ingen-tid.srt", b"1\nI: hei\n"),
    ("header.vtt", b"00:00:01.000 --> 00:00:02.000\nI: hei\n"),
    ("rart.rtf", b"I: not rtf"),
    ("lyd.mp3", b"ID3\x03\x00\x00\x00"),
    ("rapport.pdf", b"%PDF-1.7 ..."),
]


@pytest.mark.parametrize(("name", "content"), BAD_FILES, ids=[n for n, _ in BAD_FILES])
def test_bad_files_get_a_message_naming_the_file_and_change_nothing(
    evaluation, interview, leader, name, content
):
    response = upload(leader, evaluation, interview, file=(name, content))
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("#transcript")
    text = messages_of(response)
    assert name in text
    assert "%(" not in text, "every parameter is filled in"
    assert not Transcript.objects.exists()
    assert not SpeakerTurn.objects.exists()
    assert not Detection.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="transcript.").exists()


def test_xxe_is_refused_as_unsafe_and_reads_nothing(evaluation, interview, leader):
    text = messages_of(
        upload(
            leader, evaluation, interview, file=("xxe.docx", make_zip({"word/document.xml": XXE}))
        )
    )
    assert "root:" not in text
    assert not Transcript.objects.exists()


def test_too_large_file_is_refused_before_reading(evaluation, interview, leader, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload(leader, evaluation, interview, file=("stor.txt", b"I: " + b"ord " * 400))
    assert "stor.txt" in messages_of(response)
    assert not Transcript.objects.exists()


def test_too_long_pasted_text_is_refused(evaluation, interview, leader, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload(leader, evaluation, interview, text="I: " + "ord " * 400)
    assert messages_of(response)
    assert not Transcript.objects.exists()


def test_a_file_and_pasted_text_together_are_refused(evaluation, interview, leader):
    response = upload(
        leader, evaluation, interview, text="I: hei", file=("a.txt", b"I: hei\nD1: hallo")
    )
    assert messages_of(response)
    assert not Transcript.objects.exists()


def test_an_unforeseen_engine_failure_is_a_message_not_an_error_page(
    evaluation, interview, leader, monkeypatch
):
    def explode(*args, **kwargs):
        raise KeyError("a bug in a reader")

    monkeypatch.setattr("bsbstudio.transcripts.forms.read_file", explode)
    response = upload(leader, evaluation, interview, file=("rar.docx", make_docx(LINES)))
    assert response.status_code == 200
    assert "rar.docx" in messages_of(response)
    assert not Transcript.objects.exists()


def test_engine_details_are_passed_through_translation():
    from django.utils import translation

    from bsbstudio.transcripts.import_errors import translate_detail

    with translation.override("en"):
        assert translate_detail("segment 3 has no text") == "segment 3 has no text"
        assert translate_detail("line 2, column 5") == "line 2, column 5"
    with translation.override("nb"):
        assert translate_detail("segment 3 has no text") != "segment 3 has no text"
        assert translate_detail("something new") == "something new"


def test_upload_is_post_only(evaluation, interview, leader):
    assert leader.get(url("transcripts:upload", evaluation, interview.pk)).status_code == 405


def test_upload_to_another_evaluations_interview_is_not_found(
    evaluation, interview, leader, make_user
):
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.fieldwork.models import Interview

    other = Evaluation.objects.create(name="Annen", slug="annen")
    foreign = Interview.objects.create(evaluation=other, code="X1", kind="individual")
    response = leader.post(url("transcripts:upload", evaluation, foreign.pk), {"text": "I: hei"})
    assert response.status_code == 404
    assert not Transcript.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("commissioner", 403), ("outsider", 404)])
def test_only_roles_that_add_transcripts_may_upload(evaluation, interview, client_as, role, status):
    response = client_as(role).post(
        url("transcripts:upload", evaluation, interview.pk), {"text": "I: hei\nD1: hallo"}
    )
    assert response.status_code == status
    assert not Transcript.objects.exists()
