"""Views of the plan step: evaluations, a new one, the plan, the team and its confidentiality."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts import confidentiality
from bsbstudio.accounts.audit import record
from bsbstudio.accounts.models import Membership, Role
from bsbstudio.accounts.policy import Action, evaluation_view, visible_evaluations

from . import actions
from .forms import EvaluationForm, GoalFormSet, ProblemStatementFormSet, SiteFormSet


@login_required
def evaluation_list(request):
    """The evaluations the person is a member of."""
    evaluations = visible_evaluations(request.user).prefetch_related("sites")
    return render(request, "evaluations/list.html", {"evaluations": evaluations})


@login_required
def evaluation_create(request):
    """Start a new evaluation; its creator becomes its process leader."""
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        evaluation = actions.create_evaluation(request.user, form)
        messages.success(request, _("The evaluation was created. Next: describe the plan."))
        return redirect("evaluations:plan", evaluation.slug)
    return render(request, "evaluations/create.html", {"form": form})


@evaluation_view(Action.VIEW_WORK)
def plan(request, evaluation):
    """Step 1: the commission, sites, goals and problem statements, edited on one page."""
    editable = Action.EDIT_PLAN in request.bsb_actions
    data = request.POST if request.method == "POST" and editable else None
    form = EvaluationForm(data, instance=evaluation)
    formsets = [
        SiteFormSet(data, instance=evaluation, prefix="sites"),
        GoalFormSet(data, instance=evaluation, prefix="goals"),
        ProblemStatementFormSet(data, instance=evaluation, prefix="problems"),
    ]
    if data is not None:
        if form.is_valid() and all(formset.is_valid() for formset in formsets):
            actions.save_plan(request.user, evaluation, form, formsets)
            messages.success(request, _("The plan was saved."))
            return redirect("evaluations:plan", evaluation.slug)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "evaluations/plan.html",
        {
            "evaluation": evaluation,
            "form": form,
            "editable": editable,
            "nav_active": "plan",
            "site_formset": formsets[0],
            "goal_formset": formsets[1],
            "problem_formset": formsets[2],
        },
    )


class MembershipForm(forms.Form):
    """Add an existing user to the team with a role."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def clean_username(self):
        """The user must exist."""
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(
                gettext_lazy("No user has the username %(name)s."), params={"name": username}
            )
        return user


@evaluation_view(Action.VIEW_WORK)
def team(request, evaluation):
    """The evaluation team and its roles; the process leader adds and removes members."""
    editable = Action.EDIT_PLAN in request.bsb_actions
    form = MembershipForm(request.POST or None) if editable else None
    if request.method == "POST" and editable:
        if "remove" in request.POST:
            membership = get_object_or_404(
                Membership, pk=request.POST["remove"], evaluation=evaluation
            )
            with transaction.atomic():
                record(request.user, "team.remove", membership, evaluation, role=membership.role)
                membership.delete()
            messages.success(request, _("The member was removed."))
            return redirect("evaluations:team", evaluation.slug)
        if form.is_valid():
            _membership, created = Membership.objects.get_or_create(
                evaluation=evaluation,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
            if created:
                record(request.user, "team.add", _membership, evaluation, role=_membership.role)
            messages.success(request, _("The team was updated."))
            return redirect("evaluations:team", evaluation.slug)
    memberships = evaluation.memberships.select_related("user")
    return render(
        request,
        "evaluations/team.html",
        {
            "evaluation": evaluation,
            "memberships": memberships,
            "form": form,
            "editable": editable,
            "nav_active": "plan",
        },
    )


class SignatureForm(forms.Form):
    """Sign the declaration: one's full name and an explicit yes."""

    signed_name = forms.CharField(label=gettext_lazy("Your full name"), max_length=200)
    agree = forms.BooleanField(
        label=gettext_lazy("I have read the declaration and will keep this confidentiality."),
        error_messages={"required": gettext_lazy("Tick the box to sign.")},
    )


class DeclarationTextForm(forms.Form):
    """A new version of the declaration's text."""

    text = forms.CharField(
        label=gettext_lazy("Text of the declaration"), widget=forms.Textarea(attrs={"rows": 12})
    )


@evaluation_view(Action.VIEW_DASHBOARD)
def declaration(request, evaluation):
    """The confidentiality declaration: read and sign it; the process leader may revise it."""
    current = confidentiality.current_declaration(evaluation)
    signed = confidentiality.has_signed(request.user, evaluation)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    sign_form = SignatureForm(
        request.POST if "sign" in request.POST else None,
        initial={"signed_name": request.user.get_full_name()},
    )
    can_revise = Action.EDIT_PLAN in request.bsb_actions
    text_form = DeclarationTextForm(
        request.POST if "revise" in request.POST and can_revise else None,
        initial={"text": current.text},
    )
    if request.method == "POST":
        if "sign" in request.POST and not signed and sign_form.is_valid():
            confidentiality.sign(request.user, evaluation, sign_form.cleaned_data["signed_name"])
            messages.success(request, _("You have signed the confidentiality declaration."))
            return redirect(next_url or reverse("evaluations:declaration", args=[evaluation.slug]))
        if "revise" in request.POST and can_revise and text_form.is_valid():
            new = confidentiality.revise(request.user, evaluation, text_form.cleaned_data["text"])
            messages.success(
                request,
                _("Version %(v)d of the declaration was made. Every member must sign it again.")
                % {"v": new.version},
            )
            return redirect("evaluations:declaration", evaluation.slug)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    signatures = current.signatures.select_related("user")
    unsigned = (
        evaluation.memberships.exclude(user__in=[s.user for s in signatures])
        .select_related("user")
        .order_by("user__username")
    )
    return render(
        request,
        "evaluations/declaration.html",
        {
            "evaluation": evaluation,
            "declaration": current,
            "signed": signed,
            "sign_form": sign_form,
            "text_form": text_form if can_revise else None,
            "signatures": signatures,
            "unsigned": sorted({m.user.get_full_name() or m.user.username for m in unsigned}),
            "next": next_url,
            "nav_active": "plan",
        },
    )
