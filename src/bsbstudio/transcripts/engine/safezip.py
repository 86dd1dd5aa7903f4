"""Open DOCX/ODT containers and parse their XML without the dangers of either.

Zip bombs are refused from the archive's directory before anything is decompressed: too many
members, too much data in all, or a large member that expands more than ``MAX_RATIO`` times.
A part that is read (``word/document.xml``, ``content.xml``) may unpack to ``max_part_bytes`` at
most (default ``MAX_PART_BYTES``): a document that compresses only 8 times, and so passes the
ratio check, can still hold hundreds of megabytes of XML, which parsed takes gigabytes of memory.
Reads are also capped at the size the directory declares, and at that limit. XML is parsed with defusedxml with
DTDs forbidden, so a ``<!DOCTYPE>`` (and with it every entity, internal or external) is refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import TranscriptImportError

MAX_MEMBERS = 5_000
MAX_UNCOMPRESSED = 250_000_000
MAX_RATIO = 100
RATIO_FLOOR = 1_000_000  # members smaller than this are not ratio-checked
MAX_PART_BYTES = 20 * 1024 * 1024

_READ_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)


def open_zip(data: bytes, filename: str, fmt: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive after checking its directory for a zip bomb."""
    if not data.startswith(b"PK"):
        raise TranscriptImportError(
            "corrupt", filename=filename, format=fmt, detail="not a zip container"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _READ_ERRORS + (NotImplementedError,):
        raise TranscriptImportError(
            "corrupt", filename=filename, format=fmt, detail="broken zip container"
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise TranscriptImportError("unsafe", filename=filename, detail="too many parts")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise TranscriptImportError(
                "unsafe", filename=filename, detail="compressed far beyond what a document needs"
            )
    if total > MAX_UNCOMPRESSED:
        raise TranscriptImportError("unsafe", filename=filename, detail="too much data inside")
    return archive


def read_member(
    archive: zipfile.ZipFile,
    name: str,
    filename: str,
    fmt: str,
    max_part_bytes: int = MAX_PART_BYTES,
) -> bytes:
    """Read one member, never more than its declared size or ``max_part_bytes``.

    A missing member is ``corrupt``; one that unpacks to more than ``max_part_bytes`` is
    ``part_too_large``, refused from the directory before a byte is decompressed.
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise TranscriptImportError(
            "corrupt", filename=filename, format=fmt, detail=f"{name} is missing"
        ) from None
    if info.file_size > max_part_bytes:
        raise TranscriptImportError(
            "part_too_large",
            filename=filename,
            size_mb=info.file_size / 1e6,
            limit_mb=max_part_bytes / 1e6,
        )
    try:
        with archive.open(info) as member:
            data = member.read(min(info.file_size, max_part_bytes) + 1)
    except _READ_ERRORS + (NotImplementedError,):
        raise TranscriptImportError(
            "corrupt", filename=filename, format=fmt, detail=f"{name} cannot be read"
        ) from None
    if len(data) > info.file_size:
        raise TranscriptImportError("unsafe", filename=filename, detail="size does not match")
    return data


def parse_xml(data: bytes, filename: str, fmt: str) -> Element:
    """Parse XML with DTDs, entities and external references forbidden."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise TranscriptImportError(
            "unsafe", filename=filename, detail="XML declarations (DTD or entities)"
        ) from None
    except (ParseError, ValueError, RecursionError):
        raise TranscriptImportError(
            "corrupt", filename=filename, format=fmt, detail="malformed XML"
        ) from None
