"""Views of follow-up (step 9): the measures, one measure with its history, the overview, export.

A commissioner sees the measures read-only (``VIEW_REPORTS``); the process leader adds, edits,
deletes and moves them on (``EDIT_PLAN``, checked again in the actions).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.errors import UserFacingError
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import user_message

from . import actions
from .forms import MeasureFilterForm, MeasureForm, StatusChangeForm
from .models import Measure
from .summary import STATUS_COLOURS, site_overview


def _require_edit(request) -> None:
    if Action.EDIT_PLAN not in request.bsb_actions:
        raise PermissionDenied


def _measure(request, evaluation, pk) -> Measure | None:
    """The measure, or None with a message when it is gone (deleted by someone else, say)."""
    # An id past the database's 64-bit integers is no measure (and must not reach the database).
    measure = (
        evaluation.measures.select_related("site", "evaluation").filter(pk=pk).first()
        if parse_id(pk) is not None
        else None
    )
    if measure is None:
        messages.error(
            request, _("This measure no longer exists: someone deleted it. Nothing was changed.")
        )
    return measure


def _list_url(evaluation) -> str:
    return reverse("followup:list", args=[evaluation.slug])


@evaluation_view(Action.VIEW_REPORTS)
def measures(request, evaluation):
    """The measures with their status, filtered by site, theme, status or overdue; add one."""
    editable = Action.EDIT_PLAN in request.bsb_actions
    form = None
    if editable:
        form = MeasureForm(request.POST or None, evaluation=evaluation)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST":
        if form.is_valid():
            actions.create_measure(request.user, evaluation, form)
            messages.success(request, _("The measure was added."))
            return redirect(_list_url(evaluation))
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    filters = MeasureFilterForm(request.GET or None, evaluation=evaluation)
    rows = filters.apply(
        evaluation.measures.select_related("site").prefetch_related("themes").order_by("due", "id")
    )
    today = timezone.localdate()
    return render(
        request,
        "followup/list.html",
        {
            "evaluation": evaluation,
            "rows": [(m, m.is_overdue(today)) for m in rows],
            "filters": filters,
            "filtered": bool(request.GET)
            and filters.is_valid()
            and any(filters.cleaned_data.values()),
            "form": form,
            "editable": editable,
            "sees_work": Action.VIEW_WORK in request.bsb_actions,
            "nav_active": "followup",
        },
    )


@evaluation_view(Action.VIEW_REPORTS)
def measure_detail(request, evaluation, pk):
    """One measure, its history of status changes and, for the process leader, a new status."""
    measure = _measure(request, evaluation, pk)
    if measure is None:
        return redirect(_list_url(evaluation))
    editable = Action.EDIT_PLAN in request.bsb_actions
    form = StatusChangeForm(request.POST or None) if editable else None
    if request.method == "POST":
        _require_edit(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.change_status(
                    request.user, measure, data["status"], data["comment"], data["changed_on"]
                )
            except UserFacingError as error:
                messages.error(request, user_message(error))
            else:
                messages.success(request, _("The status was changed."))
                return redirect("followup:detail", evaluation.slug, measure.pk)
        else:
            messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "followup/detail.html",
        {
            "evaluation": evaluation,
            "measure": measure,
            "overdue": measure.is_overdue(),
            "history": measure.history.select_related("changed_by").order_by("changed_on", "id"),
            "form": form,
            "editable": editable,
            "sees_source": Action.VIEW_WORK in request.bsb_actions,
            "nav_active": "followup",
        },
    )


@evaluation_view(Action.EDIT_PLAN)
def measure_edit(request, evaluation, pk):
    """Edit a measure's text, themes, site, owner and due date."""
    measure = _measure(request, evaluation, pk)
    if measure is None:
        return redirect(_list_url(evaluation))
    form = MeasureForm(request.POST or None, instance=measure, evaluation=evaluation)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_measure(request.user, measure, form)
            except UserFacingError as error:
                messages.error(request, user_message(error))
                return redirect(_list_url(evaluation))
            messages.success(request, _("The measure was saved."))
            return redirect("followup:detail", evaluation.slug, measure.pk)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "followup/edit.html",
        {"evaluation": evaluation, "measure": measure, "form": form, "nav_active": "followup"},
    )


