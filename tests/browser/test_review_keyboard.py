"""The review page by keyboard only: J/K move between entities, H hides, B keeps, Enter saves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.deid.models import Detection, ProtectedTerm
from bsbstudio.transcripts.actions import import_transcript
from bsbstudio.transcripts.engine import parse_text

pytestmark = pytest.mark.browser
TEXT = (
    "I: Hvem hjalp deg?\n"
    "D1: Kari Nordmann hjalp meg. Kari Nordmann ringte også.\n"
    "D2: Ring meg på 41 22 87 56 om dere lurer.\n"
)
CURRENT = "document.querySelectorAll('fieldset.entity.review-current').length === 1"


def test_two_entities_reviewed_and_saved_with_the_keyboard_only(
    transactional_db, evaluation, log_in_as, live_server, django_user_model, wait_until
):
    leader = django_user_model.objects.get(username="process_leader")
    ProtectedTerm.objects.create(evaluation=evaluation, text="Kari Nordmann", kind="PERSON")
    interview = evaluation.interviews.get(code="FG1")
    transcript = import_transcript(leader, interview, parse_text(TEXT, "fg1.txt"), "fg1.txt")
    kari = list(transcript.detections.filter(text="Kari Nordmann"))
    phone = list(transcript.detections.filter(label="PHONE"))
    assert len(kari) == 2 and len(phone) == 1
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("deid:review", args=[evaluation.slug, transcript.pk]))
    assert "Keyboard: J/K next/previous, H hide, B keep" in page.inner_text("#review-keys-help")

    page.locator("body").press("j")
    wait_until(page, CURRENT)
    first = page.locator("fieldset.entity.review-current legend").inner_text()
    page.keyboard.press("h")
    page.keyboard.press("j")
    second = page.locator("fieldset.entity.review-current legend").inner_text()
    page.keyboard.press("b")
    # K goes back to the first entity and N forward again; the choices made stay.
    page.keyboard.press("k")
    assert page.locator("fieldset.entity.review-current legend").inner_text() == first
    page.keyboard.press("n")
    assert page.locator("fieldset.entity.review-current legend").inner_text() == second
    assert "Kari Nordmann" in first and "41 22 87 56" in second
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the focused radio submits with the form's first button
    assert "The decisions were saved." in page.inner_text("body")

    decisions = dict(transcript.detections.values_list("pk", "decision"))
    assert {decisions[d.pk] for d in kari} == {Detection.Decision.CONFIRMED}
    assert {decisions[d.pk] for d in phone} == {Detection.Decision.REJECTED}


def test_keys_typed_in_a_text_field_choose_nothing(
    transactional_db, evaluation, log_in_as, live_server, django_user_model, wait_until
):
    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    transcript = import_transcript(leader, interview, parse_text(TEXT, "fg1.txt"), "fg1.txt")
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("deid:review", args=[evaluation.slug, transcript.pk]))
    box = page.locator("input[name=text]")
    box.press_sequentially("jhb")
    assert box.input_value() == "jhb"
    assert page.locator("fieldset.entity.review-current").count() == 0
    assert page.locator("fieldset.entity input[type=radio]:checked").count() == 0
