"""Helpers for the transcript pages: clients, URLs, upload, de-identify, files built in tests."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# "[Kari]" is a label that is a name; "I" is the interviewer; D2 is a participant.
NAMED_TRANSCRIPT = (
    "I: Hei, og velkommen hit.\n"
    "[Kari] Jeg har ventet lenge på hjelp.\n"
    "D2: Vi har for få folk.\n"
    "[Kari] Men de var snille (…) når de kom.\n"
)


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def upload(client, evaluation, interview, *, text=None, file=None, follow=True):
    data = {}
    if text is not None:
        data["text"] = text
    if file is not None:
        name, content = file
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(url("transcripts:upload", evaluation, interview.pk), data, follow=follow)


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_docx(paragraphs) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(paragraphs) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


@pytest.fixture
def interview(evaluation):
    return evaluation.interviews.get(code="FG1")


@pytest.fixture
def deidentify(evaluation, leader):
    """Confirm every hit of a transcript and make its de-identified text."""

    def run(transcript):
        leader.post(
            url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
        )
        return transcript.deidentified_texts.first()

    return run


@pytest.fixture
def imported(evaluation, interview, leader, transcript_text):
    """The shared test transcript (I, D1, D2, D1), imported."""
    upload(leader, evaluation, interview, text=transcript_text)
    return interview.transcripts.get()


@pytest.fixture
def named(evaluation, interview, leader):
    """A transcript where one speaker is labelled by name ("[Kari]")."""
    upload(leader, evaluation, interview, text=NAMED_TRANSCRIPT)
    return interview.transcripts.get()


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English, so the messages tested stay the same as bokmål texts change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
