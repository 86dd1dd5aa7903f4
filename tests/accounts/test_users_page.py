"""The organisation administrator's accounts page: deactivate, activate, administrators, links."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from bsbstudio.accounts.members import set_org_admin
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.accounts.policy import is_org_admin

URL = "accounts:users"


@pytest.fixture
def admin_client(evaluation, make_user, verified_client):
    admin = make_user("admin", first_name="Ada", last_name="Admin")
    set_org_admin(None, admin, True)
    return verified_client(admin, Client())  # organisation administrators use two factors


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_lists_accounts_with_last_login_and_state(admin_client):
    html = admin_client.get(reverse(URL)).content.decode()
    for username in ("process_leader", "commissioner", "outsider", "admin"):
        assert f"<td>{username}</td>" in html


@pytest.mark.parametrize("username", ["process_leader", "outsider"])
def test_others_may_not_open_it(evaluation, client_as, username):
    client = client_as(username)
    response = client.get(reverse(URL))
    assert response.status_code == 403
    assert "<td>commissioner</td>" not in response.content.decode()
    commissioner = evaluation.memberships.get(role="commissioner").user
    data = {"op": "deactivate", "account": commissioner.pk}
    assert client.post(reverse(URL), data).status_code == 403
    commissioner.refresh_from_db()
    assert commissioner.is_active


def test_deactivate_and_activate_an_account(admin_client, django_user_model):
    commissioner = django_user_model.objects.get(username="commissioner")
    response = admin_client.post(reverse(URL), {"op": "deactivate", "account": commissioner.pk})
    assert response.status_code == 302
    commissioner.refresh_from_db()
    assert not commissioner.is_active
    assert AuditEvent.objects.filter(action="account.deactivate", object_id=str(commissioner.pk))
    backend = ModelBackend()
    assert backend.authenticate(None, username="commissioner", password="pw-commissioner") is None

    admin_client.post(reverse(URL), {"op": "activate", "account": commissioner.pk})
    commissioner.refresh_from_db()
    assert commissioner.is_active
    assert AuditEvent.objects.filter(action="account.activate", object_id=str(commissioner.pk))


def test_own_account_cannot_be_deactivated(admin_client, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    response = admin_client.post(reverse(URL), {"op": "deactivate", "account": admin.pk})
    assert response.status_code == 200 and messages_of(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_grant_and_revoke_the_org_admin_role(admin_client, django_user_model):
    outsider = django_user_model.objects.get(username="outsider")
    admin_client.post(reverse(URL), {"op": "grant_admin", "account": outsider.pk})
    assert is_org_admin(django_user_model.objects.get(pk=outsider.pk))
    admin_client.post(reverse(URL), {"op": "revoke_admin", "account": outsider.pk})
    assert not is_org_admin(django_user_model.objects.get(pk=outsider.pk))
    granted = AuditEvent.objects.get(action="account.org_admin.grant", object_id=str(outsider.pk))
    assert granted.user.username == "admin"


def test_password_link_for_any_account(admin_client, django_user_model):
    outsider = django_user_model.objects.get(username="outsider")
    response = admin_client.post(reverse(URL), {"op": "reset_link", "account": outsider.pk})
    assert response.status_code == 200
    assert "/accounts/password/reset/" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("bad", ["abc", "", "9" * 5000, "-3"])
def test_bad_ids_give_a_message_and_change_nothing(admin_client, django_user_model, bad):
    before = AuditEvent.objects.count()
    response = admin_client.post(reverse(URL), {"op": "deactivate", "account": bad})
    assert response.status_code == 200 and messages_of(response)
    assert AuditEvent.objects.count() == before
    assert django_user_model.objects.filter(is_active=False).count() == 0
    response = admin_client.post(reverse(URL), {"op": "explode", "account": "1"})
    assert response.status_code == 200 and messages_of(response)
