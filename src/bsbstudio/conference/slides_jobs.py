"""Slide rendering for large evaluations as background work (``bsbstudio.jobs``).

Above ``settings.JOBS_RENDER_QUOTES`` coded quotes (see ``reports.jobs.is_large``) a slides
download starts this job; its page shows the progress and offers the file when done. The checks
of ``slides.export_slides`` (the leak guard among them) run inside it for the person who asked.
"""

from __future__ import annotations

from django.utils.text import slugify

from bsbstudio.accounts.policy import Action
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import JobFailed, job, start
from bsbstudio.reports.jobs import LEAK
from bsbstudio.reports.models import Report

from . import slides

KIND = "conference.slides"


@job(
    KIND,
    action=Action.VIEW_REPORTS,
    idempotent=True,  # rendering changes nothing; a retry renders again
    private=True,  # drafts render for the team only: the file is its starter's alone
    unit="slides",
    stages={"rendering": gettext_noop("Rendering the slides")},
)
def render_slides(ctx, *, report_id: int, fmt: str) -> None:
    """Render a process report's slides for the person who asked, and keep them for download."""
    report = Report.objects.select_related("site", "evaluation").get(pk=report_id)
    ctx.progress(0, 1, stage="rendering")
    try:
        content = slides.export_slides(ctx.job.started_by, report, fmt)
    except slides.LeakRisk as error:
        raise JobFailed(LEAK) from error
    except slides.SlidesRefused as refusal:
        raise JobFailed(refusal.template, **refusal.params) from refusal
    ctx.progress(1, 1, stage="rendering")
    name = slugify(report.site.name if report.site else report.title) or "rapport"
    ctx.save_result(f"lysark-{name}.{fmt}", content)


def start_slides(user, report: Report, fmt: str):
    """Start (or find) the job that renders ``report``'s slides as ``fmt`` for ``user``."""
    return start(
        KIND,
        evaluation=report.evaluation,
        user=user,
        key=f"slides-{report.pk}-{fmt}-user-{user.pk}",
        args={"report_id": report.pk, "fmt": fmt},
    )
