"""The 2 x 2 display exported as DOCX and PDF: the four fields, approved quotes only, leak guard."""

from __future__ import annotations

import io

import docx
import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import display
from bsbstudio.cli.main import main

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, url
from .pdftext import pages_text

PHONE = "41 22 87 56"


@pytest.fixture
def placed(evaluation, quotes, user):
    """A theme, an approved quote, a short text and an unapproved quote in the display."""
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
    display.set_title(leader, evaluation, "Brukerperspektivet")
    return evaluation


def _table(content: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_the_word_file_has_the_four_fields_and_approved_quotes_only(placed, as_user):
    response = as_user("process_leader", "nb").get(url("reports:display_docx", placed))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert _table(response.content) == [
        ["", "Planlegging", "Gjennomføring"],
        ["Individnivå", "• Å bli møtt", "–"],
        ["Organisasjonsnivå", "• Ventelister", f"• «{APPROVED_QUOTE}» (FG1)"],
    ]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Brukerperspektivet" in text
    assert "Sitater fra transkripsjoner som ikke er godkjent ennå, er utelatt: 1." in text
    assert UNAPPROVED_QUOTE not in text + str(_table(response.content))
    assert AuditEvent.objects.get(action="export.display").detail == {"format": "docx"}


def test_the_pdf_has_the_same_fields(placed, as_user):
    response = as_user("process_leader", "nb").get(url("reports:display_pdf", placed))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(pages_text(response.content))
    for words in ("Brukerperspektivet", "Planlegging", "Organisasjonsnivå", "Ventelister"):
        assert words in text
    assert APPROVED_QUOTE in text
    assert UNAPPROVED_QUOTE not in text


def test_the_display_page_links_to_the_downloads(placed, as_user):
    html = as_user("peer_interviewer").get(url("analysis:display", placed)).content.decode()
    assert url("reports:display_docx", placed) in html
    assert url("reports:display_pdf", placed) in html


def test_a_commissioner_is_refused(placed, as_user):
    for name in ("reports:display_docx", "reports:display_pdf"):
        assert as_user("commissioner").get(url(name, placed)).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="export.display").exists()


@pytest.fixture
def leaky(placed, user):
    display.place(user("process_leader"), placed, "organisation_planning", text=f"Ring {PHONE}")
    return placed


def test_a_phone_number_in_a_short_text_blocks_until_a_reviewer_confirms(leaky, as_user):
    leader = as_user("process_leader")
    response = leader.get(url("reports:display_pdf", leaky))
    assert response.status_code == 302
    assert "exports/review/" in response["Location"]
    assert PHONE in leader.get(response["Location"]).content.decode()
    confirmed = leader.post(response["Location"], {"confirm": "on"})
    assert confirmed["Location"] == url("analysis:display", leaky)
    assert leader.get(url("reports:display_pdf", leaky)).status_code == 200


def test_the_command_line_writes_docx_and_pdf(placed, tmp_path):
    for name in ("display.docx", "display.pdf"):
        assert main(["export", "display", placed.slug, "--out", str(tmp_path / name)]) == 0
    assert f"«{APPROVED_QUOTE}» (FG1)" in str(_table((tmp_path / "display.docx").read_bytes()))
    assert "Ventelister" in " ".join(pages_text((tmp_path / "display.pdf").read_bytes()))
    assert AuditEvent.objects.filter(action="export.display", user=None).count() == 2


def test_the_command_line_refuses_a_leak_and_writes_nothing(leaky, tmp_path, capsys):
    assert main(["export", "display", leaky.slug, "--out", str(tmp_path / "d.pdf")]) == 3
    assert "have not been checked" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_names_a_wrong_file_kind(placed, tmp_path, capsys):
    assert main(["export", "display", placed.slug, "--out", str(tmp_path / "d.xlsx")]) == 2
    err = capsys.readouterr().err
    assert ".docx or .pdf" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
