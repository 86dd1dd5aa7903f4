"""Quotes come from approved de-identified texts only (hole 1)."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.reports.models import Report, ReportApproval
from bsbstudio.transcripts.actions import withdraw_approval

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, edit_data, url


@pytest.fixture
def leader(as_user):
    return as_user("process_leader")


def test_the_editor_offers_quotes_from_approved_texts_only(evaluation, report, leader, quotes):
    html = leader.get(url("reports:edit", evaluation, report.pk)).content.decode()
    assert APPROVED_QUOTE in html
    assert UNAPPROVED_QUOTE not in html
    chosen = report.sections.get(theme__name="Tilgang").quotes.all()
    assert list(chosen) == [quotes["approved"]]


def test_a_posted_quote_from_an_unapproved_text_is_refused(evaluation, report, leader, quotes):
    data = edit_data(
        report,
        introduction="Ny innledning.",
        quotes={"Tilgang": [quotes["approved"].pk, quotes["unapproved"].pk]},
    )
    response = leader.post(url("reports:edit", evaluation, report.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Quote {quotes['unapproved'].pk} cannot be used" in html
    report.refresh_from_db()
    assert report.introduction == ""
    assert list(report.sections.get(theme__name="Tilgang").quotes.all()) == [quotes["approved"]]
    assert not AuditEvent.objects.filter(action="report.save").exists()


def test_a_quote_whose_text_lost_its_approval_stops_download_and_approval(
    evaluation, report, leader, quotes, user
):
    withdraw_approval(user("process_leader"), quotes["approved"].text)
    response = leader.get(url("reports:download", evaluation, report.pk), follow=True)
    assert "Content-Disposition" not in response
    assert "Quotes from de-identified texts that are not approved: 1" in response.content.decode()
    edit = leader.get(url("reports:edit", evaluation, report.pk)).content.decode()
    assert "no longer approved" in edit
    leader.post(url("reports:approve", evaluation, report.pk))
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert not ReportApproval.objects.exists()


def test_an_approved_report_is_held_back_when_a_quoted_text_loses_its_approval(
    evaluation, report, leader, quotes, user, as_user
):
    leader.post(url("reports:approve", evaluation, report.pk))
    withdraw_approval(user("process_leader"), quotes["approved"].text)
    response = as_user("commissioner").get(url("reports:download", evaluation, report.pk))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "The report awaits review" in response.content.decode()
