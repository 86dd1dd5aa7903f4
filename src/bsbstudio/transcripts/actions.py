"""Changes to transcripts: bring a parsed transcript in as a new immutable version."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require

from .models import SpeakerTurn, Transcript


def turn_rows(turns, participations, **owner) -> list[SpeakerTurn]:
    """SpeakerTurn rows for engine turns, linked to the interview's participants by speaker code."""
    by_code = {p.speaker_code.casefold(): p for p in participations}
    return [
        SpeakerTurn(
            order=order,
            speaker_code=turn.speaker,
            start=turn.start,
            end=turn.end,
            participation=by_code.get(turn.speaker.casefold()),
            **owner,
        )
        for order, turn in enumerate(turns)
    ]


@transaction.atomic
def import_transcript(actor, interview, parsed, filename: str = "") -> Transcript:
    """Store a parsed transcript and its turns, then flag identifiers for review; all or nothing."""
    from bsbstudio.deid.actions import detect_identifiers
    from bsbstudio.guide.versions import version_for_interview

    evaluation = interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    latest = interview.transcripts.aggregate(v=Max("version"))["v"] or 0
    transcript = Transcript.objects.create(
        interview=interview,
        version=latest + 1,
        raw_text=parsed.text,
        source_filename=filename[:255],
        created_by=actor,
    )
    SpeakerTurn.objects.bulk_create(
        turn_rows(parsed.turns, interview.participations.all(), transcript=transcript)
    )
    record(
        actor,
        "transcript.import",
        transcript,
        evaluation,
        filename=filename,
        turns=len(parsed.turns),
        characters=len(parsed.text),
    )
    version_for_interview(actor, interview)
    detect_identifiers(actor, transcript)
    return transcript
