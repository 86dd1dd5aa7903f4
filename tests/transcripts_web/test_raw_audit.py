"""Every showing of raw material on the transcript pages is audited, searches included."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent, DeclarationSignature

from .conftest import upload, url


def speaker_views():
    return AuditEvent.objects.filter(
        action="transcript.raw.view", detail__page="transcripts.speakers"
    ).count()


def searches():
    return AuditEvent.objects.filter(action="transcript.raw.search").order_by("pk")


@pytest.mark.parametrize("value", ["bogus", "p999999999999999999999999", "p", "x" * 5000])
def test_an_invalid_speakers_post_is_audited_when_it_shows_the_labels(
    evaluation, leader, named, value
):
    before = speaker_views()
    response = leader.post(url("transcripts:speakers", evaluation, named.pk), {"speaker_1": value})
    assert response.status_code == 200
    assert "Kari" in response.content.decode()  # the label is raw material, shown again
    assert "Nothing was saved" in response.content.decode()
    assert speaker_views() == before + 1
    assert not named.turns.filter(participation__isnull=False, speaker_code="Kari").exists()


def test_a_raw_search_is_audited_without_the_words(evaluation, leader, imported):
    response = leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "respekt"})
    assert response.context["matches"] == 1
    event = searches().get()
    assert event.object_id == str(imported.pk) and event.user.username == "process_leader"
    assert event.detail == {"query_length": 7, "speaker_filter": False, "matches": 1}
    assert "respekt" not in str(event.detail)

    leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "ingen treff her"})
    leader.get(url("transcripts:raw", evaluation, imported.pk), {"speaker": "D1"})
    assert [e.detail for e in searches()][1:] == [
        {"query_length": 15, "speaker_filter": False, "matches": 0},
        {"query_length": 0, "speaker_filter": True, "matches": 2},
    ]


def test_reading_raw_without_a_search_is_a_viewing_not_a_search(evaluation, leader, imported):
    leader.get(url("transcripts:raw", evaluation, imported.pk))
    leader.get(url("transcripts:raw", evaluation, imported.pk), {"q": "   "})
    assert not searches().exists()
    assert AuditEvent.objects.filter(action="transcript.raw.view").count() >= 2


def test_only_the_deidentified_page_searches_in_the_browser(
    evaluation, leader, imported, deidentify
):
    deidentified = deidentify(imported)
    raw = leader.get(url("transcripts:raw", evaluation, imported.pk)).content.decode()
    text = leader.get(url("transcripts:text", evaluation, deidentified.pk)).content.decode()
    assert "transcripts/search.js" not in raw
    assert 'src="/static/transcripts/search.js"' in text


def test_a_transcript_file_name_is_shown_only_to_signed_members_who_may_see_raw(
    evaluation, interview, leader, client_as
):
    upload(
        leader, evaluation, interview, file=("intervju Kari Nordmann.txt", b"I: Hei.\nD1: Hei.\n")
    )
    page = url("fieldwork:interview", evaluation, interview.pk)
    assert "intervju Kari Nordmann.txt" in leader.get(page).content.decode()
    DeclarationSignature.objects.filter(user__username="transcriber").delete()
    html = client_as("transcriber").get(page).content.decode()
    assert "Raw transcript (restricted)" in html  # the section is there, the name is not
    assert "Kari Nordmann" not in html
