"""The Lindvåg demo has an approved partial report of one site, with the conference's word."""

from __future__ import annotations

import io

import docx

from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.demo.partial_report import load_partial_report
from bsbstudio.reports.models import Report, ReportApproval


def test_lindvag_has_an_approved_partial_report_loaded_once(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    report = Report.objects.get(kind=Report.Kind.PARTIAL)
    assert report.state == Report.State.APPROVED and report.site is not None
    approval = ReportApproval.objects.get(report=report)
    text = [p.text for p in docx.Document(io.BytesIO(bytes(approval.content))).paragraphs]
    assert "Delrapport" in text and "Hva dialogkonferansen sa" in text
    assert any(t.startswith("Rapporten bygger på referatet fra:") for t in text)
    assert any(t.startswith(("Bekreftet", "Nyansert", "Uenighet")) for t in text)
    assert "Foreslåtte tiltak" in text
    load_partial_report(leader)  # a second run adds nothing
    assert Report.objects.filter(kind=Report.Kind.PARTIAL).count() == 1
    process = Report.objects.get(kind=Report.Kind.PROCESS, site=report.site)
    assert process.state == Report.State.APPROVED  # the site whose process report is approved
