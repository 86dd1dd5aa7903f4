"""Sampling criteria: target against achieved, skew findings, and bad input."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.models import Consent, Informant, SamplingCriterion
from bsbstudio.fieldwork.sampling import skew_summary

from .conftest import messages_of, url


def add(client, evaluation, **data):
    return client.post(url("fieldwork:sampling", evaluation), data)


def test_criterion_shows_target_against_achieved(evaluation, leader):
    response = add(leader, evaluation, attribute="site", value="nord", target=4)
    assert response.status_code == 302
    criterion = evaluation.sampling_criteria.get()
    assert criterion.value == "Nord"  # stored as the site is spelt
    page = leader.get(url("fieldwork:sampling", evaluation))
    [row] = page.context["criteria"]
    assert (row["progress"].achieved, row["progress"].percent) == (2, 50)
    assert "2 of 4" in page.content.decode()
    assert AuditEvent.objects.filter(action="sampling.criterion.create").exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (("group", "Brukere"), "B"),
        (("group", "a"), "A"),
        (("gender", "Woman"), "kvinne"),
        (("age_band", "67 and over"), "67+"),
        (("recruited_through", " Vardeteamet "), "Vardeteamet"),
    ],
)
def test_criterion_values_are_stored_as_informants_hold_them(evaluation, leader, typed, stored):
    attribute, value = typed
    assert add(leader, evaluation, attribute=attribute, value=value, target=2).status_code == 302
    assert evaluation.sampling_criteria.get().value == stored


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"attribute": "group", "value": "Z", "target": 2}, "no informant group Z"),
        ({"attribute": "site", "value": "Øst", "target": 2}, "no site called Øst"),
        ({"attribute": "gender", "value": "", "target": 2}, "required"),
        ({"attribute": "gender", "value": "mann", "target": 0}, "greater than or equal to 1"),
        ({"attribute": "gender", "value": "mann", "target": "many"}, "whole number"),
        ({"attribute": "shoe_size", "value": "42", "target": 2}, "valid choice"),
        ({"attribute": "site", "value": "Vest", "target": 2}, "no site called Vest"),
    ],
)
def test_bad_criterion_is_refused(evaluation, leader, other, data, expected):
    response = add(leader, evaluation, **data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Nothing was saved" in messages_of(response)
    assert not evaluation.sampling_criteria.exists()


def test_the_same_criterion_twice_is_refused(evaluation, leader):
    add(leader, evaluation, attribute="gender", value="kvinne", target=2)
    response = add(leader, evaluation, attribute="gender", value="Kvinne", target=3)
    assert response.status_code == 200
    assert "already in the list" in response.content.decode()
    assert evaluation.sampling_criteria.count() == 1


def test_remove_criterion(evaluation, leader, other):
    add(leader, evaluation, attribute="gender", value="kvinne", target=2)
    criterion = evaluation.sampling_criteria.get()
    foreign = other.sampling_criteria.get()
    assert leader.post(url("fieldwork:sampling_delete", evaluation, foreign.pk)).status_code == 404
    assert leader.get(url("fieldwork:sampling_delete", evaluation, criterion.pk)).status_code == 405
    response = leader.post(url("fieldwork:sampling_delete", evaluation, criterion.pk))
    assert response.status_code == 302
    assert not evaluation.sampling_criteria.exists()
    assert SamplingCriterion.objects.filter(pk=foreign.pk).exists()
    event = AuditEvent.objects.get(action="sampling.criterion.delete")
    assert event.detail == {
        "attribute": "gender",
        "value": "kvinne",
        "target": 2,
        "per_site": False,
    }


def test_skew_summary_for_the_dashboard(evaluation):
    SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="gender", value="kvinne", target=4
    )
    b = evaluation.informant_groups.get(code="B")
    for n in range(2, 9):
        Informant.objects.create(evaluation=evaluation, code=f"B-{n:02d}", group=b, gender="mann")
    Informant.objects.create(evaluation=evaluation, code="B-09", group=b, gender="kvinne")
    with translation.override("en"):
        findings = skew_summary(evaluation)
        messages = [f.message for f in findings]
    assert findings[0].severity == "warning"
    assert "Criterion “Gender = Woman” at 1 of 4." in messages
    assert "No informants from site Sør." in messages
    assert "Gender: 88 % Man (7 of 8 informants)." in messages


def test_withdrawn_informants_are_not_counted(evaluation, leader):
    staff = evaluation.informants.get(code="A-01")
    interview = evaluation.interviews.get()
    Consent.objects.create(informant=staff, interview=interview, withdrawn_at=timezone.now())
    with translation.override("en"):
        messages = [f.message for f in skew_summary(evaluation)]
    assert "No informants in group Ansatte." in messages
    assert "1 informant withdrew from every interview and is not counted." in messages
    page = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    assert "1 of 2 informants are counted" in page
    assert "No informants in group Ansatte." in page


def test_sampling_page_shows_the_spread(evaluation, leader):
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    assert "Who is in the sample" in html
    assert "Brukere" in html and "Not recorded" in html
