"""The list of names to hide is raw material: gated, audited, changed only through actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.deid import actions
from bsbstudio.deid.models import ProtectedTerm

from .conftest import messages_of, url

NAME = "Kari Nordmann"


@pytest.fixture
def term(evaluation):
    return ProtectedTerm.objects.create(evaluation=evaluation, text=NAME, kind="PERSON")


def audit(action):
    return AuditEvent.objects.filter(action=action)


def test_signed_member_sees_the_list_and_the_viewing_is_audited(evaluation, leader, term):
    response = leader.get(url("deid:names", evaluation))
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html
    assert "Your viewing has been written to the audit log." in html
    event = audit("deid.names.view").get()
    assert event.user.username == "process_leader"
    assert event.evaluation == evaluation
    assert event.detail == {"terms": 1}
    assert NAME not in str(event.detail)


@pytest.mark.parametrize("role", ["peer_interviewer", "transcriber"])
def test_unsigned_member_neither_sees_nor_changes_the_list(
    evaluation, client_as, unsign, term, role
):
    unsign(role)
    client = client_as(role)
    declaration = reverse("evaluations:declaration", args=[evaluation.slug])

    shown = client.get(url("deid:names", evaluation))
    assert shown.status_code == 302 and shown["Location"].startswith(declaration)
    assert NAME not in shown.content.decode()

    added = client.post(url("deid:names", evaluation), {"text": "Ola Hansen", "kind": "PERSON"})
    assert added.status_code == 302 and added["Location"].startswith(declaration)
    removed = client.post(url("deid:names", evaluation), {"remove": str(term.pk)})
    assert removed.status_code == 302 and removed["Location"].startswith(declaration)

    assert list(evaluation.protected_terms.values_list("text", flat=True)) == [NAME]
    assert not audit("deid.names.view").exists()
    assert not audit("deid.name.add").exists() and not audit("deid.name.remove").exists()


def test_commissioner_is_refused_and_changes_nothing(evaluation, client_as, term):
    client = client_as("commissioner")
    assert client.get(url("deid:names", evaluation)).status_code == 403
    response = client.post(url("deid:names", evaluation), {"text": "Ola Hansen", "kind": "PERSON"})
    assert response.status_code == 403
    assert client.post(url("deid:names", evaluation), {"remove": str(term.pk)}).status_code == 403
    assert list(evaluation.protected_terms.values_list("text", flat=True)) == [NAME]
    assert not AuditEvent.objects.filter(action__startswith="deid.name").exists()


def test_adding_and_removing_go_through_audited_actions(evaluation, leader):
    response = leader.post(
        url("deid:names", evaluation), {"text": " Ola Hansen ", "kind": "PERSON"}
    )
    assert response.status_code == 302
    term = evaluation.protected_terms.get()
    assert term.text == "Ola Hansen"
    added = audit("deid.name.add").get()
    assert (added.object_id, added.detail) == (str(term.pk), {"kind": "PERSON"})

    response = leader.post(url("deid:names", evaluation), {"remove": str(term.pk)}, follow=True)
    assert "The name was removed from the list." in messages_of(response)
    assert not evaluation.protected_terms.exists()
    removed = audit("deid.name.remove").get()
    assert removed.object_id == str(term.pk)
    assert "Ola Hansen" not in str(added.detail) + str(removed.detail)


def test_an_invalid_post_re_renders_the_list_and_is_audited(evaluation, leader, term):
    response = leader.post(url("deid:names", evaluation), {"text": "x", "kind": "PERSON"})
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html and "Write at least two letters." in html
    assert audit("deid.names.view").count() == 1
    assert list(evaluation.protected_terms.values_list("text", flat=True)) == [NAME]


@pytest.mark.parametrize(
    "bad_id", ["abc", "", "-1", "1.5", "99999999999999999999999", "9" * 400, "1; DROP"]
)
def test_a_bad_id_to_remove_is_a_message_and_removes_nothing(evaluation, leader, term, bad_id):
    response = leader.post(url("deid:names", evaluation), {"remove": bad_id}, follow=True)
    assert response.status_code == 200
    text = messages_of(response)
    assert "not on the list" in text or "This field is required." in text
    assert evaluation.protected_terms.get() == term
    assert not audit("deid.name.remove").exists()


def test_another_evaluations_term_cannot_be_removed(evaluation, leader, term):
    from bsbstudio.evaluations.models import Evaluation

    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="X")
    foreign = ProtectedTerm.objects.create(evaluation=other, text="Per", kind="PERSON")
    response = leader.post(url("deid:names", evaluation), {"remove": str(foreign.pk)}, follow=True)
    assert "not on the list" in messages_of(response)
    assert ProtectedTerm.objects.filter(pk=foreign.pk).exists()


def test_actions_refuse_a_member_who_has_not_signed(
    evaluation, unsign, term, transcript, django_user_model
):
    unsign("transcriber")
    transcriber = django_user_model.objects.get(username="transcriber")
    with pytest.raises(PermissionDenied):
        actions.add_protected_term(transcriber, evaluation, "Ola Hansen", "PERSON")
    with pytest.raises(PermissionDenied):
        actions.remove_protected_term(transcriber, term)
    with pytest.raises(PermissionDenied):
        actions.hide_missed_name(transcriber, transcript, "teamet", "ORGANIZATION")
    assert list(evaluation.protected_terms.values_list("text", flat=True)) == [NAME]


def test_a_name_added_from_the_review_is_audited_with_its_term(evaluation, leader, transcript):
    leader.post(
        url("deid:review", evaluation, transcript.pk),
        {"add_name": "1", "text": "teamet", "kind": "ORGANIZATION"},
    )
    term = evaluation.protected_terms.get(text="teamet")
    event = audit("deid.add_name").get()
    assert event.detail["term"] == term.pk and event.detail["new_term"] is True
    assert "teamet" not in str(event.detail)
