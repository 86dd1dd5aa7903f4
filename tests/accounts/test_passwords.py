"""Passwords: Argon2, at least 12 characters, no common ones; change and reset pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent

GOOD = "tre grønne hester i Bodø"


def codes(password: str, user=None) -> set[str]:
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return {e.code for e in error.value.error_list}


def test_short_password_is_refused():
    assert "password_too_short" in codes("Kx9#mq2!pLz")  # 11 characters


def test_common_password_is_refused():
    assert "password_too_common" in codes("password1234")  # 12 characters, but common


def test_a_long_uncommon_password_passes():
    validate_password(GOOD)


def test_new_passwords_are_hashed_with_argon2(db, make_user, settings):
    # tests/conftest.py forces the fast MD5 hasher; here the real setting is what is tested.
    from bsbstudio import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any("PBKDF2" in hasher for hasher in settings.PASSWORD_HASHERS[1:])
    user = make_user("hashed")
    user.set_password(GOOD)
    assert user.password.startswith("argon2$")


def test_an_old_pbkdf2_hash_still_logs_in(db, make_user, settings):
    from django.contrib.auth.hashers import make_password

    from bsbstudio import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user("old")
    user.password = make_password(GOOD, hasher="pbkdf2_sha256")
    user.save()
    assert user.check_password(GOOD)
    user.refresh_from_db()
    assert user.password.startswith("argon2$")  # upgraded on the way


def test_change_password_page(evaluation, client_as, django_user_model):
    client = client_as("commissioner")
    assert reverse("password_change") in client.get(reverse("evaluations:list")).content.decode()
    url = reverse("password_change")
    short = client.post(
        url,
        {"old_password": "pw-commissioner", "new_password1": "kort", "new_password2": "kort"},
    )
    assert short.status_code == 200 and short.context["form"].errors["new_password2"]
    response = client.post(
        url, {"old_password": "pw-commissioner", "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(username="commissioner")
    assert user.check_password(GOOD)
    assert AuditEvent.objects.filter(action="account.password_change", user=user).exists()


def test_reset_without_a_mail_server_says_whom_to_ask(db):
    response = Client().get(reverse("password_reset"))
    assert response.status_code == 200
    assert response.templates[0].name == "registration/password_reset_unavailable.html"
    assert Client().post(reverse("password_reset"), {"email": "a@example.org"}).status_code == 200
    assert mail.outbox == []


def test_reset_by_mail_with_a_mail_server(db, make_user, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("kari", email="kari@example.org")
    response = Client().post(reverse("password_reset"), {"email": "kari@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
