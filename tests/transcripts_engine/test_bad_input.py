"""Broken, empty, huge, wrongly encoded and hostile files: a clear error naming the file."""

import io
import json
import zipfile

import pytest

from bsbstudio.transcripts.engine import TranscriptImportError, read_file

from .conftest import make_docx, make_odt, make_zip, replace_docx_member

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>I: &xxe;</w:t></w:r></w:p></w:body></w:document>"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    b"<text:p>I: &b;</text:p></office:text></office:body></office:document-content>"
)


def zip_bomb(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(member, b"\0" * 60_000_000)
    return out.getvalue()


def good_docx() -> bytes:
    return make_docx(["I: Hei", "M: Hallo"])


def utf16_without_speakers() -> bytes:
    return "bare tekst".encode("utf-16")


CASES = [
    # (name, data, filename, code)
    ("empty txt", b"", "tom.txt", "empty"),
    ("blank txt", b"  \r\n\t", "tom.txt", "empty"),
    ("empty docx", b"", "tom.docx", "empty"),
    ("docx without text", make_docx([]), "blank.docx", "empty"),
    ("no speakers txt", b"Bare tekst her.\nOg mer.", "ingen.txt", "no_speaker_codes"),
    ("no speakers docx", make_docx(["Bare tekst"]), "ingen.docx", "no_speaker_codes"),
    ("no speakers utf16", utf16_without_speakers(), "ingen.txt", "no_speaker_codes"),
    ("binary junk", bytes(range(256)) * 20, "junk.txt", "not_text"),
    ("pdf as txt", b"%PDF-1.7\n...", "rapport.txt", "not_text"),
    ("docx as txt", good_docx(), "intervju.txt", "not_text"),
    ("audio as txt", b"ID3\x04\x00" + b"\x00" * 100, "lyd.txt", "not_text"),
    ("bad utf-16", b"\xff\xfe" + b"\x00\xd8" * 3, "bad.txt", "encoding"),
    ("unknown extension", b"I: hei", "intervju.pages", "unsupported_format"),
    ("no extension", b"I: hei", "intervju", "unsupported_format"),
    ("not a zip docx", b"I: hei, jeg er egentlig tekst", "intervju.docx", "corrupt"),
    ("truncated docx", good_docx()[:-300], "kuttet.docx", "corrupt"),
    ("truncated docx middle", good_docx()[:2000], "kuttet.docx", "corrupt"),
    ("zip without document", make_zip({"a.txt": b"I: hei"}), "feil.docx", "corrupt"),
    (
        "malformed xml docx",
        replace_docx_member(good_docx(), "word/document.xml", b"<w:document><w:body>"),
        "feil.docx",
        "corrupt",
    ),
    ("xxe docx", replace_docx_member(good_docx(), "word/document.xml", XXE), "xxe.docx", "unsafe"),
    ("docx zip bomb", zip_bomb("word/document.xml"), "bombe.docx", "unsafe"),
    ("odt zip bomb", zip_bomb("content.xml"), "bombe.odt", "unsafe"),
    ("odt billion laughs", make_zip({"content.xml": BILLION_LAUGHS}), "latter.odt", "unsafe"),
    ("odt malformed", make_odt("<text:p>I: hei"), "feil.odt", "corrupt"),
    (
        "odt not text doc",
        make_zip(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"}
        ),
        "regneark.odt",
        "corrupt",
    ),
    ("docx as odt", good_docx(), "feil.odt", "corrupt"),
    ("rtf without header", b"I: hei", "a.rtf", "corrupt"),
    ("invalid json", b'{"segments": [', "w.json", "bad_json"),
    ("json list", b"[1, 2]", "w.json", "bad_json"),
    ("json bad segment", json.dumps({"segments": [{"text": 3}]}).encode(), "w.json", "bad_json"),
    (
        "json bad speaker",
        json.dumps({"segments": [{"text": "a", "speaker": {}}]}).encode(),
        "w.json",
        "bad_json",
    ),
    ("json deeply nested", b"[" * 100_000 + b"]" * 100_000, "w.json", "bad_json"),
    ("json not utf", b'{"text": "\xff\xfe\xfa"}', "w.json", "encoding"),
    ("vtt without header", b"00:00:01.000 --> 00:00:02.000\nI: hei", "a.vtt", "bad_subtitles"),
    ("vtt without cues", b"WEBVTT\n\nI: hei", "a.vtt", "bad_subtitles"),
    ("srt without cues", b"I: hei\nM: hallo", "a.srt", "bad_subtitles"),
    ("srt bad timing", b"1\n00:00 --> soon\nI: hei", "a.srt", "bad_subtitles"),
    ("srt no speakers", b"1\n00:00:01,000 --> 00:00:02,000\nhei", "a.srt", "no_speaker_codes"),
]


@pytest.mark.parametrize(
    ("data", "filename", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_file_is_refused_with_a_message_naming_it(data, filename, code):
    with pytest.raises(TranscriptImportError) as caught:
        read_file(data, filename)
    error = caught.value
    assert error.code == code, error.message
    assert filename in error.message
    assert error.params["filename"] == filename


def test_too_large():
    with pytest.raises(TranscriptImportError) as caught:
        read_file(b"I: " + b"a" * 2000, "stor.txt", max_bytes=1000)
    assert caught.value.code == "too_large"
    assert "stor.txt" in caught.value.message and "MB" in caught.value.message


def test_path_in_filename_is_reduced_to_the_name():
    with pytest.raises(TranscriptImportError) as caught:
        read_file(b"", "C:\\Users\\kari\\tom.txt")
    assert caught.value.params["filename"] == "tom.txt"


def test_docx_with_dtd_but_no_entities_is_still_refused():
    xml = XXE.replace(b' [<!ENTITY xxe SYSTEM "file:///etc/passwd">]', b"").replace(
        b"&xxe;", b"hei"
    )
    with pytest.raises(TranscriptImportError) as caught:
        read_file(replace_docx_member(good_docx(), "word/document.xml", xml), "dtd.docx")
    assert caught.value.code == "unsafe"
