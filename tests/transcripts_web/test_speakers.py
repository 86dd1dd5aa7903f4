"""Saying who each speaker is: links on raw and de-identified turns, never the text."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from bsbstudio.accounts.models import AuditEvent, Membership
from bsbstudio.fieldwork.models import Informant, Interview, Participation
from bsbstudio.transcripts import actions, speakers
from bsbstudio.transcripts.models import SpeakerTurn

from .conftest import messages_of, upload, url


def field_for(transcript, label) -> str:
    index = next(i.index for i in speakers.speaker_labels(transcript) if i.label == label)
    return f"speaker_{index}"


def test_page_lists_each_label_with_turns_and_words(evaluation, leader, named):
    response = leader.get(url("transcripts:speakers", evaluation, named.pk))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {info.label: field.value() for info, field, _shown in response.context["rows"]}
    assert list(rows) == ["I", "Kari", "D2"]
    assert rows["I"] == "interviewer"
    assert rows["Kari"] == ""
    kari = next(info for info, _f, _s in response.context["rows"] if info.label == "Kari")
    assert (kari.turns, kari.words, kari.looks_like_name) == (2, 14, True)
    assert "May be a real name" in html
    assert "B-01 · D1 · Brukere" in html
    assert "Interviewer / moderator" in html
    assert AuditEvent.objects.filter(
        action="transcript.raw.view", detail__page="transcripts.speakers"
    ).exists()


def test_mapping_updates_raw_and_deidentified_turns_but_not_the_text(
    evaluation, interview, leader, named, deidentify
):
    deidentified = deidentify(named)
    raw_before, deid_before = named.raw_text, deidentified.text
    offsets_before = list(
        SpeakerTurn.objects.order_by("pk").values_list("pk", "start", "end", "speaker_code")
    )
    b1 = interview.participations.get(speaker_code="D1")
    response = leader.post(
        url("transcripts:speakers", evaluation, named.pk),
        {field_for(named, "Kari"): f"p{b1.pk}", field_for(named, "I"): "interviewer"},
        follow=True,
    )
    assert response.status_code == 200
    raw_kari = named.turns.filter(speaker_code="Kari")
    assert {t.participation_id for t in raw_kari} == {b1.pk}
    orders = [t.order for t in raw_kari]
    deid_turns = deidentified.turns.filter(order__in=orders)
    assert deid_turns.count() == 2
    assert {t.participation_id for t in deid_turns} == {b1.pk}
    named.refresh_from_db()
    deidentified.refresh_from_db()
    assert (named.raw_text, deidentified.text) == (raw_before, deid_before)
    assert list(
        SpeakerTurn.objects.order_by("pk").values_list("pk", "start", "end", "speaker_code")
    ) == (offsets_before)
    event = AuditEvent.objects.filter(action="transcript.speakers").first()
    assert event.detail["participants"] == {"1": "B-01", "2": "A-01"}
    assert "Kari" not in str(event.detail), "the audit log never holds a label that may be a name"


def test_unknown_and_interviewer_are_remembered(evaluation, leader, named):
    leader.post(
        url("transcripts:speakers", evaluation, named.pk),
        {field_for(named, "Kari"): "unknown", field_for(named, "I"): "interviewer"},
    )
    labels = {i.label: i.role for i in speakers.speaker_labels(named)}
    assert labels == {"I": "interviewer", "Kari": "unknown", "D2": "participant"}
    assert not named.turns.filter(speaker_code="Kari", participation__isnull=False).exists()


def test_remapping_a_participant_to_unknown_unlinks_the_turns(
    evaluation, interview, leader, imported
):
    leader.post(
        url("transcripts:speakers", evaluation, imported.pk),
        {field_for(imported, "D2"): "unknown"},
    )
    assert not imported.turns.filter(speaker_code="D2", participation__isnull=False).exists()
    response = leader.get(url("transcripts:speakers", evaluation, imported.pk))
    rows = {info.label: field.value() for info, field, _s in response.context["rows"]}
    assert rows["D2"] == "unknown"


def test_mapping_to_another_interviews_participant_is_refused(evaluation, interview, leader, named):
    other = Interview.objects.create(evaluation=evaluation, code="FG2", kind="focus_group")
    stranger = Informant.objects.create(
        evaluation=evaluation, code="B-09", group=evaluation.informant_groups.first()
    )
    foreign = Participation.objects.create(interview=other, informant=stranger, speaker_code="D1")
    response = leader.post(
        url("transcripts:speakers", evaluation, named.pk),
        {field_for(named, "Kari"): f"p{foreign.pk}"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert messages_of(response)
    assert not named.turns.filter(participation=foreign).exists()


def test_the_action_refuses_another_interviews_participant(
    evaluation, interview, named, django_user_model
):
    other = Interview.objects.create(evaluation=evaluation, code="FG2", kind="focus_group")
    stranger = Informant.objects.create(
        evaluation=evaluation, code="B-09", group=evaluation.informant_groups.first()
    )
    foreign = Participation.objects.create(interview=other, informant=stranger, speaker_code="D1")
    leader = django_user_model.objects.get(username="process_leader")
    with pytest.raises(actions.SpeakerMappingError) as error:
        actions.map_speakers(leader, named, {"Kari": foreign})
    assert error.value.code == "other_interview"
    with pytest.raises(actions.SpeakerMappingError):
        actions.map_speakers(leader, named, {"Nobody": "unknown"})
    with pytest.raises(actions.SpeakerMappingError):
        actions.map_speakers(leader, named, {"Kari": "boss"})
    assert not named.turns.filter(participation=foreign).exists()


def test_the_action_checks_permission(evaluation, named, django_user_model):
    commissioner = django_user_model.objects.get(username="commissioner")
    with pytest.raises(PermissionDenied):
        actions.map_speakers(commissioner, named, {"Kari": "unknown"})


def test_save_and_review_goes_to_the_deid_review(evaluation, leader, named):
    response = leader.post(
        url("transcripts:speakers", evaluation, named.pk),
        {field_for(named, "Kari"): "unknown", "review": "1"},
    )
    assert response["Location"] == url("deid:review", evaluation, named.pk)


def test_a_label_that_is_a_name_never_reaches_the_deidentified_text(
    evaluation, interview, leader, named, deidentify
):
    b1 = interview.participations.get(speaker_code="D1")
    leader.post(
        url("transcripts:speakers", evaluation, named.pk), {field_for(named, "Kari"): f"p{b1.pk}"}
    )
    deidentified = deidentify(named)
    assert "Kari" not in deidentified.text
    turns = list(deidentified.turns.all())
    assert [t.speaker_code for t in turns] == ["I", "D1", "D2", "D1"]
    lines = deidentified.text.split("\n")
    for turn, line in zip(turns, lines, strict=True):
        assert line == f"{turn.speaker_code}: {deidentified.text[turn.start : turn.end]}"
    html = leader.get(url("transcripts:text", evaluation, deidentified.pk)).content.decode()
    assert "Kari" not in html
    assert (
        "Kari" not in leader.get(url("analysis:text", evaluation, deidentified.pk)).content.decode()
    )


def test_an_unmapped_name_label_becomes_a_numbered_speaker(evaluation, named, deidentify):
    deidentified = deidentify(named)
    assert "Kari" not in deidentified.text
    assert deidentified.text.split("\n")[1].startswith("Taler 1: Jeg har ventet")
    assert set(deidentified.turns.values_list("speaker_code", flat=True)) == {
        "I",
        "Taler 1",
        "D2",
    }


def test_an_interviewer_called_by_name_becomes_intervjuer(evaluation, interview, leader):
    upload(leader, evaluation, interview, text="Ole: Velkommen.\nD1: Takk.\n")
    transcript = interview.transcripts.get()
    leader.post(
        url("transcripts:speakers", evaluation, transcript.pk),
        {field_for(transcript, "Ole"): "interviewer"},
    )
    leader.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    text = transcript.deidentified_texts.get().text
    assert text.startswith("Intervjuer: ")
    assert "Ole" not in text


def test_speakers_page_needs_the_signed_declaration(evaluation, named, make_user, verified_client):
    user = make_user("newcomer")
    Membership.objects.create(evaluation=evaluation, user=user, role="process_leader")
    client = verified_client(user)
    response = client.get(url("transcripts:speakers", evaluation, named.pk))
    assert response.status_code == 302
    assert url("evaluations:declaration", evaluation) in response["Location"]
    response = client.post(
        url("transcripts:speakers", evaluation, named.pk), {field_for(named, "Kari"): "unknown"}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="transcript.speakers", user=user).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("process_leader", 200),
        ("peer_interviewer", 200),
        ("transcriber", 200),
        ("commissioner", 403),
        ("outsider", 404),
    ],
)
def test_speakers_page_by_role(evaluation, named, client_as, role, status):
    assert client_as(role).get(url("transcripts:speakers", evaluation, named.pk)).status_code == (
        status
    )
