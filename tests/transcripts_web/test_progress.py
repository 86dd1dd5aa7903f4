"""Where the interviews' transcripts stand, for the list page and the dashboard."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bsbstudio.fieldwork.models import Interview
from bsbstudio.transcripts.progress import interview_states, transcript_states

from .conftest import upload, url


def make_interview(evaluation, code, *, days=None, status="planned"):
    date = timezone.localdate() + datetime.timedelta(days=days) if days is not None else None
    return Interview.objects.create(
        evaluation=evaluation, code=code, kind="individual", date=date, status=status
    )


def test_counts_by_state(evaluation, interview, leader, transcript_text, deidentify):
    # FG1 (dated in the past): approved.
    upload(leader, evaluation, interview, text=transcript_text)
    text = deidentify(interview.transcripts.get())
    leader.post(url("transcripts:approve", evaluation, text.pk))
    # Raw only, de-identified only, and every kind of interview without a transcript.
    raw = make_interview(evaluation, "R1", days=-3)
    upload(leader, evaluation, raw, text=transcript_text)
    done = make_interview(evaluation, "E1", days=-2)
    upload(leader, evaluation, done, text=transcript_text)
    deidentify(done.transcripts.get())
    make_interview(evaluation, "M1", days=-10)
    make_interview(evaluation, "M2", status="held")
    make_interview(evaluation, "P1", days=5)
    make_interview(evaluation, "P2")
    make_interview(evaluation, "C1", days=-10, status="cancelled")
    assert transcript_states(evaluation) == {
        "raw": 1,
        "deidentified": 1,
        "approved": 1,
        "missing": 2,
    }


def test_only_the_latest_transcript_and_text_count(
    evaluation, interview, leader, transcript_text, deidentify
):
    upload(leader, evaluation, interview, text=transcript_text)
    text = deidentify(interview.transcripts.get())
    leader.post(url("transcripts:approve", evaluation, text.pk))
    assert transcript_states(evaluation)["approved"] == 1
    deidentify(interview.transcripts.get())  # a newer text, not approved
    assert transcript_states(evaluation)["deidentified"] == 1
    upload(leader, evaluation, interview, text=transcript_text)  # a newer transcript
    assert transcript_states(evaluation) == {
        "raw": 1,
        "deidentified": 0,
        "approved": 0,
        "missing": 0,
    }


def test_an_evaluation_without_interviews_counts_nothing(db):
    from bsbstudio.evaluations.models import Evaluation

    empty = Evaluation.objects.create(name="Tom", slug="tom")
    assert transcript_states(empty) == {"raw": 0, "deidentified": 0, "approved": 0, "missing": 0}


def test_query_count_does_not_grow_with_interviews(evaluation, leader, transcript_text):
    for n in range(3):
        interview = make_interview(evaluation, f"X{n}", days=-1)
        upload(leader, evaluation, interview, text=transcript_text)
    with CaptureQueriesContext(connection) as few:
        interview_states(evaluation)
    for n in range(3, 9):
        interview = make_interview(evaluation, f"X{n}", days=-1)
        upload(leader, evaluation, interview, text=transcript_text)
    with CaptureQueriesContext(connection) as many:
        interview_states(evaluation)
    assert len(many) == len(few) <= 5


def test_list_page_shows_each_state(evaluation, interview, leader, transcript_text, deidentify):
    make_interview(evaluation, "M1", days=-10)
    upload(leader, evaluation, interview, text=transcript_text)
    text = deidentify(interview.transcripts.get())
    leader.post(url("transcripts:approve", evaluation, text.pk))
    response = leader.get(url("transcripts:list", evaluation))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["counts"] == {
        "raw": 0,
        "deidentified": 0,
        "approved": 1,
        "missing": 1,
    }
    assert "Missing: held, but no transcript yet" in html
    assert "by process_leader" in html
    assert url("transcripts:text", evaluation, text.pk) in html
