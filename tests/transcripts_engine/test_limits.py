"""Issue 8, hole 4: memory bounds of an import, refused from the zip directory or by counting.

A DOCX that compresses only a few times (so the ratio check lets it by) may still unpack to
hundreds of megabytes of XML; each part that is read has its own limit. A transcript has a limit
on words. Both refusals name the file.
"""

import io
import time
import zipfile

import pytest

from bsbstudio.transcripts.engine import TranscriptImportError, parse_text, read_file
from bsbstudio.transcripts.engine.safezip import MAX_PART_BYTES

from .conftest import make_docx, make_zip, replace_docx_member

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(size: int) -> bytes:
    paragraph = "<w:p><w:r><w:t>I: Det tok lang tid før de kom.</w:t></w:r></w:p>".encode()
    body = paragraph * (size // len(paragraph) + 1)
    return b"<w:document " + W.encode() + b"><w:body>" + body + b"</w:body></w:document>"


def test_default_part_limit_is_at_most_20_mib():
    assert MAX_PART_BYTES <= 20 * 1024 * 1024


def test_expanding_docx_is_refused_quickly_from_the_directory():
    # Stored, not compressed: the ratio check cannot see it; the part limit must.
    xml = document_xml(MAX_PART_BYTES + 1024)
    base = make_docx(["I: Hei."])
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = xml
    data = make_zip(members, compression=zipfile.ZIP_STORED)
    started = time.perf_counter()
    with pytest.raises(TranscriptImportError) as caught:
        read_file(data, "bombe.docx", max_bytes=len(data) + 1)
    assert time.perf_counter() - started < 2
    assert caught.value.code == "part_too_large"
    assert "bombe.docx" in caught.value.message
    assert "20.0 MB" in caught.value.message or "21.0 MB" in caught.value.message


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_part_limit_is_configurable(fmt):
    if fmt == "docx":
        data = replace_docx_member(
            make_docx(["I: Hei."]), "word/document.xml", document_xml(200_000)
        )
    else:
        from .conftest import make_odt

        data = make_odt("<text:p>I: Det tok lang tid.</text:p>" * 8_000)
    with pytest.raises(TranscriptImportError) as caught:
        read_file(data, f"stor.{fmt}", max_part_bytes=100_000)
    assert caught.value.code == "part_too_large"
    assert f"stor.{fmt}" in caught.value.message
    # Under the limit the same file reads.
    assert read_file(data, f"stor.{fmt}", max_part_bytes=1_000_000).turns


def test_too_many_words_in_a_file_is_refused_naming_it():
    data = ("I: " + "ord " * 30 + "\nD1: " + "ord " * 30 + "\n").encode()
    with pytest.raises(TranscriptImportError) as caught:
        read_file(data, "lang.txt", max_words=50)
    assert caught.value.code == "too_many_words"
    assert "lang.txt" in caught.value.message and "50" in caught.value.message
    assert len(read_file(data, "lang.txt", max_words=70).turns) == 2


def test_too_many_words_in_pasted_text_is_refused():
    with pytest.raises(TranscriptImportError) as caught:
        parse_text("I: " + "ord " * 100, max_words=99)
    assert caught.value.code == "too_many_words"
    assert "The text has more than 99 words" in caught.value.message
