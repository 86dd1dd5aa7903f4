"""Helpers for the de-identification pages: a transcript with hits, an unsigned member."""

from __future__ import annotations

import pytest
from django.urls import reverse


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


@pytest.fixture
def unsign(evaluation):
    """Take back a member's signature, as if a new declaration version awaited them."""
    from bsbstudio.accounts.models import DeclarationSignature

    def run(username: str) -> None:
        DeclarationSignature.objects.filter(user__username=username).delete()

    return run


@pytest.fixture
def transcript(evaluation, transcript_text, django_user_model):
    """The shared test transcript, imported and scanned (it has a phone number to hide)."""
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    return import_transcript(leader, interview, parse_text(transcript_text, "fg1.txt"), "fg1.txt")


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English, so the messages tested stay the same as bokmål texts change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
