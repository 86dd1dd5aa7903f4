"""Invitations to a team: make a one-time link, mail it if a mail server is set up, accept, revoke.

The link carries a random token; only its SHA-256 hash is stored, so the link is shown once, to
the process leader who made it, and cannot be read back from the database. Accepting either
creates the person's account (they set their own password) or, for someone who already has an
account with the invited e-mail address and is logged in, adds the role to that account.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bsbstudio.errors import UserFacingError, gettext_noop

from .audit import record
from .models import Invitation, Membership
from .policy import Action, require

logger = logging.getLogger(__name__)

VALID_FOR = datetime.timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite(actor, evaluation, full_name: str, email: str, role: str) -> tuple[Invitation, str]:
    """Make an invitation; return it and the token for the link (not stored, show it once)."""
    require(actor, evaluation, Action.MANAGE_TEAM)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        evaluation=evaluation,
        full_name=full_name.strip(),
        email=email.strip(),
        role=role,
        token_hash=_hash(token),
        created_by=actor,
        expires_at=timezone.now() + VALID_FOR,
    )
    record(actor, "invitation.create", invitation, evaluation, role=role, email=invitation.email)
    return invitation, token


def find(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state; None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("evaluation").filter(token_hash=_hash(token)).first()


def mail_configured() -> bool:
    """Whether a mail server is set up (``BSB_SMTP_HOST``)."""
    return bool(settings.EMAIL_HOST)


def send_invitation(invitation: Invitation, url: str) -> bool:
    """Mail the link to the invited person when a mail server is set up; return whether it went."""
    if not mail_configured():
        return False
    inviter = invitation.created_by
    subject = _("Invitation to %(evaluation)s in BSB Studio") % {
        "evaluation": invitation.evaluation.name
    }
    body = _(
        "Hello %(name)s,\n\n%(inviter)s invites you to the evaluation %(evaluation)s in BSB "
        "Studio, as %(role)s.\n\nOpen this link to set your password and join (it works once, "
        "until %(expires)s):\n%(url)s\n"
    ) % {
        "name": invitation.full_name,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "BSB Studio",
        "evaluation": invitation.evaluation.name,
        "role": invitation.get_role_display(),
        "expires": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M"),
        "url": url,
    }
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError:  # smtplib errors are OSErrors: the link is on the page anyway
        logger.warning("Invitation %s could not be mailed", invitation.pk)
        return False
    return True


def account_for(invitation: Invitation):
    """The existing account with the invited e-mail address, if there is one."""
    return (
        get_user_model()
        .objects.filter(email__iexact=invitation.email)
        .order_by("-is_active", "pk")
        .first()
    )


def _lock_open(invitation: Invitation) -> Invitation:
    """The invitation locked for this transaction, or a clear error if its link no longer works."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise UserFacingError(
            "invitation_closed",
            gettext_noop("This invitation link has been used, has expired or was withdrawn."),
        )
    return locked


def _accept(invitation: Invitation, user) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        evaluation=invitation.evaluation, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        user,
        "invitation.accept",
        invitation,
        invitation.evaluation,
        role=invitation.role,
        member=user.get_username(),
    )
    return membership


@transaction.atomic
def accept_with_new_account(invitation: Invitation, form):
    """Create the invited person's account from a valid ``AcceptInvitationForm``, with the role."""
    invitation = _lock_open(invitation)
    if account_for(invitation) is not None:
        raise UserFacingError(
            "invitation_log_in",
            gettext_noop(
                "An account with this e-mail address exists already. Log in, then open the link "
                "again."
            ),
        )
    user = form.save(commit=False)
    user.email = invitation.email
    user.save()
    record(user, "account.create", user, member=user.get_username(), invitation=invitation.pk)
    _accept(invitation, user)
    return user


@transaction.atomic
def accept_as(user, invitation: Invitation) -> Membership:
    """Add the invitation's role to the logged-in account that has the invited e-mail address."""
    invitation = _lock_open(invitation)
    if not user.is_active or user.email.strip().lower() != invitation.email.lower():
        raise UserFacingError(
            "invitation_other_account",
            gettext_noop(
                "This invitation was sent to another e-mail address. Log out, then open the "
                "link again."
            ),
        )
    return _accept(invitation, user)


@transaction.atomic
def revoke(actor, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been used; its link stops working."""
    require(actor, invitation.evaluation, Action.MANAGE_TEAM)
    invitation = _lock_open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(actor, "invitation.revoke", invitation, invitation.evaluation, email=invitation.email)


def open_invitations(evaluation):
    """The team's invitations whose link still works, newest first."""
    return evaluation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-id")
