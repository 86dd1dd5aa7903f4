"""Fixtures for reports: approved and unapproved de-identified texts with coded quotes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.fieldwork.models import Interview, Participation
from bsbstudio.reports import actions
from bsbstudio.transcripts.actions import approve_text

APPROVED_QUOTE = "ble jeg møtt med respekt"
UNAPPROVED_QUOTE = "Det var fint å ha noen å snakke med"
UNAPPROVED_TRANSCRIPT = "I: Hvordan var det?\nD1: Det var fint å ha noen å snakke med.\n"


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def _deidentify(client, evaluation, interview, text):
    client.post(url("transcripts:upload", evaluation, interview.pk), {"text": text})
    transcript = interview.transcripts.get()
    client.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    return transcript.deidentified_texts.get()


def _code(evaluation, leader, text, quote, theme="Tilgang"):
    start, end = locate_quote(text.text, quote)
    code = evaluation.codes.get(name=theme)
    return code_segment(leader, text, code, start, end, "positive", "direct")


@pytest.fixture
def quotes(evaluation, as_user, user, transcript_text):
    """One quote from an approved text and one from a text nobody approved, both in Nord."""
    leader = user("process_leader")
    client = as_user("process_leader")
    approved = _deidentify(
        client, evaluation, evaluation.interviews.get(code="FG1"), transcript_text
    )
    approve_text(leader, approved)
    second = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=evaluation.sites.get(name="Nord"),
        date=datetime.date(2026, 3, 2),
    )
    Participation.objects.create(
        interview=second,
        informant=evaluation.informants.get(code="B-01"),
        speaker_code="D1",
    )
    unapproved = _deidentify(client, evaluation, second, UNAPPROVED_TRANSCRIPT)
    return {
        "approved": _code(evaluation, leader, approved, APPROVED_QUOTE),
        "unapproved": _code(evaluation, leader, unapproved, UNAPPROVED_QUOTE),
    }


@pytest.fixture
def report(evaluation, quotes, user):
    """Nord's process report, started by the process leader (a draft)."""
    return actions.create_process_report(
        user("process_leader"), evaluation, evaluation.sites.get(name="Nord")
    )


def edit_data(report, *, introduction="", points=None, quotes=None):
    """The edit form's post: main points and quote ids per theme name."""
    data = {"introduction": introduction}
    for section in report.sections.select_related("theme"):
        data[f"points_{section.pk}"] = (points or {}).get(section.theme.name, section.main_points)
        chosen = (quotes or {}).get(section.theme.name)
        if chosen is None:
            chosen = [s.pk for s in section.quotes.all()]
        data[f"quotes_{section.pk}"] = chosen
    return data
