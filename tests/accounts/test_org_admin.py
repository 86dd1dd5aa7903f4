"""Hole 10: only organisation administrators (and superusers) may start an evaluation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.members import set_org_admin
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.accounts.policy import ORG_ADMIN_GROUP, is_org_admin
from bsbstudio.evaluations.models import Evaluation

NEW = {"name": "Ny evaluering", "slug": "ny", "replacement_mode": "placeholder"}


def test_the_migration_made_the_group_with_the_add_permission(db):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=ORG_ADMIN_GROUP)
    assert list(group.permissions.values_list("codename", flat=True)) == ["add_evaluation"]


@pytest.mark.parametrize("username", ["process_leader", "peer_interviewer", "outsider"])
def test_others_see_no_button_and_cannot_create(evaluation, client_as, username):
    client = client_as(username)
    listing = client.get(reverse("evaluations:list")).content.decode()
    assert reverse("evaluations:create") not in listing

    page = client.get(reverse("evaluations:create"))
    assert page.status_code == 403
    assert "organisation administrator" in page.content.decode().lower() or (
        "organisasjonsadministrator" in page.content.decode()
    )
    response = client.post(reverse("evaluations:create"), NEW)
    assert response.status_code == 403
    assert not Evaluation.objects.filter(slug="ny").exists()


def test_org_admin_sees_the_button_and_creates(evaluation, client_as, django_user_model):
    user = django_user_model.objects.get(username="peer_interviewer")
    set_org_admin(None, user, True)
    client = client_as("peer_interviewer")
    assert reverse("evaluations:create") in client.get(reverse("evaluations:list")).content.decode()
    response = client.post(reverse("evaluations:create"), NEW)
    assert response.status_code == 302
    created = Evaluation.objects.get(slug="ny")
    assert created.memberships.get().user == user
    assert AuditEvent.objects.filter(action="account.org_admin.grant", object_id=str(user.pk))


def test_superuser_may_create(db, verified_client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = verified_client(root)
    assert client.post(reverse("evaluations:create"), NEW).status_code == 302


def test_role_can_be_taken_away(db, make_user, django_user_model):
    user = make_user("admin")
    set_org_admin(None, user, True)
    assert is_org_admin(django_user_model.objects.get(pk=user.pk))
    set_org_admin(None, user, False)
    assert not is_org_admin(django_user_model.objects.get(pk=user.pk))


def test_the_create_action_refuses_too(evaluation, django_user_model):
    from django.core.exceptions import PermissionDenied

    from bsbstudio.evaluations.actions import create_evaluation
    from bsbstudio.evaluations.forms import EvaluationForm

    form = EvaluationForm(NEW)
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        create_evaluation(django_user_model.objects.get(username="process_leader"), form)
    assert not Evaluation.objects.filter(slug="ny").exists()
