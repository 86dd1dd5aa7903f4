"""The partial report (delrapport) of a site: findings, what the conference said, measures."""

from __future__ import annotations

import io

import docx
import pytest
from django.utils import timezone, translation

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.conference.models import (
    ConferenceGroup,
    DialogueConference,
    GroupOutput,
    ThemeValidation,
)
from bsbstudio.followup.models import Measure
from bsbstudio.reports import actions, partial
from bsbstudio.reports.models import Report, ReportApproval

from .conftest import APPROVED_QUOTE, url
from .pdftext import pages_text

NO_CONFERENCE = "Dialogkonferansen er ikke holdt ennå, eller referatet er ikke godkjent."


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


@pytest.fixture
def nord(evaluation):
    return evaluation.sites.get(name="Nord")


@pytest.fixture
def process_report(report, user):
    """Nord's process report with main points written for Tilgang."""
    section = report.sections.get(theme__name="Tilgang")
    section.main_points = "Brukerne ble møtt med respekt."
    section.save()
    return report


@pytest.fixture
def partial_report(evaluation, process_report, nord, user):
    return partial.create_partial_report(user("process_leader"), evaluation, nord)


def held_conference(evaluation, site, *, approved=True):
    """A conference that confirmed Tilgang and proposed a measure (minutes approved or not)."""
    conference = DialogueConference.objects.create(
        evaluation=evaluation,
        site=site,
        title="Konferanse Nord",
        minutes_approved_at=timezone.now() if approved else None,
    )
    group = ConferenceGroup.objects.create(conference=conference, name="Gruppe 1")
    said = GroupOutput.objects.create(
        group=group, kind="discussion", text="Deltakerne kjente seg igjen i funnene."
    )
    GroupOutput.objects.create(group=group, kind="measure", text="Faste treffdager på huset.")
    theme = evaluation.themes.get(name="Tilgang")
    ThemeValidation.objects.create(
        conference=conference,
        output=said,
        theme=theme,
        code=evaluation.codes.get(name="Tilgang"),
        status="confirmed",
    )
    return conference


def export(report, fmt="docx"):
    return actions.export_for_command(report, fmt, "nb")


def test_start_makes_one_section_per_theme_and_is_audited(evaluation, partial_report):
    assert partial_report.kind == Report.Kind.PARTIAL
    assert partial_report.state == Report.State.DRAFT
    assert list(partial_report.sections.values_list("theme__name", flat=True)) == [
        t.name for t in evaluation.themes.all()
    ]
    assert AuditEvent.objects.filter(action="report.create", detail__kind="partial").exists()


def test_docx_has_findings_validations_and_measures(evaluation, partial_report, nord):
    conference = held_conference(evaluation, nord)
    Measure.objects.create(
        evaluation=evaluation, site=nord, text="Lengre åpningstid.", status="agreed"
    )
    Measure.objects.create(evaluation=evaluation, site=None, text="Gjelder alle steder.")
    text = paragraphs(export(partial_report))
    assert "Delrapport" in text and "Tilgang" in text
    assert "Funn fra prosessrapporten" in text
    assert "Brukerne ble møtt med respekt." in text
    assert f"«{APPROVED_QUOTE}»" in text
    assert "Hva dialogkonferansen sa" in text
    assert "Bekreftet: Deltakerne kjente seg igjen i funnene." in text
    assert f"Rapporten bygger på referatet fra: {conference.title}." in text
    assert "Foreslåtte tiltak" in text
    assert "Lengre åpningstid. (Vedtatt)" in text  # with its follow-up status
    assert "Faste treffdager på huset." in text
    assert "Gjelder alle steder." not in text  # another site's (or every site's) measure
    assert not any(NO_CONFERENCE in p for p in text)


def test_without_an_approved_conference_the_report_says_so(evaluation, partial_report, nord):
    held_conference(evaluation, nord, approved=False)  # minutes not approved: not used
    text = paragraphs(export(partial_report))
    assert any(NO_CONFERENCE in p for p in text)
    assert not any("Deltakerne kjente seg igjen" in p for p in text)
    assert "Ingen tiltak er foreslått for dette tjenestestedet ennå." in text


def test_a_conference_across_all_sites_counts_for_every_site(evaluation, partial_report):
    held_conference(evaluation, None)
    text = paragraphs(export(partial_report))
    assert "Bekreftet: Deltakerne kjente seg igjen i funnene." in text


def test_a_conference_of_another_site_does_not(evaluation, partial_report):
    held_conference(evaluation, evaluation.sites.exclude(name="Nord").first())
    assert any(NO_CONFERENCE in p for p in paragraphs(export(partial_report)))


def test_pdf_renders(evaluation, partial_report, nord):
    held_conference(evaluation, nord)
    content = export(partial_report, "pdf")
    assert content.startswith(b"%PDF")
    assert "Bekreftet" in " ".join(pages_text(content))


