"""The demo shows both report states, and loading it twice changes nothing."""

from __future__ import annotations

from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.reports.actions import approval_problems
from bsbstudio.reports.models import Report, ReportApproval


def test_demo_has_an_approved_and_a_draft_process_report(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    process = Report.objects.filter(kind=Report.Kind.PROCESS)
    states = dict(process.order_by("site__order").values_list("site__name", "state"))
    assert states == {"Vardeteamet sentrum": "draft", "Vardeteamet Ytre": "approved"}
    assert ReportApproval.objects.get(report__kind="process").report.site.name == "Vardeteamet Ytre"
    assert approval_problems(process.get(state="draft")) == []  # it downloads as it is
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    assert (
        process.count() == 2 and ReportApproval.objects.filter(report__kind="process").count() == 1
    )
