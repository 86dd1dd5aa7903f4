"""The Lindvåg demo ends with an approved final report, every chapter filled, loaded once."""

from __future__ import annotations

import io

import docx

from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.reports.models import Report, ReportApproval


def test_lindvag_has_an_approved_final_report_with_every_chapter_filled(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    report = Report.objects.get(kind=Report.Kind.FINAL)
    assert report.state == Report.State.APPROVED
    assert report.foreword and report.summary and report.summary_en
    chapters = list(report.chapters.select_related("theme"))
    assert len(chapters) == report.evaluation.themes.count() == 15
    for chapter in chapters:
        assert chapter.experiences.strip() and chapter.assessment.strip(), chapter.theme.name
        assert chapter.recommendations.exists() and chapter.theme.goals.exists()
        assert all(r.goals.exists() for r in chapter.recommendations.all())
    assert sum(c.quote_boxes.count() for c in chapters) >= 15
    approval = ReportApproval.objects.get(report=report)
    text = [p.text for p in docx.Document(io.BytesIO(bytes(approval.content))).paragraphs]
    assert any(t.startswith("Sitat 1") for t in text)  # bokmål whatever language is active
    assert (
        "Anbefaling 1: Gi alle nye henvisninger en fast dato for første besøk innen to uker."
        in text
    )
    assert bytes(approval.pdf_content).startswith(b"%PDF")

    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    assert Report.objects.filter(kind=Report.Kind.FINAL).count() == 1
    assert ReportApproval.objects.filter(report=report).count() == 1
