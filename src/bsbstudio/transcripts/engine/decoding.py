"""Bytes -> text for plain-text formats (.txt, .srt, .vtt): a strict cascade, binary refused.

The cascade, first match wins:

1. a byte-order mark: UTF-32, UTF-8 or UTF-16 (little or big endian);
2. a known binary signature (ZIP/DOCX, PDF, old Word, images, audio) -> ``not_text``;
3. NUL bytes: UTF-16 without a mark when every second byte is NUL, otherwise ``not_text``;
4. strict UTF-8;
5. strict Windows-1252 (which also reads ISO-8859-1 text with æ, ø and å correctly);
6. charset-normalizer's best guess; no guess -> ``encoding``.

Decoded text with more than 0.5 % control characters (other than tab, newline, form feed and
carriage return) is refused as ``not_text``.
"""

from __future__ import annotations

import codecs
import re

from .errors import TranscriptImportError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

SIGNATURES = [
    (b"PK\x03\x04", "a ZIP archive, such as a DOCX or ODT document"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"ID3", "an audio file"),
    (b"RIFF", "an audio file"),
    (b"OggS", "an audio file"),
    (b"fLaC", "an audio file"),
]

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def sniff_binary(data: bytes) -> str | None:
    """Return a description of the binary format ``data`` starts with, or ``None``."""
    for signature, description in SIGNATURES:
        if data.startswith(signature):
            return description
    if data[4:8] == b"ftyp":
        return "an audio or video file"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.3 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                raise TranscriptImportError("encoding", filename=filename) from None
    described = sniff_binary(data)
    if described:
        raise TranscriptImportError("not_text", filename=filename, detail=described)
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise TranscriptImportError("not_text", filename=filename, detail="binary data")
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise TranscriptImportError(
                "not_text", filename=filename, detail="binary data"
            ) from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise TranscriptImportError("encoding", filename=filename)
    return str(best), best.encoding


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a plain-text file, or raise ``TranscriptImportError``."""
    text, encoding = _decode(data, filename)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise TranscriptImportError("not_text", filename=filename, detail="binary data")
    return text, encoding
