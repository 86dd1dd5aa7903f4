"""Views of reports: the process report of each site, edited in the browser and exported as DOCX."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view

from . import actions
from .forms import LeakReviewForm, ProcessReportForm
from .models import Report


@evaluation_view(Action.VIEW_REPORTS)
def report_list(request, evaluation):
    """Each site with its process report (or a button to start one)."""
    reports = {r.site_id: r for r in evaluation.reports.filter(kind=Report.Kind.PROCESS)}
    sites = [(site, reports.get(site.pk)) for site in evaluation.sites.all()]
    return render(
        request,
        "reports/list.html",
        {
            "evaluation": evaluation,
            "sites": sites,
            "nav_active": "reports",
            "can_edit": Action.EDIT_REPORT in request.bsb_actions,
        },
    )


@require_POST
@evaluation_view(Action.EDIT_REPORT)
def create(request, evaluation, site_pk):
    """Start the process report of a site."""
    site = get_object_or_404(evaluation.sites, pk=site_pk)
    report = actions.create_process_report(request.user, evaluation, site)
    return redirect("reports:edit", evaluation.slug, report.pk)


@evaluation_view(Action.EDIT_REPORT)
def edit(request, evaluation, pk):
    """Write the main points per theme and choose the quotes."""
    report = get_object_or_404(Report, pk=pk, evaluation=evaluation)
    sections = list(report.sections.select_related("theme").prefetch_related("quotes"))
    form = ProcessReportForm(
        request.POST or None,
        report=report,
        sections=sections,
        candidates=actions.site_quotes(report),
    )
    if request.method == "POST":
        if form.is_valid():
            actions.save_process_report(request.user, report, form)
            messages.success(request, _("The report was saved."))
            return redirect("reports:edit", evaluation.slug, report.pk)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "reports/edit.html",
        {
            "evaluation": evaluation,
            "report": report,
            "form": form,
            "nav_active": "reports",
        },
    )


@evaluation_view(Action.VIEW_REPORTS)
def download(request, evaluation, pk):
    """The report as a Word document, once the leak guard finds nothing unreviewed."""
    report = get_object_or_404(Report, pk=pk, evaluation=evaluation)
    try:
        content = actions.render_process_report(request.user, report)
    except actions.LeakRisk as risk:
        return render(
            request,
            "reports/leak_review.html",
            {
                "evaluation": evaluation,
                "report": report,
                "findings": risk.findings,
                "form": LeakReviewForm() if Action.EDIT_REPORT in request.bsb_actions else None,
                "nav_active": "reports",
            },
        )
    filename = f"prosessrapport-{slugify(report.site.name if report.site else report.title)}.docx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@evaluation_view(Action.EDIT_REPORT)
def review_leaks(request, evaluation, pk):
    """Record that a person checked the flagged strings, then download."""
    report = get_object_or_404(Report, pk=pk, evaluation=evaluation)
    form = LeakReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Tick the box to confirm that you have checked every flagged word.")
        )
        return redirect("reports:download", evaluation.slug, report.pk)
    findings = actions.unreviewed_findings(report)
    if findings:
        actions.mark_reviewed(request.user, report, findings)
    return redirect("reports:download", evaluation.slug, report.pk)
