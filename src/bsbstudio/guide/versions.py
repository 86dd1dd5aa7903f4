"""Guide versions: freeze the guide when an interview first uses it.

The live tables (Theme, InformantGroup, GuideQuestion) are the working draft. When an interview is
held (or gets a recording or transcript), it records the frozen version it used: the latest one if
the draft has not changed since, else a new version frozen from the draft now. So an edit after
the first interview never rewrites what earlier interviews were asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max

from bsbstudio.accounts.audit import record

from .models import GuideQuestion, GuideVersion


def snapshot(evaluation) -> dict:
    """The whole guide as plain JSON-ready data, in display order."""
    questions: dict[int, list[dict]] = {}
    for q in GuideQuestion.objects.filter(theme__evaluation=evaluation).select_related("group"):
        questions.setdefault(q.theme_id, []).append(
            {"group": q.group.code, "text": q.text, "subquestions": q.subquestions}
        )
    return {
        "groups": [
            {"code": g.code, "name": g.name} for g in evaluation.informant_groups.order_by("order")
        ],
        "themes": [
            {
                "id": t.pk,
                "name": t.name,
                "description": t.description,
                "parent": t.parent_id,
                "questions": sorted(questions.get(t.pk, []), key=lambda q: q["group"]),
            }
            for t in evaluation.themes.order_by("order", "id")
        ],
    }


def latest_version(evaluation) -> GuideVersion | None:
    """The most recently frozen version, or None before the first interview."""
    return evaluation.guide_versions.order_by("-number").first()


@dataclass(frozen=True, slots=True)
class DraftStatus:
    """Where the draft stands against the frozen versions, for the guide pages."""

    latest: GuideVersion | None
    frozen_with: object | None  # the first interview that used ``latest`` (fieldwork.Interview)
    differs: bool

    @property
    def next_number(self) -> int:
        """The number the draft will get when the next interview freezes it."""
        return (self.latest.number if self.latest else 0) + 1


def draft_status(evaluation) -> DraftStatus:
    """The latest frozen version, the interview it was frozen for, and whether the draft moved on."""
    latest = latest_version(evaluation)
    if latest is None:
        return DraftStatus(latest=None, frozen_with=None, differs=True)
    return DraftStatus(
        latest=latest,
        frozen_with=first_interview(latest),
        differs=latest.snapshot != snapshot(evaluation),
    )


def first_interview(version: GuideVersion):
    """The earliest interview that used ``version`` (by date, then code), or None."""
    return version.interviews.order_by(F("date").asc(nulls_last=True), "code").first()


def draft_differs(evaluation) -> bool:
    """Whether the draft has changes that the next held interview will freeze as a new version."""
    latest = latest_version(evaluation)
    return latest is None or latest.snapshot != snapshot(evaluation)


@transaction.atomic
def version_for_interview(actor, interview) -> GuideVersion:
    """The version ``interview`` used: kept if already set, else frozen from the draft if new."""
    if interview.guide_version_id:
        return interview.guide_version
    evaluation = interview.evaluation
    # Two transcripts uploaded at once for interviews without a version would both number theirs
    # max + 1 (PostgreSQL lets both read the maximum); the first to lock the evaluation goes first.
    type(evaluation).objects.select_for_update().filter(pk=evaluation.pk).first()
    current = snapshot(evaluation)
    latest = latest_version(evaluation)
    if latest is None or latest.snapshot != current:
        number = (evaluation.guide_versions.aggregate(n=Max("number"))["n"] or 0) + 1
        latest = GuideVersion.objects.create(
            evaluation=evaluation, number=number, snapshot=current, frozen_by=actor
        )
        record(actor, "guide.freeze", latest, evaluation, version=number, interview=interview.code)
    interview.guide_version = latest
    interview.save(update_fields=["guide_version"])
    return latest
