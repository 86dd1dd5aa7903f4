"""Consent per participant and interview: the checklist form, gaps, refusals and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.consent import consent_gaps, recording_refused
from bsbstudio.fieldwork.models import Consent, Informant, Interview, Participation

from .conftest import messages_of, url

COMPLETE = {
    "brochure_given": "on",
    "oral_consent": "on",
    "recording_consent": "yes",
    "informed_of_rights": "on",
}


def post_consent(client, evaluation, interview, informant, **answers):
    data = {f"consent-{informant.pk}-{key}": value for key, value in answers.items()}
    return client.post(url("fieldwork:consent", evaluation, interview.pk, informant.pk), data)


@pytest.fixture
def user(evaluation):
    return evaluation.informants.get(code="B-01")


@pytest.fixture
def staff(evaluation):
    return evaluation.informants.get(code="A-01")


def test_checklist_is_saved_once_per_participant_and_audited(evaluation, leader, interview, user):
    response = post_consent(leader, evaluation, interview, user, **COMPLETE)
    assert response.status_code == 302
    consent = Consent.objects.get(informant=user, interview=interview)
    assert (consent.brochure_given, consent.oral_consent, consent.informed_of_rights) == (
        True,
        True,
        True,
    )
    assert consent.recording_consent is True and consent.withdrawn_at is None
    assert consent.recorded_by.username == "process_leader"
    post_consent(leader, evaluation, interview, user, **{**COMPLETE, "recording_consent": "no"})
    assert Consent.objects.filter(informant=user, interview=interview).count() == 1
    consent.refresh_from_db()
    assert consent.recording_consent is False
    events = AuditEvent.objects.filter(action="consent.save").order_by("at", "pk")
    assert [e.detail["recording_consent"] for e in events] == [True, False]
    assert events[0].detail["informant"] == "B-01"


def test_recording_not_asked_yet_is_stored_as_none(evaluation, leader, interview, user):
    post_consent(leader, evaluation, interview, user, brochure_given="on", recording_consent="")
    assert Consent.objects.get(informant=user).recording_consent is None


def test_withdrawal_without_time_means_now(evaluation, leader, interview, user):
    before = timezone.now()
    post_consent(leader, evaluation, interview, user, withdrew="on", withdrawn_at="")
    withdrawn_at = Consent.objects.get(informant=user).withdrawn_at
    assert before <= withdrawn_at <= timezone.now()


def test_withdrawal_time_is_kept_and_dropped_when_unticked(evaluation, leader, interview, user):
    post_consent(
        leader, evaluation, interview, user, withdrew="on", withdrawn_at="2026-03-01T10:45"
    )
    consent = Consent.objects.get(informant=user)
    local = timezone.localtime(consent.withdrawn_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 3, 1), 10, 45)
    post_consent(leader, evaluation, interview, user, withdrawn_at="2026-03-01T10:45")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"withdrew": "on", "withdrawn_at": "2099-01-01T10:00"}, "cannot be in the future"),
        ({"withdrew": "on", "withdrawn_at": "yesterday"}, "valid date/time"),
        ({"recording_consent": "maybe"}, "valid choice"),
    ],
)
def test_bad_consent_input_changes_nothing(evaluation, leader, interview, user, answers, expected):
    response = post_consent(leader, evaluation, interview, user, **{**COMPLETE, **answers})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Nothing was saved" in messages_of(response)
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.save").exists()


def test_consent_for_a_non_participant_is_refused(evaluation, leader, interview):
    outsider = Informant.objects.create(
        evaluation=evaluation, code="B-09", group=evaluation.informant_groups.get(code="B")
    )
    response = post_consent(leader, evaluation, interview, outsider, **COMPLETE)
    assert response.status_code == 302
    followed = leader.get(response["Location"])
    assert "does not take part" in messages_of(followed)
    assert not Consent.objects.exists()


def test_consent_with_ids_of_another_evaluation_is_not_found(evaluation, leader, interview, other):
    foreign_informant = other.informants.get()
    foreign_interview = other.interviews.get()
    user = evaluation.informants.get(code="B-01")
    assert post_consent(leader, evaluation, interview, foreign_informant).status_code == 404
    assert post_consent(leader, evaluation, foreign_interview, user).status_code == 404
    assert not Consent.objects.exists()


def test_interview_page_shows_gaps_and_the_checklist(evaluation, leader, interview, user):
    post_consent(leader, evaluation, interview, user, **COMPLETE)
    html = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert "Consent has gaps:" in html
    staff_pk = evaluation.informants.get(code="A-01").pk
    assert f'href="#consent-{staff_pk}">A-01' in html
    assert "<legend>" in html and 'type="datetime-local"' in html
    assert "Missing: information brochure, oral consent" in html


def test_gaps_are_only_chased_for_held_or_past_interviews(evaluation, interview, user, staff):
    gaps = consent_gaps(evaluation)
    assert [(g.interview.code, g.informant.code) for g in gaps] == [
        ("FG1", "B-01"),
        ("FG1", "A-01"),
    ]
    assert gaps[0].missing == (
        "brochure_given",
        "oral_consent",
        "recording_consent",
        "informed_of_rights",
    )
    Consent.objects.create(
        informant=user,
        interview=interview,
        brochure_given=True,
        oral_consent=True,
        recording_consent=False,
        informed_of_rights=True,
    )
    Consent.objects.create(informant=staff, interview=interview, withdrawn_at=timezone.now())
    assert consent_gaps(evaluation) == []
    future = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        date=timezone.localdate() + datetime.timedelta(days=3),
    )
    Participation.objects.create(interview=future, informant=user, speaker_code="D1")
    assert consent_gaps(evaluation) == []
    future.status = "held"
    future.save()
    assert [(g.interview.code, g.informant.code) for g in consent_gaps(evaluation)] == [
        ("FG2", "B-01")
    ]
    future.status = "cancelled"
    future.save()
    assert consent_gaps(evaluation) == []


def test_consent_gaps_query_count_is_fixed(evaluation, interview, django_assert_num_queries):
    with django_assert_num_queries(3):
        consent_gaps(evaluation)


def test_recording_refusal_is_listed_and_shown(evaluation, leader, interview, user, staff):
    assert recording_refused(interview) == []
    post_consent(leader, evaluation, interview, user, **{**COMPLETE, "recording_consent": "no"})
    post_consent(leader, evaluation, interview, staff, **COMPLETE)
    assert recording_refused(interview) == [user]
    html = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert "B-01 said no to recording" in html


def test_refusal_in_another_interview_does_not_count(evaluation, interview, user):
    other_interview = Interview.objects.create(evaluation=evaluation, code="EI7", kind="individual")
    Participation.objects.create(interview=other_interview, informant=user, speaker_code="D1")
    Consent.objects.create(informant=user, interview=other_interview, recording_consent=False)
    assert recording_refused(interview) == []
    assert recording_refused(other_interview) == [user]


def test_general_refusal_counts_unless_this_interview_says_yes(evaluation, interview, user):
    Consent.objects.create(informant=user, interview=None, recording_consent=False)
    assert recording_refused(interview) == [user]
    Consent.objects.create(informant=user, interview=interview, recording_consent=True)
    assert recording_refused(interview) == []


def test_refusal_by_a_non_participant_does_not_count(evaluation, interview):
    stranger = Informant.objects.create(
        evaluation=evaluation, code="B-08", group=evaluation.informant_groups.get(code="B")
    )
    Consent.objects.create(informant=stranger, interview=interview, recording_consent=False)
    assert recording_refused(interview) == []
