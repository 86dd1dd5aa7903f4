"""Recordings in S3-compatible object storage (moto's server on loopback), end to end.

Upload through the real upload view, play back with HTTP ranges, server-side encryption on the
stored object, deletion by retention verified against the bucket, and a backup/restore round
trip that reads the recordings from the bucket and writes them back to it.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import shutil
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.recordings import retention, storage

from .conftest import object_names, wav_bytes

PASSPHRASE = "korrekt hest batteri stift"
AUDIO = wav_bytes()


@pytest.fixture
def interview(evaluation, bucket):
    """The fixture's interview FG1, held three days ago (so it may get a recording)."""
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    return interview


def _upload(client_as, interview, content=AUDIO):
    from bsbstudio.fieldwork.models import Recording

    client = client_as("peer_interviewer")
    url = reverse("fieldwork:recording_upload", args=[interview.evaluation.slug, interview.pk])
    response = client.post(url, {"audio": SimpleUploadedFile("fg1.wav", content, "audio/wav")})
    assert response.status_code == 302
    return Recording.objects.get(interview=interview)


def _audio_client(client_as, recording):
    slug = recording.interview.evaluation.slug
    client = client_as("transcriber")
    assert client.get(reverse("fieldwork:recording", args=[slug, recording.pk])).status_code == 200
    return client, reverse("fieldwork:recording_audio", args=[slug, recording.pk])


def test_upload_goes_to_the_bucket_encrypted_and_private(
    interview, bucket, s3_client, client_as, settings
):
    recording = _upload(client_as, interview)
    key = "recordings/" + recording.stored_name
    assert object_names(s3_client, bucket) == [key]
    head = s3_client.head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(AUDIO)
    assert recording.sha256 == hashlib.sha256(AUDIO).hexdigest()
    stored = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored == AUDIO
    grants = s3_client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not [g for g in grants if "URI" in g["Grantee"]]  # no AllUsers/AuthenticatedUsers
    # Nothing stays on local disk: the spool is empty and the local folder unused.
    assert list((settings.UPLOAD_TEMP_DIR / "recordings").iterdir()) == []
    assert not settings.RECORDINGS_ROOT.exists()


