"""The printable group sheet (DOCX and PDF): content, exact quotes, leak guard, who may download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent, Membership, Role
from bsbstudio.conference.engine.group_sheet import GroupSheetInput, build_group_sheet
from bsbstudio.conference.engine.slides import GroupWork
from bsbstudio.reports.engine import Quote, ThemeFindings, render_docx

from . import slide_fixtures
from .slide_fixtures import QUESTIONS, QUOTES, pdf_pages

# Fixtures shared with the group sheet tests.
conference, leader_user, report = (
    slide_fixtures.conference,
    slide_fixtures.leader_user,
    slide_fixtures.report,
)


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, one per line."""
    from docx import Document

    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def sheet_url(conference, fmt, group=None):
    group = group or conference.groups.get()
    return reverse(
        "conference:group_sheet", args=[conference.evaluation.slug, conference.pk, group.pk, fmt]
    )


def test_the_sheet_has_the_group_its_themes_quotes_and_questions_with_room_to_write():
    data = GroupSheetInput(
        conference="Dialogkonferanse Nord",
        group=GroupWork("Gruppe 1", ("Tilgang",), ("Hva kjenner dere igjen?",)),
        themes=(
            ThemeFindings(
                "Tilgang",
                main_points="- Lang ventetid",
                quotes=[Quote("Det tok tre måneder.", "Brukere", "critical")],
            ),
        ),
        roles=("Brukere", "Ansatte"),
    )
    document = build_group_sheet(data)
    text = docx_text(render_docx(document))
    for expected in (
        "Gruppeark: Gruppe 1",
        "Deltakere: Brukere, Ansatte",
        "Tilgang",
        "Lang ventetid",
        "«Det tok tre måneder.»",
        "1. Hva kjenner dere igjen?",
    ):
        assert expected in text
    from docx import Document

    table = Document(io.BytesIO(render_docx(document))).tables[-1]
    assert len(table.rows) == 7  # the question, then six empty lines to write on
    assert all(not row.cells[0].text for row in table.rows[1:])


def test_the_team_downloads_a_group_sheet_as_word(conference, as_user):
    response = as_user("peer_interviewer").get(sheet_url(conference, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = docx_text(response.content)
    assert "Gruppe 1" in text
    assert "Det tar lang tid før hjelpen kommer" in text
    for quote, _polarity in QUOTES["Tilgang"]:
        assert f"«{quote}»" in text
    for quote, _polarity in QUOTES["Å bli møtt"]:  # not this group's theme
        assert quote not in text
    for number, question in enumerate(QUESTIONS.splitlines(), start=1):
        assert f"{number}. {question}" in text
    event = AuditEvent.objects.get(action="conference.sheet.export")
    assert event.detail["format"] == "docx"


def test_the_group_sheet_as_pdf(conference, as_user):
    response = as_user("process_leader").get(sheet_url(conference, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1


def test_an_unreviewed_phone_number_in_the_questions_blocks_the_sheet(
    conference, make_user, as_user
):
    group = conference.groups.get()
    group.questions = "Ring 91 23 45 67 etterpå?"
    group.save(update_fields=["questions"])
    member = make_user("new_peer")
    Membership.objects.create(
        evaluation=conference.evaluation, user=member, role=Role.PEER_INTERVIEWER
    )
    response = as_user("new_peer").get(sheet_url(conference, "docx"))
    html = response.content.decode()
    assert "The report awaits review" in html
    assert "91 23 45 67" not in html
    assert not AuditEvent.objects.filter(action="conference.sheet.export").exists()
    reviewer = as_user("peer_interviewer").get(sheet_url(conference, "pdf"))
    assert "91 23 45 67" in reviewer.content.decode()  # a signed reviewer sees what to check


@pytest.fixture
def approved_minutes(conference):
    """The commissioner sees a conference only once its minutes are approved."""
    from django.utils import timezone

    conference.minutes_approved_at = timezone.now()
    conference.save(update_fields=["minutes_approved_at"])
    return conference


def test_a_commissioner_cannot_download_a_sheet_of_a_draft_report(approved_minutes, as_user):
    response = as_user("commissioner").get(sheet_url(approved_minutes, "docx"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="conference.sheet.export").exists()


def test_the_command_writes_the_group_sheet(conference, tmp_path, capsys):
    from bsbstudio.cli.main import main

    out = tmp_path / "gruppeark.docx"
    assert main(["conference", "sheet", "test", "1", "1", "--out", str(out)]) == 0
    text = docx_text(out.read_bytes())
    assert "Gruppeark: Gruppe 1" in text
    assert f"«{QUOTES['Tilgang'][0][0]}»" in text
    assert main(["conference", "sheet", "test", "1", "2", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "has 1 group(s)" in capsys.readouterr().err


def test_a_deleted_group_gives_a_clear_message(conference, as_user):
    group = conference.groups.get()
    url = sheet_url(conference, "docx", group)
    group.delete()
    response = as_user("process_leader").get(url, follow=True)
    assert response.status_code == 200
    assert "This group no longer exists" in response.content.decode()