def test_introduction_and_comments_are_edited_in_the_browser(evaluation, partial_report, as_user):
    section = partial_report.sections.get(theme__name="Tilgang")
    client = as_user("process_leader")
    page = client.get(url("reports:partial", evaluation, partial_report.pk))
    assert page.status_code == 200 and f'name="comment_{section.pk}"' in page.content.decode()
    client.post(
        url("reports:partial", evaluation, partial_report.pk),
        {"introduction": "Innledning her.", f"comment_{section.pk}": "Vi merker oss dette."},
    )
    partial_report.refresh_from_db()
    assert partial_report.introduction == "Innledning her."
    text = paragraphs(export(partial_report))
    assert "Innledning her." in text and "Vi merker oss dette." in text
    assert AuditEvent.objects.filter(
        action="report.save", object_id=str(partial_report.pk)
    ).exists()


def test_the_list_offers_one_start_per_site(evaluation, process_report, as_user, nord):
    client = as_user("process_leader")
    page = client.get(url("reports:list", evaluation)).content.decode()
    assert page.count("Start partial report") == evaluation.sites.count()
    response = client.post(url("reports:partial_start", evaluation, nord.pk))
    report = Report.objects.get(kind=Report.Kind.PARTIAL, site=nord)
    assert response.url == url("reports:partial", evaluation, report.pk)
    page = client.get(url("reports:list", evaluation)).content.decode()
    assert page.count("Start partial report") == evaluation.sites.count() - 1


def test_commissioner_gets_no_draft_then_the_frozen_approved_file(
    evaluation, partial_report, nord, as_user, user
):
    held_conference(evaluation, nord)
    commissioner = as_user("commissioner")
    for name in ("reports:download", "reports:download_pdf"):
        assert commissioner.get(url(name, evaluation, partial_report.pk)).status_code == 404
    assert (
        "Start partial report"
        not in commissioner.get(url("reports:list", evaluation)).content.decode()
    )
    assert commissioner.get(url("reports:partial", evaluation, partial_report.pk)).status_code in (
        403,
        404,
    )
    with translation.override("nb"):  # the frozen file is in the approver's language
        approval = actions.approve_report(user("process_leader"), partial_report)
    partial_report.refresh_from_db()
    assert partial_report.state == Report.State.APPROVED
    assert approval.quoted_texts  # the process report's quotes are tracked for withdrawal
    response = commissioner.get(url("reports:download", evaluation, partial_report.pk))
    assert response.status_code == 200
    assert bytes(response.content) == bytes(ReportApproval.objects.get(pk=approval.pk).content)
    assert "delrapport-nord.docx" in response["Content-Disposition"]
    assert "Bekreftet: Deltakerne kjente seg igjen i funnene." in paragraphs(response.content)
    assert AuditEvent.objects.filter(
        action="report.approve", object_id=str(partial_report.pk)
    ).exists()


def test_leak_guard_blocks_approval(evaluation, partial_report, user):
    Report.objects.filter(pk=partial_report.pk).update(introduction="Ring 91 23 45 67 for mer.")
    partial_report.refresh_from_db()
    with pytest.raises(actions.ReportRefused):
        actions.approve_report(user("process_leader"), partial_report)
    assert not partial_report.approvals.exists()


def test_cli_writes_the_partial_report(evaluation, partial_report, nord, tmp_path):
    held_conference(evaluation, nord)
    out = tmp_path / "nord.docx"
    assert (
        main(["report", "partial", "test", "--site", "Nord", "--format", "docx", "--out", str(out)])
        == 0
    )
    assert "Bekreftet: Deltakerne kjente seg igjen i funnene." in paragraphs(out.read_bytes())
    with pytest.raises(SystemExit):  # --site is required
        main(["report", "partial", "test", "--out", str(tmp_path / "x.docx")])


def test_the_page_shows_what_the_conference_said_in_bokmal(
    evaluation, partial_report, nord, as_user
):
    held_conference(evaluation, nord)
    page = as_user("process_leader", "nb").get(
        url("reports:partial", evaluation, partial_report.pk)
    )
    html = page.content.decode()
    assert "Bekreftet: Deltakerne kjente seg igjen i funnene." in html
    assert "Faste treffdager på huset." in html
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    listing = as_user("process_leader", "nb").get(url("reports:list", evaluation)).content.decode()
    assert "Start delrapport" in listing


def test_no_themes_gives_a_message_and_no_report(evaluation, as_user, nord):
    evaluation.themes.all().delete()
    client = as_user("process_leader")
    response = client.post(url("reports:partial_start", evaluation, nord.pk), follow=True)
    assert "The partial report needs themes" in response.content.decode()
    assert not Report.objects.filter(kind=Report.Kind.PARTIAL).exists()


def test_others_cannot_start_or_edit(evaluation, partial_report, nord, as_user):
    for username in ("commissioner", "transcriber", "outsider"):
        client = as_user(username)
        assert client.post(url("reports:partial_start", evaluation, nord.pk)).status_code in (
            403,
            404,
        )
        response = client.post(
            url("reports:partial", evaluation, partial_report.pk), {"introduction": "x"}
        )
        assert response.status_code in (403, 404)
    partial_report.refresh_from_db()
    assert partial_report.introduction == ""
