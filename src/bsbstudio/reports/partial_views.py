"""Views of the partial report (delrapport) of a site: start it, write its introduction and comments.

Approval and downloads are the shared report views (``views.approve``, ``views.download``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import user_message

from . import actions, partial
from .final_views import _saved, _text
from .models import Report


@require_POST
@evaluation_view(Action.EDIT_REPORT)
def start(request, evaluation, site_pk):
    """Start the partial report of a site (or add sections for themes added since)."""
    site = get_object_or_404(evaluation.sites, pk=site_pk)
    try:
        report = partial.create_partial_report(request.user, evaluation, site)
    except actions.ReportRefused as refusal:
        messages.error(request, user_message(refusal))
        return redirect("reports:list", evaluation.slug)
    return redirect("reports:partial", evaluation.slug, report.pk)


@evaluation_view(Action.EDIT_REPORT)
def edit(request, evaluation, pk):
    """The introduction and a comment per theme, beside what the report will say there."""
    report = get_object_or_404(
        Report.objects.select_related("site"),
        pk=pk,
        evaluation=evaluation,
        kind=Report.Kind.PARTIAL,
    )
    sections = list(report.sections.select_related("theme"))
    introduction = report.introduction
    comments = {s.pk: s.main_points for s in sections}
    if request.method == "POST":
        introduction = _text(request, "introduction")
        comments = {s.pk: _text(request, f"comment_{s.pk}") for s in sections}
        was_approved = report.state == Report.State.APPROVED
        changed = partial.save_partial_report(request.user, report, introduction, comments)
        _saved(request, changed, was_approved)
        return redirect("reports:partial", evaluation.slug, report.pk)
    data = partial.partial_input(report)
    labels = partial.validation_labels()
    said = {
        t.theme: [(labels.get(v.status, v.status), v.text) for v in t.validations]
        for t in data.themes
    }
    return render(
        request,
        "reports/partial.html",
        {
            "evaluation": evaluation,
            "report": report,
            "approval": actions.latest_approval(report),
            "introduction": introduction,
            "sections": [(s, comments[s.pk], said.get(s.theme.name, [])) for s in sections],
            "conferences": data.conferences,
            "measures": data.measures,
            "can_approve": Action.APPROVE_REPORT in request.bsb_actions,
            "nav_active": "reports",
        },
    )
