"""The final report carries the 2 x 2 display and the condensation's synthesis, in DOCX and PDF."""

from __future__ import annotations

import io

import docx
import pytest

from bsbstudio.analysis import condensation, display
from bsbstudio.reports import actions, final

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, url
from .pdftext import pages_text

TITLE = "Brukerperspektivet"
PHONE = "41 22 87 56"


@pytest.fixture
def report(evaluation, quotes, user):
    """A final report started by the process leader (a draft)."""
    return final.create_final_report(user("process_leader"), evaluation)


@pytest.fixture
def placed(evaluation, quotes, user):
    """A theme, a short text, an approved quote and an unapproved quote in the display."""
    leader = user("process_leader")
    respect = evaluation.codes.get(name="Å bli møtt")
    display.place(leader, evaluation, "individual_planning", code_id=respect.pk)
    display.place(leader, evaluation, "organisation_planning", text="Ventelister")
    display.place(
        leader, evaluation, "organisation_implementation", segment_id=quotes["approved"].pk
    )
    display.place(
        leader, evaluation, "individual_implementation", segment_id=quotes["unapproved"].pk
    )
    display.set_title(leader, evaluation, TITLE)
    return evaluation


def _docx(client, evaluation, report) -> docx.document.Document:
    response = client.get(url("reports:download", evaluation, report.pk))
    assert response.status_code == 200, response.status_code
    return docx.Document(io.BytesIO(response.content))


def _all_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _display_table(document) -> list[list[str]] | None:
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0] == ["", "Planlegging", "Gjennomføring"]:
            return rows
    return None


def test_the_docx_has_the_display_as_a_chapter_with_approved_quotes_only(placed, report, as_user):
    document = _docx(as_user("process_leader", "nb"), placed, report)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # After the theme chapters, before the appendices.
    assert headings.index("Å bli møtt") < headings.index(TITLE) < headings.index("Vedlegg")
    assert _display_table(document) == [
        ["", "Planlegging", "Gjennomføring"],
        ["Individnivå", "• Å bli møtt", "–"],
        ["Organisasjonsnivå", "• Ventelister", f"• «{APPROVED_QUOTE}» (FG1)"],
    ]
    text = _all_text(document)
    assert "Sitater fra transkripsjoner som ikke er godkjent ennå, er utelatt: 1." in text
    assert UNAPPROVED_QUOTE not in text


def test_the_pdf_has_the_display_with_approved_quotes_only(placed, report, as_user):
    response = as_user("process_leader", "nb").get(url("reports:download_pdf", placed, report.pk))
    assert response.status_code == 200
    text = " ".join(pages_text(response.content))
    for words in (TITLE, "Planlegging", "Gjennomføring", "Individnivå", "Ventelister"):
        assert words in text
    assert APPROVED_QUOTE in text
    assert UNAPPROVED_QUOTE not in text


def test_a_display_with_nothing_placed_adds_no_chapter(evaluation, report, as_user, user):
    leader = user("process_leader")
    display.set_title(leader, evaluation, TITLE)
    document = _docx(as_user("process_leader", "nb"), evaluation, report)
    assert TITLE not in _all_text(document) and _display_table(document) is None


def test_a_display_of_unapproved_quotes_only_adds_no_chapter(
    evaluation, quotes, report, as_user, user
):
    leader = user("process_leader")
    display.place(leader, evaluation, "individual_planning", segment_id=quotes["unapproved"].pk)
    display.set_title(leader, evaluation, TITLE)
    document = _docx(as_user("process_leader", "nb"), evaluation, report)
    assert TITLE not in _all_text(document) and _display_table(document) is None
    assert UNAPPROVED_QUOTE not in _all_text(document)


def test_the_leak_guard_reads_the_display(placed, report, as_user, user):
    display.place(user("process_leader"), placed, "organisation_planning", text=f"Ring {PHONE}")
    assert f"Ring {PHONE}" in "\n".join(actions.built(report)[1])
    leader = as_user("process_leader")
    response = leader.get(url("reports:download", placed, report.pk))
    assert not response.get("Content-Type", "").startswith("application/vnd.openxml")
    assert PHONE in response.content.decode()  # the findings page, for the reviewer


def test_the_condensation_synthesis_reaches_the_final_report_text(
    evaluation, quotes, report, as_user, user
):
    leader = user("process_leader")
    condensation.add_units(leader, evaluation, [quotes["approved"].pk])
    group = condensation.add_group(leader, evaluation, "Hjelpen")
    sub = condensation.add_subgroup(leader, evaluation, group.pk, "Å bli sett")
    unit = evaluation.condensation.units.get()
    condensation.assign_units(leader, evaluation, {unit.pk: sub.pk})
    condensation.save_synthesis(leader, evaluation, group.pk, "De fleste ble møtt godt.")
    chapter = report.chapters.get(theme__name="Tilgang")
    client = as_user("process_leader", "nb")
    page = url("reports:final_chapter", evaluation, chapter.pk)
    # The starting point offered on the chapter page carries the synthesis ...
    html = client.post(page, {"op": "draft", "experiences": "", "rec_count": "0"})
    experiences = final.experiences_starting_point(chapter, "nb")
    assert "Hjelpen: De fleste ble møtt godt." in experiences
    assert "Hjelpen: De fleste ble møtt godt." in html.content.decode()
    # ... and once saved with the chapter it is in the report's text under the users' experiences.
    client.post(page, {"experiences": experiences, "assessment": "Vurdert.", "rec_count": "0"})
    paragraphs = [p.text for p in _docx(client, evaluation, report).paragraphs]
    start = paragraphs.index("Tilgang")
    chapter_text = paragraphs[start : paragraphs.index("Vurdering", start)]
    assert "Brukernes erfaringer" in chapter_text
    assert any("De fleste ble møtt godt." in p for p in chapter_text)


def test_the_demo_final_report_carries_the_display_and_a_synthesis(db):
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
    from bsbstudio.reports.models import Report, ReportApproval

    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    report = Report.objects.get(kind=Report.Kind.FINAL)
    approval = ReportApproval.objects.get(report=report)
    document = docx.Document(io.BytesIO(bytes(approval.content)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Brukerperspektivet: fra person til organisasjon" in headings
    rows = _display_table(document)
    assert rows is not None and any("«" in cell for row in rows[1:] for cell in row[1:])
    synthesis = report.evaluation.condensation.groups.exclude(synthesis="").first().synthesis
    assert any(synthesis in p.text for p in document.paragraphs)
