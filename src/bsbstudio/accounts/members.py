"""Changes to teams and accounts: roles, removal, deactivation, organisation administrators, reset links.

Each function checks the permission, runs in one transaction and writes the audit log. Functions
that take ``actor=None`` are also used by the ``bsb user`` command, run by whoever operates the
server; the audit log then says "command line".

An evaluation must always keep an active process leader: the last one cannot lose the role, be
removed from the team, or have the account deactivated.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.evaluations.models import Evaluation

from .audit import record
from .models import Membership, Role
from .policy import ORG_ADMIN_GROUP, Action, is_org_admin, require, require_org_admin

CLI = {"via": "command line"}


def display_name(user) -> str:
    """The person's full name, or the username when no name is given."""
    return user.get_full_name() or user.get_username()


def split_name(full_name: str) -> tuple[str, str]:
    """First and last name from a full name ("Kari Anne Nordmann" -> "Kari Anne", "Nordmann")."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


# --- Roles in one evaluation -------------------------------------------------------------------


def _last_leader_error(evaluation, user) -> UserFacingError:
    return UserFacingError(
        "last_process_leader",
        gettext_noop(
            "%(name)s is the only process leader of %(evaluation)s. An evaluation must always "
            "have a process leader: give the role to someone else first."
        ),
        name=display_name(user),
        evaluation=evaluation.name,
    )


def _is_last_leader(evaluation, user) -> bool:
    """Whether ``user`` leads ``evaluation`` and no other active account does.

    The caller holds a lock on the evaluation row, so two leaders removing each other at the
    same moment cannot both pass this check.
    """
    leaders = Membership.objects.filter(
        evaluation=evaluation, role=Role.PROCESS_LEADER, user__is_active=True
    )
    return leaders.filter(user=user).exists() and not leaders.exclude(user=user).exists()


def _lock(evaluation) -> None:
    Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()


@transaction.atomic
def add_role(actor, evaluation, user, role: str) -> Membership:
    """Give ``user`` a role in the evaluation (nothing happens if they already hold it)."""
    require(actor, evaluation, Action.MANAGE_TEAM)
    if not user.is_active:
        raise UserFacingError(
            "inactive_account",
            gettext_noop("The account of %(name)s is deactivated."),
            name=display_name(user),
        )
    membership, created = Membership.objects.get_or_create(
        evaluation=evaluation, user=user, role=role
    )
    if created:
        record(actor, "team.add", membership, evaluation, role=role, member=user.get_username())
    return membership


@transaction.atomic
def remove_role(actor, evaluation, membership: Membership) -> None:
    """Take one role from a member; the last process leader keeps theirs."""
    require(actor, evaluation, Action.MANAGE_TEAM)
    _lock(evaluation)
    user = membership.user
    if membership.role == Role.PROCESS_LEADER and _is_last_leader(evaluation, user):
        raise _last_leader_error(evaluation, user)
    record(
        actor,
        "team.remove",
        membership,
        evaluation,
        role=membership.role,
        member=user.get_username(),
    )
    membership.delete()


@transaction.atomic
def remove_member(actor, evaluation, user) -> list[str]:
    """Take every role ``user`` holds in the evaluation; return the roles taken."""
    require(actor, evaluation, Action.MANAGE_TEAM)
    _lock(evaluation)
    memberships = Membership.objects.filter(evaluation=evaluation, user=user)
    roles = sorted(memberships.values_list("role", flat=True))
    if Role.PROCESS_LEADER in roles and _is_last_leader(evaluation, user):
        raise _last_leader_error(evaluation, user)
    if roles:
        record(
            actor,
            "team.remove_member",
            user,
            evaluation,
            roles=roles,
            member=user.get_username(),
        )
        memberships.delete()
    return roles


# --- Accounts ----------------------------------------------------------------------------------


def org_admin_group() -> Group:
    """The organisation administrators' group (normally made by the accounts migrations)."""
    group, created = Group.objects.get_or_create(name=ORG_ADMIN_GROUP)
    if created:
        app_label, codename = "evaluations", "add_evaluation"
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


