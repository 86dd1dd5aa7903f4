"""Reading a transcript as turns: raw (restricted) and de-identified, searchable in the page."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from bsbstudio.accounts.models import AuditEvent, Membership

from .conftest import upload, url

MARKUP = (
    "I: Hva skjedde da?\n"
    "D1: Jeg ... altså (…) jeg vet ikke (?) // det var HELT FEIL.\n"
    "  Andre linje i samme tur <b>ikke html</b>.\n"
    "D2: Vi hadde for få folk.\n"
)


@pytest.fixture
def markup(evaluation, interview, leader):
    upload(leader, evaluation, interview, text=MARKUP)
    return interview.transcripts.get()


def turns_in(response):
    return [(row.speaker, row.shown) for row in response.context["rows"]]


def test_raw_view_shows_turns_with_speakers_and_participants(evaluation, leader, imported):
    response = leader.get(url("transcripts:raw", evaluation, imported.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert turns_in(response) == [("I", True), ("D1", True), ("D2", True), ("D1", True)]
    whos = [row.who for row in response.context["rows"]]
    assert whos == ["Interviewer / moderator", "B-01 · Brukere", "A-01 · Ansatte", "B-01 · Brukere"]
    assert "41 22 87 56" in html  # the raw text, for those allowed to see it
    # No live search script on raw text: every search goes to the server, which audits it.
    assert "transcripts/search.js" not in html
    assert "<script>" not in html, "no inline scripts"
    assert AuditEvent.objects.filter(
        action="transcript.raw.view", object_id=str(imported.pk), detail__page="transcripts.raw"
    ).exists()


def test_markup_and_line_breaks_are_shown_as_text(evaluation, leader, markup):
    html = leader.get(url("transcripts:raw", evaluation, markup.pk)).content.decode()
    assert "Jeg ... altså (…) jeg vet ikke (?) // det var HELT FEIL.\n" in html
    assert "&lt;b&gt;ikke html&lt;/b&gt;" in html
    assert "<b>ikke html</b>" not in html


def test_server_side_search_hides_other_turns_and_marks_matches(evaluation, leader, imported):
    response = leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "RESPEKT"})
    assert turns_in(response) == [("I", False), ("D1", False), ("D2", False), ("D1", True)]
    assert response.context["matches"] == 1
    html = response.content.decode()
    assert '<mark class="transcript-hit">respekt</mark>' in html
    assert html.count(" hidden>") == 3
    assert "1 turn matches." in html
    assert 'role="status"' in html


def test_search_treats_the_query_literally(evaluation, leader, markup):
    for query in ("(…)", "(?)", "//", ".*"):
        response = leader.get(url("transcripts:raw", evaluation, markup.pk), {"q": query})
        expected = 0 if query == ".*" else 1
        assert response.context["matches"] == expected, query


def test_speaker_filter(evaluation, leader, imported):
    response = leader.get(url("transcripts:raw", evaluation, imported.pk), {"speaker": "D1"})
    assert [shown for _s, shown in turns_in(response)] == [False, True, False, True]
    assert "2 turns match." in response.content.decode()
    both = leader.get(
        url("transcripts:raw", evaluation, imported.pk), {"speaker": "D1", "q": "tid"}
    )
    assert both.context["matches"] == 1
    unknown = leader.get(url("transcripts:raw", evaluation, imported.pk), {"speaker": "ZZ"})
    assert unknown.context["speaker"] == "" and unknown.context["matches"] == 4


def test_an_empty_or_huge_query_shows_everything_or_nothing_without_error(
    evaluation, leader, imported
):
    assert (
        leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "   "}).context["matches"]
        == 4
    )
    response = leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "x" * 5000})
    assert response.status_code == 200 and response.context["matches"] == 0


def test_deidentified_reading_view(evaluation, leader, imported, deidentify, client_as):
    deidentified = deidentify(imported)
    response = client_as("transcriber").get(url("transcripts:text", evaluation, deidentified.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "41 22 87 56" not in html
    assert "[TELEFON 1]" in html
    assert [row.who for row in response.context["rows"]][:2] == [
        "Interviewer / moderator",
        "B-01 · Brukere",
    ]
    searched = leader.get(url("transcripts:text", evaluation, deidentified.pk), {"q": "telefon"})
    assert searched.context["matches"] == 1
    assert '<mark class="transcript-hit">TELEFON</mark>' in searched.content.decode()


@pytest.mark.parametrize(
    ("role", "raw_status", "text_status"),
    [
        ("process_leader", 200, 200),
        ("peer_interviewer", 200, 200),
        ("transcriber", 200, 200),
        ("commissioner", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_access_by_role(evaluation, imported, deidentify, client_as, role, raw_status, text_status):
    deidentified = deidentify(imported)
    client = client_as(role)
    assert client.get(url("transcripts:raw", evaluation, imported.pk)).status_code == raw_status
    assert client.get(url("transcripts:text", evaluation, deidentified.pk)).status_code == (
        text_status
    )


def test_raw_view_needs_the_signed_declaration(evaluation, imported, make_user, verified_client):
    user = make_user("newcomer")
    Membership.objects.create(evaluation=evaluation, user=user, role="transcriber")
    client = verified_client(user)
    response = client.get(url("transcripts:raw", evaluation, imported.pk) + "?q=tid")
    assert response.status_code == 302
    assert url("evaluations:declaration", evaluation) in response["Location"]
    assert not AuditEvent.objects.filter(action="transcript.raw.view", user=user).exists()


def test_foreign_ids_are_not_found(evaluation, leader, imported, deidentify):
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.transcripts.models import DeidentifiedText, Transcript

    deidentified = deidentify(imported)
    other = Evaluation.objects.create(name="Annen", slug="annen")
    Membership.objects.create(evaluation=other, user=imported.created_by, role="process_leader")
    from bsbstudio.accounts.confidentiality import sign

    sign(imported.created_by, other, "Leder")
    for name, pk in (
        ("transcripts:raw", imported.pk),
        ("transcripts:speakers", imported.pk),
        ("transcripts:text", deidentified.pk),
    ):
        assert leader.get(url(name, other, pk)).status_code == 404, name
    assert leader.get(url("transcripts:text", evaluation, 999_999)).status_code == 404
    assert Transcript.objects.count() == 1 and DeidentifiedText.objects.count() == 1


def test_search_script_is_served_and_writes_no_html():
    path = finders.find("transcripts/search.js")
    assert path
    source = open(path, encoding="utf-8").read()
    assert "innerHTML" not in source and "eval(" not in source
