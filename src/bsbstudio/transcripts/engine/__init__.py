"""Transcript import engine: files and pasted text -> canonical text and speaker turns.

Plain Python without Django. Public API::

    parse_text(text, filename="", *, require_speakers=True, max_words=None) -> ParsedTranscript
    read_file(data, filename, max_bytes=50_000_000, *, require_speakers=True,
              max_part_bytes=MAX_PART_BYTES, max_words=None) -> ParsedTranscript

``ParsedTranscript.text`` is the canonical text (each turn on its own line as ``CODE: speech``)
and ``.turns`` its ``Turn(speaker, start, end, note)`` list, offsets in code points into the
text covering the speech only. Bad input raises ``TranscriptImportError`` (a
``bsbstudio.errors.UserFacingError``) with a stable ``code``. See ``docs/transcripts.md``.
"""

from .errors import TranscriptImportError
from .model import ParsedTranscript, Turn
from .plaintext import parse_text
from .reader import READERS, read_file
from .speakers import match_code, split_code

__all__ = [
    "READERS",
    "ParsedTranscript",
    "TranscriptImportError",
    "Turn",
    "match_code",
    "parse_text",
    "read_file",
    "split_code",
]
