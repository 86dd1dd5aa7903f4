r"""``.rtf``: converted to plain text with striprtf, then parsed like a ``.txt`` file.

The code page comes from the document's ``\ansicpg`` (Windows-1252 when absent); ``\uN``
escapes are honoured by striprtf.
"""

from __future__ import annotations

import codecs
import re

from striprtf.striprtf import rtf_to_text

from ..errors import TranscriptImportError
from ..model import ParsedTranscript
from ..plaintext import parse_text

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def read(data: bytes, filename: str, *, require_speakers: bool = True) -> ParsedTranscript:
    """Read a Rich Text Format transcript."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{\\rtf"):
        raise TranscriptImportError(
            "corrupt", filename=filename, format="RTF", detail="no RTF header"
        )
    match = _CODEPAGE.search(head[:2000])
    encoding = f"cp{int(match[1])}" if match else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(head.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception:  # striprtf raises assorted errors on broken input
        raise TranscriptImportError(
            "corrupt", filename=filename, format="RTF", detail="broken RTF"
        ) from None
    return parse_text(text, filename, require_speakers=require_speakers, source_format="rtf")
