"""Carry imported codings from the raw transcript onto its de-identified text.

De-identification replaces hidden words with placeholders of another length, so a coding's
offsets must be moved. The de-identified text is made turn by turn (``deid.actions``): the text
between hidden words is unchanged, and each hidden word becomes its replacement, which the
evaluation's pseudonym mapping still gives (a replacement is remembered on first use). The map
built here is checked against the de-identified text turn by turn; where it does not match (a
change in how texts are made), the unchanged pieces are found in order instead.

A coding that starts or ends inside a hidden word is widened to the whole replacement. Runs when
a ``DeidentifiedText`` is created (``apps.ExchangeConfig.ready`` connects the signal) and after
its transaction commits, once its speaker turns exist.
"""

from __future__ import annotations

import bisect
import copy
import logging
from dataclasses import dataclass

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.analysis.actions import quote_turn
from bsbstudio.analysis.models import CodedSegment, Memo
from bsbstudio.analysis.placement import place
from bsbstudio.deid.engine import Redactor
from bsbstudio.deid.engine.redactor import ELLIPSIS
from bsbstudio.deid.engine.span import QUASI_CATEGORIES
from bsbstudio.deid.models import Detection, PseudonymMapping
from bsbstudio.transcripts.models import DeidentifiedText

from .models import PendingCoding

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Piece:
    """A stretch of the raw text and where it landed; ``same`` when copied character for character."""

    raw_start: int
    raw_end: int
    start: int
    end: int
    same: bool


class OffsetMap:
    """Raw-transcript offsets to de-identified offsets, from the pieces both texts are made of."""

    def __init__(self, pieces: list[Piece]) -> None:
        """``pieces`` in order, covering the raw text without gaps."""
        self.pieces = pieces
        self._starts = [p.raw_start for p in pieces]

    def _at(self, offset: int, is_end: bool) -> Piece:
        index = bisect.bisect_right(self._starts, offset) - 1
        while is_end and index > 0 and self.pieces[index].raw_start >= offset:
            index -= 1  # an end at a piece boundary belongs to the piece before
        return self.pieces[max(index, 0)]

    def map(self, offset: int, is_end: bool = False) -> int:
        """Where raw ``offset`` lands; inside a replaced word, its replacement's start or end."""
        piece = self._at(offset, is_end)
        if piece.same:
            return min(piece.start + max(offset - piece.raw_start, 0), piece.end)
        if is_end:
            return piece.end if offset > piece.raw_start else piece.start
        return piece.start if offset < piece.raw_end else piece.end


def _category(detection: Detection) -> str:
    if detection.label == "QUASI" and detection.category in QUASI_CATEGORIES:
        return detection.category
    return ""


def _replacement(detection: Detection, raw_text: str, redactor: Redactor) -> str:
    """What the redactor wrote for a hidden word (the mapping remembers every replacement)."""
    if _category(detection):
        if detection.replacement == Detection.Replacement.ELLIPSIS:
            return ELLIPSIS
        return f"[{detection.category}]"
    return redactor.replacement(detection.label, raw_text[detection.start : detection.end])


def _turn_pieces(raw: str, raw_start, raw_end, out: str, start, end, hidden, redactor) -> list:
    """The pieces of one turn: unchanged text and replaced words, checked against ``out``."""
    pieces, cursor, position = [], raw_start, start
    for detection in hidden:
        if detection.start < cursor:
            continue  # overlapping hits: the redactor skips them too
        same = detection.start - cursor
        pieces.append(Piece(cursor, detection.start, position, position + same, True))
        position += same
        written = len(_replacement(detection, raw, redactor))
        pieces.append(Piece(detection.start, detection.end, position, position + written, False))
        position += written
        cursor = detection.end
    pieces.append(Piece(cursor, raw_end, position, position + raw_end - cursor, True))
    if position + raw_end - cursor == end and all(
        raw[p.raw_start : p.raw_end] == out[p.start : p.end] for p in pieces if p.same
    ):
        return pieces
    return _found_pieces(raw, raw_start, raw_end, out, start, end, hidden)


