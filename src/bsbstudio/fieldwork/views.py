"""Views of fieldwork: informants and their network, sampling, interviews, participants, consent.

Views parse input and render; every change goes through ``actions``. People who may only look
(VIEW_WORK) see the pages without forms; a POST from them is refused by ``require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view, require
from bsbstudio.transcripts import sections as transcript_sections

from . import actions, sampling, sampling_plan
from . import consent as consent_state
from .coverage import coverage
from .engine.sampling import is_counted
from .forms import (
    AGE_BAND_CHOICES,
    GENDER_CHOICES,
    ConsentForm,
    InformantForm,
    InterviewFilterForm,
    InterviewForm,
    ParticipationForm,
    SamplingCriterionForm,
    choice_label,
    suggested_code,
)
from .models import Consent, Informant, Interview
from .recordings import sections as recording_sections


def _editable(request) -> bool:
    return Action.EDIT_FIELDWORK in request.bsb_actions


def _save(request, form, action, *args):
    """Run ``action`` on a valid form; a refusal from the database becomes a form error."""
    try:
        return action(request.user, *args, form)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _not_saved(request) -> None:
    messages.error(request, _("Nothing was saved. Correct the fields marked below."))


# --- Informants -----------------------------------------------------------------------------


def _wire_code_suggestion(form, evaluation) -> None:
    """Let group and site ask the server for the next free code as the person picks them."""
    attrs = {
        "hx-get": reverse("fieldwork:informant_code", args=[evaluation.slug]),
        "hx-trigger": "change",
        "hx-target": "#id_code_helptext",
        "hx-swap": "outerHTML",
        "hx-include": "[name='group'], [name='site']",
    }
    for name in ("group", "site"):
        form.fields[name].widget.attrs.update(attrs)


def _with_labels(informants):
    """Informants with display labels for their coded attributes and whether they count."""
    rows = list(informants)
    for i in rows:
        i.gender_label = choice_label("gender", i.gender)
        i.age_band_label = choice_label("age_band", i.age_band)
        i.not_counted = not is_counted([c.withdrawn_at is not None for c in i.consents.all()])
    return rows


def _services(evaluation) -> list[str]:
    """Services already named as recruiting, offered as suggestions so spellings stay the same."""
    values = evaluation.informants.exclude(recruited_through="").values_list(
        "recruited_through", flat=True
    )
    return sorted(set(values), key=str.casefold)


@evaluation_view(Action.VIEW_WORK)
def informants(request, evaluation):
    """The informants, by pseudonym code, with their case network, and a form to add one."""
    form = None
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        form = InformantForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            informant = _save(request, form, actions.add_informant, evaluation)
            if informant:
                messages.success(
                    request, _("Informant %(code)s was added.") % {"code": informant.code}
                )
                return redirect("fieldwork:informants", evaluation.slug)
        _not_saved(request)
    elif _editable(request):
        form = InformantForm(evaluation=evaluation)
    if form is not None:
        _wire_code_suggestion(form, evaluation)
    rows = evaluation.informants.select_related("group", "site", "recruited_via").prefetch_related(
        "network", "consents"
    )
    return render(
        request,
        "fieldwork/informants.html",
        {
            "evaluation": evaluation,
            "rows": _with_labels(rows),
            "form": form,
            "services": _services(evaluation),
            "nav_active": "fieldwork",
            "fieldwork_nav": "informants",
        },
    )


@evaluation_view(Action.EDIT_FIELDWORK)
def informant_code(request, evaluation):
    """The code field's help text naming the next free code for the chosen group and site."""
    group = evaluation.informant_groups.filter(pk=_int(request.GET.get("group"))).first()
    site = evaluation.sites.filter(pk=_int(request.GET.get("site"))).first()
    code = suggested_code(evaluation, group, site) if group else None
    return render(request, "fieldwork/_code_help.html", {"code": code})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@evaluation_view(Action.VIEW_WORK)
def informant(request, evaluation, pk):
    """One informant: attributes (editable), network, and the interviews they took part in."""
    informant = get_object_or_404(
        Informant.objects.select_related("group", "site", "recruited_via"),
        pk=pk,
        evaluation=evaluation,
    )
    form = None
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        form = InformantForm(request.POST, instance=informant, evaluation=evaluation)
        if form.is_valid():
            saved = _save(request, form, actions.update_informant, evaluation)
            if saved:
                messages.success(request, _("Informant %(code)s was saved.") % {"code": saved.code})
                return redirect("fieldwork:informant", evaluation.slug, saved.pk)
        _not_saved(request)
        informant.refresh_from_db()  # show what is stored, not the refused input
    elif _editable(request):
        form = InformantForm(instance=informant, evaluation=evaluation)
    consents = {c.interview_id: c for c in informant.consents.all()}
    interviews = [
        {"participation": p, "consent": consents.get(p.interview_id)}
        for p in informant.participations.select_related("interview__site")
    ]
    for row in interviews:
        row["missing"] = consent_state.item_labels(consent_state.gap_items(row["consent"]))
    return render(
        request,
        "fieldwork/informant.html",
        {
            "evaluation": evaluation,
            "informant": _with_labels([informant])[0],
            "network": informant.network.select_related("group", "site"),
            "interviews": interviews,
            "form": form,
            "services": _services(evaluation),
            "nav_active": "fieldwork",
            "fieldwork_nav": "informants",
        },
    )


