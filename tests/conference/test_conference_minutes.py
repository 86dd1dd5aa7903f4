"""Minutes (DOCX, PDF, command), their approval, the leak guard, the commissioner, step 7."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.http import Http404
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.conference import actions
from bsbstudio.conference.models import DialogueConference


@pytest.fixture
def leader(evaluation, django_user_model):
    return django_user_model.objects.get(username="process_leader")


@pytest.fixture
def held(evaluation, leader):
    """A held conference for site Nord: two groups with outputs, validation, notes, counts."""
    conference = actions.create_conference(
        leader,
        evaluation,
        {"title": "Dialogkonferanse Nord", "site": evaluation.sites.get(name="Nord")},
    )
    access = evaluation.themes.get(name="Tilgang")
    first = actions.save_group(
        leader,
        conference.pk,
        None,
        {"name": "Gruppe Blå", "roles": ["users"], "themes": [access], "questions": "Hva mangler?"},
    )
    second = actions.save_group(leader, conference.pk, None, {"name": "Gruppe To"})
    said = actions.save_output(
        leader, conference.pk, first.pk, None, "discussion", "Ventetiden er for lang"
    )
    actions.save_output(leader, conference.pk, first.pk, None, "measure", "Fast kontaktperson")
    actions.save_output(leader, conference.pk, second.pk, None, "plenum", "Mer åpne dører")
    actions.add_validation(leader, conference.pk, said.pk, access.code, "confirmed")
    actions.set_participant_counts(leader, conference.pk, {"users": 11, "staff": 6})
    actions.save_notes(leader, conference.pk, "Plenum var enige.", "Dagen bekreftet funnene.")
    conference.refresh_from_db()
    return conference


def url(name, conference, *more):
    return reverse(f"conference:{name}", args=[conference.evaluation.slug, conference.pk, *more])


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_minutes_docx_holds_groups_outputs_validation_and_summary(held, client_as):
    response = client_as("process_leader").get(url("minutes", held, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = docx_text(response.content)
    for expected in (
        "Referat: Dialogkonferanse Nord",
        "Gruppe Blå",
        "Gruppe To",
        "Ventetiden er for lang",
        "Fast kontaktperson",
        "Mer åpne dører",
        "Hva mangler?",
        "Plenum var enige.",
        "Dagen bekreftet funnene.",
        "Bekreftet",
        "Hovedpunktene fra prosessrapporten",
        "Utkast: referatet er ikke godkjent ennå.",
    ):
        assert expected in text, expected
    assert "17" in text  # participants in all
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == "conference.minutes.export" and last.detail["format"] == "docx"


def test_minutes_pdf_starts_with_the_pdf_marker_and_has_pages(held, client_as):
    response = client_as("process_leader").get(url("minutes", held, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", response.content)) >= 1


def test_unknown_minutes_format_is_not_found(held, client_as):
    assert client_as("process_leader").get(url("minutes", held, "odt")).status_code == 404


def test_leak_guard_blocks_minutes_with_an_unreviewed_phone_number(held, client_as, leader):
    group = held.groups.get(name="Gruppe To")
    actions.save_output(
        leader, held.pk, group.pk, None, "discussion", "Ring meg på 41 22 87 56 om dere lurer"
    )
    client = client_as("process_leader")
    response = client.get(url("minutes", held, "docx"))
    assert response.status_code == 302
    assert response["Location"] == url("review", held)
    assert not AuditEvent.objects.filter(action="conference.minutes.export").exists()
    review = client.get(url("review", held)).content.decode()
    assert "41 22 87 56" in review
    with pytest.raises(actions.ConferenceError) as refused:
        actions.approve_minutes(leader, held.pk)
    assert refused.value.code == "findings"
    client.post(url("review", held), {"confirm": "yes"})
    assert client.get(url("minutes", held, "docx")).status_code == 200


def test_the_command_writes_the_same_minutes_as_the_page(held, client_as, tmp_path, capsys):
    page = client_as("process_leader").get(url("minutes", held, "docx")).content
    out = tmp_path / "referat.docx"
    assert main(["conference", "minutes", held.evaluation.slug, "1", "--out", str(out)]) == 0
    assert docx_text(out.read_bytes()) == docx_text(page)
    assert AuditEvent.objects.filter(
        action="conference.minutes.export", detail__via="command"
    ).exists()
    assert main(["conference", "minutes", held.evaluation.slug, "2", "--out", str(out)]) == 1
    assert "1 conference(s)" in capsys.readouterr().err
    pdf = tmp_path / "referat.pdf"
    assert main(["conference", "minutes", held.evaluation.slug, "1", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_only_the_process_leader_approves_and_a_later_change_unapproves(held, client_as):
    assert client_as("peer_interviewer").post(url("approve", held)).status_code == 403
    client = client_as("process_leader")
    client.post(url("approve", held))
    held.refresh_from_db()
    assert held.minutes_approved and held.minutes_approved_by.username == "process_leader"
    text = docx_text(client.get(url("minutes", held, "docx")).content)
    assert "Godkjent av process_leader" in text
    group = held.groups.get(name="Gruppe Blå")
    client.post(url("output_add", held, group.pk), {"kind": "plenum", "text": "Nytt punkt"})
    held.refresh_from_db()
    assert not held.minutes_approved
    actions_done = list(
        AuditEvent.objects.filter(evaluation=held.evaluation)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_done[-3:] == [
        "conference.minutes.export",
        "conference.output.add",
        "conference.minutes.reopen",
    ]
    assert "conference.minutes.approve" in actions_done


def test_commissioner_sees_nothing_before_approval_and_the_minutes_after(held, client_as, leader):
    client = client_as("commissioner")
    listing = client.get(reverse("conference:list", args=[held.evaluation.slug]))
    assert "Dialogkonferanse Nord" not in listing.content.decode()
    assert client.get(url("detail", held)).status_code == 404
    assert client.get(url("minutes", held, "docx")).status_code == 404
    with pytest.raises(Http404):
        actions.export_minutes(
            held.evaluation.memberships.get(role="commissioner").user, held, "docx"
        )
    actions.approve_minutes(leader, held.pk)
    listing = client.get(reverse("conference:list", args=[held.evaluation.slug])).content.decode()
    assert "Dialogkonferanse Nord" in listing
    page = client.get(url("detail", held)).content.decode()
    assert "Dagen bekreftet funnene." in page and "Ventetiden er for lang" in page
    assert url("edit", held) not in page  # nothing to change
    minutes = client.get(url("minutes", held, "docx"))
    assert minutes.status_code == 200
    assert "Ventetiden er for lang" in docx_text(minutes.content)
    assert client.post(url("participants", held), {"users": "1"}).status_code == 403


def _conference_step(client, evaluation):
    dashboard = client.get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    return next(s for s in dashboard.context["steps"] if s["key"] == "conference")


def test_step_seven_is_done_only_when_every_site_has_approved_minutes(
    evaluation, held, leader, client_as
):
    client = client_as("process_leader")
    step = _conference_step(client, evaluation)
    assert step["state"] == "in_progress"
    assert "0 av 2 steder" in step["description"]
    actions.approve_minutes(leader, held.pk)
    step = _conference_step(client, evaluation)
    assert step["state"] == "in_progress"
    assert "1 av 2 steder har holdt en konferanse med godkjent referat." in step["description"]
    south = actions.create_conference(
        leader, evaluation, {"title": "Sør", "site": evaluation.sites.get(name="Sør")}
    )
    assert _conference_step(client, evaluation)["state"] == "in_progress"
    actions.approve_minutes(leader, south.pk)
    assert _conference_step(client, evaluation)["state"] == "done"


def test_one_approved_conference_across_all_sites_counts_for_every_site(
    evaluation, leader, client_as
):
    across = actions.create_conference(leader, evaluation, {"title": "Felles", "site": None})
    client = client_as("process_leader")
    assert _conference_step(client, evaluation)["state"] == "in_progress"
    actions.approve_minutes(leader, across.pk)
    assert _conference_step(client, evaluation)["state"] == "done"
    assert DialogueConference.objects.get(pk=across.pk).number == 1


def test_minutes_pdf_survives_a_very_long_session_text_and_odd_characters(held, leader, client_as):
    actions.save_agenda_item(
        leader,
        held.pk,
        None,
        {"title": "Lang økt \x07 😀", "description": "Mye å si. " * 2000},
    )
    response = client_as("process_leader").get(url("minutes", held, "pdf"))
    assert response.status_code == 200
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", response.content)) > 3
