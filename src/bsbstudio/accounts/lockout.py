"""Log-in lock-out (django-axes): whose address a failed log-in counts against, and the page shown.

django-axes counts failed log-ins per username and, separately, per client address, and refuses
further attempts for a while once either reaches the limit (``security_settings``).
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_address(request) -> str:
    """The client's address: behind ``BSB_PROXY_COUNT`` proxies, the one the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For; what a client
    put there itself comes before those, so only the last ``BSB_PROXY_COUNT`` entries are trusted.
    Without proxies every client would otherwise share the proxy's address and one person's typos
    would lock everyone out.
    """
    count = getattr(settings, "BSB_PROXY_COUNT", 0)
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out person sees: plain words and how long to wait, status 429."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