def test_playback_answers_ranges_from_the_bucket(interview, client_as):
    recording = _upload(client_as, interview)
    client, audio = _audio_client(client_as, recording)
    size = len(AUDIO)
    for header, start, end in (
        ("bytes=10-19", 10, 19),
        ("bytes=50000-", 50000, size - 1),
        ("bytes=-100", size - 100, size - 1),
    ):
        response = client.get(audio, HTTP_RANGE=header)
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert response["Content-Length"] == str(end - start + 1)
        assert b"".join(response.streaming_content) == AUDIO[start : end + 1]
    whole = client.get(audio)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == AUDIO
    beyond = client.get(audio, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"


def test_a_ranged_read_fetches_only_the_range(bucket, s3_client, db, monkeypatch):
    reader = storage.RangedObjectReader
    monkeypatch.setattr(reader, "FIRST_WINDOW", 64 * 1024)
    monkeypatch.setattr(reader, "WINDOW", 256 * 1024)
    name = "ab" * 16 + ".wav"
    content = os.urandom(3 * 1024 * 1024 + 1000)
    s3_client.put_object(Bucket=bucket, Key="recordings/" + name, Body=content)
    asked = []
    client = storage.store().connection.meta.client
    real_get = client.get_object

    def get_object(**params):
        asked.append(params["Range"])
        return real_get(**params)

    monkeypatch.setattr(client, "get_object", get_object)
    start = 2 * 1024 * 1024 + 5
    with storage.open_for_reading(name) as handle:
        assert storage.size_of(handle) == len(content)
        handle.seek(start)
        assert handle.read(1000) == content[start : start + 1000]
    assert asked == [f"bytes={start}-{start + 64 * 1024 - 1}"]  # one small GET, from the seek
    asked.clear()
    with storage.open_for_reading(name) as handle:
        assert handle.read() == content  # a whole read: growing windows, each one bounded
    spans = [tuple(map(int, r.removeprefix("bytes=").split("-"))) for r in asked]
    assert spans[0] == (0, 64 * 1024 - 1) and spans[1] == (64 * 1024, 3 * 64 * 1024 - 1)
    assert all(end - first < 256 * 1024 for first, end in spans)
    assert spans[-1][1] == len(content) - 1
    assert all(a[1] + 1 == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_missing_object_reads_as_file_not_found(bucket, db):
    with pytest.raises(FileNotFoundError):
        storage.open_for_reading("cd" * 16 + ".wav")
    assert not storage.exists("cd" * 16 + ".wav")


def test_retention_deletes_from_the_bucket_and_verifies(interview, bucket, s3_client, client_as):
    recording = _upload(client_as, interview)
    recording.delete_by = timezone.localdate()
    recording.save(update_fields=["delete_by"])
    report = retention.run_retention(timezone.localdate())
    assert [r.status for r in report.results] == ["deleted"]
    assert report.ok
    assert object_names(s3_client, bucket) == []
    recording.refresh_from_db()
    assert recording.deleted_at is not None
    event = AuditEvent.objects.get(action="recording.delete")
    assert event.detail["verified_gone"] is True


def test_a_deletion_the_store_ignores_is_caught(
    interview, bucket, s3_client, client_as, monkeypatch
):
    from storages.backends.s3 import S3Storage

    recording = _upload(client_as, interview)
    monkeypatch.setattr(S3Storage, "delete", lambda self, name: None)
    with pytest.raises(storage.StillStored):
        storage.remove_verified(recording.stored_name)
    result = retention.delete_recording(recording)
    assert result.status == "failed" and "still exists" in result.error
    recording.refresh_from_db()
    assert recording.deleted_at is None
    assert object_names(s3_client, bucket) == ["recordings/" + recording.stored_name]


def test_stray_objects_in_the_bucket_are_listed_with_their_age(bucket, s3_client, db):
    s3_client.put_object(Bucket=bucket, Key="recordings/" + "ef" * 16 + ".mp3", Body=b"x")
    s3_client.put_object(Bucket=bucket, Key="recordings/not-ours.txt", Body=b"x")
    s3_client.put_object(Bucket=bucket, Key="generated/" + "12" * 16 + ".mp3", Body=b"x")
    found = dict(storage.stored_files())
    assert list(found) == ["ef" * 16 + ".mp3"]
    assert abs(found["ef" * 16 + ".mp3"] - timezone.now().timestamp()) < 300


# --- backup and restore ------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, settings, monkeypatch):
    """A data folder of its own, with cheap key derivation for the backup."""
    from django.db import connection

    from bsbstudio.exchange import backup

    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump/pg_restore not installed (Debian: postgresql-client)")

    monkeypatch.setattr(backup, "ARGON2_COST", (10, 1, 1))
    monkeypatch.setattr(backup, "SCRYPT_COST", (10, 8, 1))
    root = tmp_path / "data"
    for folder in ("imports", "tmp", "static"):
        (root / folder).mkdir(parents=True)
    settings.DATA_DIR = root
    settings.UPLOAD_TEMP_DIR = root / "tmp"
    settings.TRANSCRIPT_IMPORTS_ROOT = root / "imports"
    (root / "imports" / "intervju.txt").write_text("rått materiale", encoding="utf-8")
    return root


def _recording_row(evaluation, stored_name):
    from bsbstudio.fieldwork.models import Recording

    return Recording.objects.create(
        interview=evaluation.interviews.get(code="FG1"),
        stored_name=stored_name,
        original_name="fokusgruppe.wav",
        content_type="audio/wav",
        size_bytes=len(AUDIO),
        sha256=hashlib.sha256(AUDIO).hexdigest(),
        delete_by=datetime.date(2026, 5, 1),
    )


@pytest.mark.django_db(transaction=True)
def test_backup_round_trip_reads_and_writes_the_bucket(evaluation, data_dir, bucket, s3_client):
    from bsbstudio.exchange import backup

    names = ["0a" * 16 + ".wav", "0b" * 16 + ".mp3"]
    big = os.urandom(2 * backup.CHUNK_SIZE + 777)
    contents = {names[0]: AUDIO, names[1]: big}
    for name, content in contents.items():
        s3_client.put_object(Bucket=bucket, Key="recordings/" + name, Body=content)
        _recording_row(evaluation, name)
    rows_before = sorted(
        evaluation.interviews.get(code="FG1").recordings.values_list("pk", "stored_name")
    )

    out = io.BytesIO()
    manifest = backup.write_backup(out, PASSPHRASE)
    paths = {entry["path"]: entry for entry in manifest["files"]}
    for name, content in contents.items():
        assert paths["files/recordings/" + name]["sha256"] == hashlib.sha256(content).hexdigest()
    assert AUDIO[:200] not in out.getvalue()  # encrypted

    # Refused while the bucket still holds recordings, even with an empty database.
    call_command("flush", interactive=False, verbosity=0)
    (data_dir / "imports" / "intervju.txt").unlink()
    with pytest.raises(backup.NotEmpty, match="recordings/"):
        backup.restore_backup(io.BytesIO(out.getvalue()), PASSPHRASE)
    for name in names:
        s3_client.delete_object(Bucket=bucket, Key="recordings/" + name)

    backup.restore_backup(io.BytesIO(out.getvalue()), PASSPHRASE)

    assert object_names(s3_client, bucket) == sorted("recordings/" + n for n in names)
    for name, content in contents.items():
        key = "recordings/" + name
        assert s3_client.get_object(Bucket=bucket, Key=key)["Body"].read() == content
        assert s3_client.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"
    assert not (data_dir / "recordings").exists()  # not left in the data folder as well
    from bsbstudio.fieldwork.models import Recording

    assert sorted(Recording.objects.values_list("pk", "stored_name")) == rows_before
    assert (data_dir / "imports" / "intervju.txt").read_text(encoding="utf-8") == "rått materiale"


@pytest.mark.django_db(transaction=True)
def test_a_local_backup_restores_into_the_bucket(evaluation, data_dir, bucket, s3_client, settings):
    """A laptop's backup (recordings in the data folder) restores into object storage."""
    from bsbstudio.exchange import backup

    local_storages = settings.STORAGES
    settings.STORAGES = {
        **local_storages,
        "recordings": {
            "BACKEND": "bsbstudio.storage_backends.SettingFolderStorage",
            "OPTIONS": {"setting": "RECORDINGS_ROOT"},
        },
    }
    settings.RECORDINGS_ROOT = data_dir / "recordings"
    name = "0c" * 16 + ".wav"
    (data_dir / "recordings").mkdir()
    (data_dir / "recordings" / name).write_bytes(AUDIO)
    _recording_row(evaluation, name)
    out = io.BytesIO()
    backup.write_backup(out, PASSPHRASE)
    call_command("flush", interactive=False, verbosity=0)
    for path in list((data_dir / "recordings").iterdir()) + [data_dir / "imports" / "intervju.txt"]:
        path.unlink()
    (data_dir / "secret_key").unlink(missing_ok=True)
    settings.STORAGES = local_storages  # the new server keeps its recordings in the bucket

    backup.restore_backup(io.BytesIO(out.getvalue()), PASSPHRASE)

    assert object_names(s3_client, bucket) == ["recordings/" + name]
    assert s3_client.get_object(Bucket=bucket, Key="recordings/" + name)["Body"].read() == AUDIO


def test_an_unreachable_store_gives_a_message_and_keeps_nothing(
    evaluation, s3_env, settings, tmp_path, client_as
):
    from botocore.config import Config

    from bsbstudio.fieldwork.models import Recording
    from bsbstudio.storage_settings import storage_settings

    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    storages_setting = storage_settings({**s3_env, "BSB_S3_ENDPOINT_URL": closed}, tmp_path)
    storages_setting["STORAGES"]["recordings"]["OPTIONS"]["client_config"] = Config(
        retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1
    )
    settings.STORAGES = storages_setting["STORAGES"]
    settings.UPLOAD_TEMP_DIR = tmp_path / "tmp"
    client = client_as("peer_interviewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("fieldwork:recording_upload", args=[evaluation.slug, interview.pk])
    response = client.post(url, {"audio": SimpleUploadedFile("fg1.wav", AUDIO, "audio/wav")})
    assert response.status_code == 302
    from django.contrib.messages import get_messages

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("could not be stored on the server" in m for m in shown), shown
    assert not Recording.objects.exists()
    assert list((tmp_path / "tmp" / "recordings").iterdir()) == []
    # A recording row whose store is unreachable: the player answers 503, not a server error.
    recording = _recording_row(evaluation, "0d" * 16 + ".wav")
    player = reverse("fieldwork:recording", args=[evaluation.slug, recording.pk])
    assert client_as("transcriber").get(player).status_code == 503
