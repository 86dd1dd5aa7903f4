"""Keep each coded quote's place in the matrix (group, site, interview) in step with its turn.

The matrix counts ``CodedSegment.group``, ``site`` and ``interview`` directly (one indexed table,
no joins: fast at archive scale). They are copies: the group of the participant whose turn the
quote starts in, and the interview and site of its transcript. When a turn is given another
speaker, an informant another group, or an interview another site, the copies of the quotes
concerned are refreshed here: by signal for a model saved, and by ``refresh`` for code that
updates rows in bulk (the speakers page calls it).
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver

from bsbstudio.fieldwork.models import Informant, Interview
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn

from .models import CodedSegment


def place(segment: CodedSegment) -> None:
    """Set an unsaved segment's group, site and interview from its turn and its text."""
    participation = segment.turn.participation if segment.turn else None
    segment.group_id = participation.informant.group_id if participation else None
    interview = segment.text.transcript.interview
    segment.interview_id, segment.site_id = interview.pk, interview.site_id


def refresh(segments) -> int:
    """Recompute the place of every segment of the queryset ``segments``, in one UPDATE."""
    group = SpeakerTurn.objects.filter(pk=OuterRef("turn_id")).values(
        "participation__informant__group_id"
    )[:1]
    interview = DeidentifiedText.objects.filter(pk=OuterRef("text_id")).values(
        "transcript__interview_id"
    )[:1]
    site = DeidentifiedText.objects.filter(pk=OuterRef("text_id")).values(
        "transcript__interview__site_id"
    )[:1]
    return segments.update(
        group=Subquery(group), interview=Subquery(interview), site=Subquery(site)
    )


# A model just created has no quotes yet; only a change can move quotes in the matrix.
@receiver(post_save, sender=SpeakerTurn, dispatch_uid="matrix_place_turn")
def _turn_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not (raw or created):
        refresh(CodedSegment.objects.filter(turn=instance))


@receiver(post_save, sender=Informant, dispatch_uid="matrix_place_informant")
def _informant_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not (raw or created):
        refresh(CodedSegment.objects.filter(turn__participation__informant=instance))


@receiver(post_save, sender=Interview, dispatch_uid="matrix_place_interview")
def _interview_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not (raw or created):
        refresh(CodedSegment.objects.filter(interview=instance))
