"""The evaluation form on a phone: public answers, anonymity, the flood limit, links, results."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.conference import feedback
from bsbstudio.conference.models import DialogueConference, FeedbackAnswer, FeedbackLink

VALID = {
    "usefulness": "4",
    "said_what_wanted": "partly",
    "role": "users",
    "missing": "",
    "other": "",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    # The flood counter lives in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def conference(evaluation):
    return DialogueConference.objects.create(
        evaluation=evaluation, title="Dialogkonferanse Nord", date=timezone.localdate()
    )


@pytest.fixture
def link(conference, django_user_model):
    leader = django_user_model.objects.get(username="process_leader")
    return feedback.open_link(leader, conference)


def answer_url(link_or_token) -> str:
    token = getattr(link_or_token, "token", link_or_token)
    return reverse("feedback:answer", args=[token])


def post_answer(link, data=None, address="203.0.113.7", client=None):
    return (client or Client()).post(answer_url(link), data or VALID, REMOTE_ADDR=address)


def team_url(name, conference, *extra):
    return reverse(f"conference:{name}", args=[conference.evaluation.slug, conference.pk, *extra])


# --- Answering --------------------------------------------------------------------------------


def test_an_answer_through_the_public_address_is_saved_with_the_day_only(link, conference):
    response = post_answer(link, {**VALID, "missing": "Mer tid i gruppene"})
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thanks", args=[link.token])
    answer = FeedbackAnswer.objects.get()
    assert answer.conference == conference
    assert answer.answered_on == timezone.localdate()
    assert (answer.usefulness, answer.said_what_wanted, answer.role) == (4, "partly", "users")
    assert answer.missing == "Mer tid i gruppene"
    thanks = Client().get(response["Location"])
    assert thanks.status_code == 200
    assert "Takk for svaret" in thanks.content.decode()


def test_the_form_works_for_an_anonymous_phone_with_csrf_checks_and_no_session(link):
    phone = Client(enforce_csrf_checks=True)
    page = phone.get(answer_url(link))
    html = page.content.decode()
    assert page.status_code == 200
    assert "sessionid" not in page.cookies
    assert "no-store" in page["Cache-Control"]
    assert "<fieldset" in html and "<legend>" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = phone.post(answer_url(link), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert FeedbackAnswer.objects.count() == 1


def test_an_answer_keeps_no_trace_of_who_sent_it():
    fields = {field.name for field in FeedbackAnswer._meta.get_fields()}
    assert fields == {
        "id",
        "conference",
        "answered_on",
        "usefulness",
        "said_what_wanted",
        "missing",
        "other",
        "role",
    }
    answered_on = FeedbackAnswer._meta.get_field("answered_on")
    assert type(answered_on).__name__ == "DateField"


def test_an_answer_writes_nothing_of_the_client_to_the_audit_log_or_cache_keys(link):
    before = AuditEvent.objects.count()
    post_answer(link, address="198.51.100.23", client=Client(HTTP_USER_AGENT="PhoneBrowser/9.9"))
    assert FeedbackAnswer.objects.count() == 1
    assert AuditEvent.objects.count() == before  # no entry per answer at all
    logged = " ".join(str(event.detail) for event in AuditEvent.objects.all())
    assert "198.51.100.23" not in logged and "PhoneBrowser" not in logged
    assert "198.51.100.23" not in feedback._rate_key("198.51.100.23")


@pytest.mark.parametrize("state", ["closed", "expired", "unknown"])
def test_a_closed_expired_or_unknown_link_answers_politely_and_saves_nothing(link, state):
    if state == "closed":
        FeedbackLink.objects.filter(pk=link.pk).update(closed=True)
    elif state == "expired":
        FeedbackLink.objects.filter(pk=link.pk).update(
            valid_until=timezone.now() - datetime.timedelta(minutes=1)
        )
    target = "x" * 32 if state == "unknown" else link
    expected = 404 if state == "unknown" else 410
    for response in (Client().get(answer_url(target)), post_answer(target)):
        assert response.status_code == expected
        html = response.content.decode()
        assert "Skjemaet er stengt" in html
        assert "Ingenting ble lagret" in html
    assert FeedbackAnswer.objects.count() == 0


def test_a_link_closed_while_the_form_was_open_saves_nothing(link):
    data = feedback.open_link_for(link.token, timezone.now())
    FeedbackLink.objects.filter(pk=link.pk).update(closed=True)
    with pytest.raises(feedback.FormClosed):
        feedback.save_answer(data, {**VALID, "usefulness": 4})
    assert FeedbackAnswer.objects.count() == 0


def test_a_conference_deleted_while_the_form_was_open_saves_nothing(link, conference):
    data = feedback.open_link_for(link.token, timezone.now())
    conference.delete()
    with pytest.raises(feedback.FormClosed):
        feedback.save_answer(data, {**VALID, "usefulness": 4})
    assert FeedbackAnswer.objects.count() == 0


def test_a_flood_from_one_client_gets_429_and_nothing_more_is_saved(link, settings):
    settings.BSB_FEEDBACK_RATE = (3, 600)
    for _ in range(3):
        assert post_answer(link).status_code == 302
    for _ in range(5):
        response = post_answer(link)
        assert response.status_code == 429
        assert "ble ikke lagret" in response.content.decode()
    assert FeedbackAnswer.objects.count() == 3
    # Another client is not held back by the first one.
    assert post_answer(link, address="192.0.2.99").status_code == 302
    assert FeedbackAnswer.objects.count() == 4


@pytest.mark.parametrize("usefulness", ["0", "6", str(10**30), "abc", "", "4.5", "-1"])
def test_a_usefulness_outside_1_to_5_is_refused_with_a_message(link, usefulness):
    response = post_answer(link, {**VALID, "usefulness": usefulness})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg et tall fra 1 til 5" in html
    assert 'id="id_usefulness_error"' in html and 'aria-describedby="id_usefulness_error"' in html
    assert 'href="#id_usefulness_0"' in html  # the summary at the top links to the field
    assert FeedbackAnswer.objects.count() == 0


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("said_what_wanted", "maybe", "Velg ja, delvis eller nei"),
        ("role", "boss", "Velg hvilken rolle du er her i"),
        ("missing", "x" * 1001, "Skriv høyst 1000 tegn"),
        ("other", "y" * 5000, "Skriv høyst 1000 tegn"),
    ],
)
def test_other_bad_answers_are_refused_with_a_message(link, field, value, message):
    response = post_answer(link, {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert FeedbackAnswer.objects.count() == 0


def test_control_characters_are_taken_out_of_free_text(link):
    post_answer(link, {**VALID, "other": "Bra\x00 dag\x07"})
    # A NUL character is refused by Django outright; a bell without NUL is stripped.
    post_answer(link, {**VALID, "other": "Bra dag\x07"})
    assert list(FeedbackAnswer.objects.values_list("other", flat=True)) == ["Bra dag"]


# --- Links ------------------------------------------------------------------------------------


def test_a_new_link_is_random_and_open_until_two_days_after_the_conference(link, conference):
    assert len(link.token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", link.token)
    assert feedback.last_day(link) == conference.date + datetime.timedelta(days=2)
    assert link.is_open(timezone.now())
    event = AuditEvent.objects.filter(action="conference.feedback_link.open").get()
    assert link.token not in str(event.detail)


def test_the_link_page_shows_the_address_and_a_qr_code(link, conference, client_as):
    response = client_as("process_leader").get(team_url("feedback", conference))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"http://testserver/f/{link.token}/" in html
    assert "<svg" in html and 'class="qr-code"' in html
    show = client_as("peer_interviewer").get(team_url("feedback_show", conference, link.pk))
    assert "<svg" in show.content.decode() and link.token in show.content.decode()
    png = client_as("process_leader").get(team_url("feedback_png", conference, link.pk))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_process_leader_opens_changes_and_closes_a_link(conference, client_as):
    client = client_as("process_leader")
    day = timezone.localdate() + datetime.timedelta(days=5)
    client.post(team_url("feedback_open", conference), {"last_day": day.isoformat()})
    link = FeedbackLink.objects.get()
    assert feedback.last_day(link) == day
    later = day + datetime.timedelta(days=3)
    client.post(
        team_url("feedback_change", conference, link.pk), {f"link{link.pk}-last_day": later}
    )
    link.refresh_from_db()
    assert feedback.last_day(link) == later
    client.post(team_url("feedback_close", conference, link.pk))
    link.refresh_from_db()
    assert link.closed
    actions = list(
        AuditEvent.objects.filter(action__startswith="conference.feedback_link")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "conference.feedback_link.open",
        "conference.feedback_link.change",
        "conference.feedback_link.close",
    ]


@pytest.mark.parametrize("last_day", ["2001-01-01", "not a date", "", "9999-12-31"])
def test_a_bad_last_day_is_refused_with_a_message(conference, client_as, last_day):
    client = client_as("process_leader")
    response = client.post(
        team_url("feedback_open", conference), {"last_day": last_day}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert any(
        text in html
        for text in ("kan ikke være før i dag", "Skriv datoen", "Velg siste dag", "høyst 60 dager")
    )
    assert FeedbackLink.objects.count() == 0


@pytest.mark.parametrize(
    "username,status",
    [("peer_interviewer", 403), ("transcriber", 403), ("commissioner", 403), ("outsider", 404)],
)
def test_only_the_process_leader_opens_or_closes_links(
    conference, link, client_as, username, status
):
    client = client_as(username)
    assert (
        client.post(team_url("feedback_open", conference), {"last_day": ""}).status_code == status
    )
    assert client.post(team_url("feedback_close", conference, link.pk)).status_code == status
    assert FeedbackLink.objects.count() == 1
    link.refresh_from_db()
    assert not link.closed


def test_a_link_of_another_conference_is_not_found(conference, link, evaluation, client_as):
    other = DialogueConference.objects.create(evaluation=evaluation, title="Sør")
    response = client_as("process_leader").post(team_url("feedback_close", other, link.pk))
    assert response.status_code == 404
    link.refresh_from_db()
    assert not link.closed


# --- Results ----------------------------------------------------------------------------------


def _answers(conference):
    today = timezone.localdate()
    rows = [
        (5, "yes", "users", "", "Fin dag"),
        (4, "yes", "staff", "Mer tid", ""),
        (2, "no", "users", "", ""),
        (4, "partly", "relatives", "", '=HYPERLINK("http://x")'),
    ]
    for usefulness, said, role, missing, other in rows:
        FeedbackAnswer.objects.create(
            conference=conference,
            answered_on=today,
            usefulness=usefulness,
            said_what_wanted=said,
            role=role,
            missing=missing,
            other=other,
        )


def test_the_summary_counts_each_option_and_averages_the_scale(conference):
    _answers(conference)
    usefulness, said, role = feedback.summarise(conference)
    assert usefulness.count == 4
    assert usefulness.average == 3.75
    assert [o.count for o in usefulness.options] == [0, 1, 0, 2, 1]
    assert [(o.value, o.count) for o in said.options] == [("yes", 2), ("partly", 1), ("no", 1)]
    assert said.options[0].share == 0.5
    assert {o.value: o.count for o in role.options} == {
        "users": 2,
        "relatives": 1,
        "staff": 1,
        "managers": 0,
        "others": 0,
    }


def test_an_empty_summary_has_no_average_and_no_division_by_zero(conference, client_as):
    usefulness, *_ = feedback.summarise(conference)
    assert usefulness.count == 0 and usefulness.average is None
    response = client_as("process_leader").get(team_url("feedback_results", conference))
    assert response.status_code == 200


def test_the_results_page_shows_chart_table_and_free_text_to_the_team(conference, client_as):
    _answers(conference)
    html = (
        client_as("peer_interviewer").get(team_url("feedback_results", conference)).content.decode()
    )
    assert "<svg" in html and "<table" in html
    assert "Gjennomsnitt: 3,8 av 5" in html
    assert "Mer tid" in html and "Fin dag" in html


def test_free_text_has_direct_identifiers_masked(conference, client_as):
    FeedbackAnswer.objects.create(
        conference=conference,
        answered_on=timezone.localdate(),
        usefulness=3,
        said_what_wanted="yes",
        role="users",
        other="Ring meg på 41 22 87 56 etterpå",
    )
    html = (
        client_as("process_leader").get(team_url("feedback_results", conference)).content.decode()
    )
    assert "41 22 87 56" not in html
    assert "Ring meg på […] etterpå" in html


def test_a_commissioner_sees_numbers_only_and_only_after_the_minutes_are_approved(
    conference, client_as
):
    _answers(conference)
    client = client_as("commissioner")
    assert client.get(team_url("feedback_results", conference)).status_code == 403
    DialogueConference.objects.filter(pk=conference.pk).update(minutes_approved_at=timezone.now())
    response = client.get(team_url("feedback_results", conference))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gjennomsnitt: 3,8 av 5" in html
    assert "Mer tid" not in html and "Fin dag" not in html
    assert client.get(team_url("feedback_xlsx", conference)).status_code == 403
    assert client.get(team_url("feedback", conference)).status_code == 403


def test_the_spreadsheet_holds_numbers_as_numbers(conference, client_as):
    from openpyxl import load_workbook

    _answers(conference)
    response = client_as("process_leader").get(team_url("feedback_xlsx", conference))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    answers, summary = workbook.worksheets
    rows = list(answers.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [5, 4, 2, 4]
    assert all(isinstance(row[1], int) for row in rows)
    assert isinstance(rows[0][0], datetime.datetime)  # a real date cell
    formula = answers.cell(row=5, column=6)
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK")
    numbers = {(row[1], row[2]) for row in summary.iter_rows(min_row=2, values_only=True) if row[1]}
    assert ("Gjennomsnitt", 3.75) in numbers
    assert ("Ja", 2) in numbers
    event = AuditEvent.objects.filter(action="conference.feedback.export").get()
    assert event.detail == {"answers": 4}


# --- Pages and demo ---------------------------------------------------------------------------


def test_the_conference_page_links_to_the_form_and_its_results(conference, client_as):
    html = (
        client_as("process_leader")
        .get(reverse("conference:detail", args=[conference.evaluation.slug, conference.pk]))
        .content.decode()
    )
    assert team_url("feedback", conference) in html
    assert team_url("feedback_results", conference) in html


def test_the_demo_answers_are_loaded_once_through_a_closed_link(make_user):
    from bsbstudio.accounts.models import Membership, Role
    from bsbstudio.demo.feedback import load_feedback
    from bsbstudio.evaluations.models import Evaluation

    leader = make_user("demo_leader")
    evaluation = Evaluation.objects.create(name="Lindvåg", slug="ambulant-team-lindvag-2026")
    Membership.objects.create(evaluation=evaluation, user=leader, role=Role.PROCESS_LEADER)
    day = timezone.localdate() - datetime.timedelta(days=20)
    conference = DialogueConference.objects.create(evaluation=evaluation, title="K", date=day)
    load_feedback(leader)
    load_feedback(leader)
    assert FeedbackAnswer.objects.filter(conference=conference).count() == 14
    assert set(FeedbackAnswer.objects.values_list("answered_on", flat=True)) == {day}
    assert FeedbackLink.objects.get(conference=conference).closed


def test_the_command_writes_the_same_workbook_as_the_page(conference, client_as, tmp_path):
    from openpyxl import load_workbook

    from bsbstudio.cli.main import main

    _answers(conference)
    out = tmp_path / "evaluering.xlsx"
    slug = conference.evaluation.slug
    assert main(["conference", "feedback", slug, "1", "--out", str(out)]) == 0
    page = client_as("process_leader").get(team_url("feedback_xlsx", conference)).content

    def cells(workbook):
        return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]

    assert cells(load_workbook(out)) == cells(load_workbook(io.BytesIO(page)))
    assert AuditEvent.objects.filter(
        action="conference.feedback.export", detail__via="command"
    ).exists()
    assert main(["conference", "feedback", slug, "9", "--out", str(out)]) == 1
    assert main(["conference", "feedback", slug, "1", "--out", str(tmp_path / "x.csv")]) == 1


def test_the_lindvag_demo_conference_has_fourteen_answers(db):
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    (held,) = DialogueConference.objects.filter(evaluation__slug="ambulant-team-lindvag-2026")
    assert held.feedback_answers.count() == 14
    assert set(held.feedback_answers.values_list("answered_on", flat=True)) == {held.date}
    usefulness, said, role = feedback.summarise(held)
    assert usefulness.count == 14 and 1 <= usefulness.average <= 5
