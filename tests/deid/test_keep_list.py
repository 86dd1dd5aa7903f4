"""The evaluation knows its own world: its service, sites and keep list are never flagged, and
the names to hide match whole words (short ones only as written)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bsbstudio.accounts.models import AuditEvent, DeclarationSignature
from bsbstudio.deid import actions
from bsbstudio.deid.engine import Detector, EvaluationLists
from bsbstudio.deid.models import KeptTerm, ProtectedTerm
from bsbstudio.evaluations.models import Site


def _found(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in detector.detect(text)]


# --- engine -----------------------------------------------------------------------------------

SERVICE_TEXT = "D1: Jeg var på Fjordglimt Helsehus i går, og Kari Nordmann var der."


def test_kept_words_are_never_flagged_but_others_are(rules):
    assert ("Helsehus", "PERSON") in _found(rules, SERVICE_TEXT)  # the false alarm without it
    kept = Detector(lists=EvaluationLists(keep=["Fjordglimt Helsehus"]), use_ner=False)
    assert _found(kept, SERVICE_TEXT) == [("Kari Nordmann", "PERSON")]


def test_keep_list_alone_is_used(rules):
    # an EvaluationLists with only kept words is falsy (nothing to hide) but must still apply
    lists = EvaluationLists(keep=["Fjordglimt", "Helsehus"])
    assert not lists
    assert ("Helsehus", "PERSON") not in _found(Detector(lists=lists, use_ner=False), SERVICE_TEXT)


def test_keep_does_not_stop_numbers_or_a_name_to_hide():
    lists = EvaluationLists(people=["Kari Fjordglimt"], keep=["Fjordglimt", "982 99 565"])
    found = _found(Detector(lists=lists, use_ner=False), "Fjordglimt ringte fra 982 99 565.")
    assert found == [("Fjordglimt", "PERSON"), ("982 99 565", "PHONE")]


def test_keep_genitive_and_capitals():
    lists = EvaluationLists(keep=["Fjordglimt Helsehus"])
    text = "D1: Vi var på FJORDGLIMT HELSEHUS, og Fjordglimts folk var gode mot Kari Nordmann."
    found = _found(Detector(lists=lists, use_ner=False), text)
    assert found == [("Kari Nordmann", "PERSON")]


def test_short_names_to_hide_match_only_as_written():
    lists = EvaluationLists(people=["JA", "Bo"])
    text = "D1: Ja, ja, det var JA som kom. Jeg bo der, og Bo bodde der også."
    found = _found(Detector(lists=lists, use_ner=False, only=["evaluation_list"]), text)
    assert found == [("JA", "PERSON"), ("Bo", "PERSON")]


def test_names_to_hide_match_whole_words_in_any_case():
    lists = EvaluationLists(people=["Nordmann"])
    text = "Nordmannsdalen og Nordmannen, men nordmann og NORDMANN og Nordmanns bil."
    found = _found(Detector(lists=lists, use_ner=False, only=["evaluation_list"]), text)
    assert [surface for surface, _ in found] == ["nordmann", "NORDMANN", "Nordmanns"]


def test_control_characters_and_mixed_scripts_in_entries():
    lists = EvaluationLists(people=["Кари\x00Лиен", "\x07"], keep=["Fjord\tglimt"])
    assert lists.people == ("Кари Лиен",)
    assert lists.keep == ("Fjord glimt",)
    text = "Кари Лиен og Kari Lien møttes."
    found = _found(Detector(lists=lists, use_ner=False, only=["evaluation_list"]), text)
    assert found == [("Кари Лиен", "PERSON")]


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture
def leader(django_user_model):
    return django_user_model.objects.get(username="process_leader")


def test_the_evaluations_world_is_kept_in_review(evaluation):
    """The sites ("Nord", "Sør"), the commissioner and the evaluation's name are never flagged."""
    Site.objects.create(evaluation=evaluation, name="Fjordglimt Helsehus", order=2)
    text = "D1: Fjordglimt Helsehus og Testby kommune hjalp, sa Kari Nordmann."
    assert _found(actions.detector_for(evaluation), text) == [("Kari Nordmann", "PERSON")]
    # a word the team lists to hide is hidden even when a site shares it
    ProtectedTerm.objects.create(evaluation=evaluation, text="Fjordglimt", kind="PERSON")
    assert ("Fjordglimt", "PERSON") in _found(actions.detector_for(evaluation), text)


