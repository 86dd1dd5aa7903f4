"""Changes to fieldwork: each checks permission, changes data atomically and writes the audit log.

Views hand over valid forms; an action raises ``ValidationError`` when the database refuses the
change (a code taken in the meantime), and ``PermissionDenied`` / ``Http404`` from ``require``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.guide.versions import version_for_interview

from .models import Consent, Informant, Interview, Participation, SamplingCriterion

# How often a generated code is taken again when someone else saved the same code meanwhile.
_CODE_RETRIES = 5


def _save_informant(form) -> Informant:
    """Save, retrying a generated code that a concurrent save took; a typed code is refused."""
    for _attempt in range(_CODE_RETRIES):
        try:
            with transaction.atomic():
                return form.save()
        except IntegrityError:
            if not form.generated_code:
                break
            form.regenerate_code()
    raise ValidationError(
        _("The code %(code)s is already in use in this evaluation.") % {"code": form.instance.code}
    )


@transaction.atomic
def add_informant(actor, evaluation, form) -> Informant:
    """Add an informant from a valid ``InformantForm`` (the code generated if left empty)."""
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    informant = _save_informant(form)
    record(
        actor,
        "informant.create",
        informant,
        evaluation,
        code=informant.code,
        generated_code=form.generated_code,
    )
    return informant


@transaction.atomic
def update_informant(actor, evaluation, form) -> Informant:
    """Save changes to an informant from a valid ``InformantForm`` bound to it."""
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    informant = _save_informant(form)
    record(actor, "informant.update", informant, evaluation, changed=sorted(form.changed_data))
    return informant


def _save_interview(form) -> Interview:
    """Save; a code that someone else saved meanwhile is refused with a message, not an error."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        raise ValidationError(
            _("The code %(code)s is already in use in this evaluation.")
            % {"code": form.instance.code}
        ) from None


def _freeze_guide_if_held(actor, interview: Interview) -> None:
    # The guide version is frozen in the same transaction as the status change, so a held
    # interview never exists without the questions it was asked.
    if interview.status == Interview.Status.HELD and not interview.guide_version_id:
        version_for_interview(actor, interview)


@transaction.atomic
def add_interview(actor, evaluation, form) -> Interview:
    """Plan (or register) an interview from a valid ``InterviewForm``."""
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    interview = _save_interview(form)
    record(actor, "interview.create", interview, evaluation, status=interview.status)
    _freeze_guide_if_held(actor, interview)
    return interview


@transaction.atomic
def update_interview(actor, evaluation, form) -> Interview:
    """Save changes to an interview; marking it held records the guide version it used.

    A new date moves the deletion deadline of the interview's recordings with it.
    """
    from .recordings.actions import move_deadlines

    require(actor, evaluation, Action.EDIT_FIELDWORK)
    interview = _save_interview(form)
    if "date" in form.changed_data:
        move_deadlines(actor, interview)
    record(
        actor,
        "interview.update",
        interview,
        evaluation,
        changed=sorted(form.changed_data),
        status=interview.status,
    )
    _freeze_guide_if_held(actor, interview)
    return interview


@transaction.atomic
def add_participant(actor, interview: Interview, form) -> Participation:
    """Add an informant to an interview under a speaker code, from a valid form."""
    require(actor, interview.evaluation, Action.EDIT_FIELDWORK)
    participation = form.save()
    record(
        actor,
        "participation.create",
        participation,
        interview.evaluation,
        interview=interview.code,
        informant=participation.informant.code,
    )
    return participation


@transaction.atomic
def save_consent(actor, interview: Interview, informant: Informant, values: dict) -> Consent:
    """Store the consent checklist of a participant for an interview (one row per pair).

    ``values`` holds Consent fields (``ConsentForm.values()``). Refused for someone who does not
    take part in the interview.
    """
    require(actor, interview.evaluation, Action.EDIT_FIELDWORK)
    if not interview.participations.filter(informant=informant).exists():
        raise ValidationError(
            _("%(code)s does not take part in interview %(interview)s, so no consent was saved.")
            % {"code": informant.code, "interview": interview.code}
        )
    consent, created = Consent.objects.update_or_create(
        informant=informant,
        interview=interview,
        defaults={**values, "recorded_by": actor},
    )
    record(
        actor,
        "consent.save",
        consent,
        interview.evaluation,
        interview=interview.code,
        informant=informant.code,
        created=created,
        brochure_given=consent.brochure_given,
        oral_consent=consent.oral_consent,
        recording_consent=consent.recording_consent,
        informed_of_rights=consent.informed_of_rights,
        withdrawn_at=consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    )
    return consent


@transaction.atomic
def add_criterion(actor, evaluation, form) -> SamplingCriterion:
    """Add a sampling criterion from a valid ``SamplingCriterionForm``."""
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    try:
        with transaction.atomic():
            criterion = form.save()
    except IntegrityError:
        raise ValidationError(_("This criterion is already in the list.")) from None
    record(
        actor,
        "sampling.criterion.create",
        criterion,
        evaluation,
        attribute=criterion.attribute,
        value=criterion.value,
        target=criterion.target,
        per_site=criterion.per_site,
    )
    return criterion


@transaction.atomic
def remove_criterion(actor, criterion: SamplingCriterion) -> None:
    """Remove a sampling criterion (the audit entry keeps what it said)."""
    evaluation = criterion.evaluation
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    record(
        actor,
        "sampling.criterion.delete",
        criterion,
        evaluation,
        attribute=criterion.attribute,
        value=criterion.value,
        target=criterion.target,
        per_site=criterion.per_site,
    )
    criterion.delete()
