"""Fixtures of the analysis pages: a de-identified transcript to code."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def deidentified(evaluation, as_user, transcript_text):
    """The fixture's interview with an uploaded, de-identified transcript."""
    leader = as_user("process_leader")
    interview = evaluation.interviews.get(code="FG1")
    leader.post(
        reverse("transcripts:upload", args=[evaluation.slug, interview.pk]),
        {"text": transcript_text},
    )
    transcript = interview.transcripts.get()
    leader.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    return transcript.deidentified_texts.get()
