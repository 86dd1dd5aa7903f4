"""Approving a de-identified text: only when nothing is open; withdrawn the same way; audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.deid.models import Detection
from bsbstudio.transcripts import actions, speakers
from bsbstudio.transcripts.models import DeidentifiedText

from .conftest import messages_of, upload, url


def approve(client, evaluation, text, **kwargs):
    return client.post(url("transcripts:approve", evaluation, text.pk), follow=True, **kwargs)


@pytest.fixture
def ready(imported, deidentify):
    """A de-identified text with every hit reviewed and every speaker known."""
    return deidentify(imported)


def test_approving_sets_who_and_when_and_is_audited(evaluation, leader, ready):
    response = approve(leader, evaluation, ready)
    assert response.status_code == 200
    ready.refresh_from_db()
    assert ready.approved_at is not None
    assert ready.approved_by.username == "process_leader"
    assert AuditEvent.objects.filter(action="transcript.approve", object_id=str(ready.pk)).exists()
    html = response.content.decode()
    assert "Approved on" in html and "by process_leader" in html
    assert "Withdraw approval" in html


def test_approval_can_be_withdrawn_and_given_again(evaluation, leader, ready):
    approve(leader, evaluation, ready)
    response = leader.post(url("transcripts:withdraw", evaluation, ready.pk), follow=True)
    ready.refresh_from_db()
    assert ready.approved_at is None and ready.approved_by is None
    event = AuditEvent.objects.get(action="transcript.approval.withdraw")
    assert event.detail["approved_by"] is not None
    again = leader.post(url("transcripts:withdraw", evaluation, ready.pk), follow=True)
    assert "nothing to withdraw" in messages_of(again)
    approve(leader, evaluation, ready)
    ready.refresh_from_db()
    assert ready.approved_at is not None
    assert response.status_code == 200


def test_approving_twice_says_so(evaluation, leader, ready):
    approve(leader, evaluation, ready)
    assert "already approved" in messages_of(approve(leader, evaluation, ready))


def test_pending_detections_block_approval(evaluation, leader, ready):
    detection = ready.transcript.detections.first()
    Detection.objects.filter(pk=detection.pk).update(decision=Detection.Decision.PENDING)
    response = approve(leader, evaluation, ready)
    assert "Hits not reviewed yet: 1" in messages_of(response)
    ready.refresh_from_db()
    assert ready.approved_at is None
    assert not AuditEvent.objects.filter(action="transcript.approve").exists()


def test_decisions_after_the_text_was_made_block_approval(evaluation, leader, ready):
    leader.post(
        url("deid:review", evaluation, ready.transcript.pk),
        {"add_name": "1", "text": "teamet", "kind": "ORGANIZATION"},
    )
    response = approve(leader, evaluation, ready)
    assert "decided after this text was made" in messages_of(response)
    ready.refresh_from_db()
    assert ready.approved_at is None


def test_unidentified_speakers_block_approval(evaluation, leader, named, deidentify):
    text = deidentify(named)
    page = leader.get(url("transcripts:text", evaluation, text.pk))
    assert any("Speakers not identified yet: 1" in p for p in page.context["problems"])
    assert "Approve the de-identified text" not in page.content.decode()
    assert "Speakers not identified yet: 1" in messages_of(approve(leader, evaluation, text))
    text.refresh_from_db()
    assert text.approved_at is None
    kari = next(i for i in speakers.speaker_labels(named) if i.label == "Kari")
    leader.post(
        url("transcripts:speakers", evaluation, named.pk), {f"speaker_{kari.index}": "unknown"}
    )
    approve(leader, evaluation, text)
    text.refresh_from_db()
    assert text.approved_at is not None


def test_only_the_newest_text_can_be_approved(evaluation, leader, imported, deidentify):
    older = deidentify(imported)
    newer = deidentify(imported)
    assert newer.version == older.version + 1
    assert "newest" in messages_of(approve(leader, evaluation, older))
    older.refresh_from_db()
    assert older.approved_at is None
    approve(leader, evaluation, newer)
    newer.refresh_from_db()
    assert newer.approved_at is not None


def test_a_newer_transcript_blocks_approval_of_the_old_text(
    evaluation, interview, leader, ready, transcript_text
):
    upload(leader, evaluation, interview, text=transcript_text)
    assert "newer transcript" in messages_of(approve(leader, evaluation, ready))


def test_a_name_shown_as_speaker_label_blocks_approval(evaluation, leader, ready):
    ready.turns.filter(speaker_code="D2").update(speaker_code="Kari")
    assert "real name" in messages_of(approve(leader, evaluation, ready))


@pytest.mark.parametrize(
    ("role", "status"), [("transcriber", 403), ("commissioner", 403), ("outsider", 404)]
)
def test_only_roles_that_approve_may(evaluation, ready, client_as, role, status):
    client = client_as(role)
    assert client.post(url("transcripts:approve", evaluation, ready.pk)).status_code == status
    assert client.post(url("transcripts:withdraw", evaluation, ready.pk)).status_code == status
    ready.refresh_from_db()
    assert ready.approved_at is None


def test_peer_interviewer_may_approve(evaluation, ready, client_as):
    approve(client_as("peer_interviewer"), evaluation, ready)
    ready.refresh_from_db()
    assert ready.approved_by.username == "peer_interviewer"


def test_transcriber_sees_the_state_but_no_button(evaluation, ready, client_as):
    html = client_as("transcriber").get(url("transcripts:text", evaluation, ready.pk)).content
    assert b"Not approved yet" in html
    assert b"Approve the de-identified text" not in html


def test_approval_endpoints_are_post_only(evaluation, leader, ready):
    assert leader.get(url("transcripts:approve", evaluation, ready.pk)).status_code == 405
    assert leader.get(url("transcripts:withdraw", evaluation, ready.pk)).status_code == 405


def test_foreign_text_is_not_found(evaluation, leader, ready):
    assert leader.post(url("transcripts:approve", evaluation, 999_999)).status_code == 404


def test_the_action_checks_permission(evaluation, ready, django_user_model):
    transcriber = django_user_model.objects.get(username="transcriber")
    with pytest.raises(PermissionDenied):
        actions.approve_text(transcriber, ready)
    assert DeidentifiedText.objects.get(pk=ready.pk).approved_at is None


def test_interview_page_shows_the_approval(evaluation, interview, leader, ready):
    approve(leader, evaluation, ready)
    html = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert "Approved on" in html
    assert url("transcripts:text", evaluation, ready.pk) in html
    assert url("transcripts:speakers", evaluation, ready.transcript.pk) in html


def test_creating_the_text_leads_to_reading_and_approval(evaluation, leader, imported):
    response = leader.post(
        url("deid:review", evaluation, imported.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    text = imported.deidentified_texts.get()
    assert response["Location"] == url("transcripts:text", evaluation, text.pk)
    review = leader.get(url("deid:review", evaluation, imported.pk)).content.decode()
    assert url("transcripts:text", evaluation, text.pk) in review
    assert url("transcripts:speakers", evaluation, imported.pk) in review