@transaction.atomic
def create_account(
    actor,
    username: str,
    full_name: str,
    email: str,
    password: str | None = None,
    org_admin: bool = False,
):
    """Make an account; without a password it gets none until its owner sets one by link.

    The password must pass the configured validators (length, common passwords).
    """
    if actor is not None:
        require_org_admin(actor)
    users = get_user_model().objects
    if users.filter(username__iexact=username).exists():
        raise UserFacingError(
            "username_taken",
            gettext_noop("The username %(name)s is taken."),
            name=username,
        )
    first, last = split_name(full_name)
    user = users.model(username=username, first_name=first, last_name=last, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)  # raises ValidationError with every reason
        user.set_password(password)
    user.save()
    record(actor, "account.create", user, member=username, **(CLI if actor is None else {}))
    if org_admin:
        set_org_admin(actor, user, True)
    return user


@transaction.atomic
def set_org_admin(actor, user, on: bool) -> bool:
    """Give or take the organisation administrator role; return whether anything changed."""
    if actor is not None:
        require_org_admin(actor)
    group = org_admin_group()
    if group.user_set.filter(pk=user.pk).exists() == on:
        return False
    if on:
        group.user_set.add(user)
    else:
        group.user_set.remove(user)
    record(
        actor,
        "account.org_admin.grant" if on else "account.org_admin.revoke",
        user,
        member=user.get_username(),
        **(CLI if actor is None else {}),
    )
    return True


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    """Deactivate an account entirely (it can no longer log in), or activate it again."""
    require_org_admin(actor)
    if user.pk == actor.pk:
        raise UserFacingError(
            "own_account", gettext_noop("You cannot deactivate your own account.")
        )
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied
    if user.is_active == active:
        return
    if not active:
        led = Evaluation.objects.select_for_update().filter(
            memberships__user=user, memberships__role=Role.PROCESS_LEADER
        )
        for evaluation in led.order_by("name"):
            if _is_last_leader(evaluation, user):
                raise _last_leader_error(evaluation, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor,
        "account.activate" if active else "account.deactivate",
        user,
        member=user.get_username(),
    )


# --- Passwords ---------------------------------------------------------------------------------


def may_make_reset_link(actor, user) -> bool:
    """Whether ``actor`` may make a one-time password link for ``user``.

    An organisation administrator may, for anyone but a superuser. A process leader may for a
    member whose every team the leader leads and who holds no administrator rights: a link gives
    the account, so it must give no more than the leader can already reach.
    """
    if not actor.is_authenticated or not actor.is_active or actor.pk == user.pk:
        return False
    if is_org_admin(actor):
        return actor.is_superuser or not user.is_superuser
    if user.is_superuser or user.is_staff or is_org_admin(user):
        return False
    teams = set(user.memberships.values_list("evaluation_id", flat=True))
    led = set(
        actor.memberships.filter(role=Role.PROCESS_LEADER).values_list("evaluation_id", flat=True)
    )
    return bool(teams) and teams <= led


def set_password_path(user) -> str:
    """The path of a one-time page where ``user`` sets a new password (Django's reset token).

    The token stops working once the password is changed or the person logs in, and after
    ``PASSWORD_RESET_TIMEOUT``.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


@transaction.atomic
def make_reset_link(actor, user, evaluation=None) -> str:
    """Make a one-time password link for a member (shown once; audited, the token is not)."""
    if not may_make_reset_link(actor, user):
        raise PermissionDenied
    if not user.is_active:
        raise UserFacingError(
            "inactive_account",
            gettext_noop("The account of %(name)s is deactivated."),
            name=display_name(user),
        )
    record(actor, "account.reset_link", user, evaluation, member=user.get_username())
    return set_password_path(user)
