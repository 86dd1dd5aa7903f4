"""Views of the cross-site comparison, its editing pages, and the analysis exports (XLSX, CSV).

These pages are the team's (VIEW_WORK): a commissioner gets cross-site tables only through an
approved final report. Every download passes the leak guard; its findings are shown to a signed
reviewer, everyone else is told the export awaits review (as for reports).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import user_message

from . import cross_site, exports
from .actions import LeakRisk, may_review_findings
from .engine.cross_site import plain
from .forms import LeakReviewForm
from .models import SiteFact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The downloads a reviewer returns to after confirming the leak guard's findings.
DOWNLOADS = (
    "reports:cross_site_xlsx",
    "reports:export_matrix",
    "reports:export_quotes",
    # The matrix as shown and the display: back to their page, to download again as chosen.
    "analysis:matrix",
    "analysis:display",
)


def _page(request, evaluation, template, **context):
    return render(
        request,
        f"reports/{template}",
        {"evaluation": evaluation, "nav_active": "reports", **context},
    )


@evaluation_view(Action.VIEW_WORK)
def overview(request, evaluation):
    """The cross-site tables: counts, quotes per theme and site, areas, site facts."""
    return _page(
        request,
        evaluation,
        "cross_site.html",
        comparison=cross_site.comparison(evaluation),
        sites=evaluation.sites.order_by("order", "name", "pk"),
        can_edit=Action.EDIT_REPORT in request.bsb_actions,
    )


def _download(request, evaluation, name, make, filename, content_type):
    try:
        content = make(request.user, evaluation)
    except LeakRisk:
        if not may_review_findings(request.user, evaluation):
            return _awaiting_review(request, evaluation)
        return redirect(f"{_url('reports:export_review', evaluation)}?next={name}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _url(name, evaluation):
    return reverse(name, args=[evaluation.slug])


@evaluation_view(Action.VIEW_WORK)
def cross_site_xlsx(request, evaluation):
    """The cross-site tables as a workbook, one sheet per table."""
    return _download(
        request,
        evaluation,
        "reports:cross_site_xlsx",
        cross_site.export_xlsx,
        f"sammenligning-{evaluation.slug}.xlsx",
        XLSX,
    )


@evaluation_view(Action.VIEW_WORK)
def export_matrix(request, evaluation):
    """The matrix (counts and quotes) as a workbook."""
    return _download(
        request,
        evaluation,
        "reports:export_matrix",
        exports.export_matrix,
        f"matrise-{evaluation.slug}.xlsx",
        XLSX,
    )


@evaluation_view(Action.VIEW_WORK)
def export_quotes(request, evaluation):
    """The quote list as CSV (semicolons and a BOM, so a spreadsheet in Norway opens it)."""
    return _download(
        request,
        evaluation,
        "reports:export_quotes",
        lambda user, ev: exports.export_quotes(user, ev).encode("utf-8"),
        f"sitater-{evaluation.slug}.csv",
        "text/csv; charset=utf-8",
    )


@evaluation_view(Action.VIEW_WORK)
def export_review(request, evaluation):
    """The leak guard's findings in the exports; a signed reviewer confirms them, then downloads."""
    next_name = request.GET.get("next", "")
    if next_name not in DOWNLOADS:
        next_name = "reports:cross_site"
    if not may_review_findings(request.user, evaluation):
        return _awaiting_review(request, evaluation)
    if request.method == "POST":
        form = LeakReviewForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Tick the box to confirm that you have checked every flagged word.")
            )
            return redirect(request.get_full_path())
        findings = exports.pending_findings(evaluation)
        if findings:
            exports.mark_reviewed(request.user, evaluation, findings)
        return redirect(_url(next_name, evaluation))
    review = exports.show_findings(request.user, evaluation)
    return _page(
        request,
        evaluation,
        "cross_site_leak_review.html",
        findings=review.blocking,
        warnings=review.warnings,
        form=LeakReviewForm(),
        next_url=_url(next_name, evaluation),
        next_name=next_name,
    )


def _awaiting_review(request, evaluation):
    """Say that the team must check the export first, without naming what was found."""
    return _page(
        request,
        evaluation,
        "cross_site_awaiting_review.html",
        may_sign=bool(request.bsb_actions & {Action.VIEW_RAW, Action.REVIEW_DEID}),
    )


# -- editing --------------------------------------------------------------------------------


def _act(request, action, *args, success: str) -> bool:
    """Run an edit; show its refusal, or ``success``; return whether it went through."""
    try:
        action(request.user, *args)
    except cross_site.CrossSiteRefused as refusal:
        messages.error(request, user_message(refusal))
        return False
    messages.success(request, success)
    return True