# --- Sampling -------------------------------------------------------------------------------


@evaluation_view(Action.VIEW_WORK)
def sampling_page(request, evaluation):
    """Sampling criteria with target against achieved, what looks skewed, and the spread."""
    form = None
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        form = SamplingCriterionForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            criterion = _save(request, form, actions.add_criterion, evaluation)
            if criterion:
                messages.success(request, _("The criterion was added."))
                return redirect("fieldwork:sampling", evaluation.slug)
        _not_saved(request)
    elif _editable(request):
        form = SamplingCriterionForm(evaluation=evaluation)
    records = sampling.informant_records(evaluation)
    return render(
        request,
        "fieldwork/sampling.html",
        {
            "evaluation": evaluation,
            "form": form,
            "criteria": [
                {
                    "criterion": criterion,
                    "text": sampling.criterion_text(
                        criterion.attribute, criterion.value, criterion.per_site
                    ),
                    "progress": progress,
                }
                for criterion, progress in sampling.criteria_progress(evaluation, records)
            ],
            "findings": sampling.skew_summary(evaluation, records),
            "distributions": sampling.distributions(evaluation, records),
            "value_suggestions": _criterion_values(evaluation),
            "coverage": coverage(evaluation),
            "counted": sum(1 for r in records if r.counted),
            "total": len(records),
            "nav_active": "fieldwork",
            "fieldwork_nav": "sampling",
        },
    )


def _criterion_values(evaluation) -> list[str]:
    """Values offered while typing a criterion: group codes, site names, known attributes."""
    values = [g.code for g in evaluation.informant_groups.all()]
    values += [s.name for s in evaluation.sites.all()]
    values += [v for v, _label in GENDER_CHOICES + AGE_BAND_CHOICES if v]
    values += _services(evaluation)
    return list(dict.fromkeys(values))


@evaluation_view(Action.VIEW_WORK)
def sampling_plan_page(request, evaluation):
    """The plan per site and group: a target for each cell, or the group not planned there."""
    errors = []
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        rows, errors = sampling_plan.parse_plan(evaluation, request.POST)
        if not errors:
            changed = sampling_plan.save_plan(request.user, evaluation, rows)
            if changed:
                messages.success(request, _("The sampling plan was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("fieldwork:sampling", args=[evaluation.slug]) + "#coverage")
        _not_saved(request)
    else:
        rows = sampling_plan.plan_rows(evaluation)
    return render(
        request,
        "fieldwork/sampling_plan.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "groups": list(
                evaluation.informant_groups.order_by("order", "code").values_list("name", flat=True)
            ),
            "errors": errors,
            "editable": _editable(request),
            "nav_active": "fieldwork",
            "fieldwork_nav": "sampling",
        },
    )


@require_POST
@evaluation_view(Action.VIEW_WORK)
def sampling_delete(request, evaluation, pk):
    """Remove one sampling criterion."""
    criterion = get_object_or_404(evaluation.sampling_criteria, pk=pk)
    actions.remove_criterion(request.user, criterion)
    messages.success(request, _("The criterion was removed."))
    return redirect("fieldwork:sampling", evaluation.slug)


# --- Interviews -----------------------------------------------------------------------------


@evaluation_view(Action.VIEW_WORK)
def interviews(request, evaluation):
    """The interviews, filterable by site and status, with consent state, and a form to plan one."""
    form = None
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        form = InterviewForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            interview = _save(request, form, actions.add_interview, evaluation)
            if interview:
                messages.success(
                    request, _("Interview %(code)s was added.") % {"code": interview.code}
                )
                return redirect("fieldwork:interview", evaluation.slug, interview.pk)
        _not_saved(request)
    elif _editable(request):
        form = InterviewForm(evaluation=evaluation)
    filters = InterviewFilterForm(request.GET or None, evaluation=evaluation, prefix="filter")
    if filters.is_bound and not filters.is_valid():
        messages.error(request, _("The filter could not be used; all interviews are shown."))
    rows = list(
        filters.filter(
            evaluation.interviews.select_related(
                "site", "moderator__user", "co_moderator__user"
            ).prefetch_related("participations", "transcripts")
        )
    )
    states = consent_state.consent_states(rows)
    for row in rows:
        row.consent_state = states[row.pk]
    return render(
        request,
        "fieldwork/interviews.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "form": form,
            "filters": filters,
            "nav_active": "fieldwork",
            "fieldwork_nav": "interviews",
        },
    )


