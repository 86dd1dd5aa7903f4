"""Who may open and change fieldwork: a table of role x page, and refused changes."""

from __future__ import annotations

import pytest

from bsbstudio.fieldwork.models import Consent, Informant, SamplingCriterion

from .conftest import url

ROLES = ["process_leader", "peer_interviewer", "transcriber", "commissioner", "outsider"]
VIEW = (200, 200, 200, 403, 404)


def pages(evaluation):
    interview = evaluation.interviews.get()
    informant = evaluation.informants.get(code="B-01")
    return {
        "informants": (url("fieldwork:informants", evaluation), VIEW),
        "informant": (url("fieldwork:informant", evaluation, informant.pk), VIEW),
        "sampling": (url("fieldwork:sampling", evaluation), VIEW),
        "interviews": (url("fieldwork:interviews", evaluation), VIEW),
        "interview": (url("fieldwork:interview", evaluation, interview.pk), VIEW),
        "informant_code": (url("fieldwork:informant_code", evaluation), (200, 200, 403, 403, 404)),
    }


@pytest.mark.parametrize(
    "page", ["informants", "informant", "sampling", "interviews", "interview", "informant_code"]
)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_page_access_by_role(evaluation, as_role, page, role_index):
    address, expected = pages(evaluation)[page]
    assert as_role(ROLES[role_index]).get(address).status_code == expected[role_index]


def changes(evaluation):
    interview = evaluation.interviews.get()
    informant = evaluation.informants.get(code="B-01")
    group = evaluation.informant_groups.get(code="B")
    criterion = SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="gender", value="mann", target=1
    )
    return [
        (url("fieldwork:informants", evaluation), {"code": "B-05", "group": group.pk}),
        (
            url("fieldwork:informant", evaluation, informant.pk),
            {"code": "B-05", "group": group.pk},
        ),
        (url("fieldwork:sampling", evaluation), {"attribute": "gender", "value": "x", "target": 1}),
        (url("fieldwork:sampling_delete", evaluation, criterion.pk), {}),
        (url("fieldwork:interviews", evaluation), {"code": "EI8", "kind": "individual"}),
        (
            url("fieldwork:interview_edit", evaluation, interview.pk),
            {"interview-code": "FG9", "interview-kind": "focus_group"},
        ),
        (
            url("fieldwork:consent", evaluation, interview.pk, informant.pk),
            {f"consent-{informant.pk}-brochure_given": "on"},
        ),
        (
            url("fieldwork:interview", evaluation, interview.pk),
            {"informant": informant.pk, "speaker_code": "D7"},
        ),
    ]


@pytest.mark.parametrize(
    ("role", "status"), [("transcriber", 403), ("commissioner", 403), ("outsider", 404)]
)
def test_only_fieldwork_editors_change_anything(evaluation, as_role, role, status):
    client = as_role(role)
    for address, data in changes(evaluation):
        assert client.post(address, data).status_code == status, address
    assert not Informant.objects.filter(code="B-05").exists()
    assert SamplingCriterion.objects.count() == 1
    assert evaluation.interviews.get().code == "FG1"
    assert not evaluation.interviews.filter(code="EI8").exists()
    assert not Consent.objects.exists()
    assert evaluation.interviews.get().participations.count() == 2


def test_readers_see_no_forms(evaluation, as_role):
    client = as_role("transcriber")
    interview = evaluation.interviews.get()
    for address in (
        url("fieldwork:informants", evaluation),
        url("fieldwork:sampling", evaluation),
        url("fieldwork:interview", evaluation, interview.pk),
    ):
        html = client.get(address).content.decode()
        assert 'method="post" novalidate' not in html, address


def test_peer_interviewer_may_record_consent(evaluation, as_role):
    interview = evaluation.interviews.get()
    informant = evaluation.informants.get(code="B-01")
    response = as_role("peer_interviewer").post(
        url("fieldwork:consent", evaluation, interview.pk, informant.pk),
        {f"consent-{informant.pk}-brochure_given": "on"},
    )
    assert response.status_code == 302
    assert Consent.objects.get().recorded_by.username == "peer_interviewer"
