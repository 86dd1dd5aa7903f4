"""Views of fieldwork: informants, interviews, and one interview with its participants."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.transcripts import sections as transcript_sections
from bsbstudio.web.listing import list_and_add, save_form

from .forms import InformantForm, InterviewForm, ParticipationForm
from .models import Interview
from .recordings import sections as recording_sections


@evaluation_view(Action.VIEW_WORK)
def informants(request, evaluation):
    """The informants, by pseudonym code, and a form to add one."""
    return list_and_add(
        request,
        evaluation,
        form_class=InformantForm,
        queryset=evaluation.informants.select_related("group", "site"),
        edit_action=Action.EDIT_FIELDWORK,
        template="fieldwork/informants.html",
        audit_action="informant.create",
        nav_active="fieldwork",
        saved_message=lambda informant: (
            _("Informant %(code)s was added.") % {"code": informant.code}
        ),
    )


@evaluation_view(Action.VIEW_WORK)
def interviews(request, evaluation):
    """The interviews of the evaluation, and a form to plan one."""
    return list_and_add(
        request,
        evaluation,
        form_class=InterviewForm,
        queryset=evaluation.interviews.select_related("site").prefetch_related(
            "participations", "transcripts"
        ),
        edit_action=Action.EDIT_FIELDWORK,
        template="fieldwork/interviews.html",
        audit_action="interview.create",
        nav_active="fieldwork",
        saved_message=lambda interview: (
            _("Interview %(code)s was added.") % {"code": interview.code}
        ),
        next_url=lambda interview: reverse(
            "fieldwork:interview", args=[evaluation.slug, interview.pk]
        ),
    )


@evaluation_view(Action.VIEW_WORK)
def interview(request, evaluation, pk):
    """One interview: participants with speaker codes, and its transcript."""
    interview = get_object_or_404(Interview, pk=pk, evaluation=evaluation)
    editable = Action.EDIT_FIELDWORK in request.bsb_actions
    form = ParticipationForm(request.POST or None, interview=interview) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            save_form(request.user, form, evaluation, "participation.create")
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
            **recording_sections.interview_section(request, interview),
            **transcript_sections.interview_section(request, interview),
        },
    )