def _interview_page(
    request, evaluation, interview, *, edit_form=None, participation_form=None, bound_consent=None
):
    """Render the interview page; forms given here (bound, with errors) replace fresh ones."""
    editable = _editable(request)
    if editable:
        edit_form = edit_form or InterviewForm(
            instance=interview, evaluation=evaluation, prefix="interview"
        )
        participation_form = participation_form or ParticipationForm(interview=interview)
    participants = []
    for pc in consent_state.participant_consents(interview):
        form = None
        if bound_consent and bound_consent.prefix == f"consent-{pc.informant.pk}":
            form = bound_consent
        elif editable:
            form = ConsentForm(prefix=f"consent-{pc.informant.pk}", consent=pc.consent)
        participants.append({"pc": pc, "form": form})
    return render(
        request,
        "fieldwork/interview.html",
        {
            "evaluation": evaluation,
            "interview": interview,
            "form": participation_form,
            "edit_form": edit_form,
            "nav_active": "fieldwork",
            "fieldwork_nav": "interviews",
            "participants": participants,
            "gaps": [row["pc"] for row in participants if row["pc"].missing],
            "consent_due": consent_state.needs_complete_consent(interview),
            "recording_refused": consent_state.recording_refused(interview),
            **recording_sections.interview_section(request, interview),
            **transcript_sections.interview_section(request, interview),
        },
    )


def _get_interview(evaluation, pk) -> Interview:
    return get_object_or_404(
        Interview.objects.select_related(
            "site", "guide_version", "moderator__user", "co_moderator__user"
        ),
        pk=pk,
        evaluation=evaluation,
    )


@evaluation_view(Action.VIEW_WORK)
def interview(request, evaluation, pk):
    """One interview: participants with speaker codes and consent, recordings and transcript."""
    interview = _get_interview(evaluation, pk)
    if request.method == "POST":
        require(request.user, evaluation, Action.EDIT_FIELDWORK)
        form = ParticipationForm(request.POST, interview=interview)
        if form.is_valid() and _save(request, form, actions.add_participant, interview):
            messages.success(request, _("The participant was added."))
            return redirect("fieldwork:interview", evaluation.slug, interview.pk)
        _not_saved(request)
        return _interview_page(request, evaluation, interview, participation_form=form)
    return _interview_page(request, evaluation, interview)


@evaluation_view(Action.VIEW_WORK)
def interview_edit(request, evaluation, pk):
    """Save the interview's details; marking it held records its guide version."""
    interview = _get_interview(evaluation, pk)
    page = reverse("fieldwork:interview", args=[evaluation.slug, interview.pk])
    if request.method != "POST":
        return redirect(page + "#edit")
    require(request.user, evaluation, Action.EDIT_FIELDWORK)
    form = InterviewForm(
        request.POST, instance=interview, evaluation=evaluation, prefix="interview"
    )
    if form.is_valid() and _save(request, form, actions.update_interview, evaluation):
        messages.success(request, _("Interview %(code)s was saved.") % {"code": interview.code})
        return redirect(page)
    _not_saved(request)
    return _interview_page(request, evaluation, _get_interview(evaluation, pk), edit_form=form)


@evaluation_view(Action.VIEW_WORK)
def consent(request, evaluation, pk, informant_pk):
    """Save one participant's consent checklist for the interview."""
    interview = _get_interview(evaluation, pk)
    informant = get_object_or_404(Informant, pk=informant_pk, evaluation=evaluation)
    page = reverse("fieldwork:interview", args=[evaluation.slug, interview.pk])
    if request.method != "POST":
        return redirect(page + "#consent")
    require(request.user, evaluation, Action.EDIT_FIELDWORK)
    existing = Consent.objects.filter(informant=informant, interview=interview).first()
    form = ConsentForm(request.POST, prefix=f"consent-{informant.pk}", consent=existing)
    if form.is_valid():
        try:
            actions.save_consent(request.user, interview, informant, form.values())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page)
        messages.success(request, _("Consent for %(code)s was saved.") % {"code": informant.code})
        return redirect(page + f"#consent-{informant.pk}")
    _not_saved(request)
    return _interview_page(request, evaluation, interview, bound_consent=form)
