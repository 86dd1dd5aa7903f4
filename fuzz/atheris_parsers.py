"""Coverage-guided fuzzing of BSB Studio's parsers with atheris (libFuzzer for Python).

Not part of the test suite and not a dependency: install atheris into a throw-away virtual
environment and run one target at a time (see docs/fuzzing.md)::

    python fuzz/atheris_parsers.py TARGET [CORPUS_DIR] [-max_total_time=120] [libFuzzer options]

Each target feeds the fuzzer's bytes to one importer and lets only the importer's documented
error pass; anything else is a crash, which libFuzzer saves as ``crash-<sha1>`` in the current
folder (replay it with ``python fuzz/atheris_parsers.py TARGET crash-<sha1>``). The ``*-xml``
targets put the bytes inside a well-formed zip, so the fuzzer works on the XML and the reader
rather than on zip checksums. Run ``--list`` for the targets.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# The REFI-QDA reader needs Django's settings; a throw-away data folder keeps it off real data.
os.environ.setdefault("BSB_DATA_DIR", tempfile.mkdtemp(prefix="bsb-atheris-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")

with atheris.instrument_imports(include=["bsbstudio", "striprtf", "defusedxml", "json"]):
    from bsbstudio.fieldwork.recordings.engine import RangeNotSatisfiable, parse_range, sniff_audio
    from bsbstudio.guide.engine import table_import
    from bsbstudio.transcripts.engine import TranscriptImportError, parse_text, read_file


def _zip(name: str, data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in {**(extra or {}), name: data}.items():
            archive.writestr(member, content)
    return out.getvalue()


def transcript(extension: str):
    """The target for the transcript reader under ``extension``."""

    def run(data: bytes) -> None:
        try:
            parsed = read_file(data, f"intervju.{extension}", max_words=100_000)
        except TranscriptImportError:
            return
        assert "\x00" not in parsed.text
        for turn in parsed.turns:
            assert 0 <= turn.start <= turn.end <= len(parsed.text)

    return run


def docx_xml(data: bytes) -> None:
    """The bytes as the body XML of a DOCX transcript."""
    transcript("docx")(_zip("word/document.xml", data))


def odt_xml(data: bytes) -> None:
    """The bytes as the content XML of an ODT transcript."""
    mimetype = {"mimetype": b"application/vnd.oasis.opendocument.text"}
    transcript("odt")(_zip("content.xml", data, mimetype))


def pasted(data: bytes) -> None:
    """The bytes as pasted transcript text."""
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    try:
        parse_text(text, require_speakers=False)
    except TranscriptImportError:
        pass


def guide_file(data: bytes) -> None:
    """The bytes as a theme guide file (DOCX, XLSX or CSV)."""
    try:
        table_import.read_file(data, "guide")
    except table_import.TableImportError:
        pass


def guide_docx_xml(data: bytes) -> None:
    """The bytes as the body XML of a DOCX theme guide."""
    guide_file(_zip("word/document.xml", data))


def guide_text(data: bytes) -> None:
    """The bytes as pasted theme guide text (a table or an outline)."""
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    try:
        table_import.read_text(text)
    except table_import.TableImportError:
        pass


def _django():
    import django

    django.setup()
    with atheris.instrument_imports(include=["bsbstudio.exchange"]):
        from bsbstudio.exchange import codebook_import, qdpx_import
        from bsbstudio.exchange.archive import ImportRefused
    return codebook_import, qdpx_import, ImportRefused


QDPX_PATH = Path(tempfile.mkdtemp(prefix="bsb-qdpx-")) / "x.qdpx"


def qdpx(data: bytes) -> None:
    """The bytes as a REFI-QDA project archive (.qdpx)."""
    _path = QDPX_PATH
    _codebook, qdpx_import, refused = EXCHANGE
    _path.write_bytes(data)
    try:
        qdpx_import.preview(_path, "x.qdpx")
    except refused:
        pass


def qdpx_xml(data: bytes) -> None:
    """The bytes as the project.qde of a REFI-QDA archive."""
    qdpx(_zip("project.qde", data, {"sources/a.txt": "D1: Hei på deg.\n".encode()}))


def codebook(data: bytes) -> None:
    """The bytes as a REFI-QDA codebook (.qdc)."""
    codebook_import, _qdpx, refused = EXCHANGE
    try:
        codebook_import.read_codebook(data, "x.qdc")
    except refused:
        pass


def byte_range(data: bytes) -> None:
    """A Range header and file size, and audio sniffing, from the bytes."""
    provider = atheris.FuzzedDataProvider(data)
    size = provider.ConsumeIntInRange(0, 10**12)
    header = provider.ConsumeUnicodeNoSurrogates(64)
    try:
        found = parse_range(header, size)
    except RangeNotSatisfiable:
        return
    assert found is None or 0 <= found.start <= found.end < size
    sniff_audio(provider.ConsumeBytes(64))


TARGETS = {
    **{ext: transcript(ext) for ext in ("txt", "docx", "odt", "rtf", "vtt", "srt", "json")},
    "docx-xml": docx_xml,
    "odt-xml": odt_xml,
    "pasted": pasted,
    "guide": guide_file,
    "guide-docx-xml": guide_docx_xml,
    "guide-text": guide_text,
    "qdpx": qdpx,
    "qdpx-xml": qdpx_xml,
    "codebook": codebook,
    "range": byte_range,
}
NEEDS_DJANGO = {"qdpx", "qdpx-xml", "codebook"}
EXCHANGE = None

SEEDS = {
    "txt": ["I: Hvordan var det?\nD1: Det tok lang tid, tre måneder.\n".encode()],
    "vtt": [b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kari>Hei p\xc3\xa5 deg.\n"],
    "srt": [
        b"1\n00:00:01,000 --> 00:00:02,000\nI: Hei.\n\n2\n00:00:03,000 --> 00:00:04,000\nD1: Ja.\n"
    ],
    "json": [b'{"segments": [{"speaker": "SPEAKER_00", "text": "Hei."}, {"text": "Ja."}]}'],
    "rtf": [rb"{\rtf1\ansi\ansicpg1252 I: Hei p\'e5 deg.\par D1: Ja.\par}"],
    "docx-xml": [
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>I: Hei.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r>"
        b"<w:t>D1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Ja.</w:t></w:r></w:p></w:tc>"
        b"</w:tr></w:tbl></w:body></w:document>"
    ],
    "odt-xml": [
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        b'<text:p>I: Hei.<text:s text:c="3"/>Ja.</text:p></office:text></office:body>'
        b"</office:document-content>"
    ],
    "guide-text": [b"Tilgang\n- Brukere: Hvordan kom du i kontakt?\n  - Hvor lenge?\n"],
    "guide": [b"Tema;Brukere;Ansatte\nTilgang;Hvordan?;Hvorfor?\n"],
    "qdpx-xml": [
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes><Code guid="A"'
        b' name="X::Y" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="S"'
        b' name="a" plainTextPath="internal://a.txt"><PlainTextSelection guid="T"'
        b' startPosition="0" endPosition="3"><Coding guid="C"><CodeRef targetGUID="A"/>'
        b"</Coding></PlainTextSelection></TextSource></Sources></Project>"
    ],
    "codebook": [
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="A" name="Tilgang"'
        b' isCodable="true"><Code guid="B" name="Ventetid" isCodable="true"/></Code></Codes>'
        b"</CodeBook>"
    ],
}
SEEDS["docx"] = [_zip("word/document.xml", SEEDS["docx-xml"][0])]
SEEDS["odt"] = [_zip("content.xml", SEEDS["odt-xml"][0])]
SEEDS["guide-docx-xml"] = SEEDS["docx-xml"]
SEEDS["pasted"] = SEEDS["txt"]
SEEDS["qdpx"] = [_zip("project.qde", SEEDS["qdpx-xml"][0], {"sources/a.txt": SEEDS["txt"][0]})]


def main() -> None:
    """Run the target named on the command line."""
    global EXCHANGE
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(__doc__)
        print("targets:", " ".join(TARGETS))
        sys.exit(0 if "--list" in sys.argv else 2)
    target = sys.argv[1]
    if target in NEEDS_DJANGO:
        EXCHANGE = _django()
    arguments = [sys.argv[0], *sys.argv[2:]]
    corpus = next((a for a in sys.argv[2:] if not a.startswith("-")), None)
    if corpus and not Path(corpus).exists():
        Path(corpus).mkdir(parents=True)
    if corpus and Path(corpus).is_dir() and not any(Path(corpus).iterdir()):
        for number, seed in enumerate(SEEDS.get(target, [])):
            (Path(corpus) / f"seed-{number}").write_bytes(seed)
    atheris.Setup(arguments, TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
