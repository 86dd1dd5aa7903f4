"""Builders for transcript files made in the tests (no fixtures on disk)."""

import io
import zipfile

import docx
import pytest

from bsbstudio.transcripts.engine import ParsedTranscript

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def make_docx(paragraphs, table_rows=None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table_rows:
        table = document.add_table(rows=0, cols=len(table_rows[0]))
        for row in table_rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_odt(body_xml: str, *, prolog: str = "") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f"<office:document-content {ODT_NS}><office:body><office:text>"
        f"{body_xml}</office:text></office:body></office:document-content>"
    )
    return make_zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": content.encode("utf-8"),
        }
    )


def replace_docx_member(data: bytes, name: str, new: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = new
    return make_zip(members)


def assert_offsets_valid(parsed: ParsedTranscript) -> None:
    last_end = 0
    for turn in parsed.turns:
        assert 0 <= last_end <= turn.start <= turn.end <= len(parsed.text)
        spoken = parsed.text[turn.start : turn.end]
        assert spoken == spoken.strip() or spoken == ""
        if turn.speaker:
            prefix = f"{turn.speaker} ({turn.note}): " if turn.note else f"{turn.speaker}: "
            if spoken:
                assert parsed.text[: turn.start].endswith(prefix)
        last_end = turn.end


@pytest.fixture
def docx_bytes():
    return make_docx
