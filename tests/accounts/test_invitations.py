"""Invitations end to end: the link shown once, the account made with its role, the link used up."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent, Invitation

PASSWORD = "en lang og god setning 7"


def team_url(evaluation):
    return reverse("evaluations:team", args=[evaluation.slug])


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


def invite(leader, evaluation, email="kari@example.org", role="peer_interviewer"):
    response = leader.post(
        team_url(evaluation),
        {
            "op": "invite",
            "invite-full_name": "Kari Anne Nordmann",
            "invite-email": email,
            "invite-role": role,
        },
    )
    assert response.status_code == 200
    match = re.search(
        r'value="(http://testserver/accounts/invitation/[^"]+/)"', response.content.decode()
    )
    assert match, "the link is shown on the page that made it"
    return match.group(1), response


def accept(url, username="kari", password=PASSWORD):
    return Client().post(
        url,
        {
            "username": username,
            "first_name": "Kari Anne",
            "last_name": "Nordmann",
            "password1": password,
            "password2": password,
        },
    )


def test_invitation_end_to_end(evaluation, leader, django_user_model):
    url, response = invite(leader, evaluation)
    assert "no-store" in response["Cache-Control"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(Invitation.objects.values()))  # only the hash is kept
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6)

    again = leader.get(team_url(evaluation)).content.decode()
    assert token not in again  # shown once
    assert "kari@example.org" in again  # listed as not yet used

    page = Client().get(url)
    assert page.status_code == 200 and "Nordmann" in page.content.decode()
    assert page.context["form"].initial["first_name"] == "Kari Anne"
    response = accept(url)
    assert response.status_code == 302 and response["Location"] == reverse("login")

    user = django_user_model.objects.get(username="kari")
    assert user.email == "kari@example.org" and user.get_full_name() == "Kari Anne Nordmann"
    assert user.check_password(PASSWORD)
    assert list(user.memberships.values_list("role", flat=True)) == ["peer_interviewer"]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_open
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.create", "invitation.accept", "account.create"} <= actions

    reused = Client().get(url)
    assert reused.status_code == 404
    assert "Nordmann" not in reused.content.decode()
    assert accept(url, username="kari2").status_code == 404
    assert not django_user_model.objects.filter(username="kari2").exists()


def test_expired_revoked_and_unknown_links_are_refused(evaluation, leader, django_user_model):
    url, _response = invite(leader, evaluation)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert Client().get(url).status_code == 404
    assert accept(url).status_code == 404
    assert not django_user_model.objects.filter(username="kari").exists()

    url, _response = invite(leader, evaluation, email="ola@example.org")
    pending = Invitation.objects.get(email="ola@example.org")
    response = leader.post(team_url(evaluation), {"op": "revoke", "invitation": pending.pk})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="invitation.revoke", object_id=str(pending.pk))
    assert Client().get(url).status_code == 404

    for unknown in ("nonsense", "x" * 300):
        page = Client().get(reverse("accounts:invitation", args=[unknown]))
        assert page.status_code == 404
        assert page.templates[0].name == "accounts/invitation_closed.html"


def test_weak_passwords_are_refused_on_the_invitation_page(evaluation, leader, django_user_model):
    url, _response = invite(leader, evaluation)
    for weak in ("kort-pass1", "password1234", "kari@example.org"):
        response = accept(url, password=weak)
        assert response.status_code == 200
        assert response.context["form"].errors["password2"]
    assert not django_user_model.objects.filter(username="kari").exists()
    assert Invitation.objects.get().is_open


def test_existing_account_joins_when_logged_in(evaluation, leader, make_user, verified_client):
    kari = make_user("kari", email="Kari@Example.org")
    url, _response = invite(leader, evaluation, role="transcriber")
    page = Client().get(url)
    assert page.templates[0].name == "accounts/invitation_log_in.html"
    assert accept(url, username="kari-new").status_code == 200  # no second account
    assert not kari.memberships.exists()

    other = make_user("someone", email="someone@example.org")
    wrong = verified_client(other, client=Client())
    assert wrong.post(url).status_code == 302
    assert not other.memberships.exists()

    client = verified_client(kari, client=Client())
    response = client.post(url)
    assert response.status_code == 302
    assert list(kari.memberships.values_list("role", flat=True)) == ["transcriber"]
    assert AuditEvent.objects.filter(action="invitation.accept", user=kari).exists()
    assert client.post(url).status_code == 404


def test_invitation_is_mailed_when_a_mail_server_is_set_up(evaluation, leader, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url, response = invite(leader, evaluation)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kari@example.org"]
    assert url in mail.outbox[0].body


def test_no_mail_without_a_mail_server(evaluation, leader):
    invite(leader, evaluation)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"invite-full_name": "", "invite-email": "a@example.org", "invite-role": "transcriber"},
        {"invite-full_name": "A B", "invite-email": "not an address", "invite-role": "transcriber"},
        {"invite-full_name": "A B", "invite-email": "a@example.org", "invite-role": "king"},
        {
            "invite-full_name": "A" * 5000,
            "invite-email": "a@example.org",
            "invite-role": "transcriber",
        },
    ],
)
def test_bad_invitations_make_nothing(evaluation, leader, data):
    response = leader.post(team_url(evaluation), {"op": "invite", **data})
    assert response.status_code == 200
    assert "/accounts/invitation/" not in response.content.decode()
    assert not Invitation.objects.exists()
