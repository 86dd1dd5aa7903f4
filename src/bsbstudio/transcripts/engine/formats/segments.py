"""Shared by subtitles and Whisper JSON: timed pieces of speech -> merged speaker turns."""

from __future__ import annotations

from ..model import ParsedTranscript, TranscriptBuilder
from ..plaintext import finish, normalise, parse_lines


def build_turns(
    pieces: list[tuple[str | None, str, str]],
    filename: str,
    *,
    require_speakers: bool,
    source_format: str,
    encoding: str | None = None,
) -> ParsedTranscript:
    """Merge ``(speaker, note, text)`` pieces into turns.

    A piece whose speaker is ``None`` continues the previous speaker; consecutive pieces of the
    same speaker are joined with a space. When no piece names a speaker, the pieces become lines
    parsed like a ``.txt`` file, so codes typed into the text itself are still found.
    """
    pieces = [(s, n, " ".join(normalise(t).split())) for s, n, t in pieces]
    if not any(speaker for speaker, _, _ in pieces):
        lines = [text for _, _, text in pieces]
        return finish(
            parse_lines(lines),
            filename,
            require_speakers=require_speakers,
            source_format=source_format,
            encoding=encoding,
        )
    builder = TranscriptBuilder()
    current: tuple[str, str] | None = None
    texts: list[str] = []
    for speaker, note, text in pieces:
        if speaker is not None and (speaker, note) != current:
            _flush(builder, current, texts)
            current, texts = (speaker, note), []
        if text:
            texts.append(text)
    _flush(builder, current, texts)
    return finish(
        builder,
        filename,
        require_speakers=require_speakers,
        source_format=source_format,
        encoding=encoding,
    )


def _flush(builder: TranscriptBuilder, current: tuple[str, str] | None, texts: list[str]) -> None:
    speaker, note = current or ("", "")
    if speaker or texts:
        builder.add(speaker, " ".join(texts), note)