@evaluation_view(Action.EDIT_PLAN)
def measure_delete(request, evaluation, pk):
    """Ask, then delete a measure with its history."""
    measure = _measure(request, evaluation, pk)
    if measure is None:
        return redirect(_list_url(evaluation))
    if request.method == "POST":
        try:
            actions.delete_measure(request.user, measure)
        except UserFacingError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("The measure was deleted."))
        return redirect(_list_url(evaluation))
    return render(
        request,
        "followup/delete.html",
        {"evaluation": evaluation, "measure": measure, "nav_active": "followup"},
    )


def _measure_from(request, evaluation, template, initial, source, context):
    """The add-a-measure form prefilled from where it came from; saving links it there.

    ``source`` names the link for ``actions.create_measure`` (``source_output=…`` or
    ``source_recommendation=…``); ``context`` is what the template shows of the source.
    """
    form = MeasureForm(request.POST or None, initial=initial, evaluation=evaluation)
    if request.method == "POST":
        if form.is_valid():
            try:
                measure = actions.create_measure(request.user, evaluation, form, **source)
            except UserFacingError as error:
                messages.error(request, user_message(error))
            else:
                messages.success(request, _("The measure was added."))
                return redirect("followup:detail", evaluation.slug, measure.pk)
        else:
            messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        template,
        {"evaluation": evaluation, "form": form, "nav_active": "followup", **context},
    )


@evaluation_view(Action.EDIT_PLAN)
def measure_from_output(request, evaluation, output_pk):
    """Make a measure from a conference group's proposal: the form prefilled from it."""
    from bsbstudio.conference.models import GroupOutput

    if parse_id(output_pk) is None:
        raise Http404
    output = get_object_or_404(
        GroupOutput.objects.select_related("group__conference"),
        pk=output_pk,
        group__conference__evaluation=evaluation,
        kind=GroupOutput.Kind.MEASURE,
    )
    conference = output.group.conference
    initial = {
        "text": output.text,
        "site": conference.site_id,
        "themes": list(output.group.themes.values_list("pk", flat=True)),
    }
    return _measure_from(
        request,
        evaluation,
        "followup/from_output.html",
        initial,
        {"source_output": output},
        {"output": output, "conference": conference, "existing": output.measures.order_by("id")},
    )


@evaluation_view(Action.EDIT_PLAN)
def measure_from_recommendation(request, evaluation, recommendation_pk):
    """Make a measure from a final report's recommendation: the form prefilled from it."""
    from bsbstudio.reports.models import Recommendation, Report

    if parse_id(recommendation_pk) is None:
        raise Http404
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("chapter__theme", "chapter__report"),
        pk=recommendation_pk,
        chapter__report__evaluation=evaluation,
        chapter__report__kind=Report.Kind.FINAL,
    )
    return _measure_from(
        request,
        evaluation,
        "followup/from_recommendation.html",
        {"text": recommendation.text, "themes": [recommendation.chapter.theme_id]},
        {"source_recommendation": recommendation},
        {"recommendation": recommendation, "existing": recommendation.measures.order_by("id")},
    )


@evaluation_view(Action.VIEW_REPORTS)
def overview(request, evaluation):
    """Counts of measures by status for each site, as a chart and a table."""
    rows = site_overview(evaluation)
    most = max((row.total for row in rows), default=0)
    return render(
        request,
        "followup/overview.html",
        {
            "evaluation": evaluation,
            "rows": [(row, row.bars(most) if most else []) for row in rows],
            "statuses": Measure.Status.choices,
            "legend": [(label, STATUS_COLOURS[value]) for value, label in Measure.Status.choices],
            "nav_active": "followup",
        },
    )


@evaluation_view(Action.VIEW_REPORTS)
def export(request, evaluation):
    """Download the measures and their history as XLSX (after the leak guard)."""
    try:
        content = actions.export_measures(request.user, evaluation)
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return redirect(_list_url(evaluation))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = pgettext("file name", "measures") + f"-{evaluation.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
