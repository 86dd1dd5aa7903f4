"""`bsb report process|final`: writes a file that opens; the leak guard stops it with a list."""

from __future__ import annotations

import io

import docx
import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.reports import final
from bsbstudio.reports.models import Report

from .conftest import APPROVED_QUOTE
from .pdftext import pages_text


@pytest.fixture
def final_report(evaluation, quotes, user):
    leader = user("process_leader")
    report = final.create_final_report(leader, evaluation)
    tilgang = report.chapters.get(theme__name="Tilgang")
    final.save_chapter(
        leader,
        tilgang,
        experiences="Brukerne forteller om ventetid.",
        assessment="Tilgangen er god.",
        quote_ids=[quotes["approved"].pk],
        recommendations=[("Korte ned ventetiden.", {evaluation.goals.get().pk})],
    )
    return report


def test_final_report_as_docx_opens_with_its_chapters(final_report, tmp_path, capsys):
    out = tmp_path / "slutt.docx"
    assert main(["report", "final", "test", "--format", "docx", "--out", str(out)]) == 0
    text = [p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "Tilgang" in text and "Å bli møtt" in text
    assert f"«{APPROVED_QUOTE}»" in text
    assert "Anbefaling 1: Korte ned ventetiden." in text
    assert AuditEvent.objects.filter(action="report.export", detail__via="command").exists()


def test_final_report_as_pdf(final_report, tmp_path):
    out = tmp_path / "slutt.pdf"
    assert main(["report", "final", "test", "--format", "pdf", "--out", str(out)]) == 0
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    assert "Innhold" in " ".join(pages_text(content))


def test_process_report_for_a_site(evaluation, quotes, user, tmp_path):
    from bsbstudio.reports.actions import create_process_report

    create_process_report(user("process_leader"), evaluation, evaluation.sites.get(name="Nord"))
    out = tmp_path / "nord.pdf"
    assert (
        main(["report", "process", "test", "--site", "Nord", "--format", "pdf", "--out", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_leak_guard_findings_exit_non_zero_with_the_list_and_write_nothing(
    final_report, tmp_path, capsys
):
    Report.objects.filter(pk=final_report.pk).update(foreword="Ring 91 23 45 67 for mer.")
    out = tmp_path / "slutt.docx"
    status = main(["report", "final", "test", "--format", "docx", "--out", str(out)])
    assert status != 0
    err = capsys.readouterr().err
    assert "leak guard found 1" in err and "91 23 45 67" in err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_unknown_evaluation_or_site(evaluation, tmp_path, capsys):
    assert main(["report", "final", "nope", "--out", str(tmp_path / "x.docx")]) != 0
    assert (
        main(["report", "process", "test", "--site", "Øst", "--out", str(tmp_path / "x.docx")]) != 0
    )
    assert "no process report for the site 'Øst'" in capsys.readouterr().err
