"""Quasi-identifiers in review: generalised to their category ("[YRKE]") or "…", or kept."""

from __future__ import annotations

import re

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.deid import actions
from bsbstudio.deid.engine import Span

from .conftest import messages_of, url

JOB = "glassblåser på verket"
TEXT = (
    f"I: Hva gjorde du før?\nD1: Jeg var {JOB} i mange år.\n"
    f"D2: Ja, alle visste at hun var {JOB}. Ring meg på 41 22 87 56.\n"
)


@pytest.fixture
def quasi(evaluation, django_user_model):
    """A transcript whose occupation (twice) is a quasi hit with the category YRKE."""
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    transcript = import_transcript(leader, interview, parse_text(TEXT, "quasi.txt"), "quasi.txt")
    spans = [
        Span(m.start(), m.end(), "QUASI", 0.7, "quasi", "distinctive occupation", "YRKE")
        for m in re.finditer(JOB, transcript.raw_text)
    ]
    phone = re.search(r"41 22 87 56", transcript.raw_text)
    spans.append(Span(phone.start(), phone.end(), "PHONE", 1.0, "phone", "phone number"))
    actions.detect_identifiers(leader, transcript, spans)
    return transcript


def job_hits(transcript):
    return transcript.detections.filter(label="QUASI").order_by("start")


def key(transcript) -> int:
    return job_hits(transcript).first().pk


def test_the_category_is_stored_from_the_span(quasi):
    assert (
        list(job_hits(quasi).values_list("category", "replacement", "decision"))
        == [("YRKE", "category", "pending")] * 2
    )
    assert quasi.detections.get(label="PHONE").category == ""


def test_the_bokmal_page_offers_the_category_an_ellipsis_or_keep(
    evaluation, leader, quasi, settings
):
    leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = leader.get(url("deid:review", evaluation, quasi.pk)).content.decode()
    pk = key(quasi)
    assert re.search(
        rf'name="entity_{pk}" value="category"[^>]*> Erstatt med \[YRKE\]</label>', html
    )
    assert re.search(rf'name="entity_{pk}" value="ellipsis"[^>]*> Erstatt med …</label>', html)
    assert re.search(rf'name="entity_{pk}" value="rejected"[^>]*> Behold</label>', html)
    assert f'name="entity_{pk}" value="confirmed"' not in html  # no plain "Skjul" for it
    assert "ser ut som et yrke eller en stilling som kan peke ut én person" in html
    assert "Tastatur: J/K neste/forrige, H skjul, B behold" in html
    # The phone number keeps its two plain choices.
    phone = quasi.detections.get(label="PHONE").pk
    assert f'name="entity_{phone}" value="confirmed"' in html
    assert f'name="entity_{phone}" value="category"' not in html


@pytest.mark.parametrize(
    ("choice", "written", "generalised", "ellipsis"),
    [("category", "[YRKE]", 2, 0), ("ellipsis", "…", 0, 2)],
)
def test_a_generalised_hit_is_written_as_chosen_and_audited(
    evaluation, leader, quasi, choice, written, generalised, ellipsis
):
    phone = quasi.detections.get(label="PHONE").pk
    response = leader.post(
        url("deid:review", evaluation, quasi.pk),
        {f"entity_{key(quasi)}": choice, f"entity_{phone}": "confirmed", "create_text": "1"},
        follow=True,
    )
    assert "The de-identified text was created." in messages_of(response)
    assert set(job_hits(quasi).values_list("decision", "replacement")) == {("confirmed", choice)}
    text = quasi.deidentified_texts.get().text
    assert "glassblåser" not in text and "verket" not in text
    assert f"Jeg var {written} i mange år." in text
    assert f"hun var {written}." in text
    assert "[DETALJ" not in text and "41 22 87 56" not in text
    event = AuditEvent.objects.filter(action="deid.decide").order_by("seq").last()
    assert event.detail["generalised"] == generalised
    assert event.detail["ellipsis"] == ellipsis
    assert event.detail["changed"] == 3
    # The page shows the choice made.
    html = leader.get(url("deid:review", evaluation, quasi.pk)).content.decode()
    assert re.search(rf'name="entity_{key(quasi)}" value="{choice}"\s*checked', html)


def test_changing_only_the_form_of_a_hidden_hit_is_saved(evaluation, leader, quasi):
    pk = key(quasi)
    leader.post(url("deid:review", evaluation, quasi.pk), {f"entity_{pk}": "category"})
    leader.post(url("deid:review", evaluation, quasi.pk), {f"entity_{pk}": "ellipsis"})
    assert set(job_hits(quasi).values_list("decision", "replacement")) == {
        ("confirmed", "ellipsis")
    }
    event = AuditEvent.objects.filter(action="deid.decide").order_by("seq").last()
    assert (event.detail["changed"], event.detail["ellipsis"]) == (2, 2)


def test_kept_and_hidden_by_default(evaluation, leader, quasi):
    leader.post(
        url("deid:review", evaluation, quasi.pk),
        {f"entity_{key(quasi)}": "rejected", "confirm_rest": "1", "create_text": "1"},
    )
    assert f"Jeg var {JOB} i mange år." in quasi.deidentified_texts.get().text
    job_hits(quasi).update(decision="pending")
    leader.post(url("deid:review", evaluation, quasi.pk), {"confirm_rest": "1", "create_text": "1"})
    latest = quasi.deidentified_texts.order_by("-version").first().text
    assert "Jeg var [YRKE] i mange år." in latest and "glassblåser" not in latest


def test_a_category_choice_for_a_hit_without_one_saves_nothing(evaluation, leader, quasi):
    phone = quasi.detections.get(label="PHONE").pk
    response = leader.post(
        url("deid:review", evaluation, quasi.pk),
        {f"entity_{phone}": "ellipsis", f"entity_{key(quasi)}": "ellipsis"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in messages_of(response)
    assert set(quasi.detections.values_list("decision", flat=True)) == {"pending"}
    assert set(quasi.detections.values_list("replacement", flat=True)) == {"category"}


def test_the_demo_shows_an_occupation_generalised(db, verified_client, settings):
    from django.test import Client

    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
    from bsbstudio.transcripts.models import Transcript

    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    transcript = Transcript.objects.get(
        interview__evaluation__slug="ambulant-team-lindvag-2026", interview__code="FG1"
    )
    evaluation = transcript.interview.evaluation
    hit = transcript.detections.get(label="QUASI", text__startswith="glassblåser")
    assert (hit.category, hit.decision, hit.replacement) == ("YRKE", "confirmed", "category")
    text = transcript.deidentified_texts.get().text
    assert "Jeg jobbet som [YRKE] før jeg ble syk." in text and "glassblåser" not in text
    client = verified_client(leader, Client())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(url("deid:review", evaluation, transcript.pk)).content.decode()
    assert re.search(r'value="category"\s*checked> Erstatt med \[YRKE\]</label>', html)
