"""Deleting an output or a validation link: a confirmation page, then the audited deletion."""

from __future__ import annotations

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.conference import actions
from bsbstudio.conference.models import GroupOutput, ThemeValidation

from . import test_conference_pages as pages

# Fixtures shared with the conference page tests.
conference, leader, url = pages.conference, pages.leader, pages.url


def test_an_output_and_its_validation_are_deleted_after_confirmation(
    evaluation,
    conference,
    leader,
    client_as,
):
    group = actions.save_group(leader, conference.pk, None, {"name": "Gruppe B"})
    output = actions.save_output(leader, conference.pk, group.pk, None, "discussion", "Lang kø")
    code = evaluation.themes.get(name="Tilgang").code
    validation = actions.add_validation(leader, conference.pk, output.pk, code, "confirmed")
    client = client_as("process_leader")

    page = client.get(url("validation_delete", conference, validation.pk)).content.decode()
    assert "Tilgang" in page and "Bekreftet" in page
    response = client.post(url("validation_delete", conference, validation.pk))
    assert response["Location"].endswith("#validation")
    assert not ThemeValidation.objects.filter(pk=validation.pk).exists()

    page = client.get(url("output_delete", conference, group.pk, output.pk)).content.decode()
    assert "Lang kø" in page
    response = client.post(url("output_delete", conference, group.pk, output.pk))
    assert response["Location"].endswith(f"#group-{group.pk}")
    assert not GroupOutput.objects.filter(pk=output.pk).exists()
    done = AuditEvent.objects.filter(
        action__in=["conference.validate.delete", "conference.output.delete"]
    )
    assert sorted(done.values_list("action", flat=True)) == [
        "conference.output.delete",
        "conference.validate.delete",
    ]
    assert done.get(action="conference.output.delete").detail["kind"] == "discussion"


def test_deleting_an_output_that_is_gone_gives_a_message(conference, leader, client_as):
    group = actions.save_group(leader, conference.pk, None, {"name": "Gruppe B"})
    response = client_as("process_leader").post(
        url("output_delete", conference, group.pk, 999999), follow=True
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="conference.output.delete").exists()
