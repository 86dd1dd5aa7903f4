"""The confidentiality declaration: signing, revising, and the gate in front of raw material."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts import confidentiality
from bsbstudio.accounts.models import AuditEvent, DeclarationSignature, Membership
from bsbstudio.transcripts.actions import import_transcript
from bsbstudio.transcripts.engine import parse_text


@pytest.fixture
def newcomer(evaluation, make_user):
    """A transcriber who joined after the others and has not signed."""
    user = make_user("newcomer", first_name="Nina", last_name="Ny")
    Membership.objects.create(evaluation=evaluation, user=user, role="transcriber")
    return user


@pytest.fixture
def transcript(evaluation, transcript_text, django_user_model):
    """A raw transcript of the fixture's interview."""
    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    return import_transcript(leader, interview, parse_text(transcript_text, "fg1.txt"), "fg1.txt")


def test_first_version_is_the_default_text_with_the_evaluation_name(evaluation):
    declaration = confidentiality.current_declaration(evaluation)
    assert declaration.version == 1
    assert "Testevaluering" in declaration.text
    assert "taushetsplikt" in declaration.text


def test_unsigned_member_is_sent_to_the_declaration_and_back(
    evaluation, newcomer, transcript, client, verified_client
):
    verified_client(newcomer)
    raw_url = reverse("transcripts:raw", args=[evaluation.slug, transcript.pk])
    response = client.get(raw_url)
    assert response.status_code == 302
    assert reverse("evaluations:declaration", args=[evaluation.slug]) in response["Location"]
    assert not AuditEvent.objects.filter(action="transcript.raw.view").exists()

    page = client.get(response["Location"])
    assert "Nina Ny" in page.content.decode()  # the name field is pre-filled
    signed = client.post(
        response["Location"],
        {"sign": "1", "signed_name": "Nina Ny", "agree": "on", "next": raw_url},
    )
    assert signed.status_code == 302 and signed["Location"] == raw_url
    assert client.get(raw_url).status_code == 200
    assert AuditEvent.objects.filter(action="declaration.sign", user=newcomer).count() == 1


def test_review_of_raw_text_is_gated_too(evaluation, newcomer, transcript, verified_client):
    client = verified_client(newcomer)
    response = client.get(reverse("deid:review", args=[evaluation.slug, transcript.pk]))
    assert response.status_code == 302
    assert "declaration" in response["Location"]


def test_signing_needs_the_tick_and_a_name(evaluation, newcomer, verified_client):
    client = verified_client(newcomer)
    url = reverse("evaluations:declaration", args=[evaluation.slug])
    response = client.post(url, {"sign": "1", "signed_name": ""})
    assert response.status_code == 200
    assert not DeclarationSignature.objects.filter(user=newcomer).exists()
    assert not confidentiality.has_signed(newcomer, evaluation)


def test_next_url_elsewhere_is_ignored(evaluation, newcomer, verified_client):
    client = verified_client(newcomer)
    url = reverse("evaluations:declaration", args=[evaluation.slug])
    response = client.post(
        url, {"sign": "1", "signed_name": "Nina Ny", "agree": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == url


def test_a_revised_text_must_be_signed_again(evaluation, client_as, django_user_model):
    client = client_as("process_leader")
    url = reverse("evaluations:declaration", args=[evaluation.slug])
    client.post(url, {"revise": "1", "text": "Ny tekst om taushetsplikt."})
    assert confidentiality.current_declaration(evaluation).version == 2
    leader = django_user_model.objects.get(username="process_leader")
    assert not confidentiality.has_signed(leader, evaluation)
    assert AuditEvent.objects.filter(action="declaration.revise").count() == 1


@pytest.mark.parametrize("role", ["peer_interviewer", "transcriber", "commissioner"])
def test_only_the_process_leader_revises(evaluation, client_as, role):
    client = client_as(role)
    url = reverse("evaluations:declaration", args=[evaluation.slug])
    client.post(url, {"revise": "1", "text": "Endret av feil person."})
    assert confidentiality.current_declaration(evaluation).version == 1


def test_outsider_gets_not_found(evaluation, client_as):
    url = reverse("evaluations:declaration", args=[evaluation.slug])
    assert client_as("outsider").get(url).status_code == 404
