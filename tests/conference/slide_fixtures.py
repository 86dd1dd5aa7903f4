"""Fixtures for the slides and group sheets: a process report with exact quotes and a conference.

Import the fixtures by name into a test module (``from .slide_fixtures import ...``).
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.conference import actions as conference_actions
from bsbstudio.conference.models import ConferenceGroup
from bsbstudio.reports import actions as report_actions
from bsbstudio.transcripts.actions import approve_text

QUOTES = {
    "Tilgang": [
        ("det tok lang tid før de kom første gang. Tre måneder, liksom.", "critical"),
        ("Vi i teamet har for få folk, det er sant.", "critical"),
    ],
    "Å bli møtt": [("Men når de først kom, ble jeg møtt med respekt.", "positive")],
}
POINTS = {
    "Tilgang": "- Det tar lang tid før hjelpen kommer\n- Teamet har for få folk",
    "Å bli møtt": "Brukerne opplever respekt når hjelpen først kommer.",
}
QUESTIONS = "Hva kjenner dere igjen?\nHva bør tjenesten gjøre annerledes?"


@pytest.fixture
def leader_user(evaluation, django_user_model):
    return django_user_model.objects.get(username="process_leader")


@pytest.fixture
def report(evaluation, as_user, leader_user, transcript_text):
    """Nord's process report (a draft) with main points and three quotes from an approved text."""
    client = as_user("process_leader")
    interview = evaluation.interviews.get(code="FG1")
    client.post(
        reverse("transcripts:upload", args=[evaluation.slug, interview.pk]),
        {"text": transcript_text},
    )
    transcript = interview.transcripts.get()
    client.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    text = transcript.deidentified_texts.get()
    approve_text(leader_user, text)
    for theme, quotes in QUOTES.items():
        code = evaluation.codes.get(name=theme)
        for quote, polarity in quotes:
            start, end = locate_quote(text.text, quote)
            code_segment(leader_user, text, code, start, end, polarity, "direct")
    report = report_actions.create_process_report(
        leader_user, evaluation, evaluation.sites.get(name="Nord")
    )
    for section in report.sections.select_related("theme"):
        section.main_points = POINTS[section.theme.name]
        section.save(update_fields=["main_points"])
    return report


@pytest.fixture
def conference(evaluation, leader_user, report):
    """A conference presenting the report, with one group on the theme Tilgang."""
    conference = conference_actions.create_conference(
        leader_user,
        evaluation,
        {
            "title": "Dialogkonferanse Nord",
            "site": evaluation.sites.get(name="Nord"),
            "place": "Kulturhuset",
            "process_report": report,
        },
    )
    group = ConferenceGroup.objects.create(
        conference=conference,
        order=0,
        name="Gruppe 1",
        roles=["users", "staff"],
        questions=QUESTIONS,
    )
    group.themes.set([evaluation.themes.get(name="Tilgang")])
    return conference


def slide_texts(content: bytes) -> list[str]:
    """The text on each slide of a PPTX file, one string per slide."""
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(content))
    return [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in presentation.slides
    ]


def pdf_pages(content: bytes) -> int:
    """The number of pages of a PDF written by fpdf2 (each page object says /Type /Page)."""
    return content.count(b"/Type /Page\n")
