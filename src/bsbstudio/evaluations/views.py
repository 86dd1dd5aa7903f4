"""Views of the plan step: evaluations, a new one, the plan, the team and its confidentiality."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts import confidentiality, invitations, members
from bsbstudio.accounts.forms import (
    AddRoleForm,
    InvitationChoiceForm,
    InviteForm,
    MemberChoiceForm,
    MembershipChoiceForm,
)
from bsbstudio.accounts.policy import (
    Action,
    allowed_actions,
    evaluation_view,
    is_org_admin,
    visible_evaluations,
)
from bsbstudio.errors import UserFacingError
from bsbstudio.web import rows
from bsbstudio.web.messages import user_message

from . import actions
from .forms import PLAN_ROWS, EvaluationForm
from .starter_form import StarterForm


@login_required
def evaluation_list(request):
    """The evaluations the person is a member of."""
    evaluations = visible_evaluations(request.user).prefetch_related("sites")
    return render(
        request,
        "evaluations/list.html",
        {"evaluations": evaluations, "org_admin": is_org_admin(request.user)},
    )


@login_required
def evaluation_create(request):
    """Start a new evaluation (organisation administrators only); its creator leads it."""
    if not is_org_admin(request.user):
        return render(request, "evaluations/create_not_allowed.html", status=403)
    form = EvaluationForm(request.POST or None)
    starter_form = StarterForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and starter_form.is_valid():
        # Late import: the starters fill the guide, a later step than the plan (see StarterForm).
        from bsbstudio.guide.starters.apply import create_from_starter

        starter = starter_form.cleaned_data["starter"]
        evaluation = create_from_starter(request.user, form, starter)
        if starter:
            messages.success(
                request,
                _(
                    "The evaluation was created with a theme guide, goals and a confidentiality "
                    "declaration to start from. Next: describe the plan, and adjust the guide."
                ),
            )
        else:
            messages.success(request, _("The evaluation was created. Next: describe the plan."))
        return redirect("evaluations:plan", evaluation.slug)
    return render(request, "evaluations/create.html", {"form": form, "starter_form": starter_form})


@evaluation_view(Action.VIEW_WORK)
def plan(request, evaluation):
    """Step 1: the commission, sites, goals and problem statements, edited on one page."""
    editable = Action.EDIT_PLAN in request.bsb_actions
    data = request.POST if request.method == "POST" and editable else None
    form = EvaluationForm(data, instance=evaluation)
    formsets = [
        formset(data, instance=evaluation, prefix=prefix) for prefix, formset in PLAN_ROWS.items()
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


@evaluation_view(Action.EDIT_PLAN)
def plan_row(request, evaluation, prefix):
    """A blank row for the plan's sites, goals or problem statements, added in place (htmx)."""
    if prefix not in PLAN_ROWS:
        raise Http404
    return rows.new_row(request, PLAN_ROWS[prefix](instance=evaluation, prefix=prefix))


@evaluation_view(Action.VIEW_WORK)
def team(request, evaluation):
    """The evaluation team and its roles; the process leader invites, gives and takes roles.

    A one-time link (an invitation, or a password link for a member) is shown in the answer to
    the post that made it, and nowhere else.
    """
    manage = Action.MANAGE_TEAM in request.bsb_actions
    add_form, invite_form, shown_link = AddRoleForm(prefix="add"), InviteForm(prefix="invite"), None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        operation = request.POST.get("op", "")
        try:
            if operation == "add":
                add_form = AddRoleForm(request.POST, prefix="add")
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    members.add_role(request.user, evaluation, data["username"], data["role"])
                    messages.success(request, _("The team was updated."))
                    return redirect("evaluations:team", evaluation.slug)
                messages.error(request, _("Nothing was saved. Correct the fields marked below."))
            elif operation == "invite":
                invite_form = InviteForm(request.POST, prefix="invite")
                if invite_form.is_valid():
                    shown_link = _invite(request, evaluation, invite_form.cleaned_data)
                    invite_form = InviteForm(prefix="invite")
                else:
                    messages.error(
                        request, _("Nothing was saved. Correct the fields marked below.")
                    )
            elif operation in _CHOICE_OPERATIONS:
                done, shown_link = _choice_operation(request, evaluation, operation)
                if done and not shown_link:
                    if not allowed_actions(request.user, evaluation):  # left the team oneself
                        return redirect("evaluations:list")
                    return redirect("evaluations:team", evaluation.slug)
            else:
                messages.error(
                    request, _("The request could not be understood. Nothing was changed.")
                )
        except UserFacingError as error:
            messages.error(request, user_message(error))
    context = _team_context(request, evaluation, manage, add_form, invite_form, shown_link)
    response = render(request, "evaluations/team.html", context)
    if shown_link:
        add_never_cache_headers(response)  # the link must not stay in any cache
    return response


_CHOICE_OPERATIONS = {
    "remove_role": MembershipChoiceForm,
    "remove_member": MemberChoiceForm,
    "reset_link": MemberChoiceForm,
    "revoke": InvitationChoiceForm,
}


def _choice_operation(request, evaluation, operation) -> tuple[bool, dict | None]:
    """Run an operation on one chosen member, role or invitation: (done, a link to show).

    A bad id is a message, and nothing is done.
    """
    form = _CHOICE_OPERATIONS[operation](evaluation, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False, None
    chosen = next(iter(form.cleaned_data.values()))
    if operation == "remove_role":
        members.remove_role(request.user, evaluation, chosen)
        messages.success(request, _("The role was taken away."))
    elif operation == "remove_member":
        members.remove_member(request.user, evaluation, chosen)
        messages.success(
            request,
            _("%(name)s was removed from this evaluation.")
            % {"name": members.display_name(chosen)},
        )
    elif operation == "revoke":
        invitations.revoke(request.user, chosen)
        messages.success(request, _("The invitation was withdrawn. Its link no longer works."))
    else:
        path = members.make_reset_link(request.user, chosen, evaluation)
        until = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        link = {"kind": "password", "name": members.display_name(chosen), "until": until}
        return True, {**link, "url": request.build_absolute_uri(path)}
    return True, None


def _invite(request, evaluation, data) -> dict:
    """Make an invitation, mail it when a mail server is set up; the link to show once."""
    invitation, token = invitations.invite(
        request.user, evaluation, data["full_name"], data["email"], data["role"]
    )
    url = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
    mailed = invitations.send_invitation(invitation, url)
    link = {"kind": "invitation", "name": invitation.full_name, "until": invitation.expires_at}
    return {**link, "url": url, "mailed": mailed}


def _team_context(request, evaluation, manage, add_form, invite_form, shown_link) -> dict:
    memberships = evaluation.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username", "role"
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        person = people.setdefault(membership.user_id, {"user": membership.user, "memberships": []})
        person["memberships"].append(membership)
    if manage:
        for person in people.values():
            person["may_reset"] = members.may_make_reset_link(request.user, person["user"])
    return {
        "evaluation": evaluation,
        "people": list(people.values()),
        "manage": manage,
        "add_form": add_form if manage else None,
        "invite_form": invite_form if manage else None,
        "invitations": invitations.open_invitations(evaluation) if manage else [],
        "mail_configured": invitations.mail_configured(),
        "shown_link": shown_link,
        "nav_active": "plan",
    }


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
