"""Forms of team and account management: every id posted is checked here, before any action runs.

A choice form accepts only ids of objects the page offers (this team's members, this team's open
invitations), so a non-numeric, oversized or foreign id is a form error, never a server error.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .invitations import open_invitations
from .models import Role

_NOT_ON_TEAM = {
    "required": _("Choose a member."),
    "invalid_choice": _("That person is not on this team (any more). Nothing was changed."),
}


class AddRoleForm(forms.Form):
    """Give a role to someone who already has an account."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        """The account must exist and be active."""
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has the username %(name)s."), params={"name": username}
            )
        return user


class InviteForm(forms.Form):
    """Invite a new member by name and e-mail address, with a role."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipChoiceForm(forms.Form):
    """One role of one member of this team (to take it away)."""

    membership = forms.ModelChoiceField(queryset=None, error_messages=_NOT_ON_TEAM)

    def __init__(self, evaluation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = evaluation.memberships.select_related("user")


class MemberChoiceForm(forms.Form):
    """A member of this team (to remove from it, or to make a password link for)."""

    member = forms.ModelChoiceField(queryset=None, error_messages=_NOT_ON_TEAM)

    def __init__(self, evaluation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            get_user_model().objects.filter(memberships__evaluation=evaluation).distinct()
        )


class InvitationChoiceForm(forms.Form):
    """An invitation of this team that can still be used (to withdraw it)."""

    invitation = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": _("Choose an invitation."),
            "invalid_choice": _("That invitation is no longer open. Nothing was changed."),
        },
    )

    def __init__(self, evaluation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = open_invitations(evaluation)


class AccountChoiceForm(forms.Form):
    """Any account (the organisation administrator's users page)."""

    account = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": _("Choose an account."),
            "invalid_choice": _("No such account. Nothing was changed."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = get_user_model().objects.all()


class AcceptInvitationForm(UserCreationForm):
    """The invited person's own account: username, name and password (checked by the validators)."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name")

    def __init__(self, invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        # The password validators compare against the e-mail address as well.
        self.instance.email = invitation.email
