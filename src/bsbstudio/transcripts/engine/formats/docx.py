r"""``.docx``: the body's paragraphs (and table rows) in order, read straight from the XML.

``word/document.xml`` is parsed with defusedxml rather than through python-docx: that refuses
DTDs and entities by construction, reads paragraphs inside tables and content controls, keeps
tracked insertions and drops tracked deletions, and is faster. Tabs and line breaks inside a
paragraph become ``\t`` and ``\n``; the lines are then parsed like a ``.txt`` file.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from ..model import ParsedTranscript
from ..plaintext import finish, normalise, parse_lines
from ..safezip import MAX_PART_BYTES, open_zip, parse_xml, read_member
from .tables import row_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = W + "p", W + "tbl", W + "tr", W + "tc", W + "t"
_SPECIAL = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"}


def paragraph_text(paragraph: Element) -> str:
    """Return the visible text of a ``w:p`` (deleted text is in ``w:delText``, not ``w:t``)."""
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == _T:
            if node.text:
                parts.append(node.text)
        elif tag in _SPECIAL:
            parts.append(_SPECIAL[tag])
    return "".join(parts)


def block_lines(parent: Element) -> Iterator[str]:
    """Yield the text of each paragraph and table row under ``parent``, in order."""
    for child in parent:
        tag = child.tag
        if tag == _P:
            yield paragraph_text(child)
        elif tag == _TBL:
            for row in child.iter(_TR):
                cells = ["\n".join(block_lines(cell)) for cell in row.findall(_TC)]
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
    """Read a Word transcript."""
    archive = open_zip(data, filename, "DOCX")
    xml = read_member(archive, "word/document.xml", filename, "DOCX", max_part_bytes)
    root = parse_xml(xml, filename, "DOCX")
    body = root.find(W + "body")
    lines = normalise("\n".join(block_lines(body if body is not None else root))).split("\n")
    return finish(
        parse_lines(lines), filename, require_speakers=require_speakers, source_format="docx"
    )
