"""The team page: roles given and taken, members removed, the last process leader kept, bad ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.members import set_org_admin
from bsbstudio.accounts.models import AuditEvent, Membership


def team_url(evaluation):
    return reverse("evaluations:team", args=[evaluation.slug])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


def leader_membership(evaluation):
    return evaluation.memberships.get(user__username="process_leader", role="process_leader")


def test_last_process_leader_cannot_remove_themselves(evaluation, leader):
    response = leader.post(
        team_url(evaluation),
        {"op": "remove_member", "member": leader_membership(evaluation).user_id},
    )
    assert response.status_code == 200
    assert "only process leader" in messages_of(response) or "eneste prosessleder" in (
        messages_of(response)
    )
    assert Membership.objects.filter(pk=leader_membership(evaluation).pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="team.remove").exists()


def test_last_process_leader_cannot_lose_the_role(evaluation, leader):
    membership = leader_membership(evaluation)
    response = leader.post(team_url(evaluation), {"op": "remove_role", "membership": membership.pk})
    assert "Testevaluering" in messages_of(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_last_process_leader_cannot_be_deactivated(evaluation, verified_client, make_user):
    admin = make_user("admin")
    set_org_admin(None, admin, True)
    client = verified_client(admin)
    leader = leader_membership(evaluation).user
    response = client.post(reverse("accounts:users"), {"op": "deactivate", "account": leader.pk})
    assert response.status_code == 200
    leader.refresh_from_db()
    assert leader.is_active


def test_a_leader_may_step_down_when_another_leads(evaluation, leader, django_user_model):
    peer = django_user_model.objects.get(username="peer_interviewer")
    leader.post(
        team_url(evaluation),
        {"op": "add", "add-username": "peer_interviewer", "add-role": "process_leader"},
    )
    assert evaluation.memberships.filter(user=peer, role="process_leader").exists()
    membership = leader_membership(evaluation)
    response = leader.post(team_url(evaluation), {"op": "remove_role", "membership": membership.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEvent.objects.get(action="team.remove")
    assert entry.detail["role"] == "process_leader"


def test_member_is_removed_from_the_evaluation_with_every_role(evaluation, leader):
    transcriber = evaluation.memberships.get(user__username="transcriber").user
    Membership.objects.create(evaluation=evaluation, user=transcriber, role="peer_interviewer")
    response = leader.post(team_url(evaluation), {"op": "remove_member", "member": transcriber.pk})
    assert response.status_code == 302
    assert not evaluation.memberships.filter(user=transcriber).exists()
    transcriber.refresh_from_db()
    assert transcriber.is_active  # removed from this evaluation only
    entry = AuditEvent.objects.get(action="team.remove_member")
    assert entry.detail["roles"] == ["peer_interviewer", "transcriber"]


@pytest.mark.parametrize("bad", ["abc", "", "1.5", "-1", "9" * 5000, "1 OR 1=1", "999999"])
@pytest.mark.parametrize(
    ("op", "field"),
    [
        ("remove_role", "membership"),
        ("remove_member", "member"),
        ("reset_link", "member"),
        ("revoke", "invitation"),
    ],
)
def test_bad_ids_give_a_message_and_change_nothing(evaluation, leader, op, field, bad):
    before = Membership.objects.count(), AuditEvent.objects.count()
    response = leader.post(team_url(evaluation), {"op": op, field: bad})
    assert response.status_code == 200
    assert (
        "Nothing was changed" in messages_of(response)
        or "Ingenting ble endret" in (messages_of(response))
        or "Velg" in messages_of(response)
        or "Choose" in messages_of(response)
    )
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_another_teams_membership_id_is_refused(evaluation, leader, make_user):
    from bsbstudio.evaluations.models import Evaluation

    other = Evaluation.objects.create(name="Annen", slug="annen")
    foreign = Membership.objects.create(evaluation=other, user=make_user("x"), role="transcriber")
    response = leader.post(team_url(evaluation), {"op": "remove_role", "membership": foreign.pk})
    assert response.status_code == 200
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_unknown_operation_and_unknown_username(evaluation, leader):
    response = leader.post(team_url(evaluation), {"op": "explode"})
    assert response.status_code == 200 and messages_of(response)
    response = leader.post(
        team_url(evaluation), {"op": "add", "add-username": "nobody", "add-role": "transcriber"}
    )
    assert response.status_code == 200
    assert "nobody" in response.content.decode()
    response = leader.post(
        team_url(evaluation), {"op": "add", "add-username": "outsider", "add-role": "boss"}
    )
    assert response.status_code == 200
    assert not evaluation.memberships.filter(user__username="outsider").exists()


@pytest.mark.parametrize("username", ["peer_interviewer", "transcriber"])
def test_members_who_are_not_leaders_cannot_change_the_team(evaluation, client_as, username):
    client = client_as(username)
    page = client.get(team_url(evaluation)).content.decode()
    assert 'value="invite"' not in page and 'value="remove_member"' not in page
    response = client.post(
        team_url(evaluation),
        {"op": "remove_member", "member": leader_membership(evaluation).user_id},
    )
    assert response.status_code == 403
    assert evaluation.memberships.count() == 4


def test_leader_makes_a_password_link_for_a_member_shown_once(evaluation, leader, client):
    transcriber = evaluation.memberships.get(user__username="transcriber").user
    response = leader.post(team_url(evaluation), {"op": "reset_link", "member": transcriber.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    start = html.index("http://testserver/accounts/password/reset/")
    link = html[start : html.index('"', start)]
    assert AuditEvent.objects.filter(action="account.reset_link", object_id=str(transcriber.pk))
    assert link not in leader.get(team_url(evaluation)).content.decode()

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "langt og trygt passord 42",
            "new_password2": "langt og trygt passord 42",
        },
    )
    assert done.status_code == 302
    transcriber.refresh_from_db()
    assert transcriber.check_password("langt og trygt passord 42")
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(transcriber.pk))
    assert not client.get(link, follow=True).context["validlink"]  # used once


def test_leader_cannot_make_a_link_for_someone_on_another_team(evaluation, leader, make_user):
    from bsbstudio.evaluations.models import Evaluation

    transcriber = evaluation.memberships.get(user__username="transcriber").user
    other = Evaluation.objects.create(name="Annen", slug="annen")
    Membership.objects.create(evaluation=other, user=transcriber, role="transcriber")
    page = leader.get(team_url(evaluation)).content.decode()
    assert f'name="member" value="{transcriber.pk}" class="button-small">' not in page
    response = leader.post(team_url(evaluation), {"op": "reset_link", "member": transcriber.pk})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="account.reset_link").exists()


def test_a_leader_who_leaves_the_team_lands_on_the_list(evaluation, leader, django_user_model):
    peer = django_user_model.objects.get(username="peer_interviewer")
    Membership.objects.create(evaluation=evaluation, user=peer, role="process_leader")
    me = leader_membership(evaluation).user
    response = leader.post(team_url(evaluation), {"op": "remove_member", "member": me.pk})
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:list")
    assert not evaluation.memberships.filter(user=me).exists()
