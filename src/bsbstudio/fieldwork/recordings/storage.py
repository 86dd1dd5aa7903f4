"""Where recordings are kept: Django's storage alias ``recordings``, a local folder or a bucket.

By default the alias is a private folder in the data folder (``settings.RECORDINGS_ROOT``, see
``bsbstudio/storage_backends.py``); with ``BSB_S3_BUCKET`` it is an S3-compatible bucket
(``bsbstudio/storage_settings.py``). Files get random names (the original name may hold a
person's name, and stays in the database only) and are reached only through the checked views in
``views.py``.

An upload streams into a *partial* file, ``<name>.part``, that always lies on local disk: in the
recordings folder itself when it is local (then keeping it is a rename), otherwise in the data
folder's upload spool, ``<data folder>/tmp/recordings`` (then keeping it copies it to the bucket
and removes the local file). Either way the partial is a new 0600 file opened with ``O_EXCL`` and
``O_NOFOLLOW``, and a half-received file is never taken for a recording.

This module is the one place that touches the files:

- ``create_partial()``, ``keep(partial, extension)``, ``remove(name)`` (verified: True only when
  the file is gone), ``remove_verified(name)`` (raises ``StillStored`` instead);
- ``exists(name)``, ``open_for_reading(name)`` (a seekable binary file; from a bucket it reads
  only the bytes asked for, with ranged GETs), ``size_of(handle)``;
- ``stored_files()`` (every name with its modification time, for retention's sweep);
- ``backup_names()`` and ``restore_file(name, path)`` for ``bsb backup`` / ``bsb restore``
  when the recordings are in a bucket.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

ALIAS = "recordings"
PARTIAL_SUFFIX = ".part"
_NAME = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,5})?(\.part)?$")


class StillStored(OSError):
    """A file is still in the store after it was deleted."""


class StoreUnavailable(OSError):
    """The object store could not be reached, or refused a request (not a missing file)."""


@contextlib.contextmanager
def _store_errors(what: str):
    """Turn the object store's client errors into ``StoreUnavailable`` (an OSError).

    Callers already handle OSError (a full disk, a missing folder); botocore's errors are not
    OSErrors, and would otherwise end in a server error page.
    """
    try:
        yield
    except OSError:
        raise
    except Exception as error:
        raise StoreUnavailable(f"the recordings store failed to {what}: {error}") from error


def store() -> Storage:
    """The storage that holds recordings (``STORAGES["recordings"]``)."""
    return storages[ALIAS]


def is_local() -> bool:
    """Whether recordings lie in a local folder (rather than in object storage)."""
    return isinstance(store(), FileSystemStorage)


def root() -> Path:
    """The local folder that partial files go to (the recordings folder itself when local)."""
    if is_local():
        folder = Path(store().location)
    else:
        folder = Path(settings.UPLOAD_TEMP_DIR) / "recordings"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def is_stored_name(name: str) -> bool:
    """Whether ``name`` looks like a name this module gave (so no path can be smuggled in)."""
    return bool(_NAME.match(name))


def _checked(name: str) -> str:
    if not is_stored_name(name):
        raise ValueError(f"not a recording file name: {name!r}")
    return name


def _is_partial(name: str) -> bool:
    return name.endswith(PARTIAL_SUFFIX)


def path_of(stored_name: str) -> Path:
    """The local path of a partial file, or of any file when recordings are local.

    Refuses anything but a name this module made; a kept recording in a bucket has no path.
    """
    _checked(stored_name)
    if not _is_partial(stored_name) and not is_local():
        raise ValueError("recordings are in object storage: a kept recording has no local path")
    return root() / stored_name


def create_partial() -> tuple[str, BinaryIO]:
    """Open a new, empty local file with a random name for an upload to stream into.

    ``O_EXCL`` and ``O_NOFOLLOW`` make sure it is a new file, never one that was there (or a link
    planted there); ``fchmod`` sets 0600 whatever the process's umask.
    """
    name = secrets.token_hex(16) + PARTIAL_SUFFIX
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path_of(name), flags, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        return name, os.fdopen(descriptor, "wb")
    except BaseException:
        os.close(descriptor)
        raise


def keep(partial_name: str, extension: str) -> str:
    """Turn an accepted partial file into a stored recording; return its stored name."""
    final_name = _checked(partial_name.removesuffix(PARTIAL_SUFFIX) + "." + extension)
    partial = path_of(partial_name)
    if is_local():
        os.replace(partial, path_of(final_name))
        return final_name
    with open(partial, "rb") as handle, _store_errors(f"store {final_name}"):
        saved = store().save(final_name, File(handle, name=final_name))
    if saved != final_name:  # cannot happen with 128 random bits; never lose track of a copy
        with _store_errors(f"delete {saved}"):
            store().delete(saved)
        raise OSError(f"the store kept the recording as {saved!r}, not {final_name!r}")
    partial.unlink()
    return final_name


def exists(stored_name: str) -> bool:
    """Whether the file is there (a partial on local disk, a recording in the store)."""
    _checked(stored_name)
    if _is_partial(stored_name) or is_local():
        return os.path.lexists(path_of(stored_name))
    with _store_errors(f"look for {stored_name}"):
        return store().exists(stored_name)


def remove_verified(stored_name: str) -> None:
    """Delete a stored file and check it is gone; raise ``StillStored`` if it is not.

    A file already missing counts as gone. The check afterwards is the proof the retention
    promise rests on: a deletion is only recorded when the file no longer exists.
    """
    _checked(stored_name)
    if _is_partial(stored_name) or is_local():
        try:
            os.unlink(path_of(stored_name))
        except FileNotFoundError:
            pass
    else:
        with _store_errors(f"delete {stored_name}"):
            store().delete(stored_name)
    if exists(stored_name):
        raise StillStored(f"{stored_name} still exists after it was deleted")


def remove(stored_name: str) -> bool:
    """Delete a stored file and say whether it is verifiably gone (see ``remove_verified``)."""
    try:
        remove_verified(stored_name)
    except StillStored:
        return False
    return True


class RangedObjectReader(io.RawIOBase):
    """A seekable, read-only file over one object in a bucket that fetches only what is read.

    django-storages' own file downloads the whole object on first read; a player seeking in a
    two-hour recording must not cost a two-hour download. Reads continue one ranged GET
    (``Range: bytes=N-M``) from the current position; a seek elsewhere, or reading past what was
    asked for, starts a new one. The first GET after a seek asks for ``FIRST_WINDOW`` bytes (a
    player's seek reads little), each following one for twice as much, up to ``WINDOW``.
    """

    FIRST_WINDOW = 256 * 1024
    WINDOW = 8 * 1024 * 1024

    def __init__(self, client, bucket: str, key: str):
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        head = client.head_object(Bucket=bucket, Key=key)
        self.size = head["ContentLength"]
        self._position = 0
        self._body = None  # the open response of the current ranged GET
        self._body_position = None
        self._body_end = 0
        self._window = self.FIRST_WINDOW

    def readable(self) -> bool:
        """Always: the object is read."""
        return True

    def seekable(self) -> bool:
        """Always: a seek starts a new ranged GET on the next read."""
        return True

    def tell(self) -> int:
        """The current position in bytes."""
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move the position; nothing is fetched until the next read."""
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _close_body(self) -> None:
        if self._body is not None:
            self._body.close()
        self._body, self._body_position = None, None

    def readinto(self, buffer) -> int:
        """Read into ``buffer`` from the current position (0 at the end)."""
        if self._position >= self.size or len(buffer) == 0:
            return 0
        if (
            self._body is None
            or self._body_position != self._position
            or self._position >= self._body_end
        ):
            if self._body is not None and self._position == self._body_end:
                self._window = min(2 * self._window, self.WINDOW)  # reading on: ask for more
            else:
                self._window = self.FIRST_WINDOW
            self._close_body()
            end = min(self._position + self._window, self.size)
            with _store_errors(f"read {self._key}"):
                response = self._client.get_object(
                    Bucket=self._bucket, Key=self._key, Range=f"bytes={self._position}-{end - 1}"
                )
            self._body, self._body_position, self._body_end = (
                response["Body"],
                self._position,
                end,
            )
        data = self._body.read(min(len(buffer), self._body_end - self._position))
        if not data:
            raise OSError(f"the store sent less of {self._key} than it said it holds")
        buffer[: len(data)] = data
        self._position += len(data)
        self._body_position = self._position
        return len(data)

    def close(self) -> None:
        """Close the open GET, if any."""
        self._close_body()
        super().close()


def open_for_reading(stored_name: str) -> BinaryIO:
    """Open a stored recording for playback (FileNotFoundError when it is gone).

    The handle is a seekable binary file (a context manager); ``size_of`` gives its size.
    """
    _checked(stored_name)
    if _is_partial(stored_name) or is_local():
        return open(path_of(stored_name), "rb")  # closed by the response that streams it
    s3 = store()
    key = s3._normalize_name(stored_name)
    client = s3.connection.meta.client
    try:
        raw = RangedObjectReader(client, s3.bucket_name, key)
    except Exception as error:  # botocore's ClientError: 404 means it is gone
        status = getattr(error, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise FileNotFoundError(f"no recording {stored_name} in the store") from error
        raise StoreUnavailable(f"the recordings store failed to open {stored_name}") from error
    reader = io.BufferedReader(raw, buffer_size=256 * 1024)
    return reader


def size_of(handle: BinaryIO) -> int:
    """The size in bytes of a file opened by ``open_for_reading``."""
    raw = getattr(handle, "raw", None)
    if isinstance(raw, RangedObjectReader):
        return raw.size
    return os.fstat(handle.fileno()).st_size


def stored_files() -> Iterator[tuple[str, float]]:
    """Every file this module named (partials included), with its modification time."""
    with os.scandir(root()) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and is_stored_name(entry.name):
                yield entry.name, entry.stat(follow_symlinks=False).st_mtime
    if is_local():
        return
    for name, modified in _bucket_objects():
        if is_stored_name(name):
            yield name, modified


def _bucket_objects() -> Iterator[tuple[str, float]]:
    """(name, modification time) of every object under the store's prefix."""
    s3 = store()
    prefix = s3._normalize_name("") if s3.location else ""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    paginator = s3.connection.meta.client.get_paginator("list_objects_v2")
    with _store_errors("list the recordings"):
        pages = list(paginator.paginate(Bucket=s3.bucket_name, Prefix=prefix))
    for page in pages:
        for item in page.get("Contents", []):
            name = item["Key"][len(prefix) :]
            if "/" not in name:
                yield name, item["LastModified"].timestamp()


def backup_names() -> list[str]:
    """Recordings a backup must read from the store (empty when they lie in the data folder)."""
    if is_local():
        return []
    return sorted(name for name, _ in _bucket_objects() if is_stored_name(name))


def restore_file(stored_name: str, path: Path) -> None:
    """Write a recording restored from a backup into the store (from a local file at ``path``)."""
    _checked(stored_name)
    with open(path, "rb") as handle, _store_errors(f"store {stored_name}"):
        saved = store().save(stored_name, File(handle, name=stored_name))
    if saved != stored_name:
        raise OSError(f"the store already holds a recording called {stored_name}")