def test_keep_term_is_audited_and_used_by_the_detector(evaluation, leader):
    text = "D1: Jeg var på Fjordglimt Helsehus i går, og Kari Nordmann var der."
    assert _flags_service(evaluation, text)
    term, created = actions.keep_term(leader, evaluation, "  Fjordglimt\x00 Helsehus ")
    assert created and term.text == "Fjordglimt Helsehus" and term.added_by == leader
    event = AuditEvent.objects.get(action="deid.keep.add")
    assert event.user == leader and event.evaluation == evaluation
    assert event.object_id == str(term.pk) and "Fjordglimt" not in str(event.detail)
    assert _found(actions.detector_for(evaluation), text) == [("Kari Nordmann", "PERSON")]

    again, created = actions.keep_term(leader, evaluation, "Fjordglimt Helsehus")
    assert again == term and not created
    assert AuditEvent.objects.filter(action="deid.keep.add").count() == 1

    pk = term.pk
    actions.unkeep_term(leader, term)
    assert not KeptTerm.objects.exists()
    assert AuditEvent.objects.filter(action="deid.keep.remove", object_id=str(pk)).exists()
    assert _flags_service(evaluation, text)


def _flags_service(evaluation, text: str) -> bool:
    """Whether the review's detector flags the service's name (as a person or a service)."""
    return any(
        "Helsehus" in surface for surface, _ in _found(actions.detector_for(evaluation), text)
    )


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07", "--", "x" * 201])
def test_keep_term_refuses_bad_input_and_changes_nothing(evaluation, leader, text):
    with pytest.raises(ValidationError):
        actions.keep_term(leader, evaluation, text)
    assert not KeptTerm.objects.exists()
    assert not AuditEvent.objects.filter(action="deid.keep.add").exists()


@pytest.mark.parametrize("username", ["commissioner", "outsider", "unsigned"])
def test_keep_term_needs_the_role_and_a_signed_declaration(evaluation, django_user_model, username):
    if username == "unsigned":
        username = "process_leader"
        DeclarationSignature.objects.filter(user__username=username).delete()
    user = django_user_model.objects.get(username=username)
    with pytest.raises((PermissionDenied, Http404)):  # a non-member is told nothing exists
        actions.keep_term(user, evaluation, "Fjordglimt")
    assert not KeptTerm.objects.exists()


def test_hide_missed_name_matches_whole_words_and_short_names_as_written(
    evaluation, leader, transcript_text
):
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    interview = evaluation.interviews.get(code="FG1")
    text = "I: Hvem kom?\nD1: Ja, JA kom, ja. Jan og JA.\nD2: Jaha, JA.\n"
    transcript = import_transcript(leader, interview, parse_text(text, "t.txt"), "t.txt")
    added = actions.hide_missed_name(leader, transcript, "JA", "PERSON")
    hidden = transcript.detections.filter(source="reviewer").order_by("start")
    assert added == 3
    assert [transcript.raw_text[d.start : d.end] for d in hidden] == ["JA", "JA", "JA"]


def test_a_kept_word_with_a_house_number_is_still_an_address():
    detector = Detector(lists=EvaluationLists(keep=["Kvernhaugen"]), use_ner=False)
    assert ("Kvernhaugen 12", "LOCATION") in _found(detector, "Hun bor i Kvernhaugen 12.")
    # a year beside a kept word is a plan's title, not an address (the year alone is a date)
    assert _found(detector, "Planen for Kvernhaugen 2025 er klar.") == [("2025", "DATE")]
