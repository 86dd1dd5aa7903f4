"""Log-in lock-out (django-axes): whose address a failed log-in counts against, and the page shown.

django-axes counts failed log-ins per username and, separately, per client address, and refuses
further attempts for a while once either reaches the limit (``security_settings``).
"""

from __future__ import annotations

import ipaddress

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
        if len(forwarded) >= count and _is_address(forwarded[-count]):
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(text: str) -> bool:
    # A proxy that forwards junk must not make the lock-out record fail (PostgreSQL checks inet).
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# django-axes keeps the attempted username in a 255-character column; Django's own limit is 150.
USERNAME_LIMIT = 150


def attempted_username(request, credentials) -> str:
    """The username a log-in attempt named, cut to what a username can be."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username)[:USERNAME_LIMIT]


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out person sees: plain words and how long to wait, status 429."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
