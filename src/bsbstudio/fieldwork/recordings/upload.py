"""Receiving an audio file: an upload handler that streams it straight into the recordings folder.

Django's default handlers keep small uploads in memory and large ones in a temporary file under
the system's temp folder, then hand the view the whole file. For interview audio that would mean
a copy of the recording in a second place, and a 3 GB upload read in full before anyone looks at
its size. ``RecordingUploadHandler`` instead writes each chunk to a new 0600 partial file
(``storage.create_partial``: in the recordings folder, or in the data folder's spool when
recordings are kept in object storage), hashes it on the way (SHA-256) and keeps its first bytes for sniffing the
format, and stops the upload the moment it passes ``settings.MAX_AUDIO_BYTES``.

It is installed for the recording upload view only (``request.upload_handlers``, see
``views.upload``). Whatever the outcome, the view calls ``discard()`` at the end, which removes
every file the handler wrote that was not accepted: no half-saved file is ever left behind.
"""

from __future__ import annotations

import hashlib
import logging
import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

from . import storage
from .engine import HEAD_BYTES

logger = logging.getLogger(__name__)

#: The form field the audio file comes in; any other file in the request is skipped unread.
FIELD = "audio"


class StoredUpload(UploadedFile):
    """An audio file received into the recordings folder, not yet accepted.

    ``partial_name`` is its ``.part`` file; ``sha256`` and ``head`` (the first bytes) were taken
    while it streamed in. ``kept_name`` is set by ``actions.add_recording`` once it is accepted.
    """

    def __init__(self, name: str, partial_name: str, size: int, sha256: str, head: bytes):
        super().__init__(file=None, name=name, size=size)
        self.partial_name = partial_name
        self.sha256 = sha256
        self.head = head
        self.kept_name: str | None = None


class RecordingUploadHandler(FileUploadHandler):
    """Stream one audio file to the recordings folder, with a size limit checked chunk by chunk.

    After the request is parsed, ``too_large`` (with ``rejected_name``) or ``storage_failed``
    say why no file arrived; ``request.FILES[FIELD]`` holds a ``StoredUpload`` otherwise.
    """

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = settings.MAX_AUDIO_BYTES if max_bytes is None else max_bytes
        self.too_large = False
        self.storage_failed = False
        self.several_files = False
        self.rejected_name = ""
        self.uploads: list[StoredUpload] = []
        self._partials: list[str] = []
        self._receiving = False

    def new_file(self, field_name, file_name, *args, **kwargs):
        """Open a new partial file for the audio field; skip any other file.

        A second audio file is not skipped silently: the upload is stopped and nothing is kept
        (``several_files``), so that nobody believes both were saved.
        """
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != FIELD:
            raise SkipFile
        if self._receiving or self.uploads:
            self.several_files = True
            self._stop()
        self._received = 0
        self._hasher = hashlib.sha256()
        self._head = bytearray()
        try:
            self._partial_name, self.file = storage.create_partial()
        except OSError:
            logger.exception("Cannot create a file in the recordings folder")
            self._stop(storage_failed=True)
        self._partials.append(self._partial_name)
        self._receiving = True

    def receive_data_chunk(self, raw_data, start):
        """Write a chunk, unless it takes the file past the limit: then stop the whole upload."""
        self._received += len(raw_data)
        if self._received > self.max_bytes:
            self._stop(too_large=True)
        if len(self._head) < HEAD_BYTES:
            self._head += raw_data[: HEAD_BYTES - len(self._head)]
        self._hasher.update(raw_data)
        try:
            self.file.write(raw_data)
        except OSError:
            logger.exception("Cannot write to the recordings folder")
            self._stop(storage_failed=True)
        return None  # consumed here; no other handler sees the audio

    def file_complete(self, file_size):
        """Close the file and hand the view a ``StoredUpload`` describing it."""
        if not self._receiving:
            return None
        self._receiving = False
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
        except OSError:
            logger.exception("Cannot finish writing to the recordings folder")
            self._stop(storage_failed=True)
        upload = StoredUpload(
            name=self.file_name,
            partial_name=self._partial_name,
            size=file_size,
            sha256=self._hasher.hexdigest(),
            head=bytes(self._head),
        )
        self.uploads.append(upload)
        return upload

    def upload_interrupted(self):
        """The request ended in the middle of a file (the browser went away).

        Django also calls this when the last file part of the request was skipped (a field
        other than the audio): then the audio file was received whole and stays.
        """
        if self._receiving:
            self._receiving = False
            self.discard()

    def _stop(self, *, too_large: bool = False, storage_failed: bool = False):
        """Give up on this upload: note why, remove what was written, stop reading the file.

        ``connection_reset=False`` makes Django read (and throw away) the rest of the request
        instead of dropping the connection, so the browser gets the page with the message rather
        than a network error. Nothing more is written.
        """
        self.too_large = self.too_large or too_large
        self.storage_failed = self.storage_failed or storage_failed
        self.rejected_name = self.file_name or ""
        self._receiving = False
        self.discard()
        raise StopUpload(connection_reset=False)

    def discard(self) -> None:
        """Remove every file this handler wrote that was not accepted; safe to call repeatedly."""
        file = getattr(self, "file", None)
        if file is not None and not file.closed:
            file.close()
        kept = {upload.partial_name for upload in self.uploads if upload.kept_name}
        for name in self._partials:
            if name not in kept and not storage.remove(name):
                logger.error("Could not remove the unaccepted upload %s", name)
