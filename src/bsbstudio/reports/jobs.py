"""Report rendering for large evaluations as background work (``bsbstudio.jobs``).

An evaluation with more than ``settings.JOBS_RENDER_QUOTES`` coded quotes renders its reports in
a job: the download link starts it, the job page shows its progress, and the file is downloaded
from there. Smaller evaluations render in the request as before. The leak guard and every other
check run inside ``actions.export_report`` either way, for the person who asked.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.text import slugify

from bsbstudio.accounts.policy import Action
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import JobFailed, job, start

from . import actions
from .models import Report

KIND = "reports.render"
LEAK = gettext_noop(
    "The report holds words that may name someone. Open the report's list and download it "
    "there to check them first."
)


def report_filename(evaluation, report: Report, fmt: str) -> str:
    """The download name of a report ("prosessrapport-nord.docx")."""
    if report.kind == Report.Kind.FINAL:
        return f"sluttrapport-{slugify(evaluation.name)}.{fmt}"
    place = slugify(report.site.name if report.site else report.title)
    if report.kind == Report.Kind.PARTIAL:
        return f"delrapport-{place}.{fmt}"
    return f"prosessrapport-{place}.{fmt}"


def is_large(evaluation) -> bool:
    """Whether the evaluation's reports render as a job (more coded quotes than the threshold)."""
    if settings.JOBS_RENDER_QUOTES <= 0:  # 0: always in the background
        return True
    quotes = CodedSegment.objects.filter(code__evaluation=evaluation)
    return quotes[: settings.JOBS_RENDER_QUOTES + 1].count() > settings.JOBS_RENDER_QUOTES


@job(
    KIND,
    action=Action.VIEW_REPORTS,
    idempotent=True,  # rendering changes nothing; a retry renders again
    private=True,  # a draft renders for the team only: the file is its starter's alone
    unit="pages",
    stages={"assembling": gettext_noop("Putting the report together")},
)
def render_report(ctx, *, report_id: int, fmt: str) -> None:
    """Render one report as DOCX or PDF for the person who asked, and keep it for download."""
    report = Report.objects.select_related("site", "evaluation").get(pk=report_id)
    ctx.progress(0, 1, stage="assembling")
    try:
        content = actions.export_report(ctx.job.started_by, report, fmt)
    except actions.LeakRisk as error:
        raise JobFailed(LEAK) from error
    except actions.ReportRefused as refusal:
        raise JobFailed(refusal.template, **refusal.params) from refusal
    ctx.progress(1, 1, stage="assembling")
    ctx.save_result(report_filename(report.evaluation, report, fmt), content)


def start_render(user, report: Report, fmt: str):
    """Start (or find) the job that renders ``report`` as ``fmt`` for ``user``."""
    return start(
        KIND,
        evaluation=report.evaluation,
        user=user,
        key=f"report-{report.pk}-{fmt}-user-{user.pk}",
        args={"report_id": report.pk, "fmt": fmt},
    )
