"""A conference group's proposed measure becomes a measure, linked to where it came from."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.conference.models import ConferenceGroup, DialogueConference, GroupOutput

from .conftest import url


@pytest.fixture
def proposal(evaluation):
    conference = DialogueConference.objects.create(
        evaluation=evaluation, title="Dialogkonferanse Nord", site=evaluation.sites.get(name="Nord")
    )
    group = ConferenceGroup.objects.create(conference=conference, name="Gruppe 1")
    group.themes.set([evaluation.themes.get(name="Tilgang")])
    return GroupOutput.objects.create(
        group=group, kind=GroupOutput.Kind.MEASURE, text="Svar på henvisning innen to uker"
    )


def test_proposal_prefills_and_makes_a_linked_measure(evaluation, as_user, proposal):
    client = as_user("process_leader")
    page = url("followup:from_output", evaluation, proposal.pk)
    form = client.get(page).context["form"]
    assert form.initial["text"] == "Svar på henvisning innen to uker"
    assert form.initial["site"] == evaluation.sites.get(name="Nord").pk
    response = client.post(
        page,
        {
            "text": proposal.text,
            "site": form.initial["site"],
            "themes": form.initial["themes"],
            "status": "proposed",
        },
    )
    measure = evaluation.measures.get()
    assert response.status_code == 302 and measure.source_output == proposal
    assert [t.name for t in measure.themes.all()] == ["Tilgang"]
    event = AuditEvent.objects.get(action="measure.create")
    assert event.detail["source_output"] == proposal.pk
    detail = client.get(url("followup:detail", evaluation, measure.pk)).content.decode()
    assert "Gruppe 1" in detail
    commissioner = as_user("commissioner").get(url("followup:detail", evaluation, measure.pk))
    assert "Gruppe 1" not in commissioner.content.decode()  # group outputs stay with the team


def test_other_outputs_are_not_found(evaluation, as_user, proposal):
    proposal.kind = GroupOutput.Kind.DISCUSSION
    proposal.save()
    client = as_user("process_leader")
    assert client.get(url("followup:from_output", evaluation, proposal.pk)).status_code == 404
    assert (
        client.post(url("followup:from_output", evaluation, 99999), {"text": "x"}).status_code
        == 404
    )
    assert not evaluation.measures.exists()


def test_the_conference_page_links_a_proposal_to_a_new_measure(evaluation, as_user, proposal):
    link = url("followup:from_output", evaluation, proposal.pk)
    conference = proposal.group.conference
    html = (
        as_user("process_leader")
        .get(url("conference:detail", evaluation, conference.pk))
        .content.decode()
    )
    assert link in html
    proposal.kind = GroupOutput.Kind.DISCUSSION
    proposal.save()
    html = (
        as_user("process_leader")
        .get(url("conference:detail", evaluation, conference.pk))
        .content.decode()
    )
    assert link not in html
