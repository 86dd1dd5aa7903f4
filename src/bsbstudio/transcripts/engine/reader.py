"""``read_file``: pick the importer by extension, check size and content, return turns.

This is the one place formats are registered (``READERS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import TranscriptImportError
from .formats import docx, odt, rtf, subtitles, txt, whisper_json
from .model import ParsedTranscript

Reader = Callable[..., ParsedTranscript]

READERS: dict[str, Reader] = {
    "txt": txt.read,
    "docx": docx.read,
    "odt": odt.read,
    "rtf": rtf.read,
    "vtt": subtitles.read_vtt,
    "srt": subtitles.read_srt,
    "json": whisper_json.read,
}

DEFAULT_MAX_BYTES = 50_000_000


def display_name(filename: str) -> str:
    """Return the file's own name without any folders (browsers may send a whole path)."""
    return re.split(r"[\\/]", filename)[-1] or filename


def extension(filename: str) -> str:
    """Return the lower-case extension without the dot (``""`` when there is none)."""
    name = display_name(filename)
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def read_file(
    data: bytes,
    filename: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    require_speakers: bool = True,
) -> ParsedTranscript:
    """Read a transcript file of any supported format.

    The format is chosen by the extension of ``filename`` and checked against the content
    (a ``.docx`` that is not a zip, a ``.txt`` that is a PDF, ...). Every problem raises
    ``TranscriptImportError`` naming the file; nothing else escapes for bad input.
    """
    name = display_name(filename)
    reader = READERS.get(extension(name))
    if reader is None:
        raise TranscriptImportError("unsupported_format", filename=name)
    if len(data) > max_bytes:
        raise TranscriptImportError(
            "too_large", filename=name, size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6
        )
    if not data.strip():
        raise TranscriptImportError("empty", filename=name)
    return reader(data, name, require_speakers=require_speakers)
