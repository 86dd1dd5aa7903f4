"""``.vtt`` and ``.srt``: cues -> speaker turns.

A cue's speaker is its WebVTT voice (``<v Kari>``) or a speaker code at the start of a cue line
(``Kari: ...``, the same rule as plain text). A cue without one continues the previous speaker;
consecutive cues of one speaker are merged. Other tags are removed and HTML entities decoded;
the lines of a cue are joined with spaces. Timings are checked for shape but not kept.
"""

from __future__ import annotations

import html
import re

from ..decoding import decode_text
from ..errors import TranscriptImportError
from ..model import ParsedTranscript
from ..plaintext import normalise
from ..speakers import match_code
from .segments import build_turns

_TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")
_BLOCKS = re.compile(r"\n[ \t]*\n")


def cue_pieces(lines: list[str], voices: bool) -> list[tuple[str | None, str, str]]:
    """Return ``(speaker, note, text)`` pieces for the text lines of one cue."""
    pieces: list[tuple[str | None, str, str]] = []
    for line in lines:
        speaker: str | None = None
        note = ""
        voice = _VOICE.search(line) if voices else None
        if voice:
            speaker = " ".join(voice[1].split()) or None
        line = html.unescape(_TAG.sub("", line)).strip()
        if speaker is None:
            found = match_code(line)
            if found:
                speaker, note, line = found.speaker, found.note, line[found.rest :]
        if speaker is None and pieces:
            prev_speaker, prev_note, prev_text = pieces[-1]
            pieces[-1] = (prev_speaker, prev_note, f"{prev_text} {line}")
        else:
            pieces.append((speaker, note, line))
    return pieces


def _cues(text: str, fmt: str, filename: str) -> list[list[str]]:
    cues = []
    for block in _BLOCKS.split(text):
        lines = [line for line in block.split("\n") if line.strip()]
        for index, line in enumerate(lines[:2]):
            if "-->" in line:
                if not _TIMING.match(line):
                    raise TranscriptImportError(
                        "bad_subtitles",
                        filename=filename,
                        format=fmt,
                        detail=f"bad timing line {line.strip()[:40]!r}",
                    )
                cues.append(lines[index + 1 :])
                break
    if not cues:
        raise TranscriptImportError(
            "bad_subtitles", filename=filename, format=fmt, detail="no cues with timings"
        )
    return cues


def _read(data: bytes, filename: str, fmt: str, require_speakers: bool) -> ParsedTranscript:
    text, encoding = decode_text(data, filename)
    text = normalise(text).lstrip()
    if not text:
        raise TranscriptImportError("empty", filename=filename)
    if fmt == "WebVTT" and not re.match(r"WEBVTT(?:[ \t]|\n|$)", text):
        raise TranscriptImportError(
            "bad_subtitles", filename=filename, format=fmt, detail="no WEBVTT header"
        )
    pieces = []
    for cue in _cues(text, fmt, filename):
        pieces.extend(cue_pieces(cue, voices=fmt == "WebVTT"))
    return build_turns(
        pieces,
        filename,
        require_speakers=require_speakers,
        source_format="vtt" if fmt == "WebVTT" else "srt",
        encoding=encoding,
    )


def read_vtt(data: bytes, filename: str, *, require_speakers: bool = True) -> ParsedTranscript:
    """Read WebVTT subtitles."""
    return _read(data, filename, "WebVTT", require_speakers)


def read_srt(data: bytes, filename: str, *, require_speakers: bool = True) -> ParsedTranscript:
    """Read SubRip subtitles."""
    return _read(data, filename, "SRT", require_speakers)
