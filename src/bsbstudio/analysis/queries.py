"""Reading coded quotes for the matrix: which informant group and site each quote comes from."""

from __future__ import annotations

from bisect import bisect_right

from bsbstudio.transcripts.models import SpeakerTurn

from .engine.matrix import MatrixSegment
from .models import CodedSegment


def matrix_segments(evaluation) -> list[MatrixSegment]:
    """Every coded quote of the evaluation with its speaker's group and its interview's site.

    A quote belongs to the group of the participant whose turn it starts in; quotes from an
    interviewer's turn have no group and so stay out of the matrix.
    """
    segments = list(
        CodedSegment.objects.filter(code__evaluation=evaluation)
        .select_related("text__transcript__interview")
        .order_by("text_id", "start")
    )
    starts_by_text: dict[int, list[int]] = {}
    groups_by_text: dict[int, list] = {}
    for row in (
        SpeakerTurn.objects.filter(deidentified_text_id__in={s.text_id for s in segments})
        .order_by("deidentified_text_id", "start")
        .values_list("deidentified_text_id", "start", "participation__informant__group_id")
    ):
        starts_by_text.setdefault(row[0], []).append(row[1])
        groups_by_text.setdefault(row[0], []).append(row[2])
    result = []
    for segment in segments:
        starts = starts_by_text.get(segment.text_id, [])
        index = bisect_right(starts, segment.start) - 1
        group_id = groups_by_text[segment.text_id][index] if index >= 0 else None
        interview = segment.text.transcript.interview
        result.append(
            MatrixSegment(
                segment_id=segment.pk,
                theme_id=segment.code_id,
                group_id=group_id,
                site_id=interview.site_id,
                interview_id=interview.pk,
                text=segment.quote,
                polarity=segment.polarity,
                directness=segment.directness,
            )
        )
    return result
