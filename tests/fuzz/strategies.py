"""Hypothesis strategies for the importers: random bytes and inputs built like the real formats.

Each format has a strategy that mixes three kinds of input: bytes at random; a well-formed file
of the format with random content (a DOCX zip with random paragraphs, subtitles with random
timings, JSON of random shape, ...); and that file spoiled (cut short, a byte flipped, broken
XML, a DTD, wrong entries). Texts are Norwegian-looking, with the characters that break parsers
(NUL, lone surrogates, BOMs, odd line breaks, combining marks) mixed in.
"""

from __future__ import annotations

import io
import json
import zipfile
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

# --- Text -------------------------------------------------------------------------------------

NORWEGIAN = (
    "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü0123456789 .,:;!?-–«»\"'()[]"
)
TRICKY = "\t\n\r\x00\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u0308\u200b\ufffd<>&:/\\{}"
SPEAKER_CODES = ["I: ", "M: ", "H1: ", "D2: ", "Deltaker 3: ", "[Kari] ", "D (via tolk): ", ""]
#: Encodings a Norwegian transcript is saved in, and some it never is.
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "iso-8859-15",
    "cp865",
    "mac_roman",
    "cp437",
    "utf-7",
]

words = st.text(alphabet=NORWEGIAN, max_size=30)
tricky_text = st.text(alphabet=NORWEGIAN + TRICKY, max_size=40)
any_text = st.one_of(words, tricky_text, st.text(max_size=30))
line = st.tuples(st.sampled_from(SPEAKER_CODES), any_text).map("".join)
transcript_text = st.lists(line, max_size=12).map("\n".join)
norwegian_text = st.one_of(transcript_text, any_text)


@st.composite
def encoded(draw, text=norwegian_text) -> bytes:
    """``text`` in a random encoding (characters it cannot hold replaced)."""
    return draw(text).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def spoiled(draw, data: bytes) -> bytes:
    """``data`` cut short, with bytes flipped, or with random bytes inserted."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        action = draw(st.sampled_from(["cut", "flip", "insert"]))
        at = draw(st.integers(0, len(data) - 1))
        if action == "cut":
            del data[at:]
        elif action == "flip":
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(max_size=8))
    return bytes(data)


def with_spoils(strategy):
    """The strategy's values, half of them spoiled."""
    return st.one_of(strategy, strategy.flatmap(spoiled))


def random_bytes(prefixes=(b"",)):
    """Random bytes, some starting with a signature the importers look at."""
    return st.tuples(st.sampled_from(list(prefixes)), st.binary(max_size=300)).map(
        lambda pair: pair[0] + pair[1]
    )


SIGNATURES = [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"{\\rtf1", b"%PDF"]

# --- XML --------------------------------------------------------------------------------------


def xml_text():
    """Text as it goes into XML: escaped, or raw (and so sometimes not well-formed)."""
    return st.one_of(words.map(escape), tricky_text.map(escape), tricky_text)


@st.composite
def xml_tree(draw, tags: list[str], depth: int = 3) -> str:
    """A random tree of ``tags`` with random text and attributes."""
    tag = draw(st.sampled_from(tags))
    attrs = "".join(
        f" {name}={quoteattr(value)}"
        for name, value in draw(
            st.dictionaries(
                st.sampled_from(
                    ["text:c", "w:val", "name", "guid", "startPosition", "endPosition"]
                ),
                st.one_of(words, st.integers(-5, 10**12).map(str), tricky_text),
                max_size=2,
            )
        ).items()
    )
    children = draw(st.lists(xml_tree(tags, depth - 1), max_size=3)) if depth > 0 else []
    body = draw(xml_text()) + "".join(children)
    return f"<{tag}{attrs}>{body}</{tag}>"


