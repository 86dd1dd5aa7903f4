"""Changes to follow-up: add, edit and delete measures, change their status, and export them.

Each function checks the permission, runs in one transaction and writes the audit log. A status
change is kept as a dated history entry with its comment; opening again a measure that was done or
dropped needs a comment, so the history always says why.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.deid import leak_guard
from bsbstudio.errors import UserFacingError, gettext_noop

from .models import Measure, MeasureStatusChange


class MeasureRefused(UserFacingError):
    """A change or export of measures that cannot be done; nothing was changed."""


REFUSALS = {
    "gone": gettext_noop("This measure no longer exists: someone deleted it. Nothing was changed."),
    "unknown_status": gettext_noop(
        "“%(status)s” is not a status of a measure. Nothing was changed."
    ),
    "same_status": gettext_noop("The measure already has this status. Nothing was changed."),
    "reopen_needs_comment": gettext_noop(
        "The measure was “%(status)s”. Write a comment that says why it is opened again. "
        "Nothing was changed."
    ),
    "future": gettext_noop("The date of the change cannot be in the future. Nothing was changed."),
    "before_last": gettext_noop(
        "The date of the change cannot be before the last change (%(day)s). Nothing was changed."
    ),
    "wrong_output": gettext_noop(
        "Only a group's proposed measure from this evaluation can become a measure."
    ),
    "wrong_recommendation": gettext_noop(
        "Only a recommendation of this evaluation's final report can become a measure."
    ),
    "two_sources": gettext_noop(
        "A measure comes from one proposal or one recommendation, not both. Nothing was changed."
    ),
    "findings": gettext_noop(
        "The export was stopped: some measures may name a person or hold a phone number, e-mail "
        "or similar (%(measures)s). Change the text, owner or comment of these measures, then "
        "export again."
    ),
}


def _refused(code: str, **params) -> MeasureRefused:
    return MeasureRefused(code, REFUSALS[code], **params)


def _locked(measure: Measure) -> Measure:
    """The measure, locked for this transaction; refused if someone deleted it meanwhile."""
    try:
        return Measure.objects.select_for_update().get(pk=measure.pk)
    except Measure.DoesNotExist:
        raise _refused("gone") from None


def _status_label(status: str) -> str:
    return str(Measure.Status(status).label) if status in Measure.Status.values else status


@transaction.atomic
def create_measure(
    actor, evaluation, form, *, source_output=None, source_recommendation=None, on=None
) -> Measure:
    """Add a measure from a valid ``MeasureForm``; its first history entry is its status.

    The measure may come from a conference group's proposal or a final report's recommendation
    (one of them). ``on`` dates that entry (today by default; the demo records old measures).
    """
    require(actor, evaluation, Action.EDIT_PLAN)
    measure = form.save(commit=False)
    measure.evaluation = evaluation
    if source_output is not None and source_recommendation is not None:
        raise _refused("two_sources")
    if source_output is not None:
        _check_output(evaluation, source_output)
        measure.source_output = source_output
    if source_recommendation is not None:
        _check_recommendation(evaluation, source_recommendation)
        measure.source_recommendation = source_recommendation
    measure.save()
    form.save_m2m()
    MeasureStatusChange.objects.create(
        measure=measure,
        to_status=measure.status,
        changed_on=on or timezone.localdate(),
        changed_by=actor,
    )
    record(
        actor,
        "measure.create",
        measure,
        evaluation,
        status=measure.status,
        source_output=source_output.pk if source_output is not None else None,
        source_recommendation=(
            source_recommendation.pk if source_recommendation is not None else None
        ),
    )
    return measure


def _check_output(evaluation, output) -> None:
    from bsbstudio.conference.models import GroupOutput

    if (
        output.kind != GroupOutput.Kind.MEASURE
        or output.group.conference.evaluation_id != evaluation.pk
    ):
        raise _refused("wrong_output")


def _check_recommendation(evaluation, recommendation) -> None:
    from bsbstudio.reports.models import Recommendation, Report

    # Read again: the recommendation may have been removed from its chapter meanwhile.
    found = Recommendation.objects.filter(
        pk=recommendation.pk,
        chapter__report__evaluation=evaluation,
        chapter__report__kind=Report.Kind.FINAL,
    ).exists()
    if not found:
        raise _refused("wrong_recommendation")


@transaction.atomic
def update_measure(actor, measure: Measure, form) -> Measure:
    """Save a valid ``MeasureForm`` for an existing measure (its status changes elsewhere)."""
    require(actor, measure.evaluation, Action.EDIT_PLAN)
    _locked(measure)
    measure = form.save()
    record(actor, "measure.update", measure, measure.evaluation, fields=sorted(form.changed_data))
    return measure


@transaction.atomic
def delete_measure(actor, measure: Measure) -> None:
    """Delete a measure and its history."""
    evaluation = measure.evaluation
    require(actor, evaluation, Action.EDIT_PLAN)
    measure = _locked(measure)
    record(actor, "measure.delete", measure, evaluation, text=measure.text[:80])
    measure.delete()


@transaction.atomic
def change_status(
    actor, measure: Measure, status: str, comment: str = "", on=None
) -> MeasureStatusChange:
    """Move a measure to ``status`` on day ``on`` (today by default), with a comment.

    Refused, changing nothing: an unknown or unchanged status, a date in the future or before the
    last change, and a closed measure opened again without a comment.
    """
    require(actor, measure.evaluation, Action.EDIT_PLAN)
    measure = _locked(measure)
    comment = (comment or "").strip()
    today = timezone.localdate()
    on = on or today
    if status not in Measure.Status.values:
        raise _refused("unknown_status", status=status)
    if status == measure.status:
        raise _refused("same_status")
    if measure.status in Measure.CLOSED and status not in Measure.CLOSED and not comment:
        raise _refused("reopen_needs_comment", status=_status_label(measure.status))
    if on > today:
        raise _refused("future")
    last = measure.history.order_by("-changed_on", "-id").first()
    if last is not None and on < last.changed_on:
        raise _refused("before_last", day=last.changed_on)
    change = MeasureStatusChange.objects.create(
        measure=measure,
        from_status=measure.status,
        to_status=status,
        changed_on=on,
        changed_by=actor,
        comment=comment,
    )
    record(
        actor,
        "measure.status",
        measure,
        measure.evaluation,
        from_status=measure.status,
        to_status=status,
        on=on.isoformat(),
    )
    measure.status = status
    measure.save(update_fields=["status"])
    return change


def export_measures(actor, evaluation) -> bytes:
    """The evaluation's measures and their history as XLSX, after the leak guard; audited.

    ``actor`` None is the command line (`bsb export measures`), run by whoever runs the server;
    the audit entry then names the system.
    """
    from .export import export_texts, measures_workbook

    if actor is not None:
        require(actor, evaluation, Action.VIEW_REPORTS)
    measures = list(
        evaluation.measures.select_related("site")
        .prefetch_related("themes", "history")
        .order_by("site__order", "site__name", "due", "id")
    )
    # One scan of everything (the detector is costly to set up), then which measures hold a hit.
    texts = [t for m in measures for t in export_texts(m)]
    found = [f.text for f in leak_guard.scan(evaluation, texts) if f.blocking]
    flagged = [m for m in measures if any(f in t for t in export_texts(m) for f in found)]
    if flagged:
        names = ", ".join(f"«{m.text[:40]}»" for m in flagged[:5])
        raise _refused("findings", measures=names)
    content = measures_workbook(measures)
    record(actor, "measure.export", None, evaluation, format="xlsx", measures=len(measures))
    return content
