"""The security settings that depend on the environment: sessions, HTTPS, lock-out, the CSP.

A plain function of the environment (no Django import), so that ``settings.py`` stays a list of
values and the rules can be tested with a fake environment.

BSB_SESSION_IDLE_MINUTES  log a person out after this many minutes without a request (default 30)
BSB_HTTPS                 "1" when the server is reached over HTTPS (usually behind a proxy that
                          sets X-Forwarded-Proto): Secure cookies, HSTS, redirect to https
BSB_HSTS_SECONDS          how long browsers remember to use HTTPS only (default one year)
BSB_PROXY_COUNT           reverse proxies in front of the server that append to X-Forwarded-For
                          (default 0); the lock-out per client address needs the real address
BSB_LOCKOUT_FAILURES      failed log-ins, per username and per client address, before a lock-out
                          (default 5)
BSB_LOCKOUT_MINUTES       how long a lock-out lasts (default 15)
BSB_REQUIRE_2FA           "0" turns two-factor login off (only `bsb demo` does; every page then
                          says so); default "1"
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

SELF = "'self'"
NONE = "'none'"

# The app's own scripts and styles only. Scripts never run inline; style *attributes* are
# allowed because a few bars set their width from data (``style="width: 40%"``), which cannot
# run code. htmx's injected indicator <style> is switched off in base.html instead.
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "media-src": [SELF],  # recordings play through a checked view on this server
    "connect-src": [SELF],
    "font-src": [SELF],
    "object-src": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}


def _flag(env: Mapping[str, str], name: str, default: str) -> bool:
    return env.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """Read a whole number above zero; a bad value stops the server with a clear message."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be above zero, not {value}")
    return value


def _count(env: Mapping[str, str], name: str) -> int:
    """Read a whole number of zero or more (default 0)."""
    raw = env.get(name, "").strip() or "0"
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(f"{name} must be a whole number of zero or more, not {raw!r}")
    return int(raw)


def security_settings(env: Mapping[str, str]) -> dict:
    """Django settings for sessions, HTTPS, login lock-out, two-factor login and the CSP."""
    https = _flag(env, "BSB_HTTPS", "0")
    idle_minutes = _positive_int(env, "BSB_SESSION_IDLE_MINUTES", 30)
    directives = dict(CSP_DIRECTIVES)
    if https:
        directives["upgrade-insecure-requests"] = True
    values = {
        # Idle timeout: a logged-in person's requests push the session's expiry forward (at most
        # once a minute, accounts.middleware.IdleTimeoutMiddleware), so the age is the time since
        # the last request, not since logging in. Saving it at every request instead would be a
        # database write per page view.
        "SESSION_COOKIE_AGE": idle_minutes * 60,
        "SESSION_SAVE_EVERY_REQUEST": False,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        "LANGUAGE_COOKIE_SECURE": https,
        "SECURE_SSL_REDIRECT": https,
        "SECURE_HSTS_SECONDS": _positive_int(env, "BSB_HSTS_SECONDS", 31_536_000) if https else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,  # the hospital's other hosts are not ours to bind
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if https else None,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "CONTENT_SECURITY_POLICY": {"DIRECTIVES": directives},
        # django-axes: lock a username, and separately a client address, after repeated failures.
        "AXES_FAILURE_LIMIT": _positive_int(env, "BSB_LOCKOUT_FAILURES", 5),
        "AXES_COOLOFF_TIME": datetime.timedelta(
            minutes=_positive_int(env, "BSB_LOCKOUT_MINUTES", 15)
        ),
        "AXES_LOCKOUT_PARAMETERS": ["username", "ip_address"],
        "AXES_RESET_ON_SUCCESS": True,  # a typo an hour ago should not count towards a lock-out
        "BSB_PROXY_COUNT": _count(env, "BSB_PROXY_COUNT"),
        # Only an explicit "off" turns it off: an empty or mistyped value keeps the safe side.
        "BSB_REQUIRE_2FA": env.get("BSB_REQUIRE_2FA", "").strip().lower()
        not in {"0", "false", "no", "off"},
    }
    return values
