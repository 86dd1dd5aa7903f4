"""The process report as PDF, its neutral column, and the frozen PDF of an approval."""

from __future__ import annotations

import hashlib

import pytest

from bsbstudio.reports.engine import build_process_report, render_pdf
from bsbstudio.reports.engine.process_report import ProcessReportInput, Quote, ThemeFindings
from bsbstudio.reports.models import Report, ReportApproval

from .conftest import APPROVED_QUOTE, url
from .pdftext import pages_text


def test_overview_counts_positive_critical_and_neutral():
    data = ProcessReportInput(
        evaluation_name="E",
        site_name="Nord",
        themes=[
            ThemeFindings(
                "Tilgang",
                quotes=[
                    Quote("bra", "Brukere", "positive"),
                    Quote("dårlig", "Brukere", "critical"),
                    Quote("sånn", "Brukere", "neutral"),
                    Quote("også sånn", "Ansatte", "neutral"),
                ],
            )
        ],
    )
    document = build_process_report(data)
    (table,) = [b for b in document.blocks if type(b).__name__ == "Table"]
    assert table.header == ("Tema", "Sitater", "Positive", "Kritiske", "Nøytrale")
    assert table.rows == (("Tilgang", "4", "1", "1", "2"),)
    text = " ".join(pages_text(render_pdf(document)))
    assert "Tema Sitater Positive Kritiske Nøytrale Tilgang 4 1 1 2" in text
    assert "Sitat 1 · positivt «bra» – Bruker" in text


@pytest.fixture
def leader(as_user):
    return as_user("process_leader", "nb")


def test_a_table_cell_longer_than_a_page_is_written_as_lines():
    """fpdf2 refuses a table row taller than a page; the renderer writes such a table as lines."""
    from bsbstudio.reports.engine import Document, Table

    long = "Mye å si om dette. " * 400
    document = Document(
        title="T",
        blocks=[Table(header=("Økt", "Notat"), rows=(("Første", long), ("Andre", "kort")))],
    )
    text = " ".join(pages_text(render_pdf(document)))
    assert "Økt: Første" in text
    assert "Notat: Mye å si om dette." in text
    assert "Økt: Andre Notat: kort" in text


def test_team_downloads_the_draft_as_pdf_with_page_numbers(evaluation, report, leader):
    response = leader.get(url("reports:download_pdf", evaluation, report.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="prosessrapport-nord.pdf"'
    pages = pages_text(response.content)
    assert pages[0].startswith("Prosessrapport Testevaluering")
    assert APPROVED_QUOTE in " ".join(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f" {number}") or page.startswith(f"{number} ")


def test_approval_keeps_docx_and_pdf_and_a_commissioner_gets_the_frozen_pdf(
    evaluation, report, leader, as_user
):
    commissioner = as_user("commissioner")
    assert commissioner.get(url("reports:download_pdf", evaluation, report.pk)).status_code == 404
    leader.post(url("reports:approve", evaluation, report.pk))
    approval = ReportApproval.objects.get(report=report)
    pdf = bytes(approval.pdf_content)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == approval.pdf_sha256
    assert commissioner.get(url("reports:download_pdf", evaluation, report.pk)).content == pdf


def test_an_approval_from_before_pdfs_says_so(evaluation, report, leader, as_user):
    leader.post(url("reports:approve", evaluation, report.pk))
    ReportApproval.objects.filter(report=report).update(pdf_content=b"", pdf_sha256="")
    commissioner = as_user("commissioner")
    response = commissioner.get(url("reports:download_pdf", evaluation, report.pk))
    assert response.status_code == 200  # a page that says the team must act, not a 500
    assert Report.objects.get(pk=report.pk).state == Report.State.APPROVED
    team = as_user("process_leader").get(
        url("reports:download_pdf", evaluation, report.pk), follow=True
    )
    assert "approved before PDF files were kept" in team.content.decode()


def test_an_unknown_format_is_not_found(evaluation, report, leader):
    assert leader.get(f"/e/{evaluation.slug}/reports/{report.pk}/odt/").status_code == 404
