"""The demo shows both report states, and loading it twice changes nothing."""

from __future__ import annotations

from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.reports.actions import approval_problems
from bsbstudio.reports.models import Report, ReportApproval


def test_demo_has_an_approved_and_a_draft_process_report(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    states = dict(Report.objects.order_by("site__order").values_list("site__name", "state"))
    assert states == {"Vardeteamet sentrum": "draft", "Vardeteamet Ytre": "approved"}
    assert ReportApproval.objects.get().report.site.name == "Vardeteamet Ytre"
    assert approval_problems(Report.objects.get(state="draft")) == []  # it downloads as it is
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    assert Report.objects.count() == 2 and ReportApproval.objects.count() == 1
