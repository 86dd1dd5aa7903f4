"""Two-factor login (tofaktorinnlogging): who needs it, setting up an app, checking a code.

Everyone who may see raw material (a role with ``VIEW_RAW`` or ``REVIEW_DEID`` in any
evaluation), every organisation administrator (they manage accounts and make password links) and
every staff user or superuser (Django admin) confirms each login with a
six-digit code from an authenticator app (TOTP, django-otp) or with one of ten recovery codes.
Someone who set up an app without needing one uses it too. ``BSB_REQUIRE_2FA=0`` turns two-factor
login off; only ``bsb demo`` does, and every page then says so.

A session is verified when django-otp's session key names the device that accepted a code
(``django_otp.login``); ``OTPMiddleware`` reads it back into ``request.user.is_verified()``.
"""

from __future__ import annotations

import enum
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record
from .models import Membership
from .policy import ROLE_ACTIONS, Action, is_org_admin

RAW_ACTIONS = frozenset({Action.VIEW_RAW, Action.REVIEW_DEID})
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6


class Outcome(enum.Enum):
    """What became of a code someone typed."""

    APP = "app"  # the authenticator app's code was right
    RECOVERY = "recovery"  # a recovery code was right, and is now used up
    WRONG = "wrong"
    WAIT = "wait"  # too many wrong codes just now: django-otp makes the person wait


def raw_roles() -> list[str]:
    """The roles that may see raw material, read from the permission table."""
    return sorted(role for role, actions in ROLE_ACTIONS.items() if actions & RAW_ACTIONS)


def two_factor_required() -> bool:
    """Whether this server asks for a second factor at all (off only in the demo)."""
    return bool(getattr(settings, "BSB_REQUIRE_2FA", True))


def needs_two_factor(user) -> bool:
    """Whether ``user`` must give a second factor before reaching any page."""
    if not two_factor_required() or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or is_org_admin(user):
        return True
    if Membership.objects.filter(user=user, role__in=raw_roles()).exists():
        return True
    return user_has_device(user)


def authenticator(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    """How many unused recovery codes the person has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_app(user) -> TOTPDevice:
    """The app being set up: a new secret, kept across reloads of the page until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an inline SVG QR code, drawn here (no outside service sees it)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="white", title="QR", svgclass="qr-code", lineclass=None
    )


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()[:32]


@transaction.atomic
def confirm_app(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending app with a code it shows, and make ten new recovery codes.

    A confirmed app replaces the person's earlier one, and new recovery codes replace the old
    ones. Returns the recovery codes (to be shown once), or None when the code was wrong.
    """
    pending = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user)
    device = pending.filter(confirmed=False).first()  # None if another tab confirmed it
    code = _clean(code)
    if device is None or not (code.isascii() and code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    for token in codes:
        recovery.token_set.create(token=token)
    record(user, "two_factor.set_up", device)
    return codes


def verify(request, code: str) -> Outcome:
    """Check a code from the app (six digits) or a recovery code, and verify the session."""
    user = request.user
    code = _clean(code)
    if code.isascii() and code.isdigit() and len(code) == TOTP_DIGITS:
        device, outcome = authenticator(user), Outcome.APP
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        outcome = Outcome.RECOVERY
    if device is None or not code:
        return Outcome.WRONG
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        return Outcome.WAIT
    accepted = django_otp.verify_token(user, device.persistent_id, code)
    if accepted is None:
        return Outcome.WRONG
    mark_verified(request, accepted)
    record(user, "two_factor.verify", accepted, method=outcome.value)
    return outcome


def mark_verified(request, device) -> None:
    """Record in the session that ``device`` confirmed this login, under a new session key."""
    django_otp.login(request, device)
    # The session's rights just grew: a key seen before this point must not carry them.
    request.session.cycle_key()


def template_context(request) -> dict:
    """Context processor: tells every page when two-factor login is off (the demo)."""
    return {"two_factor_off": not two_factor_required()}
