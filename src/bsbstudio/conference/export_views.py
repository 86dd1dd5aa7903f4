"""Views that download the conference slides (PPTX, PDF) and the group sheets (DOCX, PDF).

Each download re-runs the checks in :mod:`bsbstudio.conference.slides`. When the leak guard
flags something, a signed reviewer sees the findings on the same address and confirms them there
(a POST), then gets the file; everyone else is told the file awaits the team's review.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.reports import actions as reports
from bsbstudio.reports.forms import LeakReviewForm
from bsbstudio.reports.jobs import is_large
from bsbstudio.reports.models import Report
from bsbstudio.web.messages import user_message

from . import slides
from .slides_jobs import start_slides
from .views import conference_view


@evaluation_view(Action.VIEW_REPORTS)
def report_slides(request, evaluation, report_pk, fmt):
    """A process report's slides, without a conference (the guide's questions for group work)."""
    visible = reports.visible_reports(request.user, evaluation).filter(kind=Report.Kind.PROCESS)
    report = get_object_or_404(visible.select_related("site", "evaluation"), pk=report_pk)
    name = slugify(report.site.name if report.site else report.title) or "rapport"
    if request.method == "GET" and fmt in slides.SLIDE_FORMATS and is_large(evaluation):
        # A big evaluation renders its slides in the background, with progress.
        return redirect(start_slides(request.user, report, fmt).get_absolute_url())
    return _download(
        request,
        evaluation,
        report,
        report,
        export=lambda: slides.export_slides(request.user, report, fmt),
        findings=lambda: slides.slide_findings(report),
        filename=f"lysark-{name}.{fmt}",
        content_type=slides.SLIDE_FORMATS.get(fmt),
        back=reverse("reports:list", args=[evaluation.slug]),
    )


@conference_view()
def conference_slides(request, evaluation, conference, fmt):
    """The conference's slides from the process report it presents."""
    report = _report_of(request, conference)
    if report is None:
        return redirect("conference:detail", evaluation.slug, conference.pk)
    return _download(
        request,
        evaluation,
        report,
        conference,
        export=lambda: slides.export_slides(request.user, report, fmt, conference),
        findings=lambda: slides.slide_findings(report, conference),
        filename=f"lysark-{slugify(conference.title) or 'konferanse'}.{fmt}",
        content_type=slides.SLIDE_FORMATS.get(fmt),
        back=reverse("conference:detail", args=[evaluation.slug, conference.pk]),
    )


@conference_view()
def group_sheet(request, evaluation, conference, group_pk, fmt):
    """One work group's printable sheet."""
    group = conference.groups.select_related("conference").filter(pk=group_pk).first()
    if group is None:
        if Action.VIEW_WORK not in request.bsb_actions:
            raise Http404
        messages.error(request, user_message(slides.refusal("group_gone")))
        return redirect("conference:detail", evaluation.slug, conference.pk)
    report = _report_of(request, conference)
    if report is None:
        return redirect("conference:detail", evaluation.slug, conference.pk)
    return _download(
        request,
        evaluation,
        report,
        group,
        export=lambda: slides.export_group_sheet(request.user, group, fmt),
        findings=lambda: slides.sheet_findings(group),
        filename=f"gruppeark-{slugify(group.name) or group.pk}.{fmt}",
        content_type=slides.SHEET_FORMATS.get(fmt),
        back=reverse("conference:detail", args=[evaluation.slug, conference.pk]),
    )


def _report_of(request, conference):
    """The process report the conference presents, or None with a message saying so."""
    report = conference.process_report
    if report is None:
        messages.error(request, user_message(slides.refusal("no_report")))
    return report


def _download(request, evaluation, report, obj, *, export, findings, filename, content_type, back):
    """Run the checks and send the file, or the leak guard's review, or a clear refusal."""
    if content_type is None:
        messages.error(request, _("This file format is not offered."))
        return redirect(back)
    may_review = reports.may_review_findings(request.user, evaluation)
    if request.method == "POST":
        if not may_review:
            return _awaiting_review(request, evaluation, report)
        form = LeakReviewForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Tick the box to confirm that you have checked every flagged word.")
            )
            return redirect(request.path)
        pending = findings().blocking
        if pending:
            reports.mark_reviewed(request.user, report, pending)
        return redirect(request.path)
    try:
        content = export()
    except slides.LeakRisk:
        if not may_review:
            return _awaiting_review(request, evaluation, report)
        review = slides.show_findings(request.user, report, findings(), obj)
        return render(
            request,
            "conference/export_review.html",
            {
                "evaluation": evaluation,
                "findings": review.blocking,
                "warnings": review.warnings,
                "form": LeakReviewForm(),
                "back": back,
                "nav_active": "reports",
            },
        )
    except slides.SlidesRefused as refusal:
        if Action.VIEW_WORK not in request.bsb_actions:
            return _awaiting_review(request, evaluation, report)
        messages.error(request, user_message(refusal))
        return redirect(back)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _awaiting_review(request, evaluation, report):
    """Say that the team must check first, without naming what was found (as for reports)."""
    return render(
        request,
        "reports/awaiting_review.html",
        {
            "evaluation": evaluation,
            "report": report,
            "may_sign": bool(request.bsb_actions & {Action.VIEW_RAW, Action.REVIEW_DEID}),
            "nav_active": "reports",
        },
    )


urlpatterns = [
    path("report/<int:report_pk>/slides.<str:fmt>", report_slides, name="report_slides"),
    path("<int:pk>/slides.<str:fmt>", conference_slides, name="slides"),
    path("<int:pk>/groups/<int:group_pk>/sheet.<str:fmt>", group_sheet, name="group_sheet"),
]
