"""Playing a recording: restricted, audited once per opening, and seekable (HTTP ranges)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent, Membership

from .conftest import AUDIO_SAMPLES


def _urls(recording):
    slug = recording.interview.evaluation.slug
    return (
        reverse("fieldwork:recording", args=[slug, recording.pk]),
        reverse("fieldwork:recording_audio", args=[slug, recording.pk]),
    )


def test_player_page_is_audited_once_and_has_no_download(recording, client_as):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    response = client.get(player)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<audio" in page and "controls" in page and f'src="{audio}"' in page
    assert 'controlslist="nodownload"' in page
    assert "download" not in page.replace("nodownload", "")
    assert "recording-player.js" in page
    # Fetching the audio in pieces, as a player does, adds no further audit records.
    for header in ("bytes=0-", "bytes=100-", "bytes=0-1"):
        assert client.get(audio, HTTP_RANGE=header).status_code == 206
    events = AuditEvent.objects.filter(action="recording.play")
    assert events.count() == 1
    assert events.get().user.username == "transcriber"


def test_range_request_gets_206_with_the_right_bytes(recording, client_as):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    content = AUDIO_SAMPLES["wav"]
    response = client.get(audio, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(content)}"
    assert response["Content-Length"] == "10"
    assert response["Content-Type"] == "audio/wav"
    assert response["Accept-Ranges"] == "bytes"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == "inline"
    assert b"".join(response.streaming_content) == content[10:20]


def test_whole_file_without_range(recording, client_as):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    response = client.get(audio)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(AUDIO_SAMPLES["wav"]))
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == AUDIO_SAMPLES["wav"]


def test_range_past_the_end_is_416(recording, client_as):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    size = len(AUDIO_SAMPLES["wav"])
    response = client.get(audio, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_several_ranges_or_if_range_get_the_whole_file(recording, client_as):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    assert client.get(audio, HTTP_RANGE="bytes=0-1,5-6").status_code == 200
    assert client.get(audio, HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE="x").status_code == 200


def test_audio_without_opening_the_player_goes_to_the_player(recording, client_as):
    player, audio = _urls(recording)
    response = client_as("transcriber").get(audio, HTTP_RANGE="bytes=0-")
    assert response.status_code == 302 and response["Location"] == player


def test_unsigned_member_is_sent_to_the_declaration(
    recording, evaluation, make_user, verified_client
):
    newcomer = make_user("newcomer")
    Membership.objects.create(evaluation=evaluation, user=newcomer, role="transcriber")
    client = verified_client(newcomer)
    for url in _urls(recording):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("evaluations:declaration", args=[evaluation.slug]) in response["Location"]
    assert not AuditEvent.objects.filter(action="recording.play").exists()


@pytest.mark.parametrize(("username", "status"), [("commissioner", 403), ("outsider", 404)])
def test_without_view_raw_there_is_no_player(recording, client_as, username, status):
    for url in _urls(recording):
        assert client_as(username).get(url).status_code == status


def test_deleted_recording_is_a_clear_410(recording, client_as):
    from bsbstudio.fieldwork.recordings.retention import delete_recording

    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    delete_recording(recording)
    for url in (player, audio):
        response = client.get(url)
        assert response.status_code == 410
        assert "This recording is deleted" in response.content.decode()


def test_missing_file_is_a_clear_410_not_a_server_error(recording, client_as, recordings_root):
    player, audio = _urls(recording)
    client = client_as("transcriber")
    client.get(player)
    (recordings_root / recording.stored_name).unlink()
    for url in (player, audio):
        response = client.get(url)
        assert response.status_code == 410
        assert "missing" in response.content.decode()


def test_recording_of_another_evaluation_is_not_found(recording, client_as):
    from bsbstudio.evaluations.models import Evaluation

    Evaluation.objects.create(name="Annen", slug="annen", commissioner="X")
    url = reverse("fieldwork:recording", args=["annen", recording.pk])
    assert client_as("outsider").get(url).status_code == 404
    # A member of "test" asking through another evaluation's address learns nothing.
    assert client_as("transcriber").get(url).status_code == 404


def test_deleted_recording_stays_listed_with_its_deletion(recording, client_as):
    from bsbstudio.fieldwork.recordings.retention import delete_recording

    delete_recording(recording)
    url = reverse(
        "fieldwork:interview", args=[recording.interview.evaluation.slug, recording.interview.pk]
    )
    page = client_as("transcriber").get(url).content.decode()
    assert "Deleted on" in page and "checked and is gone" in page
    assert "Listen (restricted)" not in page
