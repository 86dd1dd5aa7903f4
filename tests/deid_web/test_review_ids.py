"""Decisions on hits: ids in the post are only those of this transcript's hits, never a 500."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.deid.models import Detection

from .conftest import messages_of, url


def decisions_of(transcript):
    return list(transcript.detections.order_by("pk").values_list("decision", flat=True))


def test_valid_decisions_are_saved(evaluation, leader, transcript):
    hit = transcript.detections.order_by("pk").first()
    response = leader.post(
        url("deid:review", evaluation, transcript.pk),
        {f"decision_{hit.pk}": "rejected"},
        follow=True,
    )
    assert "The decisions were saved." in messages_of(response)
    hit.refresh_from_db()
    assert hit.decision == Detection.Decision.REJECTED


@pytest.mark.parametrize(
    "key",
    [
        "decision_99999999999999999999999",  # larger than any database integer
        "decision_" + "9" * 400,
        "decision_abc",
        "decision_-1",
        "decision_",
        "decision_１",  # a full-width digit: str.isdigit() says yes, int() agrees, no hit has it
    ],
)
def test_a_bad_hit_id_is_a_message_and_saves_nothing(evaluation, leader, transcript, key):
    assert transcript.detections.exists()
    hit = transcript.detections.order_by("pk").first()
    before = decisions_of(transcript)
    response = leader.post(
        url("deid:review", evaluation, transcript.pk),
        {
            key: "confirmed",
            f"decision_{hit.pk}": "rejected",
            "confirm_rest": "1",
            "create_text": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Nothing was saved" in messages_of(response)
    assert decisions_of(transcript) == before
    assert not transcript.deidentified_texts.exists()
    assert not AuditEvent.objects.filter(action__in=["deid.decide", "deid.create_text"]).exists()


def test_a_hit_of_another_transcript_is_refused(evaluation, leader, transcript, transcript_text):
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    other = import_transcript(
        transcript.created_by,
        evaluation.interviews.get(code="FG1"),
        parse_text(transcript_text, "fg1-v2.txt"),
        "fg1-v2.txt",
    )
    foreign = other.detections.order_by("pk").first()
    response = leader.post(
        url("deid:review", evaluation, transcript.pk),
        {f"decision_{foreign.pk}": "rejected"},
        follow=True,
    )
    assert "Nothing was saved" in messages_of(response)
    foreign.refresh_from_db()
    assert foreign.decision == Detection.Decision.PENDING


def test_a_bad_decision_value_saves_nothing(evaluation, leader, transcript):
    hit = transcript.detections.order_by("pk").first()
    response = leader.post(
        url("deid:review", evaluation, transcript.pk),
        {f"decision_{hit.pk}": "x" * 10_000},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in messages_of(response)
    hit.refresh_from_db()
    assert hit.decision == Detection.Decision.PENDING


def test_huge_ids_in_the_address_are_not_found(evaluation, leader):
    huge = 99999999999999999999999
    assert leader.get(url("deid:review", evaluation, huge)).status_code == 404
    assert leader.post(url("deid:review", evaluation, huge), {"save": "1"}).status_code == 404
