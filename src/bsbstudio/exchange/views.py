"""The exchange page of an evaluation: the REFI-QDA project (QDPX) and codebook (QDC) downloads.

Every download passes the leak guard (invariant 3); its findings are shown to a signed
reviewer, who confirms them once for all the evaluation's exports; everyone else is told the
file awaits review. A refusal is a message on the page, never an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.deid import leak_guard
from bsbstudio.evaluations.short_names import short_name
from bsbstudio.guide.forms import parse_id
from bsbstudio.reports import exports
from bsbstudio.reports.actions import LeakRisk, audit_findings_view, may_review_findings
from bsbstudio.reports.forms import LeakReviewForm
from bsbstudio.web.messages import user_message

from . import codebook_export, qdpx_export
from . import jobs as exchange_jobs
from .codebook_export import ExportRefused

QDPX = "application/vnd.refi-qda+zip"  # no registered type; programs go by the suffix
QDC = "application/xml"


def _page_url(evaluation) -> str:
    return reverse("exchange:page", args=[evaluation.slug])


@evaluation_view(Action.VIEW_REPORTS)
def page(request, evaluation):
    """What the two files are for, and their download buttons."""
    return render(
        request,
        "exchange/exchange.html",
        {
            "evaluation": evaluation,
            "nav_active": "exchange",
            "sites": evaluation.sites.order_by("order", "name", "pk"),
            "team": Action.VIEW_WORK in request.bsb_actions,
            "jobs": exchange_jobs.recent_jobs(request.user, evaluation),
        },
    )


def _site(request, evaluation):
    """The site chosen in ``?site=``: None for the whole evaluation, False when not one of ours."""
    value = request.GET.get("site", "")
    if not value:
        return None
    pk = parse_id(value)
    site = evaluation.sites.filter(pk=pk).first() if pk is not None else None
    return site or False


def _download(request, evaluation, make, filename: str, content_type: str, what: str):
    try:
        content = make()
    except LeakRisk:
        if may_review_findings(request.user, evaluation):
            return redirect(f"{reverse('exchange:review', args=[evaluation.slug])}?{what}")
        messages.warning(
            request,
            _("The team must check this export before it can be downloaded. Try again later."),
        )
        return redirect(_page_url(evaluation))
    except ExportRefused as refusal:
        messages.error(request, user_message(refusal))
        return redirect(_page_url(evaluation))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@evaluation_view(Action.VIEW_REPORTS)
def qdpx(request, evaluation):
    """The project as a QDPX archive: the whole evaluation, or one site (``?site=<id>``)."""
    site = _site(request, evaluation)
    if site is False:
        messages.error(request, _("That site is not part of this evaluation."))
        return redirect(_page_url(evaluation))
    name = evaluation.slug if site is None else f"{evaluation.slug}-{short_name(site.name)}"
    if exchange_jobs.is_large(evaluation):
        # A large evaluation is written in the background; its job page shows the progress
        # and offers the file (the same checks and audit run inside the job).
        job = exchange_jobs.start_export(request.user, evaluation, site or None, f"{name}.qdpx")
        return redirect(job.get_absolute_url())
    return _download(
        request,
        evaluation,
        lambda: qdpx_export.build_project(request.user, evaluation, site),
        f"{name}.qdpx",
        QDPX,
        f"what=qdpx&site={site.pk}" if site else "what=qdpx",
    )


@evaluation_view(Action.VIEW_WORK)
def qdc(request, evaluation):
    """The code tree as a QDC codebook."""
    return _download(
        request,
        evaluation,
        lambda: codebook_export.export_codebook(request.user, evaluation),
        f"{evaluation.slug}-kodebok.qdc",
        QDC,
        "what=qdc",
    )


def _texts(request, evaluation, site) -> list[str]:
    """What the leak guard reads in the file asked for."""
    codes = codebook_export.code_tree(evaluation)
    if request.GET.get("what") == "qdc":
        return codebook_export.codebook_texts(codes)
    return qdpx_export.scanned_texts(qdpx_export.gather(request.user, evaluation, site), codes)


@evaluation_view(Action.VIEW_REPORTS)
def review(request, evaluation):
    """The leak guard's findings in a file; a signed reviewer confirms them, then downloads."""
    site = _site(request, evaluation)
    if site is False or not may_review_findings(request.user, evaluation):
        return redirect(_page_url(evaluation))
    what = "qdc" if request.GET.get("what") == "qdc" else "qdpx"
    next_url = reverse(f"exchange:{what}", args=[evaluation.slug])
    if site is not None and what == "qdpx":
        next_url += f"?site={site.pk}"
    texts = _texts(request, evaluation, site)
    if request.method == "POST":
        if not LeakReviewForm(request.POST).is_valid():
            messages.error(
                request, _("Tick the box to confirm that you have checked every flagged word.")
            )
            return redirect(request.get_full_path())
        found = leak_guard.unreviewed(evaluation, texts, exports.reviewed_identifiers(evaluation))
        if found:
            exports.mark_reviewed(request.user, evaluation, found)
        return redirect(next_url)
    found = leak_guard.review(evaluation, texts, exports.reviewed_identifiers(evaluation))
    audit_findings_view(request.user, "export.leak_view", evaluation, evaluation, found)
    return render(
        request,
        "reports/cross_site_leak_review.html",
        {
            "evaluation": evaluation,
            "nav_active": "exchange",
            "findings": found.blocking,
            "warnings": found.warnings,
            "form": LeakReviewForm(),
            "next_url": next_url,
        },
    )
