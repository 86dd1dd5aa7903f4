"""The search script of the turn view: filter, <mark>, the live region, the speaker filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.deid.actions import create_deidentified_text
from bsbstudio.transcripts.actions import import_transcript
from bsbstudio.transcripts.engine import parse_text

pytestmark = pytest.mark.browser
VISIBLE = "document.querySelectorAll('#transcript-turns .turn:not([hidden])').length === {n}"
STATUS = "document.getElementById('transcript-search-status').textContent === '{text}'"


def test_typing_filters_and_marks_turns_and_announces_the_count(
    transactional_db,
    evaluation,
    transcript_text,
    log_in_as,
    live_server,
    django_user_model,
    wait_until,
):
    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    parsed = parse_text(transcript_text, "fg1.txt")
    transcript = import_transcript(leader, interview, parsed, "fg1.txt")
    # The de-identified reading page: the raw page searches on the server only, to audit it.
    transcript.detections.update(decision="confirmed")
    text = create_deidentified_text(leader, transcript)
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("transcripts:text", args=[evaluation.slug, text.pk]))
    assert page.locator("#transcript-turns .turn").count() == 4

    box = page.get_by_role("searchbox", name="Search in this transcript")
    box.press_sequentially("RESPEKT")
    wait_until(page, VISIBLE.format(n=1))
    assert page.locator("mark.transcript-hit").all_inner_texts() == ["respekt"]
    wait_until(page, STATUS.format(text="1 turn matches."))
    assert "q=RESPEKT" in page.url

    # Clear the words and pick a speaker: both D1 turns show, and no marks are left.
    box.fill("")
    page.get_by_role("combobox", name="Speaker").select_option("D1")
    wait_until(page, VISIBLE.format(n=2))
    assert page.locator("mark.transcript-hit").count() == 0
    wait_until(page, STATUS.format(text="2 turns match."))
    assert "Tre måneder, liksom." in page.locator("#transcript-turns").inner_text()
