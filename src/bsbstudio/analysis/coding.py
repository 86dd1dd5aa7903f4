"""Coding from a form: turn a selection or a pasted quote into offsets and code it, for every page.

The coding workbench (a selection within or across turns) and the search page (a hit's
sentence, perhaps shortened) post the same form; both code through ``code_from_form``.
"""

from __future__ import annotations

from bsbstudio.errors import gettext_noop

from . import actions
from .models import CodedSegment
from .speakers import render as render_speakers
from .speakers import speaker_parts


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def selection_matches(deidentified, start: int, end: int, quote: str) -> bool:
    """Whether the browser's quote is text[start:end], as stored or as shown "I: … / D1: …"."""
    if not 0 <= start < end <= len(deidentified.text):
        return False
    stored = deidentified.text[start:end]
    if _same_words(stored, quote):
        return True
    turns = deidentified.turns.filter(start__lt=end, end__gt=start).order_by("start", "order")
    parts = speaker_parts(stored, start, turns.values_list("speaker_code", "start", "end"))
    return _same_words(render_speakers(parts), quote)


def code_from_form(actor, deidentified, data) -> CodedSegment:
    """Code the cleaned data of a ``CodeSegmentForm``; SegmentError if it cannot be coded.

    The offsets are used when they hold the quote (as stored, or shown with its speakers);
    otherwise the quote is looked up in the text, nearest the offsets given.
    """
    start, end, quote = data.get("start"), data.get("end"), data["quote"]
    if start is not None and end is not None and start == end:
        raise actions.SegmentError(
            "empty", gettext_noop("The quote is empty: select or paste some text.")
        )
    if start is None or end is None or not selection_matches(deidentified, start, end, quote):
        start, end = actions.locate_quote(deidentified.text, quote, near=start)
    return actions.code_selection(
        actor, deidentified, data["code"], start, end, data["polarity"], data["directness"]
    )
