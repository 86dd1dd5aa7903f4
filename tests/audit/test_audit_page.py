"""The process leader's audit page: filters, plain words, pages, and an audited CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.evaluations.models import Evaluation


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


@pytest.fixture
def logged(evaluation, django_user_model):
    """A few known entries in the evaluation (after the fixture's own signatures)."""
    kari = django_user_model.objects.get(username="peer_interviewer")
    kari.first_name, kari.last_name = "Kari", "Intervjuer"
    kari.save()
    transcriber = django_user_model.objects.get(username="transcriber")
    site = evaluation.sites.order_by("order").first()
    record(kari, "transcript.raw.view", site, evaluation, page="transcripts.raw")
    record(transcriber, "recording.play", None, evaluation)
    record(kari, "custom.unknown_code", None, evaluation, count=2)
    elsewhere = Evaluation.objects.create(name="Annen", slug="annen")
    record(kari, "plan.save", elsewhere, elsewhere, secret_elsewhere=True)
    return {"kari": kari, "transcriber": transcriber}


def _url(evaluation, name="evaluations:audit"):
    return reverse(name, args=[evaluation.slug])


def test_the_page_shows_the_evaluations_entries_newest_first_in_plain_words(
    evaluation, leader, logged
):
    html = leader.get(_url(evaluation)).content.decode()
    assert "Leste en råtranskripsjon" in html
    assert "Lyttet til et lydopptak" in html
    assert "custom.unknown_code" in html  # no words for it yet: shown as it is
    assert "Kari Intervjuer (peer_interviewer)" in html
    assert "secret_elsewhere" not in html  # another evaluation's log
    table = html[html.index("<tbody>") :]
    assert table.index("custom.unknown_code") < table.index("Lyttet til et lydopptak")
    assert table.index("Lyttet til et lydopptak") < table.index("Leste en råtranskripsjon")


def test_filters_by_person_action_and_object(evaluation, leader, logged):
    kari = logged["kari"]
    response = leader.get(_url(evaluation), {"person": str(kari.pk)})
    rows = list(response.context["page"])
    assert {e.action for e in rows} == {
        "declaration.sign",  # the evaluation fixture signs for every member
        "transcript.raw.view",
        "custom.unknown_code",
    }
    response = leader.get(_url(evaluation), {"action": "recording.play"})
    assert [e.action for e in response.context["page"]] == ["recording.play"]
    response = leader.get(_url(evaluation), {"object_type": "evaluations.site"})
    assert [e.action for e in response.context["page"]] == ["transcript.raw.view"]
    html = response.content.decode()
    assert '<label for="id_person">' in html and '<label for="id_date_from">' in html
    person = response.context["form"].fields["person"]
    assert dict(person.choices)[str(kari.pk)] == "Kari Intervjuer (peer_interviewer)"  # latest


def test_filters_by_days(evaluation, leader, logged):
    today = timezone.localdate()
    response = leader.get(_url(evaluation), {"date_from": today.isoformat()})
    assert (
        len(response.context["page"])
        == AuditEvent.objects.filter(evaluation_key=evaluation.pk).count()
    )
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = leader.get(_url(evaluation), {"date_from": tomorrow})
    assert list(response.context["page"]) == []
    assert "Ingen oppføringer passer." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"person": "abc"},
        {"person": "9" * 40},
        {"action": "x" * 5000},
        {"date_from": "not a date"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"page": "9" * 300},
        {"page": "-1"},
    ],
)
def test_bad_filters_give_a_message_not_an_error(evaluation, leader, logged, params):
    response = leader.get(_url(evaluation), params)
    assert response.status_code == 200
    if "page" not in params:
        assert 'role="alert"' in response.content.decode()


def test_pages_of_fifty_keep_the_filter(evaluation, leader, logged):
    for i in range(55):
        record(logged["kari"], "recording.play", None, evaluation, i=i)
    response = leader.get(_url(evaluation), {"action": "recording.play"})
    page = response.context["page"]
    assert len(page) == 50 and page.paginator.count == 56
    html = response.content.decode()
    assert "action=recording.play&amp;page=2" in html
    second = leader.get(_url(evaluation), {"action": "recording.play", "page": 2})
    assert len(second.context["page"]) == 6
    assert second.context["page"][-1].detail == {}  # the oldest, from the fixture


def test_csv_export_holds_the_filtered_entries_and_is_audited(evaluation, leader, logged):
    kari = logged["kari"]
    response = leader.get(_url(evaluation, "evaluations:audit_csv"), {"person": str(kari.pk)})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Nummer", "Tid", "Person"]
    body = rows[1:]
    assert sorted(r[3] for r in body) == [
        "custom.unknown_code",
        "declaration.sign",
        "transcript.raw.view",
    ]
    # Each entry keeps the label of its time: she signed before her name was filled in.
    assert {r[2] for r in body} == {"peer_interviewer", "Kari Intervjuer (peer_interviewer)"}
    raw_view = next(r for r in body if r[3] == "transcript.raw.view")
    assert raw_view[4] == "Leste en råtranskripsjon"
    assert raw_view[7] == '{"page":"transcripts.raw"}'
    export = AuditEvent.objects.get(action="audit.export")
    assert export.evaluation == evaluation
    assert export.detail == {"person": str(kari.pk)}
    assert export.user.username == "process_leader"


def test_csv_cells_never_start_a_formula(evaluation, leader, make_user):
    hostile = make_user("hostile", first_name='=HYPERLINK("http://x")')
    record(hostile, "recording.play", None, evaluation)
    text = b"".join(leader.get(_url(evaluation, "evaluations:audit_csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    assert '\'=HYPERLINK("http://x") (hostile)' in cells


def test_the_team_page_links_the_log_for_the_process_leader_only(evaluation, client_as):
    link = _url(evaluation)
    team = reverse("evaluations:team", args=[evaluation.slug])
    assert link in client_as("process_leader").get(team).content.decode()
    assert link not in client_as("peer_interviewer").get(team).content.decode()
