"""Who may do what in an evaluation: every permission rule of BSB Studio, in one table.

A person's rights come from their roles in the evaluation (Membership). Superusers may do
everything. Views use ``evaluation_view``; actions call ``require``. Someone who is not a member
gets "not found", so the existence of an evaluation is not revealed to outsiders.
"""

from __future__ import annotations

import enum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bsbstudio.accounts.models import Membership, Role
from bsbstudio.evaluations.models import Evaluation


class Action(enum.StrEnum):
    """Things a person can do in an evaluation."""

    VIEW_DASHBOARD = "view_dashboard"
    VIEW_REPORTS = "view_reports"  # approved, anonymised outputs: all a commissioner sees
    VIEW_WORK = "view_work"  # guide, fieldwork lists, de-identified texts, matrix
    EDIT_PLAN = "edit_plan"
    EDIT_GUIDE = "edit_guide"
    EDIT_FIELDWORK = "edit_fieldwork"
    VIEW_RAW = "view_raw"  # raw material (audio, raw transcripts): restricted, audited
    ADD_TRANSCRIPT = "add_transcript"
    ADD_RECORDING = "add_recording"
    APPROVE_TRANSCRIPT = "approve_transcript"
    REVIEW_DEID = "review_deid"
    CODE = "code"
    EDIT_REPORT = "edit_report"
    APPROVE_REPORT = "approve_report"  # what a commissioner may receive: process leader only
    MANAGE_TEAM = "manage_team"  # invite, give and take roles: process leader only
    VIEW_AUDIT = "view_audit"  # the evaluation's audit log and its CSV export: process leader only
    OPEN_FEEDBACK = "open_feedback"  # public evaluation-form links: process leader only
    MANAGE_AGREEMENT = (
        "manage_agreement"  # blind double coding, its comparison: process leader only
    )
    IMPORT_PROJECT = "import_project"  # REFI-QDA project or codebook import: process leader only


_TEAM = {Action.VIEW_DASHBOARD, Action.VIEW_REPORTS, Action.VIEW_WORK}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.PROCESS_LEADER: frozenset(Action),
    Role.PEER_INTERVIEWER: frozenset(
        _TEAM
        | {
            Action.EDIT_FIELDWORK,
            Action.VIEW_RAW,
            Action.ADD_TRANSCRIPT,
            Action.ADD_RECORDING,
            Action.APPROVE_TRANSCRIPT,
            Action.REVIEW_DEID,
            Action.CODE,
            Action.EDIT_REPORT,
        }
    ),
    Role.TRANSCRIBER: frozenset(
        _TEAM | {Action.VIEW_RAW, Action.ADD_TRANSCRIPT, Action.REVIEW_DEID}
    ),
    Role.COMMISSIONER: frozenset({Action.VIEW_DASHBOARD, Action.VIEW_REPORTS}),
}


def allowed_actions(user, evaluation: Evaluation) -> frozenset[Action]:
    """Every action ``user`` may take in ``evaluation`` (empty for non-members)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Action)
    roles = Membership.objects.filter(evaluation=evaluation, user=user).values_list(
        "role", flat=True
    )
    actions: set[Action] = set()
    for role in roles:
        actions |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(actions)


def can(user, evaluation: Evaluation, action: Action) -> bool:
    """Whether ``user`` may take ``action`` in ``evaluation``."""
    return action in allowed_actions(user, evaluation)


def require(user, evaluation: Evaluation, action: Action) -> None:
    """Raise PermissionDenied unless ``user`` may take ``action``; Http404 for non-members."""
    actions = allowed_actions(user, evaluation)
    if not actions:
        raise Http404
    if action not in actions:
        raise PermissionDenied


def visible_evaluations(user):
    """The evaluations ``user`` is a member of (all of them for superusers)."""
    if user.is_superuser:
        return Evaluation.objects.all()
    return Evaluation.objects.filter(memberships__user=user).distinct()


def evaluation_view(action: Action):
    """Decorate a view taking ``slug``: load the evaluation, check ``action``, pass it on.

    The view receives ``evaluation`` instead of ``slug``, and ``request.bsb_actions`` holds the
    user's actions for the templates (to show only the links a person may follow).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            evaluation = get_object_or_404(Evaluation, slug=slug)
            require(request.user, evaluation, action)
            request.bsb_actions = allowed_actions(request.user, evaluation)
            return view(request, evaluation, *args, **kwargs)

        return wrapper

    return decorator


# The organisation administrator role is Django's own permission to add an evaluation, granted
# through this group (made by a data migration); superusers hold every permission anyway.
ORG_ADMIN_PERMISSION = "evaluations.add_evaluation"
ORG_ADMIN_GROUP = "Organisation administrators"


def is_org_admin(user) -> bool:
    """Whether ``user`` is an organisation administrator (may start evaluations, manage accounts)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(ORG_ADMIN_PERMISSION))


def require_org_admin(user) -> None:
    """Raise PermissionDenied unless ``user`` is an organisation administrator."""
    if not is_org_admin(user):
        raise PermissionDenied
