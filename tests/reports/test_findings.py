"""The leak guard's findings (hole 2): raw material, for signed reviewers only, and audited."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent, Membership, Role
from bsbstudio.deid.models import ProtectedTerm

from .conftest import edit_data, url

PHONE = "91 23 45 67"


@pytest.fixture
def leader(as_user):
    return as_user("process_leader")


@pytest.fixture
def flagged(evaluation, report, leader):
    """The draft report with a phone number in its main points."""
    leader.post(
        url("reports:edit", evaluation, report.pk),
        edit_data(report, points={"Tilgang": f"Ring {PHONE} for mer."}),
    )
    return report


@pytest.fixture
def unsigned(evaluation, make_user):
    """A peer interviewer who has not signed the confidentiality declaration."""
    member = make_user("new_peer")
    Membership.objects.create(evaluation=evaluation, user=member, role=Role.PEER_INTERVIEWER)
    return member


@pytest.mark.parametrize("page", ["reports:download", "reports:review_leaks"])
def test_an_unsigned_member_is_told_the_report_awaits_review(
    evaluation, flagged, unsigned, as_user, page
):
    response = as_user("new_peer").get(url(page, evaluation, flagged.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The report awaits review" in html
    assert PHONE not in html
    assert "sign the confidentiality declaration" in html
    assert not AuditEvent.objects.filter(action="report.leak_view").exists()


def test_an_unsigned_member_cannot_mark_findings_reviewed(evaluation, flagged, unsigned, as_user):
    as_user("new_peer").post(url("reports:review_leaks", evaluation, flagged.pk), {"confirm": "on"})
    flagged.refresh_from_db()
    assert flagged.reviewed_identifiers == []


def test_a_signed_peer_interviewer_sees_the_findings_and_it_is_audited(
    evaluation, flagged, as_user, user
):
    response = as_user("peer_interviewer").get(url("reports:review_leaks", evaluation, flagged.pk))
    assert PHONE in response.content.decode()
    event = AuditEvent.objects.get(action="report.leak_view")
    assert event.user == user("peer_interviewer")
    assert event.object_id == str(flagged.pk)
    assert PHONE not in str(event.detail)


@pytest.fixture
def approved_then_flagged(evaluation, report, leader):
    """An approved report in which a name added to the list of names to hide later stands."""
    leader.post(
        url("reports:edit", evaluation, report.pk),
        # At the start of a sentence the engine reads nothing in "Trollvang" until it is listed
        # ("hos Trollvang" would be a place, which blocks the approval itself; a surname in the
        # name statistics, such as "Solvik", is found at once).
        edit_data(report, points={"Tilgang": "Trollvang sa at ventetiden var lang."}),
    )
    leader.post(url("reports:approve", evaluation, report.pk))
    ProtectedTerm.objects.create(
        evaluation=evaluation, text="Trollvang", kind=ProtectedTerm.Kind.PERSON
    )
    return report


@pytest.mark.parametrize("page", ["reports:download", "reports:review_leaks"])
def test_a_commissioner_sees_no_finding(evaluation, approved_then_flagged, as_user, page):
    response = as_user("commissioner").get(url(page, evaluation, approved_then_flagged.pk))
    html = response.content.decode()
    assert "Content-Disposition" not in response
    assert "The report awaits review" in html
    assert "Trollvang" not in html
    assert "sign the confidentiality declaration" not in html
    assert not AuditEvent.objects.filter(action__in=["report.leak_view", "report.export"]).exists()


def test_a_commissioner_is_told_in_norwegian(evaluation, approved_then_flagged, as_user):
    html = (
        as_user("commissioner", "nb")
        .get(url("reports:download", evaluation, approved_then_flagged.pk))
        .content.decode()
    )
    assert "Rapporten venter på gjennomgang" in html
    assert "Trollvang" not in html


def test_a_commissioner_cannot_mark_findings_reviewed(evaluation, approved_then_flagged, as_user):
    as_user("commissioner").post(
        url("reports:review_leaks", evaluation, approved_then_flagged.pk), {"confirm": "on"}
    )
    approved_then_flagged.refresh_from_db()
    assert approved_then_flagged.reviewed_identifiers == []


def test_a_reviewer_clears_the_approved_version_for_the_commissioner(
    evaluation, approved_then_flagged, as_user
):
    reviewer = as_user("transcriber")
    assert (
        "Trollvang"
        in reviewer.get(
            url("reports:review_leaks", evaluation, approved_then_flagged.pk)
        ).content.decode()
    )
    reviewer.post(
        url("reports:review_leaks", evaluation, approved_then_flagged.pk), {"confirm": "on"}
    )
    response = as_user("commissioner").get(
        url("reports:download", evaluation, approved_then_flagged.pk)
    )
    assert response["Content-Disposition"].startswith("attachment")
