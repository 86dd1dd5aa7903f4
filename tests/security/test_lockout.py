"""Log-in lock-out (django-axes): five failures per username, and per client address, lock log-in."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from bsbstudio.accounts.lockout import client_address

LOGIN = reverse("login")


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_username_with_a_norwegian_page(evaluation, settings):
    assert settings.AXES_ENABLED is not False and settings.AXES_FAILURE_LIMIT == 5
    client = Client()  # no language cookie: the page is in Norwegian bokmål
    for number in range(4):
        response = attempt(client, "commissioner", f"wrong-{number}", f"10.0.0.{number}")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, "commissioner", "wrong-5", "10.0.0.9")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "For mange mislykkede forsøk på å logge inn" in html
    assert "15 minutter" in html
    assert "Traceback" not in html and "Forbidden" not in html

    # The right password, from yet another address, is refused while the lock lasts.
    right = attempt(client, "commissioner", "pw-commissioner", "10.0.0.20")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person is not locked out by it.
    assert attempt(Client(), "transcriber", "pw-transcriber", "10.0.0.21").status_code == 302


def test_five_failures_from_one_address_lock_that_address(evaluation):
    client = Client()
    for username in ("a1", "a2", "a3", "a4", "a5"):
        attempt(client, username, "guess", "10.9.9.9")
    refused = attempt(client, "commissioner", "pw-commissioner", "10.9.9.9")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    elsewhere = Client()
    assert attempt(elsewhere, "commissioner", "pw-commissioner", "10.1.1.1").status_code == 302


def test_a_successful_login_clears_earlier_failures(evaluation):
    client = Client()
    for _ in range(4):
        attempt(client, "commissioner", "wrong")
    assert attempt(client, "commissioner", "pw-commissioner").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "commissioner", "wrong")
    assert attempt(client, "commissioner", "pw-commissioner").status_code == 302


@pytest.mark.parametrize(
    "count, forwarded, remote, expected",
    [
        (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "6.6.6.6, 192.0.2.7", "10.0.0.1", "192.0.2.7"),  # the proxy appended the real one
        (1, "", "10.0.0.1", "10.0.0.1"),
        (2, "192.0.2.7, 10.0.0.5", "10.0.0.1", "192.0.2.7"),
        (1, "nonsense", "10.0.0.1", "10.0.0.1"),  # junk from a proxy is not an address
    ],
)
def test_client_address_trusts_only_the_proxies_named(settings, count, forwarded, remote, expected):
    settings.BSB_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected


def test_a_failed_login_with_an_overlong_username_is_an_ordinary_failure(evaluation):
    response = attempt(Client(), "x" * 5000, "guess")
    assert response.status_code == 200  # the form again, not a server error (PostgreSQL too)


def test_junk_from_a_proxy_is_an_ordinary_failure(evaluation, settings):
    settings.BSB_PROXY_COUNT = 1
    response = Client().post(
        reverse("login"),
        {"username": "commissioner", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="nonsense",
    )
    assert response.status_code == 200
