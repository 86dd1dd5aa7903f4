"""Response headers (CSP, no-store) and the session and HTTPS settings read from the environment."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

import bsbstudio
from bsbstudio.security_settings import security_settings


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("logged_in", [False, True])
def test_content_security_policy_allows_only_our_own_scripts(
    evaluation, client_as, client, logged_in
):
    if logged_in:
        client = client_as("process_leader")
        response = client.get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    else:
        response = client.get(reverse("login"))
    assert response.status_code == 200
    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["media-src"] == ["'self'"]


def test_pages_carry_no_inline_script_and_switch_off_htmx_styles(evaluation, client_as):
    html = (
        client_as("process_leader")
        .get(reverse("evaluations:dashboard", args=[evaluation.slug]))
        .content.decode()
    )
    assert '"includeIndicatorStyles":false' in html
    for tag in html.split("<script")[1:]:
        assert tag.lstrip().startswith("src="), tag[:80]  # every script is a file of our own
    assert " onclick=" not in html and "hx-on" not in html


def _raw(evaluation, transcript):
    return reverse("transcripts:raw", args=[evaluation.slug, transcript.pk])


def test_raw_page_is_never_stored(evaluation, transcript, client_as):
    response = client_as("transcriber").get(_raw(evaluation, transcript))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_raw_page_is_never_stored_even_without_the_middleware(
    evaluation, transcript, client_as, settings
):
    # The gate to raw material sets the header itself: it does not rely on a setting elsewhere.
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("NoStoreMiddleware")
    ]
    response = client_as("transcriber").get(_raw(evaluation, transcript))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_every_page_for_a_logged_in_person_is_not_stored(evaluation, client_as):
    response = client_as("commissioner").get(reverse("reports:list", args=[evaluation.slug]))
    assert "no-store" in response["Cache-Control"]


def test_defaults_log_out_after_30_idle_minutes_without_https():
    values = security_settings({})
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    # Idle time, not time since log-in: pushed forward by IdleTimeoutMiddleware, not every save.
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_TIME"] == datetime.timedelta(minutes=15)
    assert values["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
    assert values["BSB_REQUIRE_2FA"] is True


def test_https_turns_on_secure_cookies_hsts_and_the_proxy_header():
    values = security_settings(
        {"BSB_HTTPS": "1", "BSB_SESSION_IDLE_MINUTES": "10", "BSB_LOCKOUT_MINUTES": "60"}
    )
    assert values["SESSION_COOKIE_AGE"] == 600
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"] is True
    assert values["AXES_COOLOFF_TIME"] == datetime.timedelta(hours=1)


def test_only_an_explicit_zero_turns_two_factor_off():
    assert security_settings({"BSB_REQUIRE_2FA": "0"})["BSB_REQUIRE_2FA"] is False
    assert security_settings({"BSB_REQUIRE_2FA": ""})["BSB_REQUIRE_2FA"] is True
    assert security_settings({"BSB_REQUIRE_2FA": "1"})["BSB_REQUIRE_2FA"] is True


@pytest.mark.parametrize(
    "name, value", [("BSB_SESSION_IDLE_MINUTES", "half an hour"), ("BSB_LOCKOUT_MINUTES", "0")]
)
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        security_settings({name: value})


def test_the_running_settings_use_the_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "bsbstudio.accounts.middleware.IdleTimeoutMiddleware" in settings.MIDDLEWARE


def test_an_idle_session_is_logged_out(evaluation, client_as):
    client = client_as("commissioner")
    url = reverse("evaluations:dashboard", args=[evaluation.slug])
    assert client.get(url).status_code == 200
    # Each request pushes the expiry on; after 30 idle minutes the session is gone.
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=29)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_work_within_a_minute_writes_no_session_and_later_work_pushes_the_expiry_on(
    evaluation, client_as
):
    from bsbstudio.accounts.middleware import LAST_SEEN_KEY, REFRESH_SECONDS

    client = client_as("commissioner")
    url = reverse("evaluations:dashboard", args=[evaluation.slug])
    client.get(url)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    pushed = session.expire_date
    # Five minutes ago in the database: a page opened now, within the minute, must not save.
    Session.objects.filter(pk=session.pk).update(expire_date=pushed - datetime.timedelta(minutes=5))
    client.get(url)
    session.refresh_from_db()
    assert session.expire_date == pushed - datetime.timedelta(minutes=5)
    # Last pushed on over a minute ago: the next page pushes the expiry to 30 minutes from now.
    data = session.get_decoded()
    data[LAST_SEEN_KEY] -= REFRESH_SECONDS + 1
    Session.objects.filter(pk=session.pk).update(session_data=Session.objects.encode(data))
    client.get(url)
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=29)


@pytest.mark.django_db
def test_a_visitor_not_logged_in_gets_no_session(client):
    before = Session.objects.count()
    assert client.get(reverse("login")).status_code == 200
    assert Session.objects.count() == before


TEMPLATES = sorted((Path(bsbstudio.__file__).parent).glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_template_has_inline_script_or_event_handler(template):
    # The CSP refuses them (no 'unsafe-inline' for scripts): they would silently not run.
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text)
    assert "javascript:" not in text