@evaluation_view(Action.EDIT_REPORT)
def areas(request, evaluation):
    """The areas the sites are rated on, and the categories of the rating scale."""
    if request.method == "POST":
        post = request.POST
        if "add_area" in post:
            _act(
                request,
                cross_site.add_area,
                evaluation,
                post.get("name", ""),
                success=_("The area was added."),
            )
        elif "add_value" in post:
            _act(
                request,
                cross_site.add_scale_value,
                evaluation,
                post.get("name", ""),
                success=_("The category was added."),
            )
        elif "delete_area" in post:
            area = get_object_or_404(evaluation.rating_areas, pk=parse_id(post["delete_area"]))
            cross_site.delete_area(request.user, area)
            messages.success(request, _("The area was deleted."))
        return redirect("reports:cross_site_areas", evaluation.slug)
    return _page(
        request,
        evaluation,
        "cross_site_areas.html",
        areas=evaluation.rating_areas.order_by("order", "pk"),
        scale=evaluation.rating_scale.order_by("order", "pk"),
        sites=evaluation.sites.order_by("order", "name", "pk"),
    )


@evaluation_view(Action.EDIT_REPORT)
def ratings(request, evaluation, site_pk):
    """One site's category per area, each with its source document and page."""
    site = get_object_or_404(evaluation.sites, pk=site_pk)
    areas = list(evaluation.rating_areas.order_by("order", "pk"))
    if request.method == "POST":
        entries = {
            area.pk: (
                request.POST.get(f"value_{area.pk}", ""),
                request.POST.get(f"source_{area.pk}", ""),
                request.POST.get(f"page_{area.pk}", ""),
            )
            for area in areas
        }
        try:
            changed = cross_site.save_site_ratings(request.user, site, entries)
        except cross_site.CrossSiteRefused as refusal:
            messages.error(request, user_message(refusal))
        else:
            messages.success(
                request, _("The ratings were saved.") if changed else _("Nothing was changed.")
            )
            return redirect("reports:cross_site_ratings", evaluation.slug, site.pk)
    current = {r.area_id: r for r in site.ratings.select_related("value")}
    return _page(
        request,
        evaluation,
        "cross_site_ratings.html",
        site=site,
        rows=[(area, current.get(area.pk)) for area in areas],
        scale=evaluation.rating_scale.order_by("order", "pk"),
    )


@evaluation_view(Action.EDIT_REPORT)
def facts(request, evaluation):
    """The numeric indicators (name, unit, source, year) and each site's value of them."""
    indicators = list(evaluation.site_indicators.order_by("order", "pk"))
    sites = list(evaluation.sites.order_by("order", "name", "pk"))
    if request.method == "POST":
        post = request.POST
        if "add_indicator" in post:
            _act(
                request,
                cross_site.add_indicator,
                evaluation,
                post.get("name", ""),
                post.get("unit", ""),
                post.get("source", ""),
                post.get("year", ""),
                success=_("The indicator was added."),
            )
        elif "delete_indicator" in post:
            indicator = get_object_or_404(
                evaluation.site_indicators, pk=parse_id(post["delete_indicator"])
            )
            cross_site.delete_indicator(request.user, indicator)
            messages.success(request, _("The indicator was deleted."))
        else:
            entries = {
                (i.pk, s.pk): post.get(f"fact_{i.pk}_{s.pk}", "") for i in indicators for s in sites
            }
            try:
                changed = cross_site.save_site_facts(request.user, evaluation, entries)
            except cross_site.CrossSiteRefused as refusal:
                messages.error(request, user_message(refusal))
                return _facts_page(request, evaluation, indicators, sites, typed=entries)
            messages.success(
                request, _("The facts were saved.") if changed else _("Nothing was changed.")
            )
        return redirect("reports:cross_site_facts", evaluation.slug)
    return _facts_page(request, evaluation, indicators, sites)


def _facts_page(request, evaluation, indicators, sites, typed=None):
    stored = {
        (f.indicator_id, f.site_id): f.value
        for f in SiteFact.objects.filter(indicator__evaluation=evaluation)
    }
    rows = [
        (
            site,
            [
                (
                    indicator,
                    typed[indicator.pk, site.pk]
                    if typed is not None
                    else _plain(stored.get((indicator.pk, site.pk))),
                )
                for indicator in indicators
            ],
        )
        for site in sites
    ]
    return _page(request, evaluation, "cross_site_facts.html", indicators=indicators, rows=rows)


def _plain(value) -> str:
    return "" if value is None else number_format(plain(value))