@st.composite
def broken_xml(draw, xml: str) -> str:
    """``xml`` spoiled as XML: a DTD, an entity, a cut, an unclosed tag, or left whole."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "lol">]>' + xml
    if choice == 1:
        return xml[: draw(st.integers(0, len(xml)))]
    if choice == 2:
        return xml.replace(">", ">&e;", 1)
    if choice == 3:
        return xml + "<unclosed>"
    if choice == 4:
        return '<?xml version="1.0" encoding="' + draw(st.sampled_from(ENCODINGS)) + '"?>' + xml
    return xml


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


ENTRY_NAMES = st.one_of(
    st.sampled_from(["a.txt", "sources/x.txt", "../evil", "/abs", "mimetype", "dir/", "C:x"]),
    st.text(max_size=20).filter(lambda s: s and "\x00" not in s),
)


@st.composite
def zip_with(draw, required: dict[str, bytes]) -> bytes:
    """A zip with the ``required`` entries (some dropped) and random extra entries."""
    entries = {name: data for name, data in required.items() if draw(st.integers(0, 9)) > 0}
    entries.update(draw(st.dictionaries(ENTRY_NAMES, st.binary(max_size=40), max_size=3)))
    compression = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    return zip_of(entries, compression)


# --- Transcripts ------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_TAGS = [
    "w:p",
    "w:r",
    "w:t",
    "w:tab",
    "w:br",
    "w:tbl",
    "w:tr",
    "w:tc",
    "w:sdt",
    "w:ins",
    "w:delText",
    "w:body",
]


@st.composite
def docx_paragraphs(draw) -> str:
    lines = draw(st.lists(line, max_size=8))
    return "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in lines)


@st.composite
def docx_document(draw) -> bytes:
    body = draw(st.one_of(docx_paragraphs(), xml_tree(W_TAGS)))
    xml = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    xml = draw(broken_xml(xml))
    return xml.encode(draw(st.sampled_from(["utf-8", "utf-16"])), errors="replace")


def docx_files():
    """DOCX zips with a random body, spoiled ones, and random bytes."""
    made = docx_document().flatmap(
        lambda xml: zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml})
    )
    return st.one_of(with_spoils(made), random_bytes(SIGNATURES))


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)
ODT_TAGS = [
    "text:p",
    "text:h",
    "text:s",
    "text:tab",
    "text:line-break",
    "text:list",
    "text:list-item",
    "text:note",
    "table:table",
    "table:table-row",
    "table:table-cell",
    "office:text",
    "text:span",
]


@st.composite
def odt_content(draw) -> bytes:
    paragraphs = "".join(
        f"<text:p>{escape(text)}</text:p>" for text in draw(st.lists(line, max_size=6))
    )
    body = draw(st.one_of(st.just(paragraphs), xml_tree(ODT_TAGS)))
    xml = f"<office:document-content {ODT_NS}><office:body><office:text>{body}</office:text>"
    xml += "</office:body></office:document-content>"
    return draw(broken_xml(xml)).encode("utf-8", errors="replace")


def odt_files():
    mimetype = st.sampled_from(
        [b"application/vnd.oasis.opendocument.text", b"application/x-other", b"\xff\x00"]
    )
    made = st.tuples(odt_content(), mimetype).flatmap(
        lambda pair: zip_with({"mimetype": pair[1], "content.xml": pair[0]})
    )
    return st.one_of(with_spoils(made), random_bytes(SIGNATURES))


RTF_PIECES = [
    r"\par ",
    r"\line ",
    r"\tab ",
    "{",
    "}",
    r"\'e6",
    r"\'f8",
    r"\'zz",
    r"\u248?",
    r"\u-1?",
    r"\u99999999999?",
    r"\*\generator x;",
    r"{\fonttbl{\f0 Arial;}}",
    r"\bin5 ",
    "\\",
    r"\ansicpg",
    r"{\pict 00ff}",
    "\n",
]


@st.composite
def rtf_files(draw) -> bytes:
    codepage = draw(st.sampled_from(["", r"\ansicpg1252", r"\ansicpg65001", r"\ansicpg99999"]))
    pieces = draw(st.lists(st.one_of(st.sampled_from(RTF_PIECES), words, line), max_size=20))
    text = "{\\rtf1\\ansi" + codepage + " " + "".join(pieces) + draw(st.sampled_from(["}", ""]))
    data = text.encode("cp1252", errors="replace")
    return draw(st.one_of(st.just(data), spoiled(data), random_bytes(SIGNATURES)))


def timestamp(separator: str):
    good = st.tuples(
        st.integers(0, 99), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999)
    ).map(lambda t: f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}{separator}{t[3]:03d}")
    bad = st.one_of(st.text(alphabet="0123456789:.,- ", max_size=14), any_text)
    return st.one_of(good, good, bad)


@st.composite
def subtitle_files(draw, vtt: bool) -> bytes:
    separator = "." if vtt else ","
    cues = []
    for number in range(draw(st.integers(0, 6))):
        start, end = draw(timestamp(separator)), draw(timestamp(separator))
        voice = draw(st.sampled_from(["", "<v Kari>", "<v.loud Ola Nordmann>", "<v>", "<b>"]))
        texts = draw(st.lists(st.one_of(line, tricky_text), min_size=0, max_size=3))
        body = "\n".join(voice + text for text in texts)
        index = f"{number + 1}\n" if draw(st.booleans()) else ""
        cues.append(f"{index}{start} --> {end}\n{body}")
    header = draw(st.sampled_from(["WEBVTT\n\n", "WEBVTT - x\n\n", "", "WEBVTTX\n"])) if vtt else ""
    text = header + "\n\n".join(cues)
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return draw(st.one_of(st.just(data), st.just(data), spoiled(data), random_bytes(SIGNATURES)))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)
segment = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(line, json_values),
        "speaker": st.one_of(st.sampled_from(["SPEAKER_00", "Kari", "", " "]), json_values),
        "start": json_values,
        "end": json_values,
    },
)
whisper_document = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(transcript_text, json_values),
        "segments": st.one_of(st.lists(st.one_of(segment, json_values), max_size=6), json_values),
        "language": st.just("no"),
    },
)


@st.composite
def whisper_files(draw) -> bytes:
    document = draw(st.one_of(whisper_document, whisper_document, json_values))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    choice = draw(st.integers(0, 5))
    if choice == 0:
        depth = draw(st.integers(1, 100_000))
        return ("[" * depth + "]" * draw(st.integers(0, depth))).encode()
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252"])), "replace")
    return draw(st.one_of(st.just(data), st.just(data), spoiled(data), random_bytes(SIGNATURES)))


def txt_files():
    return st.one_of(encoded(), encoded(), encoded().flatmap(spoiled), random_bytes(SIGNATURES))


TRANSCRIPT_FILES = {
    "txt": txt_files(),
    "docx": docx_files(),
    "odt": odt_files(),
    "rtf": rtf_files(),
    "vtt": subtitle_files(vtt=True),
    "srt": subtitle_files(vtt=False),
    "json": whisper_files(),
}

# --- Theme guide tables -----------------------------------------------------------------------


@st.composite
def guide_rows(draw) -> list[list[str]]:
    width = draw(st.integers(1, 5))
    header = ["Tema"] + draw(
        st.lists(
            st.sampled_from(["Brukere", "Ansatte", "Brukere og pårørende", ""]) | words,
            min_size=width - 1,
            max_size=width - 1,
        )
    )
    cell = st.one_of(words, any_text, st.sampled_from(["2.1 Ventetid", "- Hvor lenge?", "'=1+1"]))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=6))
    return [header, *rows] if draw(st.integers(0, 4)) else rows


@st.composite
def guide_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    quote = draw(st.sampled_from(['"', ""]))
    text = "\n".join(
        delimiter.join(f"{quote}{c}{quote}" for c in row) for row in draw(guide_rows())
    )
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def guide_docx(draw) -> bytes:
    rows = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
        + "</w:tr>"
        for row in draw(guide_rows())
    )
    body = draw(st.one_of(st.just(f"<w:tbl>{rows}</w:tbl>"), xml_tree(W_TAGS)))
    xml = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return draw(broken_xml(xml)).encode("utf-8", errors="replace")


CONTENT_TYPES_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)


def guide_files():
    """Guide tables as CSV, as DOCX zips with a random table, XLSX-looking zips, and bytes."""
    docx = guide_docx().flatmap(
        lambda xml: zip_with(
            {
                "[Content_Types].xml": CONTENT_TYPES_DOCX,
                "_rels/.rels": RELS,
                "word/document.xml": xml,
            }
        )
    )
    xlsx = st.tuples(
        xml_tree(["sheet", "row", "c", "v", "workbook"]), st.binary(max_size=40)
    ).flatmap(
        lambda pair: zip_with(
            {
                "[Content_Types].xml": pair[0].encode(),
                "xl/workbook.xml": pair[0].encode(),
                "xl/worksheets/sheet1.xml": pair[1],
            }
        )
    )
    return st.one_of(guide_csv(), with_spoils(docx), xlsx, random_bytes(SIGNATURES))


@st.composite
def guide_outline(draw) -> str:
    lines = draw(
        st.lists(
            st.one_of(
                words,
                st.sampled_from(
                    ["Tema: ", "Undertema: ", "2.1 ", "  - ", "- ", "- Brukere: ", "  1) ", "\t"]
                ).flatmap(lambda p: any_text.map(lambda t: p + t)),
            ),
            max_size=12,
        )
    )
    return "\n".join(lines)


# --- REFI-QDA ---------------------------------------------------------------------------------

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
GUIDS = [
    "11111111-1111-1111-1111-111111111111",
    "{22222222-2222-2222-2222-222222222222}",
    "abc",
    "",
]


@st.composite
def codes_xml(draw, depth: int = 2) -> str:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.one_of(words, st.sampled_from(["A::B", "::", "A::B::C"]), any_text))
        colour = draw(st.sampled_from(["#FF0000", "red", ""]))
        inner = draw(codes_xml(depth - 1)) if depth > 0 else ""
        guid = draw(st.sampled_from(GUIDS))
        items.append(
            f"<Code guid={quoteattr(guid)} name={quoteattr(name)} color={quoteattr(colour)} "
            f'isCodable="true">{inner}</Code>'
        )
    return "".join(items)


@st.composite
def text_source_xml(draw) -> str:
    plain = draw(
        st.sampled_from(
            [
                "internal://a.txt",
                "a.txt",
                "internal://b.docx",
                "file:///etc/passwd",
                "internal://../x",
                "",
                "internal://missing.txt",
            ]
        )
    )
    start, end = draw(st.integers(-5, 400)), draw(st.integers(-5, 400))
    inline = draw(st.one_of(st.none(), transcript_text.map(escape)))
    inline_xml = f"<PlainTextContent>{inline}</PlainTextContent>" if inline is not None else ""
    kind = draw(st.sampled_from(["TextSource", "TextSource", "PDFSource", "AudioSource", "X"]))
    return (
        f"<{kind} guid={quoteattr(draw(st.sampled_from(GUIDS)))} name={quoteattr(draw(words))} "
        f"plainTextPath={quoteattr(plain)}>{inline_xml}"
        f'<PlainTextSelection guid="s" startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="c"><CodeRef targetGUID="{GUIDS[0]}"/></Coding></PlainTextSelection>'
        f"</{kind}>"
    )


@st.composite
def project_qde(draw) -> bytes:
    sources = "".join(draw(st.lists(text_source_xml(), max_size=3)))
    notes = (
        f'<Notes><Note guid="n" name={quoteattr(draw(words))}><PlainTextContent>'
        f"{escape(draw(words))}</PlainTextContent></Note></Notes>"
    )
    cases = (
        '<Variables><Variable guid="v" name="Gruppe" typeOfVariable="Text"/></Variables>'
        '<Cases><Case guid="k" name="K"><VariableValue><VariableRef targetGUID="v"/>'
        f"<TextValue>{escape(draw(words))}</TextValue></VariableValue>"
        '<SourceRef targetGUID="x"/></Case></Cases>'
    )
    structured = (
        f'<Project xmlns="{PROJECT_NS}" name={quoteattr(draw(any_text))}>'
        f"<CodeBook><Codes>{draw(codes_xml())}</Codes></CodeBook>"
        f"{draw(st.sampled_from(['', '<Sets/>']))}<Sources>{sources}</Sources>"
        f"{notes}{cases}</Project>"
    )
    tree = (
        f'<Project xmlns="{PROJECT_NS}">'
        + draw(
            xml_tree(
                [
                    "Sources",
                    "TextSource",
                    "CodeBook",
                    "Codes",
                    "Code",
                    "Notes",
                    "Note",
                    "Cases",
                    "Case",
                    "PlainTextSelection",
                    "Coding",
                    "CodeRef",
                ]
            )
        )
        + "</Project>"
    )
    xml = draw(broken_xml(draw(st.sampled_from([structured, structured, tree]))))
    return xml.encode(draw(st.sampled_from(["utf-8", "utf-16"])), errors="replace")


@st.composite
def qdpx_files(draw) -> bytes:
    project = draw(project_qde())
    name = draw(st.sampled_from(["project.qde", "Project.qde", "PROJECT.QDE", "other.qde"]))
    sources_dir = draw(st.sampled_from(["sources/", "Sources/"]))
    made = draw(
        zip_with(
            {
                name: project,
                sources_dir + "a.txt": draw(encoded()),
                sources_dir + "b.docx": draw(docx_files()),
            }
        )
    )
    return draw(st.one_of(st.just(made), spoiled(made), random_bytes(SIGNATURES)))


@st.composite
def codebook_files(draw) -> bytes:
    structured = f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes>{draw(codes_xml())}</Codes></CodeBook>'
    tree = xml_tree(["CodeBook", "Codes", "Code", "Description"])
    xml = draw(broken_xml(draw(st.one_of(st.just(structured), tree))))
    data = xml.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")
    return draw(st.one_of(st.just(data), st.just(data), spoiled(data), random_bytes(SIGNATURES)))


# --- Recordings -------------------------------------------------------------------------------

AUDIO_SIGNATURES = [
    b"ID3\x04\x00\x00\x00\x00\x00\x00",
    b"RIFF\x00\x00\x00\x00WAVEfmt ",
    b"fLaC\x00\x00\x00\x22",
    b"OggS\x00\x02",
    b"\x00\x00\x00\x20ftypM4A ",
    b"\x00\x00\x00\x18ftypisom",
    b"\xff\xfb\x90\x00",
]


def audio_files():
    return st.one_of(random_bytes(AUDIO_SIGNATURES), st.binary(max_size=64))


range_headers = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.tuples(
        st.sampled_from(["bytes", "BYTES ", "items", ""]),
        st.text(alphabet="0123456789-, ", max_size=30),
    ).map(lambda pair: f"{pair[0]}={pair[1]}"),
)
