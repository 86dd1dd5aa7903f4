r"""``.odt``: paragraphs, headings, lists and table rows of ``content.xml``, in order.

Read with zipfile and defusedxml (DTDs and entities refused); ``text:s``, ``text:tab`` and
``text:line-break`` become spaces, ``\t`` and ``\n``; footnote and annotation bodies are left
out. The lines are then parsed like a ``.txt`` file.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from ..errors import TranscriptImportError
from ..model import ParsedTranscript
from ..plaintext import finish, normalise, parse_lines
from ..safezip import MAX_PART_BYTES, open_zip, parse_xml, read_member
from .tables import row_line

T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_PARAGRAPHS = {T + "p", T + "h"}
_SKIP = {T + "note", OFFICE + "annotation", T + "bookmark-ref"}
_CONTAINERS = {
    T + "list",
    T + "list-item",
    T + "list-header",
    T + "section",
    OFFICE + "text",
    TABLE + "table-row-group",
    TABLE + "table-rows",
    TABLE + "table-header-rows",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def inline_text(element: Element, parts: list[str]) -> None:
    """Append the text of an inline element and its children to ``parts``."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == T + "s":
            parts.append(" " * int(child.get(T + "c", "1") or 1))
        elif tag == T + "tab":
            parts.append("\t")
        elif tag == T + "line-break":
            parts.append("\n")
        elif tag not in _SKIP:
            inline_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def block_lines(parent: Element) -> Iterator[str]:
    """Yield the text of each paragraph and table row under ``parent``, in order."""
    for child in parent:
        tag = child.tag
        if tag in _PARAGRAPHS:
            parts: list[str] = []
            inline_text(child, parts)
            yield "".join(parts)
        elif tag == TABLE + "table":
            for row in child.iter(TABLE + "table-row"):
                cells = ["\n".join(block_lines(c)) for c in row.findall(TABLE + "table-cell")]
                yield row_line(cells)
        elif tag in _CONTAINERS:
            yield from block_lines(child)


def read(
    data: bytes,
    filename: str,
    *,
    require_speakers: bool = True,
    max_part_bytes: int = MAX_PART_BYTES,
) -> ParsedTranscript:
    """Read an OpenDocument text transcript."""
    archive = open_zip(data, filename, "ODT")
    if "mimetype" in archive.namelist():
        mimetype = read_member(archive, "mimetype", filename, "ODT").strip()
        if mimetype != ODT_MIMETYPE:
            raise TranscriptImportError(
                "corrupt", filename=filename, format="ODT", detail="not a text document"
            )
    xml = read_member(archive, "content.xml", filename, "ODT", max_part_bytes)
    root = parse_xml(xml, filename, "ODT")
    body = root.find(OFFICE + "body")
    try:
        lines_text = "\n".join(block_lines(body if body is not None else root))
    except ValueError:  # a text:s with a non-numeric count
        raise TranscriptImportError(
            "corrupt", filename=filename, format="ODT", detail="malformed XML"
        ) from None
    lines = normalise(lines_text).split("\n")
    return finish(
        parse_lines(lines), filename, require_speakers=require_speakers, source_format="odt"
    )
