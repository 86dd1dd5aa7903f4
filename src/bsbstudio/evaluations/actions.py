"""Changes to the plan: create an evaluation (with its first round and leader) and save the plan."""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.models import Membership, Role
from bsbstudio.accounts.policy import Action, require, require_org_admin
from bsbstudio.web.rows import save_rows

from .models import Evaluation, Round


@transaction.atomic
def create_evaluation(actor, form) -> Evaluation:
    """Create an evaluation from a valid form; its creator becomes its process leader.

    Only an organisation administrator may start an evaluation.
    """
    require_org_admin(actor)
    evaluation = form.save(commit=False)
    evaluation.created_by = actor
    evaluation.save()
    Round.objects.create(evaluation=evaluation, number=1)
    Membership.objects.create(evaluation=evaluation, user=actor, role=Role.PROCESS_LEADER)
    record(actor, "evaluation.create", evaluation, evaluation)
    return evaluation


@transaction.atomic
def save_plan(actor, evaluation: Evaluation, form, formsets) -> None:
    """Save the evaluation form and the plan's tables (rows, removals, order) together, or nothing."""
    require(actor, evaluation, Action.EDIT_PLAN)
    form.save()
    for formset in formsets:
        save_rows(formset)
    record(actor, "plan.save", evaluation, evaluation)
