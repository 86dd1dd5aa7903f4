"""``.txt``: decode (see ``decoding``), then parse speaker codes at line start."""

from __future__ import annotations

from ..decoding import decode_text
from ..model import ParsedTranscript
from ..plaintext import parse_text


def read(data: bytes, filename: str, *, require_speakers: bool = True) -> ParsedTranscript:
    """Read a plain-text transcript."""
    text, encoding = decode_text(data, filename)
    return parse_text(
        text, filename, require_speakers=require_speakers, source_format="txt", encoding=encoding
    )
