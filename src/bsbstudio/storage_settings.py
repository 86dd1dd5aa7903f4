"""Where recordings and generated files are kept: the data folder, or S3-compatible object storage.

A plain function of the environment (no Django import), like ``security_settings.py``, so that
``settings.py`` stays a list of values and the rules can be tested with a fake environment.

Without ``BSB_S3_BUCKET`` everything stays in the data folder (a laptop needs no other service).
With it, the storage aliases ``recordings`` and ``generated`` go to one bucket through
django-storages, under the prefixes ``recordings/`` and ``generated/``:

BSB_S3_BUCKET             the bucket (its public access blocked; the app streams files itself)
BSB_S3_ENDPOINT_URL       the S3-compatible server, e.g. https://s3.trust.example (default: AWS)
BSB_S3_REGION             the region, e.g. eu-north-1 (default: the client's own)
BSB_S3_ACCESS_KEY_ID      access key; without it boto3's usual chain (instance role, ~/.aws)
BSB_S3_SECRET_ACCESS_KEY  its secret
BSB_S3_SSE                server-side encryption: AES256 (default), aws:kms, or "none" for a
                          store that offers none (the guide says what that means)
BSB_S3_KMS_KEY_ID         the KMS key for aws:kms (default: the bucket's key)

Objects get no public ACL and no signed URLs are made for people: every recording is streamed
through the checked views, so access stays audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: Local storage that re-reads its folder from a setting, so tests that move it keep working.
LOCAL_BACKEND = "bsbstudio.storage_backends.SettingFolderStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
SSE_CHOICES = ("AES256", "aws:kms", "aws:kms:dsse")
#: The storage aliases that leave the data folder when a bucket is configured.
OBJECT_ALIASES = {"recordings": "recordings", "generated": "generated"}


def _value(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def s3_options(env: Mapping[str, str], prefix: str) -> dict:
    """The S3Storage options for one alias (``prefix`` is the key prefix in the bucket)."""
    bucket = _value(env, "BSB_S3_BUCKET")
    sse = _value(env, "BSB_S3_SSE") or "AES256"
    if sse.lower() == "none":
        parameters = {}
    elif sse in SSE_CHOICES:
        parameters = {"ServerSideEncryption": sse}
        if sse.startswith("aws:kms") and _value(env, "BSB_S3_KMS_KEY_ID"):
            parameters["SSEKMSKeyId"] = _value(env, "BSB_S3_KMS_KEY_ID")
    else:
        raise ValueError(f"BSB_S3_SSE must be one of {', '.join(SSE_CHOICES)} or none, not {sse!r}")
    if _value(env, "BSB_S3_KMS_KEY_ID") and not sse.startswith("aws:kms"):
        raise ValueError("BSB_S3_KMS_KEY_ID needs BSB_S3_SSE=aws:kms")
    if bool(_value(env, "BSB_S3_ACCESS_KEY_ID")) != bool(_value(env, "BSB_S3_SECRET_ACCESS_KEY")):
        raise ValueError("BSB_S3_ACCESS_KEY_ID and BSB_S3_SECRET_ACCESS_KEY go together")
    endpoint = _value(env, "BSB_S3_ENDPOINT_URL")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ValueError(f"BSB_S3_ENDPOINT_URL must start with https://, not {endpoint!r}")
    options = {
        "bucket_name": bucket,
        "location": prefix,
        "object_parameters": parameters,
        # No ACL is sent: objects get the bucket's own (private); buckets with ACLs switched off
        # (the default on AWS since 2023) refuse requests that set one.
        "default_acl": None,
        # Nobody is handed a link to the store: url() gives no signed, shareable address.
        "querystring_auth": False,
        # Random names never collide; a name taken already is an error, not a renamed copy.
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    for option, name in (
        ("endpoint_url", "BSB_S3_ENDPOINT_URL"),
        ("region_name", "BSB_S3_REGION"),
        ("access_key", "BSB_S3_ACCESS_KEY_ID"),
        ("secret_key", "BSB_S3_SECRET_ACCESS_KEY"),
    ):
        if _value(env, name):
            options[option] = _value(env, name)
    return options


def storage_settings(env: Mapping[str, str], data_dir: Path) -> dict:
    """Django settings: ``STORAGES`` and ``GENERATED_ROOT``, local or in a bucket."""
    storages = {
        # Media (imported originals) stay in MEDIA_ROOT under the data folder.
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "recordings": {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"setting": "RECORDINGS_ROOT"}},
        "generated": {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"setting": "GENERATED_ROOT"}},
    }
    if _value(env, "BSB_S3_BUCKET"):
        for alias, prefix in OBJECT_ALIASES.items():
            storages[alias] = {"BACKEND": S3_BACKEND, "OPTIONS": s3_options(env, prefix)}
    else:
        for name in env:
            if name.startswith("BSB_S3_") and _value(env, name):
                raise ValueError(f"{name} is set but BSB_S3_BUCKET is not")
    return {"STORAGES": storages, "GENERATED_ROOT": Path(data_dir) / "generated"}
