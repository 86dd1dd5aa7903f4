"""The pages of two-factor login: give the code after the password, and set up an app."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import two_factor
from .two_factor import Outcome


class CodeForm(forms.Form):
    """One code: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _next(request) -> str:
    """Where to go once the code is accepted: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("evaluations:list")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


@login_required
def verify(request):
    """After the password: ask for the code from the app, or a recovery code."""
    user = request.user
    if user.is_verified() or not two_factor.needs_two_factor(user):
        return redirect(_next(request))
    if two_factor.authenticator(user) is None:
        return redirect(_with_next("two_factor_setup", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify(request, form.cleaned_data["code"])
        if outcome is Outcome.APP:
            return redirect(_next(request))
        if outcome is Outcome.RECOVERY:
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code. You have %(count)d left. If you lost your "
                    "phone, set up the app again.",
                    "You used a recovery code. You have %(count)d left. If you lost your "
                    "phone, set up the app again.",
                    left,
                )
                % {"count": left},
            )
            return redirect(_with_next("two_factor_setup", request))
        if outcome is Outcome.WAIT:
            form.add_error(None, _("Too many wrong codes. Wait a moment and try again."))
        else:
            form.add_error("code", _("The code is wrong or has expired. Try the newest code."))
    return render(
        request, "accounts/two_factor/verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def setup(request):
    """Set up an authenticator app: scan, confirm with a code, then see the recovery codes once.

    Someone who already has an app must first log in with it (or a recovery code) to replace it,
    so a stolen password alone cannot move the second factor to another phone.
    """
    user = request.user
    if two_factor.authenticator(user) is not None and not user.is_verified():
        return redirect(_with_next("two_factor_verify", request))
    device = two_factor.pending_app(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app(user, device, form.cleaned_data["code"])
        if codes is not None:
            two_factor.mark_verified(request, device)
            return render(
                request,
                "accounts/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", _("The code is wrong or has expired. Try the newest code."))
    return render(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "replacing": two_factor.authenticator(user) is not None,
        },
    )
