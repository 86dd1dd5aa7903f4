"""``read_file``: pick the importer by extension, check size and content, return turns.

This is the one place formats are registered (``READERS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import TranscriptImportError
from .formats import docx, odt, rtf, subtitles, txt, whisper_json
from .model import ParsedTranscript
from .plaintext import check_words
from .safezip import MAX_PART_BYTES

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

#: Formats in a zip container, whose readers take ``max_part_bytes``.
ZIPPED = {"docx", "odt"}

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
    max_part_bytes: int = MAX_PART_BYTES,
    max_words: int | None = None,
) -> ParsedTranscript:
    """Read a transcript file of any supported format.

    The format is chosen by the extension of ``filename`` and checked against the content
    (a ``.docx`` that is not a zip, a ``.txt`` that is a PDF, ...). Every problem raises
    ``TranscriptImportError`` naming the file; nothing else escapes for bad input. A DOCX or ODT
    part may unpack to ``max_part_bytes`` at most, and the text may hold ``max_words`` words.
    """
    name = display_name(filename)
    ext = extension(name)
    reader = READERS.get(ext)
    if reader is None:
        raise TranscriptImportError("unsupported_format", filename=name)
    if len(data) > max_bytes:
        raise TranscriptImportError(
            "too_large", filename=name, size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6
        )
    if not data.strip():
        raise TranscriptImportError("empty", filename=name)
    options = {"max_part_bytes": max_part_bytes} if ext in ZIPPED else {}
    parsed = reader(data, name, require_speakers=require_speakers, **options)
    check_words(parsed.text, name, max_words)
    return parsed
