"""A coded quote as its speakers said it: "I: … / D1: …" when it runs across speaker turns.

The stored quote is a plain span of the de-identified text; the turns' offsets say who spoke
which part. A quote within one turn is shown as it is.
"""

from __future__ import annotations

from django.db.models import Q

from bsbstudio.transcripts.models import SpeakerTurn

SEPARATOR = " / "
# OR-ed conditions per query: SQLite refuses expressions deeper than 1000.
_CHUNK = 200


def speaker_parts(quote: str, start: int, turns) -> list[tuple[str, str]]:
    """The parts of ``quote`` (which starts at ``start``) said in each of ``turns``, with speakers.

    ``turns`` are (speaker_code, turn_start, turn_end) in text order. Text outside every turn
    (a speaker label, a line break) is left out; text before the first turn keeps no speaker.
    """
    end = start + len(quote)
    parts = []
    first = min((t_start for _code, t_start, _end in turns), default=end)
    if start < first and quote[: first - start].strip():
        parts.append(("", quote[: first - start].strip()))
    for code, t_start, t_end in turns:
        piece = quote[max(t_start, start) - start : min(t_end, end) - start].strip()
        if piece and t_start < end and t_end > start:
            parts.append((code, piece))
    return parts


def render(parts: list[tuple[str, str]]) -> str:
    """``I: … / D1: …`` from the parts."""
    return SEPARATOR.join(f"{code}: {piece}" if code else piece for code, piece in parts)


def with_speakers(segments):
    """Give each segment its ``display_quote``: with speaker labels if it runs across turns.

    Only quotes with a line break can run across turns (each turn is a line of its own), so
    only those look up their turns, in a few queries for the whole list.
    """
    segments = list(segments)
    crossing = [s for s in segments if "\n" in s.quote]
    turns: dict[int, list] = {}
    for at in range(0, len(crossing), _CHUNK):
        overlap = Q(pk__in=[])
        for s in crossing[at : at + _CHUNK]:
            overlap |= Q(deidentified_text_id=s.text_id, start__lt=s.end, end__gt=s.start)
        rows = (
            SpeakerTurn.objects.filter(overlap)
            .order_by("deidentified_text_id", "start", "order")
            .values_list("deidentified_text_id", "speaker_code", "start", "end")
        )
        for text_id, code, t_start, t_end in rows:
            turns.setdefault(text_id, []).append((code, t_start, t_end))
    for s in crossing:
        inside = [t for t in turns.get(s.text_id, []) if t[1] < s.end and t[2] > s.start]
        if len(inside) > 1:
            s.display_quote = render(speaker_parts(s.quote, s.start, inside))
    return segments
