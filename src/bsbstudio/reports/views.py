"""Views of reports: the process report of each site, edited, approved and exported as DOCX."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import user_message

from . import actions
from .forms import LeakReviewForm, ProcessReportForm
from .jobs import is_large, report_filename, start_render
from .models import Report, ReportApproval


def _report(request, evaluation, pk) -> Report:
    """The report, if this person may see it (a draft is "not found" for a commissioner)."""
    reports = actions.visible_reports(request.user, evaluation).select_related("site")
    return get_object_or_404(reports, pk=pk)


@evaluation_view(Action.VIEW_REPORTS)
def report_list(request, evaluation):
    """Each site with its process report: its state for the team, approved ones for everyone."""
    visible = actions.visible_reports(request.user, evaluation)
    reports = {r.site_id: r for r in visible.filter(kind=Report.Kind.PROCESS)}
    partials = {r.site_id: r for r in visible.filter(kind=Report.Kind.PARTIAL)}
    approvals = {}
    for approval in (
        ReportApproval.objects.filter(report__in=[*reports.values(), *partials.values()])
        .defer("content", "pdf_content")
        .order_by("report_id", "-version")
    ):
        approvals.setdefault(approval.report_id, approval)
    team = Action.VIEW_WORK in request.bsb_actions
    sites = [
        (
            site,
            reports.get(site.pk),
            approvals.get(getattr(reports.get(site.pk), "pk", None)),
            partials.get(site.pk),
            approvals.get(getattr(partials.get(site.pk), "pk", None)),
        )
        for site in evaluation.sites.all()
        if team or site.pk in reports or site.pk in partials
    ]
    return render(
        request,
        "reports/list.html",
        {
            "evaluation": evaluation,
            "sites": sites,
            "team": team,
            "nav_active": "reports",
            "can_edit": Action.EDIT_REPORT in request.bsb_actions,
            "can_approve": Action.APPROVE_REPORT in request.bsb_actions,
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
    if report.kind == Report.Kind.FINAL:
        return redirect("reports:final", evaluation.slug)
    if report.kind == Report.Kind.PARTIAL:
        return redirect("reports:partial", evaluation.slug, report.pk)
    sections = list(report.sections.select_related("theme").prefetch_related("quotes"))
    form = ProcessReportForm(
        request.POST or None,
        report=report,
        sections=sections,
        candidates=actions.site_quotes(report),
    )
    if request.method == "POST":
        if form.is_valid():
            was_approved = report.state == Report.State.APPROVED
            if not actions.save_process_report(request.user, report, form):
                messages.info(request, _("Nothing was changed."))
            elif was_approved:
                messages.warning(
                    request,
                    _(
                        "The report was saved. It is a draft again: the commissioner gets the "
                        "approved version until a process leader approves this one."
                    ),
                )
            else:
                messages.success(request, _("The report was saved."))
            return redirect("reports:edit", evaluation.slug, report.pk)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "reports/edit.html",
        {
            "evaluation": evaluation,
            "report": report,
            "approval": actions.latest_approval(report),
            "unapproved_quotes": list(actions.unapproved_quotes(report)),
            "form": form,
            "nav_active": "reports",
        },
    )


@evaluation_view(Action.APPROVE_REPORT)
def approve(request, evaluation, pk):
    """Ask the process leader to confirm, then approve the report for the commissioner."""
    report = get_object_or_404(Report.objects.select_related("site"), pk=pk, evaluation=evaluation)
    if request.method == "POST":
        try:
            approval = actions.approve_report(request.user, report)
        except actions.ReportRefused as refusal:
            messages.error(request, user_message(refusal))
        else:
            messages.success(
                request,
                _("The report is approved (version %(version)s). The commissioner can download it.")
                % {"version": approval.version},
            )
            if report.kind == Report.Kind.FINAL:
                return redirect("reports:final", evaluation.slug)
            return redirect("reports:list", evaluation.slug)
    problems = (
        [user_message(p) for p in actions.approval_problems(report)]
        if report.state == Report.State.DRAFT
        else []
    )
    return render(
        request,
        "reports/approve.html",
        {
            "evaluation": evaluation,
            "report": report,
            "approval": actions.latest_approval(report),
            "problems": problems,
            "nav_active": "reports",
        },
    )


@evaluation_view(Action.VIEW_REPORTS)
def download(request, evaluation, pk, fmt="docx"):
    """The report as Word or PDF, once the checks pass (the leak guard re-scans each time)."""
    report = _report(request, evaluation, pk)
    if is_large(evaluation):  # a big evaluation renders in the background, with progress
        return redirect(start_render(request.user, report, fmt).get_absolute_url())
    try:
        content = actions.export_report(request.user, report, fmt)
    except actions.LeakRisk:
        return _findings_page(request, evaluation, report)
    except actions.ReportRefused as refusal:
        if Action.VIEW_WORK not in request.bsb_actions:
            return _awaiting_review(request, evaluation, report)
        messages.error(request, user_message(refusal))
        return redirect("reports:list", evaluation.slug)
    filename = report_filename(evaluation, report, fmt)
    response = HttpResponse(content, content_type=actions.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@evaluation_view(Action.VIEW_REPORTS)
def review_leaks(request, evaluation, pk):
    """The leak guard's findings (raw material); a reviewer confirms them, then downloads."""
    report = _report(request, evaluation, pk)
    if request.method != "POST":
        return _findings_page(request, evaluation, report)
    if not actions.may_review_findings(request.user, evaluation):
        return _awaiting_review(request, evaluation, report)
    form = LeakReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Tick the box to confirm that you have checked every flagged word.")
        )
        return redirect("reports:review_leaks", evaluation.slug, report.pk)
    findings = actions.pending_findings(report)
    if findings:
        actions.mark_reviewed(request.user, report, findings)
    return redirect("reports:download", evaluation.slug, report.pk)


def _findings_page(request, evaluation, report):
    """The findings for a signed reviewer; everyone else is told the report awaits the team."""
    if not actions.may_review_findings(request.user, evaluation):
        return _awaiting_review(request, evaluation, report)
    review = actions.show_findings(request.user, report)
    return render(
        request,
        "reports/leak_review.html",
        {
            "evaluation": evaluation,
            "report": report,
            "findings": review.blocking,
            "warnings": review.warnings,
            "form": LeakReviewForm(),
            "nav_active": "reports",
        },
    )


def _awaiting_review(request, evaluation, report):
    """Say that the team must check the report first, without naming what was found."""
    may_review = bool(
        request.bsb_actions & {Action.VIEW_RAW, Action.REVIEW_DEID}
    )  # a reviewer who has not signed the declaration yet
    return render(
        request,
        "reports/awaiting_review.html",
        {
            "evaluation": evaluation,
            "report": report,
            "may_sign": may_review,
            "nav_active": "reports",
        },
    )
