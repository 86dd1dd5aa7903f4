"""One person, one pseudonym in every transcript of the evaluation, a full name's parts included."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bsbstudio.deid.models import ProtectedTerm, PseudonymMapping

from .conftest import messages_of, url

FIRST = "I: Hvem hjalp deg?\nD1: Kari Nordmann hjalp meg, og Per Hansen også.\n"
SECOND = "I: Og så?\nD1: Kari ringte i går. Karis mor og Nordmann kom, og Per var med.\n"


def deidentify(client, evaluation, interview, text: str) -> str:
    """Upload a transcript, hide every hit from the review page, and return the new text."""
    client.post(reverse("transcripts:upload", args=[evaluation.slug, interview.pk]), {"text": text})
    transcript = interview.transcripts.order_by("-pk").first()
    response = client.post(
        url("deid:review", evaluation, transcript.pk),
        {"confirm_rest": "1", "create_text": "1"},
        follow=True,
    )
    assert "The de-identified text was created." in messages_of(response)
    return transcript.deidentified_texts.get().text


@pytest.fixture
def second_interview(evaluation):
    from bsbstudio.fieldwork.models import Interview, Participation

    interview = Interview.objects.create(
        evaluation=evaluation,
        code="EI1",
        kind="individual",
        site=evaluation.sites.order_by("pk").first(),
        date=datetime.date(2026, 3, 2),
    )
    informant = evaluation.informants.order_by("pk").first()
    Participation.objects.create(interview=interview, informant=informant, speaker_code="D1")
    return interview


@pytest.mark.parametrize("mode", ["placeholder", "surrogate"])
def test_two_transcripts_give_a_person_and_the_parts_of_their_name_one_pseudonym(
    evaluation, leader, second_interview, mode
):
    evaluation.replacement_mode = mode
    evaluation.save(update_fields=["replacement_mode"])
    for name in ("Kari Nordmann", "Per Hansen"):
        ProtectedTerm.objects.create(evaluation=evaluation, text=name, kind="PERSON")
    first = deidentify(leader, evaluation, evaluation.interviews.get(code="FG1"), FIRST)
    second = deidentify(leader, evaluation, second_interview, SECOND)
    for text in (first, second):
        assert "Kari" not in text and "Nordmann" not in text and "Per " not in text
    entries = PseudonymMapping.objects.get(evaluation=evaluation).mapping["entries"]
    kari, per = entries["PERSON:karinordmann"], entries["PERSON:perhansen"]
    assert kari != per
    assert f"D1: {kari} hjalp meg, og {per} også." in first
    if mode == "placeholder":
        kari_first = kari_last = kari
        per_first = per
    else:
        kari_first, kari_last, per_first = kari.split()[0], kari.split()[-1], per.split()[0]
    assert (
        f"D1: {kari_first} ringte i går. {kari_first}s mor og {kari_last} kom, og {per_first} var med."
        in second
    )
