"""Searching within one transcript page: which turns match, and the matches cut out for <mark>.

The page always carries every turn: without JavaScript the ``?q=`` and ``?speaker=`` filter
hides the others with the ``hidden`` attribute, and the script (``static/transcripts/search.js``)
can then show them again as the search changes. Matching is case-insensitive and literal, the
same as the script's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY = 200


@dataclass
class TurnRow:
    """A turn as the page shows it."""

    order: int
    speaker: str
    who: str
    pieces: list[tuple[str, bool]]
    shown: bool


def clean_query(value: str | None) -> str:
    """The search words as typed, trimmed and cut to a sane length."""
    return " ".join((value or "").split())[:MAX_QUERY]


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """Cut ``text`` into ``(piece, is_match)`` pieces around each match of ``query``."""
    if not query:
        return [(text, False)] if text else []
    pieces, cursor = [], 0
    for match in re.finditer(re.escape(query), text, re.IGNORECASE):
        if match.start() > cursor:
            pieces.append((text[cursor : match.start()], False))
        pieces.append((match.group(), True))
        cursor = match.end()
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def turn_rows(text: str, turns, describe, query: str = "", speaker: str = "") -> list[TurnRow]:
    """Rows for ``turns`` of ``text``; ``describe(turn)`` says who spoke (pseudonym and group).

    A row is shown when its speaker is ``speaker`` (or ``speaker`` is empty) and its text
    contains ``query`` (or ``query`` is empty).
    """
    rows = []
    for turn in turns:
        pieces = highlight(text[turn.start : turn.end], query)
        shown = (not speaker or turn.speaker_code == speaker) and (
            not query or any(hit for _piece, hit in pieces)
        )
        rows.append(TurnRow(turn.order, turn.speaker_code, describe(turn), pieces, shown))
    return rows
