"""Middlewares for logged-in people: the second factor, the idle time-out, and no caching.

``TwoFactorMiddleware`` sends a person who needs two-factor login (``two_factor.needs_two_factor``)
and whose session is not yet verified to the page that asks for the code, or to the set-up page
if they have no app yet. Until then they reach only those pages, log-out, the language switch and
static files. Django admin is behind it like every other page.

``IdleTimeoutMiddleware`` pushes a logged-in person's session expiry forward as they work, so
that they are logged out after ``BSB_SESSION_IDLE_MINUTES`` without a request.

``NoStoreMiddleware`` tells browsers and proxies to keep no copy of any page a logged-in person
sees: they show confidential material, and a shared computer's cache must not keep it.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from . import two_factor

#: Pages for anyone, logged in or not (the conference evaluation form a participant opens on a
#: phone): a team member who has not given the code yet may fill it in like everyone else.
PUBLIC_PREFIX = "/f/"


def no_store(response):
    """Mark ``response`` as never to be stored by a browser or proxy."""
    add_never_cache_headers(response)
    response["Pragma"] = "no-cache"  # HTTP/1.0 caches
    return response


class TwoFactorMiddleware:
    """Keep an unverified session that needs two-factor login on the two-factor pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        return (
            reverse("two_factor_verify"),
            reverse("two_factor_setup"),
            reverse("login"),
            reverse("logout"),
            reverse("set_language"),
        )

    def __call__(self, request):
        """Redirect to the code (or set-up) page until the session is verified."""
        user = request.user
        path = request.path_info
        if (
            user.is_authenticated
            and not user.is_verified()
            and path not in self._open_paths()
            and not path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            and not path.startswith(PUBLIC_PREFIX)
            and two_factor.needs_two_factor(user)
        ):
            page = "two_factor_verify" if two_factor.authenticator(user) else "two_factor_setup"
            target = request.get_full_path() if request.method == "GET" else ""
            query = f"?{urlencode({'next': target})}" if target else ""
            return no_store(redirect(reverse(page) + query))
        return self.get_response(request)


class NoStoreMiddleware:
    """Add ``Cache-Control: no-store`` to every response to a logged-in person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Mark the response as not to be stored when someone is logged in."""
        response = self.get_response(request)
        if request.user.is_authenticated:
            no_store(response)
        return response


# When a session was last pushed forward (seconds since the epoch), kept in the session itself.
LAST_SEEN_KEY = "bsb_last_seen"
# Push the expiry forward at most this often: a person is logged out between the idle time less
# this and the idle time after their last request, never later.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Push a logged-in person's session expiry forward, at most once a minute.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session at every request: a database
    write per page view, and on SQLite every page then waits for every other write. Here the
    session is marked changed only when it was last pushed forward a minute ago or more; Django's
    session middleware then saves it with a new expiry (``SESSION_COOKIE_AGE`` from now).
    Visitors who are not logged in get no session from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Mark the session changed when its expiry was last pushed forward a minute ago."""
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if not isinstance(last, int) or not 0 <= now - last < REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
