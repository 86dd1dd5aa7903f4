"""Account pages: accepting an invitation, the organisation administrator's accounts, passwords."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bsbstudio.errors import UserFacingError
from bsbstudio.web.messages import user_message

from . import invitations, members
from .audit import record
from .forms import AcceptInvitationForm, AccountChoiceForm
from .policy import ORG_ADMIN_GROUP, is_org_admin

# --- Invitations -------------------------------------------------------------------------------


@never_cache
def invitation(request, token):
    """The invitation link: set a password and join, or join with the account one is logged in to.

    An unknown, used, withdrawn or expired link gets one plain message (which of these is not
    said: it would tell a guesser something).
    """
    found = invitations.find(token)
    if found is None or not found.is_open:
        return render(request, "accounts/invitation_closed.html", status=404)
    context = {"invitation": found}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                invitations.accept_as(request.user, found)
            except UserFacingError as error:
                messages.error(request, user_message(error))
                return redirect("evaluations:list")
            messages.success(request, _("You have joined %(name)s.") % {"name": found.evaluation})
            return redirect("evaluations:dashboard", found.evaluation.slug)
        same = request.user.email.strip().lower() == found.email.lower()
        return render(request, "accounts/invitation_join.html", {**context, "same_email": same})
    if invitations.account_for(found) is not None:
        login_url = f"{reverse('login')}?next={request.path}"
        return render(request, "accounts/invitation_log_in.html", {**context, "login": login_url})
    first, last = members.split_name(found.full_name)
    form = AcceptInvitationForm(
        found,
        request.POST or None,
        initial={"username": found.email, "first_name": first, "last_name": last},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept_with_new_account(found, form)
        except UserFacingError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("Your account is ready. Log in with your new password."))
            return redirect("login")
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


# --- The organisation administrator's accounts page ---------------------------------------------

_ACCOUNT_OPERATIONS = {"deactivate", "activate", "grant_admin", "revoke_admin", "reset_link"}


@login_required
def users(request):
    """Every account, with last login and state; deactivate, activate, administrators, links."""
    if not is_org_admin(request.user):
        return render(request, "accounts/users_not_allowed.html", status=403)
    shown_link = None
    if request.method == "POST":
        operation = request.POST.get("op", "")
        form = AccountChoiceForm(request.POST)
        if operation not in _ACCOUNT_OPERATIONS:
            messages.error(request, _("The request could not be understood. Nothing was changed."))
        elif not form.is_valid():
            for error in form.errors.get("account", []):
                messages.error(request, error)
        else:
            try:
                shown_link = _account_operation(request, operation, form.cleaned_data["account"])
            except UserFacingError as error:
                messages.error(request, user_message(error))
            else:
                if shown_link is None:
                    messages.success(request, _("The account was changed."))
                    return redirect("accounts:users")
    accounts = (
        get_user_model().objects.order_by("-is_active", "username").prefetch_related("groups")
    )
    rows = [
        {
            "user": account,
            "org_admin": account.is_superuser
            or any(group.name == ORG_ADMIN_GROUP for group in account.groups.all()),
            "may_reset": members.may_make_reset_link(request.user, account),
        }
        for account in accounts
    ]
    response = render(request, "accounts/users.html", {"rows": rows, "shown_link": shown_link})
    if shown_link:
        add_never_cache_headers(response)
    return response


def _account_operation(request, operation, account):
    """Run one change on an account; a one-time link to show, or None."""
    actor = request.user
    if operation in ("deactivate", "activate"):
        members.set_active(actor, account, operation == "activate")
    elif operation in ("grant_admin", "revoke_admin"):
        members.set_org_admin(actor, account, operation == "grant_admin")
    else:
        path = members.make_reset_link(actor, account)
        until = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        name = members.display_name(account)
        return {"name": name, "url": request.build_absolute_uri(path), "until": until}
    return None


# --- Passwords: Django's views, with our templates and an audit entry -------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (the old one is asked for)."""

    def form_valid(self, form):
        """Save the new password and account for it, together."""
        with transaction.atomic():
            response = super().form_valid(form)
            record(self.request.user, "account.password_change", self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; without a mail server, say whom to ask instead."""

    def dispatch(self, request, *args, **kwargs):
        """Only with a mail server: otherwise the link comes from a process leader."""
        if not invitations.mail_configured():
            return render(request, "registration/password_reset_unavailable.html")
        return super().dispatch(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time page where a person sets a new password (from a mail or a shown link)."""

    def form_valid(self, form):
        """Save the new password and account for it, together."""
        with transaction.atomic():
            response = super().form_valid(form)
            record(form.user, "account.password_reset", form.user, member=form.user.username)
        return response
