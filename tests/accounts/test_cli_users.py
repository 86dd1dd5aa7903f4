"""`bsb user add` and `bsb user org-admin`: the first organisation administrator of a server."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.accounts.policy import is_org_admin
from bsbstudio.cli import users as users_cli
from bsbstudio.cli.main import main

PASSWORD = "sju sultne måker på brygga"


@pytest.fixture(autouse=True)
def _no_migrate(monkeypatch):
    # The test database is migrated already; the command's own migrate step is for real servers.
    monkeypatch.setattr(users_cli, "migrate", lambda: None)


def run(monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_add_an_org_admin_with_a_password_from_stdin(db, monkeypatch, capsys, django_user_model):
    status = run(
        monkeypatch,
        [
            "user",
            "add",
            "kari",
            "--name",
            "Kari Nordmann",
            "--email",
            "kari@example.org",
            "--org-admin",
            "--password-stdin",
        ],
        stdin=PASSWORD + "\n",
    )
    assert status == 0
    assert "kari" in capsys.readouterr().out
    user = django_user_model.objects.get(username="kari")
    assert user.get_full_name() == "Kari Nordmann" and user.check_password(PASSWORD)
    assert is_org_admin(user)
    entry = AuditEvent.objects.get(action="account.org_admin.grant")
    assert entry.user is None and entry.detail["via"] == "command line"


def test_add_without_a_password_prints_a_one_time_link(db, monkeypatch, capsys, django_user_model):
    status = run(
        monkeypatch,
        [
            "user",
            "add",
            "ola",
            "--name",
            "Ola",
            "--email",
            "ola@example.org",
            "--base-url",
            "https://bsb.example.org/",
        ],
    )
    assert status == 0
    user = django_user_model.objects.get(username="ola")
    assert not user.has_usable_password() and not is_org_admin(user)
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert link.startswith("https://bsb.example.org/accounts/password/reset/")
    path = link.removeprefix("https://bsb.example.org")
    page = Client().get(path, follow=True)
    assert page.context["validlink"]


@pytest.mark.parametrize(
    ("argv", "stdin", "reason"),
    [
        (["--email", "a@example.org", "--password-stdin"], "kort\n", "short"),
        (["--email", "a@example.org", "--password-stdin"], "password1234\n", "common"),
        (["--email", "not-an-address"], "", "valid email"),
    ],
)
def test_add_refuses_bad_input(db, monkeypatch, capsys, django_user_model, argv, stdin, reason):
    status = run(monkeypatch, ["user", "add", "bad", "--name", "B", *argv], stdin=stdin)
    assert status == 1
    assert reason in capsys.readouterr().err.lower()
    assert not django_user_model.objects.filter(username="bad").exists()


def test_add_refuses_a_taken_username(db, monkeypatch, capsys, make_user):
    make_user("kari")
    status = run(monkeypatch, ["user", "add", "KARI", "--name", "K", "--email", "k@example.org"])
    assert status == 1
    assert "taken" in capsys.readouterr().err


def test_org_admin_gives_and_takes_the_role(db, monkeypatch, capsys, make_user, django_user_model):
    make_user("kari")
    assert run(monkeypatch, ["user", "org-admin", "kari"]) == 0
    assert is_org_admin(django_user_model.objects.get(username="kari"))
    assert run(monkeypatch, ["user", "org-admin", "kari", "--remove"]) == 0
    assert not is_org_admin(django_user_model.objects.get(username="kari"))
    assert run(monkeypatch, ["user", "org-admin", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err


def test_the_demo_user_is_an_org_admin(db):
    from bsbstudio.demo.loader import demo_user

    assert is_org_admin(demo_user("demo", "bsb-demo-2026"))
