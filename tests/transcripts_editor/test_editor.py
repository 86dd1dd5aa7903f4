"""The transcription editor: who may open it, the audit log, autosave, conflicts and finishing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent, DeclarationSignature
from bsbstudio.transcripts.models import Transcript, TranscriptDraft

JSON = {"HTTP_ACCEPT": "application/json"}


def test_transcriber_opens_the_editor_and_the_opening_is_audited(client_as, editor_url, recording):
    response = client_as("transcriber").get(editor_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "editor.js" in page and 'id="editor-keys"' in page
    assert reverse("fieldwork:recording_audio", args=["test", recording.pk]) in page
    assert "D1" in page and "D2" in page  # the participants' speaker codes
    assert "(?)" in page and "//" in page  # the conventions help panel
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert AuditEvent.objects.filter(action="transcript.editor.open").count() == 1
    # The page lets the session stream the audio, like the player page.
    audio = client_as("transcriber").get(
        reverse("fieldwork:recording_audio", args=["test", recording.pk])
    )
    assert audio.status_code in (200, 206)


@pytest.mark.parametrize("username", ["commissioner", "outsider"])
def test_others_may_not_open_the_editor(client_as, editor_url, username):
    response = client_as(username).get(editor_url)
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="transcript.editor.open").exists()


def test_unsigned_declaration_is_sent_to_sign_first(client_as, editor_url, django_user_model):
    DeclarationSignature.objects.filter(user__username="transcriber").delete()
    response = client_as("transcriber").get(editor_url)
    assert response.status_code == 302
    assert "declaration" in response["Location"]
    assert not AuditEvent.objects.filter(action="transcript.editor.open").exists()
    saved = client_as("transcriber").post(editor_url, {"text": "D1: hei", "version": "0"})
    assert saved.status_code == 302 and "declaration" in saved["Location"]
    assert not TranscriptDraft.objects.filter(text="D1: hei").exists()


def test_autosave_and_plain_form_save(client_as, editor_url, interview):
    client = client_as("transcriber")
    client.get(editor_url)
    response = client.post(editor_url, {"text": "D1: [00:00:01] hei", "version": "0"}, **JSON)
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["turns"] == [{"speaker": "D1", "offset": 0, "seconds": 1}]
    response = client.post(editor_url, {"text": "D1: [00:00:01] hei\nD2: ja", "version": "1"})
    assert response.status_code == 302  # without the script: a plain form post
    draft = TranscriptDraft.objects.get(interview=interview)
    assert draft.version == 2 and draft.text.endswith("D2: ja")


def test_two_transcribers_conflict_and_both_texts_are_kept(client_as, editor_url, interview):
    first, second = client_as("transcriber"), client_as("peer_interviewer")
    first.get(editor_url)
    second.get(editor_url)
    assert first.post(editor_url, {"text": "D1: første", "version": "0"}, **JSON).status_code == 200
    clash = second.post(editor_url, {"text": "D1: andre", "version": "0"}, **JSON)
    assert clash.status_code == 409
    assert clash.json()["theirs"] == "D1: første"
    assert "Someone else has changed the draft" in clash.json()["message"]
    assert TranscriptDraft.objects.get(interview=interview).text == "D1: første"
    # Without the script the page shows both texts side by side.
    page = second.post(editor_url, {"text": "D1: andre", "version": "0"})
    assert page.status_code == 409
    content = page.content.decode()
    assert "D1: andre" in content and "D1: første" in content


def test_finish_creates_the_raw_transcript_for_de_identification(client_as, editor_url, interview):
    client = client_as("transcriber")
    client.get(editor_url)
    text = "I: [00:00:01] Hvordan var det?\nD1: [00:00:04] Kari Nordmann hjalp meg.\nD2: Ja."
    client.post(editor_url, {"text": text, "version": "0"}, **JSON)
    finish = reverse("transcripts:editor_finish", args=["test", editor_url.split("/")[-3]])
    response = client.post(finish, {"text": text, "version": "1"})
    transcript = Transcript.objects.get(interview=interview)
    assert transcript.raw_text == text
    assert [t.speaker_code for t in transcript.turns.all()] == ["I", "D1", "D2"]
    assert response.status_code == 302
    assert response["Location"] == reverse("deid:review", args=["test", transcript.pk])
    assert transcript.detections.exists()  # the name waits in the de-identification review
    assert TranscriptDraft.objects.get(interview=interview).finished_transcript == transcript
    assert AuditEvent.objects.filter(action="transcript.import").exists()


def test_finish_of_an_empty_or_stale_draft_changes_nothing(client_as, editor_url, interview):
    client = client_as("transcriber")
    client.get(editor_url)
    finish = editor_url + "finish/"
    response = client.post(finish, {"text": "", "version": "0"}, follow=True)
    assert response.status_code == 200
    assert not Transcript.objects.exists()
    client.post(editor_url, {"text": "D1: hei", "version": "0"}, **JSON)
    response = client.post(finish, {"text": "D1: noe annet", "version": "0"}, follow=True)
    assert "Someone else has changed the draft" in response.content.decode()
    assert not Transcript.objects.exists()


def test_no_model_gives_a_message_and_no_button(client_as, editor_url):
    client = client_as("transcriber")
    page = client.get(editor_url).content.decode()
    assert "Speech-to-text is not set up on this server" in page
    assert 'id="speech-start"' not in page
    response = client.post(editor_url + "speech/", {"language": "nb"}, follow=True)
    assert "Speech-to-text is not set up on this server" in response.content.decode()


def test_editor_link_on_the_interview_page(client_as, recording):
    page = client_as("transcriber").get(
        reverse("fieldwork:interview", args=["test", recording.interview.pk])
    )
    assert reverse("transcripts:editor", args=["test", recording.pk]) in page.content.decode()
