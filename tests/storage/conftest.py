"""Fixtures for object storage: a local S3-compatible server (moto in server mode) and a bucket.

The server runs in a subprocess on a free loopback port for the whole test session; each test
gets a bucket of its own and the settings of ``BSB_S3_*`` pointing the storage aliases at it, as
``settings.py`` would build them. Without moto's server the tests are skipped with a message.
"""

from __future__ import annotations

import io
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import wave

import pytest

ACCESS = {"BSB_S3_ACCESS_KEY_ID": "testing", "BSB_S3_SECRET_ACCESS_KEY": "testing"}
REGION = "eu-north-1"


def wav_bytes(frames: int = 40_000) -> bytes:
    """A real WAV file (8 kHz mono, 5 s of a changing signal, about 80 KB)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes((i * 7) % 251 for i in range(frames * 2)))
    return buffer.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of a moto S3 server on loopback, started for this session."""
    try:
        import moto.server  # noqa: F401
    except ImportError as error:
        pytest.skip(f"moto's server mode is not installed (pip install 'moto[server]'): {error}")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                error = process.stderr.read().decode(errors="replace")[-500:]
                pytest.skip(f"moto's S3 server did not start on port {port}: {error}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def s3_client(s3_endpoint):
    """A boto3 client for the moto server, to look at the bucket from outside the app."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS["BSB_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=ACCESS["BSB_S3_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_env(s3_endpoint):
    """The BSB_S3_* variables for a new, not yet created bucket."""
    return {
        "BSB_S3_BUCKET": "bsb-test-" + secrets.token_hex(6),
        "BSB_S3_ENDPOINT_URL": s3_endpoint,
        "BSB_S3_REGION": REGION,
        "BSB_S3_SSE": "AES256",
        **ACCESS,
    }


@pytest.fixture
def bucket(s3_env, s3_client, settings, tmp_path):
    """A new bucket with the ``recordings`` and ``generated`` storages pointing at it.

    Assigning ``settings.STORAGES`` resets Django's cache of storage objects (the
    ``setting_changed`` signal), and again when the test ends.
    """
    from bsbstudio.storage_settings import storage_settings

    name = s3_env["BSB_S3_BUCKET"]
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.UPLOAD_TEMP_DIR = tmp_path / "tmp"
    settings.RECORDINGS_ROOT = tmp_path / "local-recordings"  # must stay unused
    settings.STORAGES = storage_settings(s3_env, tmp_path)["STORAGES"]
    return name


def object_names(s3_client, bucket_name: str) -> list[str]:
    """Every key in the bucket."""
    listing = s3_client.list_objects_v2(Bucket=bucket_name)
    return sorted(item["Key"] for item in listing.get("Contents", []))
