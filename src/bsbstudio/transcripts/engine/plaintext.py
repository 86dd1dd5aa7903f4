"""Plain text with speaker codes at line start -> canonical text and turns.

Every importer ends here or in ``TranscriptBuilder``: DOCX, ODT and RTF give lines of text that
are parsed exactly like a ``.txt`` file, so one rule recognises speaker codes everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

from .errors import TranscriptImportError
from .model import ParsedTranscript, TranscriptBuilder, tidy_lines
from .speakers import match_code

# Line breaks other than "\n" become "\n"; other control characters (NUL, escape, DEL) and
# byte-order marks are dropped; lone surrogates (not storable as UTF-8) become U+FFFD.
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_DROP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WORD = re.compile(r"\S+")


def check_words(text: str, filename: str, max_words: int | None) -> None:
    """Refuse a text of more than ``max_words`` words (``None``: no limit).

    Counting stops at the limit, so a huge text costs no more than a text at the limit; the
    de-identification that follows an import grows with the length of the text.
    """
    if max_words is None:
        return
    if sum(1 for _ in islice(_WORD.finditer(text), max_words + 1)) > max_words:
        raise TranscriptImportError("too_many_words", filename=filename, limit=max_words)


def normalise(text: str) -> str:
    r"""Return ``text`` with ``\n`` newlines, NFC, no control characters or BOM.

    Trailing whitespace is stripped later, line by line, by the builder.
    """
    text = _NEWLINES.sub("\n", text)
    text = _DROP.sub("", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def parse_lines(
    lines: list[str],
    builder: TranscriptBuilder | None = None,
) -> TranscriptBuilder:
    """Add the turns found in normalised ``lines`` to ``builder`` (a new one by default).

    A line that starts with a speaker code opens a turn; any other line continues the current
    turn; lines before the first code form a header turn with speaker ``""``.
    """
    builder = builder or TranscriptBuilder()
    speaker, note, current = "", "", []
    for line in lines:
        found = match_code(line) if line and (line[0].isalpha() or line[0] in "[ \t") else None
        if found is None:
            current.append(line)
            continue
        builder.add(speaker, tidy_lines(current), note)
        speaker, note, current = found.speaker, found.note, [line[found.rest :]]
    builder.add(speaker, tidy_lines(current), note)
    return builder


def finish(
    builder: TranscriptBuilder,
    filename: str,
    *,
    require_speakers: bool,
    source_format: str,
    encoding: str | None = None,
) -> ParsedTranscript:
    """Check the builder's result (not empty, has speakers when required) and return it."""
    if not builder.turns:
        raise TranscriptImportError("empty", filename=filename)
    if require_speakers and not builder.has_speakers:
        raise TranscriptImportError("no_speaker_codes", filename=filename)
    return builder.build(source_format, encoding)


def parse_text(
    text: str,
    filename: str = "",
    *,
    require_speakers: bool = True,
    source_format: str = "text",
    encoding: str | None = None,
    max_words: int | None = None,
) -> ParsedTranscript:
    """Parse a transcript with speaker codes at line start (``I:``, ``H1:``, ``[Kari]``).

    ``filename`` only names the source in error messages (``""`` for pasted text, which selects
    the messages that say "the text"). Raises ``TranscriptImportError`` with code ``empty`` when
    there is nothing but whitespace, and ``no_speaker_codes`` when no line starts with a code,
    unless ``require_speakers`` is false (then the whole text is one turn with speaker ``""``),
    and ``too_many_words`` past ``max_words`` words.
    """
    check_words(text, filename, max_words)
    builder = parse_lines(normalise(text).split("\n"))
    return finish(
        builder,
        filename,
        require_speakers=require_speakers,
        source_format=source_format,
        encoding=encoding,
    )
