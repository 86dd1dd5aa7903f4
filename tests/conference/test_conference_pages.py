"""The dialogue conference through its pages: plan, agenda, participants, groups, validation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import Code
from bsbstudio.conference import actions
from bsbstudio.conference.models import (
    AgendaItem,
    ConferenceGroup,
    DialogueConference,
    GroupOutput,
    ParticipantCount,
    ThemeValidation,
)


@pytest.fixture
def leader(evaluation, django_user_model):
    return django_user_model.objects.get(username="process_leader")


@pytest.fixture
def conference(evaluation, leader):
    return actions.create_conference(
        leader,
        evaluation,
        {"title": "Dialogkonferanse Nord", "site": evaluation.sites.get(name="Nord")},
    )


def url(name, conference, *more):
    return reverse(f"conference:{name}", args=[conference.evaluation.slug, conference.pk, *more])


def audit_actions(evaluation):
    return list(
        AuditEvent.objects.filter(evaluation=evaluation)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_planning_a_conference_prefills_the_four_steps_and_is_audited(evaluation, client_as):
    client = client_as("process_leader")
    response = client.post(
        reverse("conference:list", args=[evaluation.slug]),
        {
            "title": "Konferanse Sør",
            "site": evaluation.sites.get(name="Sør").pk,
            "date": "2026-05-04",
            "start_time": "09:00",
            "end_time": "15:00",
            "place": "Kulturhuset",
        },
    )
    conference = DialogueConference.objects.get(title="Konferanse Sør")
    assert response.status_code == 302
    assert response["Location"] == url("detail", conference)
    titles = list(conference.agenda_items.order_by("order").values_list("title", flat=True))
    assert titles == [
        "Hovedpunktene fra prosessrapporten",
        "Gruppearbeid om utvalgte tema",
        "Gruppene legger fram i plenum",
        "Oppsummering og evaluering av dagen",
    ]
    assert "conference.create" in audit_actions(evaluation)
    page = client.get(url("detail", conference)).content.decode()
    assert "Kulturhuset" in page and "Gruppearbeid om utvalgte tema" in page


def test_conference_ending_before_it_starts_is_refused(evaluation, client_as):
    response = client_as("process_leader").post(
        reverse("conference:list", args=[evaluation.slug]),
        {"title": "Feil tid", "start_time": "15:00", "end_time": "09:00"},
    )
    assert response.status_code == 200
    assert "Sluttidspunktet må være etter starttidspunktet." in response.content.decode()
    assert not DialogueConference.objects.filter(title="Feil tid").exists()


def test_plan_is_edited_and_the_conference_deleted_after_confirmation(
    evaluation, conference, client_as
):
    client = client_as("process_leader")
    peer = conference.leaders.model.objects.get(username="peer_interviewer")
    response = client.post(
        url("edit", conference),
        {"title": "Nytt navn", "place": "Rådhuset", "leaders": [peer.pk]},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.title == "Nytt navn" and conference.place == "Rådhuset"
    assert [u.username for u in conference.leaders.all()] == ["peer_interviewer"]
    confirm = client.get(url("delete", conference))
    assert "Nytt navn" in confirm.content.decode()
    assert DialogueConference.objects.filter(pk=conference.pk).exists()  # GET deletes nothing
    client.post(url("delete", conference))
    assert not DialogueConference.objects.filter(pk=conference.pk).exists()
    assert audit_actions(evaluation)[-2:] == ["conference.update", "conference.delete"]


def test_agenda_session_ending_before_it_starts_is_refused(conference, client_as):
    before = conference.agenda_items.count()
    response = client_as("process_leader").post(
        url("agenda_add", conference),
        {"title": "Lunsj", "start_time": "12:00", "end_time": "11:30"},
    )
    assert response.status_code == 200
    assert "Sluttidspunktet må være etter starttidspunktet." in response.content.decode()
    assert conference.agenda_items.count() == before


def test_agenda_is_added_reordered_edited_and_deleted(evaluation, conference, client_as):
    client = client_as("process_leader")
    client.post(
        url("agenda_add", conference),
        {"title": "Lunsj", "start_time": "11:30", "end_time": "12:00"},
    )
    lunch = conference.agenda_items.get(title="Lunsj")
    assert lunch.order == 4
    client.post(url("agenda_move", conference, lunch.pk), {"direction": "up"})
    titles = list(conference.agenda_items.order_by("order").values_list("title", flat=True))
    assert titles[3] == "Lunsj"
    client.post(url("agenda_move", conference, lunch.pk), {"direction": "down"})
    assert conference.agenda_items.order_by("order").last().title == "Lunsj"
    client.post(
        url("agenda_edit", conference, lunch.pk),
        {"title": "Lunsj og prat", "start_time": "11:30", "end_time": "12:15"},
    )
    lunch.refresh_from_db()
    assert lunch.title == "Lunsj og prat"
    assert (
        "Lunsj og prat" in client.get(url("agenda_delete", conference, lunch.pk)).content.decode()
    )
    client.post(url("agenda_delete", conference, lunch.pk))
    assert not AgendaItem.objects.filter(pk=lunch.pk).exists()
    done = audit_actions(evaluation)
    for action in ("agenda.add", "agenda.move", "agenda.update", "agenda.delete"):
        assert f"conference.{action}" in done


def test_participants_are_counted_by_role_and_negative_counts_refused(conference, client_as):
    client = client_as("process_leader")
    client.post(url("participants", conference), {"users": "12", "staff": "7", "managers": "2"})
    counts = dict(conference.participant_counts.values_list("role", "count"))
    assert counts == {"users": 12, "staff": 7, "managers": 2}
    response = client.post(url("participants", conference), {"users": "-3", "staff": "8"})
    assert response.status_code == 200
    assert "Et antall deltakere kan ikke være under null." in response.content.decode()
    assert dict(conference.participant_counts.values_list("role", "count")) == counts


def test_negative_count_is_refused_by_the_action_too(conference, leader):
    with pytest.raises(actions.ConferenceError) as refused:
        actions.set_participant_counts(leader, conference.pk, {"users": -1})
    assert refused.value.code == "negative"
    assert not ParticipantCount.objects.filter(conference=conference).exists()


def test_editing_a_conference_another_member_deleted_gives_a_message(
    evaluation, conference, client_as, leader
):
    client = client_as("peer_interviewer")
    actions.delete_conference(leader, conference.pk)
    response = client.post(url("edit", conference), {"title": "Endret"}, follow=True)
    assert response.status_code == 200
    assert "Denne konferansen finnes ikke lenger" in response.content.decode()
    assert not DialogueConference.objects.filter(title="Endret").exists()
    response = client.post(url("participants", conference), {"users": "3"}, follow=True)
    assert "Denne konferansen finnes ikke lenger" in response.content.decode()


def test_editing_an_output_another_member_deleted_gives_a_message(conference, client_as, leader):
    group = actions.save_group(leader, conference.pk, None, {"name": "Gruppe 1"})
    output = actions.save_output(
        leader, conference.pk, group.pk, None, "discussion", "Lang ventetid"
    )
    actions.delete_output(leader, conference.pk, output.pk)
    response = client_as("process_leader").post(
        url("output_edit", conference, group.pk, output.pk),
        {"kind": "discussion", "text": "Endret"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Det du endret finnes ikke lenger" in response.content.decode()
    assert not GroupOutput.objects.filter(text="Endret").exists()


def test_groups_outputs_and_validation_through_the_pages(evaluation, conference, client_as):
    client = client_as("peer_interviewer")
    access = evaluation.themes.get(name="Tilgang")
    client.post(
        url("group_add", conference),
        {
            "name": "Gruppe A",
            "roles": ["users", "staff"],
            "themes": [access.pk],
            "questions": "Hva kjenner dere igjen?\nHva mangler?",
        },
    )
    group = ConferenceGroup.objects.get(conference=conference, name="Gruppe A")
    assert group.roles == ["users", "staff"] and group.question_list() == [
        "Hva kjenner dere igjen?",
        "Hva mangler?",
    ]
    client.post(
        url("output_add", conference, group.pk), {"kind": "measure", "text": "Fast kontaktperson"}
    )
    output = group.outputs.get()
    client.post(
        url("validation_add", conference),
        {"output": output.pk, "code": access.code.pk, "status": "confirmed"},
    )
    response = client.post(
        url("validation_add", conference),
        {"output": "", "code": "", "status": "new", "new_theme": "Transport"},
        follow=True,
    )
    emergent = Code.objects.get(evaluation=evaluation, name="Transport")
    assert emergent.kind == Code.Kind.EMERGENT
    assert "«Transport» er nå et nytt tema i evalueringen." in response.content.decode()
    statuses = set(
        ThemeValidation.objects.filter(conference=conference).values_list("code__name", "status")
    )
    assert statuses == {("Tilgang", "confirmed"), ("Transport", "new")}
    matrix = client.get(reverse("analysis:matrix", args=[evaluation.slug])).content.decode()
    assert "Bekreftet: 1" in matrix and "Nytt tema: 1" in matrix
    done = audit_actions(evaluation)
    for action in ("group.add", "output.add", "validate"):
        assert f"conference.{action}" in done
    assert "analysis.code.create" in done


def test_validation_without_a_theme_is_refused(conference, client_as):
    response = client_as("process_leader").post(
        url("validation_add", conference), {"status": "confirmed"}
    )
    assert response.status_code == 200
    assert not ThemeValidation.objects.exists()


def test_group_is_deleted_after_confirmation(conference, client_as, leader):
    group = actions.save_group(leader, conference.pk, None, {"name": "Gruppe B"})
    client = client_as("process_leader")
    assert "Gruppe B" in client.get(url("group_delete", conference, group.pk)).content.decode()
    client.post(url("group_delete", conference, group.pk))
    assert not ConferenceGroup.objects.filter(pk=group.pk).exists()


def test_transcriber_may_read_but_not_change(conference, client_as):
    client = client_as("transcriber")
    assert client.get(url("detail", conference)).status_code == 200
    assert client.post(url("participants", conference), {"users": "4"}).status_code == 403
    assert not ParticipantCount.objects.exists()


def test_ids_no_database_can_hold_are_refused_plainly(evaluation, conference, client_as):
    huge = "1" + "0" * 30
    client = client_as("process_leader")
    response = client.post(
        reverse("conference:list", args=[evaluation.slug]),
        {"title": "Stor", "site": huge, "leaders": [huge], "process_report": huge},
    )
    assert response.status_code == 200
    assert not DialogueConference.objects.filter(title="Stor").exists()
    response = client.post(url("validation_add", conference), {"code": huge, "status": "confirmed"})
    assert response.status_code == 200
    assert client.get(url("agenda_edit", conference, int(huge)), follow=True).status_code == 200


def test_list_shows_one_sites_conferences_and_those_across_sites(evaluation, leader, client_as):
    north, south = evaluation.sites.order_by("order")
    actions.create_conference(leader, evaluation, {"title": "Konferanse Nord", "site": north})
    actions.create_conference(leader, evaluation, {"title": "Konferanse Sør", "site": south})
    actions.create_conference(leader, evaluation, {"title": "Felles konferanse", "site": None})
    page = (
        client_as("process_leader")
        .get(reverse("conference:list", args=[evaluation.slug]), {"site": north.pk})
        .content.decode()
    )
    assert "Konferanse Nord" in page and "Felles konferanse" in page
    assert "Konferanse Sør" not in page.split("<caption>")[1]
