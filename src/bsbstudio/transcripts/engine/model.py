r"""The result of an import: the canonical text and its speaker turns (taleturer).

The canonical text is what every later offset refers to (Unicode code points, end-exclusive).
It reads like a transcript: each turn on its own line as ``CODE: spoken text`` (``CODE (note):``
when the code carried a note such as "via tolk"), continuation lines kept under their turn,
``\n`` newlines, NFC, no trailing whitespace. A turn's ``start``/``end`` cover the spoken text
only, never the code, the colon or the space after it. Text before the first code (a header) is
a turn with speaker ``""`` and no prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn (taletur): who speaks and where the spoken text lies.

    ``speaker`` is the code as written, whitespace collapsed ("I", "H1", "Deltaker 2", "Kari");
    ``""`` for a header. ``note`` is a parenthesised remark after the code ("via tolk").
    """

    speaker: str
    start: int
    end: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class ParsedTranscript:
    """A parsed transcript: canonical ``text`` and its ``turns`` in reading order.

    ``source_format`` is the importer that read it (``txt``, ``docx``, ``odt``, ``rtf``,
    ``vtt``, ``srt``, ``json`` or ``text`` for pasted text) and ``encoding`` the byte encoding
    detected for text formats (``None`` otherwise).
    """

    text: str
    turns: list[Turn] = field(default_factory=list)
    source_format: str = "text"
    encoding: str | None = None

    def spoken(self, turn: Turn) -> str:
        """Return the spoken text of ``turn``."""
        return self.text[turn.start : turn.end]

    def speakers(self) -> list[str]:
        """Return the distinct speaker codes in order of first appearance, without ``""``."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker:
                seen.setdefault(turn.speaker, None)
        return list(seen)

    def to_dict(self) -> dict:
        """Return the JSON shape of ``bsb transcript parse --json``."""
        return {
            "text": self.text,
            "turns": [
                {"speaker": t.speaker, "start": t.start, "end": t.end}
                | ({"note": t.note} if t.note else {})
                for t in self.turns
            ],
        }


def tidy_lines(lines: list[str]) -> str:
    """Join a turn's lines: strip trailing whitespace, drop blank lines at either end.

    Runs of blank lines inside a turn become one blank line; the first line loses its leading
    whitespace (later lines keep their indentation).
    """
    out: list[str] = []
    blank = False
    for line in lines:
        line = line.rstrip()
        if not line:
            blank = True
            continue
        if not out:
            line = line.lstrip()
        elif blank:
            out.append("")
        blank = False
        out.append(line)
    return "\n".join(out)


class TranscriptBuilder:
    """Assemble the canonical text turn by turn, keeping offsets exact."""

    def __init__(self) -> None:
        """Start an empty transcript."""
        self._parts: list[str] = []
        self._length = 0
        self.turns: list[Turn] = []

    def _write(self, piece: str) -> None:
        if self._parts:
            self._parts.append("\n")
            self._length += 1
        self._parts.append(piece)
        self._length += len(piece)

    def add(self, speaker: str, spoken: str, note: str = "") -> None:
        """Add a turn; ``speaker == ""`` adds a header (kept only when not blank).

        ``spoken`` must already be tidy (see ``tidy_lines``).
        """
        if not speaker:
            if not spoken:
                return
            self._write(spoken)
            self.turns.append(Turn("", self._length - len(spoken), self._length))
            return
        label = f"{speaker} ({note})" if note else speaker
        self._write(f"{label}: {spoken}" if spoken else f"{label}:")
        self.turns.append(Turn(speaker, self._length - len(spoken), self._length, note))

    @property
    def has_speakers(self) -> bool:
        """Whether any turn has a speaker code."""
        return any(turn.speaker for turn in self.turns)

    def build(self, source_format: str = "text", encoding: str | None = None) -> ParsedTranscript:
        """Return the finished transcript."""
        return ParsedTranscript("".join(self._parts), self.turns, source_format, encoding)
