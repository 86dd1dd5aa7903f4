"""Two-factor login through the real pages: password, then a code from the app or a recovery code."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.accounts.two_factor import needs_two_factor, raw_roles

LOGIN = reverse("login")
VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


def log_in_with_password(client, username: str):
    response = client.post(LOGIN, {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def dashboard(evaluation) -> str:
    return reverse("evaluations:dashboard", args=[evaluation.slug])


def raw_url(evaluation, transcript) -> str:
    return reverse("transcripts:raw", args=[evaluation.slug, transcript.pk])


def confirmed_app(user, with_recovery_codes=()):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    if with_recovery_codes:
        static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        for token in with_recovery_codes:
            static.token_set.create(token=token)
    return device


def test_roles_that_see_raw_material_need_two_factor():
    assert raw_roles() == ["peer_interviewer", "process_leader", "transcriber"]


@pytest.mark.parametrize(
    "username, needed",
    [
        ("process_leader", True),
        ("peer_interviewer", True),
        ("transcriber", True),
        ("commissioner", False),
        ("outsider", False),
    ],
)
def test_who_needs_two_factor(evaluation, django_user_model, username, needed):
    assert needs_two_factor(django_user_model.objects.get(username=username)) is needed


def test_staff_superusers_and_organisation_administrators_need_two_factor(db, make_user):
    from bsbstudio.accounts.members import set_org_admin

    assert needs_two_factor(make_user("staffer", is_staff=True))
    assert needs_two_factor(make_user("root", is_superuser=True))
    org_admin = make_user("org_admin")
    assert not needs_two_factor(org_admin)
    set_org_admin(None, org_admin, True)
    org_admin = type(org_admin).objects.get(pk=org_admin.pk)  # a fresh permission cache
    assert needs_two_factor(org_admin)


def test_first_login_sets_up_the_app_shows_recovery_codes_once_then_opens_raw_material(
    evaluation, transcript, browser_client, django_user_model, app_code
):
    client = browser_client
    user = django_user_model.objects.get(username="peer_interviewer")
    log_in_with_password(client, "peer_interviewer")

    # Without an app yet, the raw transcript leads to the set-up page, and back after it.
    target = raw_url(evaluation, transcript)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and 'class="qr-code"' in html  # drawn inline, no outside service
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32  # the key in text, for typing by hand

    done = client.post(SETUP, {"code": app_code(device), "next": target})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert done["Cache-Control"].count("no-store") == 1
    device.refresh_from_db()
    assert device.confirmed
    stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
    # The codes are shown once: the set-up page now makes a new pending app, never shows them.
    assert not any(code in client.get(SETUP).content.decode() for code in codes)

    assert client.get(target).status_code == 200
    assert AuditEvent.objects.filter(user=user, action="two_factor.set_up").count() == 1


def test_wrong_code_does_not_confirm_the_app(evaluation, browser_client, wrong_code):
    client = browser_client
    log_in_with_password(client, "transcriber")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username="transcriber")
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "The code is wrong" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.exists()
    assert client.get(dashboard(evaluation))["Location"].startswith(SETUP)


def test_login_asks_for_the_code_and_the_right_code_opens_the_page(
    evaluation, transcript, browser_client, django_user_model, app_code
):
    client = browser_client
    user = django_user_model.objects.get(username="process_leader")
    device = confirmed_app(user)
    log_in_with_password(client, "process_leader")
    before = client.cookies["sessionid"].value

    response = client.get(dashboard(evaluation))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert "six-digit code" in client.get(response["Location"]).content.decode()

    verified = client.post(VERIFY, {"code": app_code(device), "next": dashboard(evaluation)})
    assert verified.status_code == 302 and verified["Location"] == dashboard(evaluation)
    assert client.cookies["sessionid"].value != before  # a new session key for the new rights
    assert client.get(dashboard(evaluation)).status_code == 200
    assert client.get(raw_url(evaluation, transcript)).status_code == 200
    event = AuditEvent.objects.get(user=user, action="two_factor.verify")
    assert event.detail["method"] == "app"


def test_wrong_code_is_refused_and_nothing_opens(
    evaluation, transcript, browser_client, django_user_model, wrong_code
):
    client = browser_client
    device = confirmed_app(django_user_model.objects.get(username="peer_interviewer"))
    log_in_with_password(client, "peer_interviewer")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "The code is wrong" in response.content.decode()
    assert client.get(raw_url(evaluation, transcript))["Location"].startswith(VERIFY)
    # At once again: django-otp makes the person wait after a wrong code.
    again = client.post(VERIFY, {"code": wrong_code(device)})
    assert "Wait a moment" in again.content.decode()


def test_a_used_code_cannot_be_replayed(evaluation, browser_client, django_user_model, app_code):
    device = confirmed_app(django_user_model.objects.get(username="transcriber"))
    code = app_code(device)
    log_in_with_password(browser_client, "transcriber")
    assert browser_client.post(VERIFY, {"code": code}).status_code == 302
    browser_client.post(reverse("logout"))
    log_in_with_password(browser_client, "transcriber")
    assert browser_client.post(VERIFY, {"code": code}).status_code == 200  # refused


def test_recovery_code_works_once(evaluation, transcript, browser_client, django_user_model):
    client = browser_client
    user = django_user_model.objects.get(username="transcriber")
    confirmed_app(user, with_recovery_codes=["abcd2345", "efgh6723"])
    log_in_with_password(client, "transcriber")

    response = client.post(VERIFY, {"code": "ABCD-2345"})  # as printed, in capitals: accepted
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    follow = client.get(response["Location"])
    assert "You have 1 left" in follow.content.decode()
    assert "Keep the app I have" in follow.content.decode()
    assert client.get(raw_url(evaluation, transcript)).status_code == 200
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]
    assert AuditEvent.objects.get(user=user, action="two_factor.verify").detail == {
        "method": "recovery"
    }

    client.post(reverse("logout"))
    log_in_with_password(client, "transcriber")
    again = client.post(VERIFY, {"code": "abcd2345"})
    assert again.status_code == 200 and "The code is wrong" in again.content.decode()
    assert client.get(raw_url(evaluation, transcript))["Location"].startswith(VERIFY)


def test_unverified_peer_interviewer_reaches_neither_raw_transcript_nor_dashboard(
    evaluation, transcript, client, django_user_model
):
    client.force_login(django_user_model.objects.get(username="peer_interviewer"))
    for url in (
        raw_url(evaluation, transcript),
        dashboard(evaluation),
        reverse("evaluations:list"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP)
        assert "Vi i teamet" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="transcript.raw.view").exists()
    # Log-out and the language switch still work.
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_alone_cannot_replace_the_app(evaluation, client, django_user_model):
    user = django_user_model.objects.get(username="process_leader")
    confirmed_app(user)
    client.force_login(user)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_commissioner_is_not_forced_into_two_factor(evaluation, browser_client):
    log_in_with_password(browser_client, "commissioner")
    response = browser_client.get(dashboard(evaluation))
    assert response.status_code == 200
    assert "Testevaluering" in response.content.decode()


def test_admin_needs_a_verified_session(db, make_user, client, verified_client):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    client.post(reverse("logout"))
    assert verified_client(admin).get(reverse("admin:index")).status_code == 200


def test_admin_login_form_leads_to_the_code_too(db, make_user, browser_client, app_code):
    admin = make_user("root", is_staff=True, is_superuser=True)
    confirmed_app(admin)
    response = browser_client.post(
        reverse("admin:login"), {"username": "root", "password": "pw-root", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert browser_client.get("/admin/")["Location"].startswith(VERIFY)


def test_demo_without_two_factor_says_so_on_every_page(
    evaluation, client, django_user_model, settings
):
    settings.BSB_REQUIRE_2FA = False
    client.force_login(django_user_model.objects.get(username="peer_interviewer"))
    client.cookies["django_language"] = "en"
    response = client.get(dashboard(evaluation))
    assert response.status_code == 200
    assert "Two-factor login is turned off on this server" in response.content.decode()


def test_the_note_is_absent_when_two_factor_is_on(evaluation, client_as):
    html = client_as("peer_interviewer").get(dashboard(evaluation)).content.decode()
    assert "two-factor-off" not in html


def test_a_code_of_unicode_digits_is_wrong_not_an_error(evaluation, client):
    from bsbstudio.accounts import two_factor

    assert two_factor._clean("²²²²²²").isdigit()  # Python's idea of a digit
    user = django_user_model_get("peer_interviewer")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("two_factor_verify"), {"code": "²²²²²²"})
    assert response.status_code == 200


def django_user_model_get(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_the_public_evaluation_form_is_open_before_the_code_is_given(evaluation, client):
    client.force_login(django_user_model_get("peer_interviewer"))  # password given, no code yet
    assert client.get("/f/no-such-link/").status_code == 404  # the form's own answer, no detour
    assert client.get(reverse("evaluations:list")).status_code == 302  # the rest still waits
