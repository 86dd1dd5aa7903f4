"""Interviews: editing, status, guide version frozen when held, the filterable list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.models import Interview
from bsbstudio.guide.models import GuideQuestion

from .conftest import messages_of, url


def edit_data(interview, **changes):
    data = {
        "code": interview.code,
        "kind": interview.kind,
        "status": interview.status,
        "site": interview.site_id or "",
        "date": interview.date.isoformat() if interview.date else "",
        "place": interview.place,
        "moderator": interview.moderator_id or "",
        "co_moderator": interview.co_moderator_id or "",
    }
    data.update(changes)
    return {f"interview-{key}": value for key, value in data.items()}


def edit(client, evaluation, interview, **changes):
    return client.post(
        url("fieldwork:interview_edit", evaluation, interview.pk), edit_data(interview, **changes)
    )


def test_marking_held_freezes_the_guide_version(evaluation, leader, interview):
    assert interview.guide_version is None
    response = edit(leader, evaluation, interview, status="held")
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "held"
    assert interview.guide_version.number == 1
    assert AuditEvent.objects.filter(action="guide.freeze").count() == 1
    event = AuditEvent.objects.get(action="interview.update")
    assert event.detail == {"changed": ["status"], "status": "held"}
    page = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert "Guide version 1" in page


def test_a_later_guide_edit_does_not_change_an_earlier_interview(evaluation, leader, interview):
    edit(leader, evaluation, interview, status="held")
    question = GuideQuestion.objects.filter(theme__evaluation=evaluation).first()
    question.text = "Et nytt spørsmål"
    question.save()
    response = leader.post(
        url("fieldwork:interviews", evaluation),
        {"code": "EI2", "kind": "individual", "status": "held", "date": "2026-04-01"},
    )
    assert response.status_code == 302
    second = evaluation.interviews.get(code="EI2")
    interview.refresh_from_db()
    assert (interview.guide_version.number, second.guide_version.number) == (1, 2)
    edit(leader, evaluation, interview, status="planned")
    edit(leader, evaluation, interview, status="held")
    interview.refresh_from_db()
    assert interview.guide_version.number == 1


def test_planned_interview_has_no_guide_version(evaluation, leader):
    leader.post(url("fieldwork:interviews", evaluation), {"code": "EI3", "kind": "individual"})
    created = evaluation.interviews.get(code="EI3")
    assert created.status == "planned" and created.guide_version is None


def test_moderators_are_saved(evaluation, leader, interview, make_user):
    from bsbstudio.accounts.models import Membership

    peer = evaluation.memberships.get(role="peer_interviewer")
    second = Membership.objects.create(
        evaluation=evaluation, user=make_user("peer2"), role="peer_interviewer"
    )
    response = edit(leader, evaluation, interview, moderator=peer.pk, co_moderator=second.pk)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.moderator, interview.co_moderator) == (peer, second)
    listing = leader.get(url("fieldwork:interviews", evaluation)).content.decode()
    assert "peer2" in listing


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "held", "date": "2099-01-01"}, "cannot be marked as held"),
        ({"code": ""}, "required"),
        ({"status": "done"}, "valid choice"),
        ({"date": "31.02.2026"}, "valid date"),
        ({"moderator": "transcriber"}, "valid choice"),
    ],
)
def test_bad_interview_edit_changes_nothing(evaluation, leader, interview, changes, expected):
    if changes.get("moderator") == "transcriber":
        changes = {"moderator": evaluation.memberships.get(role="transcriber").pk}
    response = edit(leader, evaluation, interview, **changes)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Nothing was saved" in messages_of(response)
    interview.refresh_from_db()
    assert (interview.code, interview.status, interview.guide_version) == ("FG1", "planned", None)
    assert not AuditEvent.objects.filter(action__startswith="interview.").exists()


def test_same_moderator_twice_is_refused(evaluation, leader, interview):
    peer = evaluation.memberships.get(role="peer_interviewer")
    response = edit(leader, evaluation, interview, moderator=peer.pk, co_moderator=peer.pk)
    assert response.status_code == 200
    assert "must be someone else" in response.content.decode()


def test_interview_code_clash_is_refused(evaluation, leader, interview):
    leader.post(url("fieldwork:interviews", evaluation), {"code": "EI4", "kind": "individual"})
    response = edit(leader, evaluation, interview, code="ei4")
    assert response.status_code == 200
    assert "already in use" in response.content.decode()


def test_moderator_or_interview_of_another_evaluation(evaluation, leader, interview, other):
    foreign = other.interviews.get()
    assert (
        leader.post(url("fieldwork:interview_edit", evaluation, foreign.pk), {}).status_code == 404
    )
    assert leader.get(url("fieldwork:interview", evaluation, foreign.pk)).status_code == 404
    response = edit(leader, evaluation, interview, site=other.sites.get().pk)
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.site.name == "Nord"


def test_get_on_edit_goes_back_to_the_page(evaluation, leader, interview):
    response = leader.get(url("fieldwork:interview_edit", evaluation, interview.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#edit")


def test_list_filters_by_site_and_status(evaluation, leader, interview):
    south = evaluation.sites.get(name="Sør")
    Interview.objects.create(
        evaluation=evaluation, code="EI5", kind="individual", site=south, status="cancelled"
    )
    page = url("fieldwork:interviews", evaluation)

    def codes(params):
        response = leader.get(page, params)
        assert response.status_code == 200
        return {row.code for row in response.context["rows"]}

    assert codes({}) == {"FG1", "EI5"}
    assert codes({"filter-site": south.pk}) == {"EI5"}
    assert codes({"filter-status": "planned"}) == {"FG1"}
    assert codes({"filter-site": south.pk, "filter-status": "planned"}) == set()


@pytest.mark.parametrize(
    "params", [{"filter-site": "999999"}, {"filter-status": "x"}, {"filter-site": "abc"}]
)
def test_bad_filter_shows_everything_with_a_message(evaluation, leader, other, params):
    response = leader.get(url("fieldwork:interviews", evaluation), params)
    assert response.status_code == 200
    assert "filter could not be used" in messages_of(response)
    assert {row.code for row in response.context["rows"]} == {"FG1"}


def test_foreign_site_in_filter_is_refused(evaluation, leader, other):
    response = leader.get(
        url("fieldwork:interviews", evaluation), {"filter-site": other.sites.get().pk}
    )
    assert response.status_code == 200
    assert "filter could not be used" in messages_of(response)


def test_list_shows_status_and_consent_state(evaluation, leader, interview):
    html = leader.get(url("fieldwork:interviews", evaluation)).content.decode()
    assert "Planned" in html
    assert "2 with gaps" in html  # FG1's date has passed and nobody's consent is recorded


def test_list_queries_do_not_grow_with_interviews(
    evaluation, leader, django_assert_max_num_queries
):
    for n in range(10):
        Interview.objects.create(
            evaluation=evaluation,
            code=f"EX{n}",
            kind="individual",
            date=timezone.localdate() - datetime.timedelta(days=n + 1),
        )
    with django_assert_max_num_queries(20):
        leader.get(url("fieldwork:interviews", evaluation))