def _found_pieces(raw, raw_start, raw_end, out, start, end, hidden) -> list:
    """The pieces of a turn found by searching its unchanged stretches in order (the fallback)."""
    stretches, cursor = [], raw_start
    for detection in hidden:
        if detection.start >= cursor:
            stretches.append((cursor, detection.start))
            cursor = detection.end
    stretches.append((cursor, raw_end))
    pieces, position = [], start
    for index, (a, b) in enumerate(stretches):
        text = raw[a:b]
        if index == 0:
            at = start
        elif index == len(stretches) - 1:
            at = max(end - len(text), position)
        else:
            found = out.find(text, position, end)
            at = found if found >= 0 else position
        if index:
            pieces.append(Piece(stretches[index - 1][1], a, position, at, False))
        pieces.append(Piece(a, b, at, min(at + len(text), end), True))
        position = min(at + len(text), end)
    return pieces


def offset_map(deidentified: DeidentifiedText) -> OffsetMap:
    """The offset map from ``deidentified``'s transcript to it (its turns must exist)."""
    transcript = deidentified.transcript
    raw, out = transcript.raw_text, deidentified.text
    raw_turns = list(transcript.turns.order_by("order"))
    turns = list(deidentified.turns.order_by("order"))
    hidden = list(
        transcript.detections.filter(decision=Detection.Decision.CONFIRMED).order_by("start")
    )
    stored = PseudonymMapping.objects.filter(evaluation=transcript.interview.evaluation).first()
    mapping = copy.deepcopy(stored.mapping) if stored else {}
    redactor = Redactor(mode=mapping.get("mode", "placeholder"), mapping=mapping)
    pieces: list[Piece] = []
    raw_cursor = cursor = 0
    for raw_turn, turn in zip(raw_turns, turns, strict=False):
        # Between turns (speaker labels): copied, unless a label that looked like a name changed.
        between_same = raw_turn.start - raw_cursor == turn.start - cursor
        pieces.append(Piece(raw_cursor, raw_turn.start, cursor, turn.start, between_same))
        inside = [d for d in hidden if raw_turn.start <= d.start and d.end <= raw_turn.end]
        pieces += _turn_pieces(
            raw, raw_turn.start, raw_turn.end, out, turn.start, turn.end, inside, redactor
        )
        raw_cursor, cursor = raw_turn.end, turn.end
    pieces.append(
        Piece(raw_cursor, len(raw), cursor, len(out), len(raw) - raw_cursor == len(out) - cursor)
    )
    return OffsetMap(pieces)


def carry_codings(deidentified_pk: int) -> int:
    """Turn the pending codings of the text's transcript into quotes; return how many were made."""
    with transaction.atomic():
        deidentified = (
            DeidentifiedText.objects.select_related("transcript__interview__evaluation")
            .filter(pk=deidentified_pk)
            .first()
        )
        if deidentified is None:
            return 0
        pending = list(
            PendingCoding.objects.select_for_update(of=("self",))
            .filter(transcript=deidentified.transcript)
            .select_related("code", "created_by")
            .order_by("start", "pk")
        )
        if not pending:
            return 0
        evaluation = deidentified.transcript.interview.evaluation
        mapping = offset_map(deidentified)
        made = dropped = memos = 0
        for item in pending:
            start, end = mapping.map(item.start), mapping.map(item.end, is_end=True)
            quote = deidentified.text[start:end]
            if item.code is None or end <= start or not quote.strip():
                for note in item.notes:  # a note on the text, or on a passage that is gone
                    Memo.objects.create(
                        evaluation=evaluation,
                        deidentified_text=deidentified,
                        text=note,
                        author=item.created_by,
                    )
                    memos += 1
                dropped += item.code is not None
                continue
            facets = {
                name: getattr(item, name)
                for name, choices in (
                    ("polarity", CodedSegment.Polarity),
                    ("directness", CodedSegment.Directness),
                )
                if getattr(item, name) in choices.values
            }
            segment = CodedSegment(
                text=deidentified,
                code=item.code,
                turn=quote_turn(deidentified, start, end),
                start=start,
                end=end,
                quote=quote,
                created_by=item.created_by,
                **facets,
            )
            place(segment)
            segment.save()
            made += 1
            for note in item.notes:
                Memo.objects.create(
                    evaluation=evaluation, segment=segment, text=note, author=item.created_by
                )
                memos += 1
        PendingCoding.objects.filter(pk__in=[p.pk for p in pending]).delete()
        record(
            deidentified.created_by,
            "exchange.carry_codings",
            deidentified,
            evaluation,
            segments=made,
            dropped=dropped,
            memos=memos,
        )
        return made


def on_deidentified_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """When a de-identified text is made, carry its transcript's pending codings after commit."""
    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: carry_codings(pk), robust=True)
