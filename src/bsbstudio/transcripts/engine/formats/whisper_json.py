"""``.json`` as Whisper-style tools write it: ``{"text": ..., "segments": [...]}``.

Segments with a ``speaker`` (WhisperX, diarised output) become turns, consecutive segments of one
speaker merged and a segment without one continuing the previous speaker. When no segment has
a speaker, each segment's text becomes a line parsed like a ``.txt`` file, so codes typed into
the text are found; without any, the file is refused as ``no_speaker_codes`` (or becomes one
turn with speaker ``""`` when speakers are not required). A file with only ``text`` is parsed
like a ``.txt`` file.
"""

from __future__ import annotations

import json

from ..errors import TranscriptImportError
from ..model import ParsedTranscript
from ..plaintext import parse_text
from .segments import build_turns


def _bad(filename: str, detail: str) -> TranscriptImportError:
    return TranscriptImportError("bad_json", filename=filename, detail=detail)


def read(data: bytes, filename: str, *, require_speakers: bool = True) -> ParsedTranscript:
    """Read a Whisper-style JSON transcript."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise TranscriptImportError("encoding", filename=filename) from None
    except json.JSONDecodeError as error:
        raise _bad(filename, f"line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise _bad(filename, "nested too deeply") from None
    if not isinstance(document, dict):
        raise _bad(filename, "the top level is not an object")
    segments = document.get("segments")
    if segments is None:
        text = document.get("text")
        if not isinstance(text, str):
            raise _bad(filename, "neither “segments” nor “text”")
        return parse_text(text, filename, require_speakers=require_speakers, source_format="json")
    if not isinstance(segments, list):
        raise _bad(filename, "“segments” is not a list")
    pieces: list[tuple[str | None, str, str]] = []
    for number, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("text", ""), str):
            raise _bad(filename, f"segment {number} has no text")
        speaker = segment.get("speaker")
        if speaker is not None and not isinstance(speaker, (str, int)):
            raise _bad(filename, f"segment {number} has a speaker that is not a name")
        speaker = " ".join(str(speaker).split()) if speaker is not None else None
        pieces.append((speaker or None, "", segment.get("text", "")))
    return build_turns(pieces, filename, require_speakers=require_speakers, source_format="json")
