"""Report approval (hole 1): drafts stay in the team, a commissioner gets the approved file only."""

from __future__ import annotations

import hashlib
import io

import docx
import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.reports.models import Report, ReportApproval

from .conftest import url


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def write(client, evaluation, report, points, **kwargs):
    from .conftest import edit_data

    data = edit_data(report, points={"Tilgang": points}, **kwargs)
    return client.post(url("reports:edit", evaluation, report.pk), data, follow=True)


def approve(client, evaluation, report):
    return client.post(url("reports:approve", evaluation, report.pk), follow=True)


@pytest.fixture
def leader(as_user):
    return as_user("process_leader")


@pytest.fixture
def commissioner(as_user):
    return as_user("commissioner")


def test_commissioner_neither_lists_nor_downloads_a_draft(evaluation, report, leader, commissioner):
    write(leader, evaluation, report, "Ventetiden er lang.")
    listing = commissioner.get(url("reports:list", evaluation)).content.decode()
    assert url("reports:download", evaluation, report.pk) not in listing
    assert "No report is approved yet." in listing
    for page in ("reports:download", "reports:review_leaks"):
        assert commissioner.get(url(page, evaluation, report.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action="report.export").exists()


def test_commissioner_gets_the_approved_file_even_after_a_later_edit(
    evaluation, report, leader, commissioner
):
    write(leader, evaluation, report, "Ventetiden er lang.")
    approve(leader, evaluation, report)
    listing = commissioner.get(url("reports:list", evaluation)).content.decode()
    assert url("reports:download", evaluation, report.pk) in listing

    write(leader, evaluation, report, "Helt ny og ikke godkjent tekst.")
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT

    response = commissioner.get(url("reports:download", evaluation, report.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = docx_text(response.content)
    assert "Ventetiden er lang." in text
    assert "ble jeg møtt med respekt" in text
    assert "Helt ny og ikke godkjent tekst." not in text
    approval = ReportApproval.objects.get(report=report)
    assert response.content == bytes(approval.content)
    assert hashlib.sha256(response.content).hexdigest() == approval.sha256
    # The team downloads the working draft.
    draft = leader.get(url("reports:download", evaluation, report.pk))
    assert "Helt ny og ikke godkjent tekst." in docx_text(draft.content)


def test_approval_is_audited_with_who_and_which_version(evaluation, report, leader, user):
    approve(leader, evaluation, report)
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED
    event = AuditEvent.objects.get(action="report.approve")
    approval = ReportApproval.objects.get(report=report)
    assert event.user == user("process_leader")
    assert event.object_id == str(report.pk)
    assert event.detail["version"] == 1
    assert event.detail["sha256"] == approval.sha256
    assert approval.approved_by_name == "process_leader"


def test_the_approve_page_asks_first(evaluation, report, leader):
    page = leader.get(url("reports:approve", evaluation, report.pk)).content.decode()
    assert "Yes, approve the report" in page
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert not ReportApproval.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("peer_interviewer", 403), ("transcriber", 403), ("commissioner", 403), ("outsider", 404)],
)
def test_only_a_process_leader_approves(evaluation, report, as_user, role, status):
    client = as_user(role)
    assert client.get(url("reports:approve", evaluation, report.pk)).status_code == status
    assert client.post(url("reports:approve", evaluation, report.pk)).status_code == status
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert not ReportApproval.objects.exists()


def test_an_edit_after_approval_makes_a_draft_that_says_so(evaluation, report, leader):
    write(leader, evaluation, report, "Ventetiden er lang.")
    approve(leader, evaluation, report)
    write(leader, evaluation, report, "Ventetiden er lang.")  # nothing changed
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED

    response = write(leader, evaluation, report, "Ventetiden er kortere nå.")
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    event = AuditEvent.objects.get(action="report.reopen")
    assert event.detail["approved_version"] == 1
    assert event.detail["approved_by"] == "process_leader"
    html = response.content.decode()
    assert "Changed after approval" in html
    assert "Version 1 approved on" in html and "by process_leader" in html
    listing = leader.get(url("reports:list", evaluation)).content.decode()
    assert "Changed after approval" in listing

    approve(leader, evaluation, report)
    assert list(report.approvals.values_list("version", flat=True)) == [2, 1]


def test_approval_is_refused_while_the_leak_guard_finds_something(evaluation, report, leader):
    write(leader, evaluation, report, "Ring 91 23 45 67 for mer.")
    page = leader.get(url("reports:approve", evaluation, report.pk)).content.decode()
    assert "Words that may identify someone: 1" in page
    assert "Yes, approve the report" not in page
    response = approve(leader, evaluation, report)
    assert "Words that may identify someone" in response.content.decode()
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert not ReportApproval.objects.exists()
    assert not AuditEvent.objects.filter(action="report.approve").exists()

    leader.post(url("reports:review_leaks", evaluation, report.pk), {"confirm": "on"})
    approve(leader, evaluation, report)
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED


def test_team_sees_state_badges_and_only_the_leader_an_approve_link(
    evaluation, report, leader, as_user
):
    approve_link = url("reports:approve", evaluation, report.pk)
    listing = leader.get(url("reports:list", evaluation)).content.decode()
    assert "Draft" in listing and approve_link in listing
    peer = as_user("peer_interviewer").get(url("reports:list", evaluation)).content.decode()
    assert "Draft" in peer and approve_link not in peer
    approve(leader, evaluation, report)
    listing = leader.get(url("reports:list", evaluation)).content.decode()
    assert "Approved" in listing and approve_link not in listing


def test_a_norwegian_team_sees_norwegian_states(evaluation, report, as_user):
    html = as_user("peer_interviewer", "nb").get(url("reports:list", evaluation)).content.decode()
    assert "Utkast" in html


def test_a_frozen_file_changed_behind_the_app_is_not_served(evaluation, report, leader, as_user):
    approve(leader, evaluation, report)
    ReportApproval.objects.filter(report=report).update(content=b"not the approved file")
    response = as_user("commissioner").get(url("reports:download", evaluation, report.pk))
    assert "Content-Disposition" not in response
    assert "The report awaits review" in response.content.decode()
    team = leader.get(url("reports:download", evaluation, report.pk), follow=True)
    assert "does not match its approval" in team.content.decode()
