"""Views of fieldwork: informants, interviews, and one interview with its participants."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.transcripts.forms import TranscriptUploadForm

from .forms import InformantForm, InterviewForm, ParticipationForm
from .models import Interview


def _save(request, form, evaluation, action_name):
    with transaction.atomic():
        obj = form.save()
        record(request.user, action_name, obj, evaluation)
    return obj


@evaluation_view(Action.VIEW_WORK)
def informants(request, evaluation):
    """The informants, by pseudonym code, and a form to add one."""
    editable = Action.EDIT_FIELDWORK in request.bsb_actions
    form = InformantForm(request.POST or None, evaluation=evaluation) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            informant = _save(request, form, evaluation, "informant.create")
            messages.success(request, _("Informant %(code)s was added.") % {"code": informant.code})
            return redirect("fieldwork:informants", evaluation.slug)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    rows = evaluation.informants.select_related("group", "site")
    return render(
        request,
        "fieldwork/informants.html",
        {
            "evaluation": evaluation,
            "informants": rows,
            "form": form,
            "nav_active": "fieldwork",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def interviews(request, evaluation):
    """The interviews of the evaluation, and a form to plan one."""
    editable = Action.EDIT_FIELDWORK in request.bsb_actions
    form = InterviewForm(request.POST or None, evaluation=evaluation) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            interview = _save(request, form, evaluation, "interview.create")
            messages.success(request, _("Interview %(code)s was added.") % {"code": interview.code})
            return redirect("fieldwork:interview", evaluation.slug, interview.pk)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    rows = evaluation.interviews.select_related("site").prefetch_related(
        "participations", "transcripts"
    )
    return render(
        request,
        "fieldwork/interviews.html",
        {
            "evaluation": evaluation,
            "interviews": rows,
            "form": form,
            "nav_active": "fieldwork",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def interview(request, evaluation, pk):
    """One interview: participants with speaker codes, and its transcript."""
    interview = get_object_or_404(Interview, pk=pk, evaluation=evaluation)
    editable = Action.EDIT_FIELDWORK in request.bsb_actions
    form = ParticipationForm(request.POST or None, interview=interview) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            _save(request, form, evaluation, "participation.create")
            messages.success(request, _("The participant was added."))
            return redirect("fieldwork:interview", evaluation.slug, interview.pk)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "fieldwork/interview.html",
        {
            "evaluation": evaluation,
            "interview": interview,
            "form": form,
            "nav_active": "fieldwork",
            "participations": interview.participations.select_related("informant__group"),
            "transcripts": interview.transcripts.prefetch_related("deidentified_texts"),
            "upload_form": TranscriptUploadForm()
            if Action.ADD_TRANSCRIPT in request.bsb_actions
            else None,
        },
    )
