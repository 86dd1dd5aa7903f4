"""The storage settings read from the environment: local by default, a bucket with BSB_S3_*."""

from __future__ import annotations

from pathlib import Path

import pytest

from bsbstudio.storage_settings import LOCAL_BACKEND, S3_BACKEND, storage_settings

DATA = Path("/srv/bsb")
BUCKET = {"BSB_S3_BUCKET": "opptak"}


def test_without_a_bucket_everything_stays_in_the_data_folder():
    values = storage_settings({}, DATA)
    storages = values["STORAGES"]
    assert set(storages) == {"default", "staticfiles", "recordings", "generated"}
    assert storages["recordings"] == {
        "BACKEND": LOCAL_BACKEND,
        "OPTIONS": {"setting": "RECORDINGS_ROOT"},
    }
    assert storages["generated"]["OPTIONS"] == {"setting": "GENERATED_ROOT"}
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["GENERATED_ROOT"] == DATA / "generated"


def test_a_bucket_takes_recordings_and_generated_files_encrypted():
    env = {
        **BUCKET,
        "BSB_S3_ENDPOINT_URL": "https://s3.helse.example",
        "BSB_S3_REGION": "eu-north-1",
        "BSB_S3_ACCESS_KEY_ID": "id",
        "BSB_S3_SECRET_ACCESS_KEY": "secret",
    }
    storages = storage_settings(env, DATA)["STORAGES"]
    for alias in ("recordings", "generated"):
        options = storages[alias]["OPTIONS"]
        assert storages[alias]["BACKEND"] == S3_BACKEND
        assert options["bucket_name"] == "opptak" and options["location"] == alias
        assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
        assert options["querystring_auth"] is False and options["default_acl"] is None
        assert options["endpoint_url"] == "https://s3.helse.example"
        assert options["region_name"] == "eu-north-1"
        assert (options["access_key"], options["secret_key"]) == ("id", "secret")
    # Media and static files stay local.
    assert storages["default"]["BACKEND"].startswith("django.")


def test_without_keys_boto3_finds_its_own_credentials():
    options = storage_settings(BUCKET, DATA)["STORAGES"]["recordings"]["OPTIONS"]
    assert "access_key" not in options and "endpoint_url" not in options


def test_kms_with_a_key_and_no_encryption():
    env = {**BUCKET, "BSB_S3_SSE": "aws:kms", "BSB_S3_KMS_KEY_ID": "arn:aws:kms:x"}
    options = storage_settings(env, DATA)["STORAGES"]["recordings"]["OPTIONS"]
    assert options["object_parameters"] == {
        "ServerSideEncryption": "aws:kms",
        "SSEKMSKeyId": "arn:aws:kms:x",
    }
    options = storage_settings({**BUCKET, "BSB_S3_SSE": "none"}, DATA)["STORAGES"]["generated"]
    assert options["OPTIONS"]["object_parameters"] == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**BUCKET, "BSB_S3_SSE": "rot13"}, "BSB_S3_SSE must be one of"),
        ({**BUCKET, "BSB_S3_KMS_KEY_ID": "k"}, "needs BSB_S3_SSE=aws:kms"),
        ({**BUCKET, "BSB_S3_ACCESS_KEY_ID": "id"}, "go together"),
        ({**BUCKET, "BSB_S3_ENDPOINT_URL": "s3.example"}, "must start with https://"),
        ({"BSB_S3_ENDPOINT_URL": "https://s3.example"}, "BSB_S3_BUCKET is not"),
    ],
)
def test_a_bad_configuration_stops_with_a_clear_message(env, message):
    with pytest.raises(ValueError, match=message):
        storage_settings(env, DATA)


def test_the_local_storage_follows_its_setting(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.RECORDINGS_ROOT = tmp_path / "a"
    store = storages["recordings"]
    assert store.save("x.wav", ContentFile(b"1")) == "x.wav"
    assert (tmp_path / "a" / "x.wav").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    settings.RECORDINGS_ROOT = tmp_path / "b"
    assert not store.exists("x.wav")
    settings.GENERATED_ROOT = tmp_path / "g"
    storages["generated"].save("r.pdf", ContentFile(b"%PDF"))
    assert (tmp_path / "g" / "r.pdf").exists()
