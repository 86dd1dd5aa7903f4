"""Conference actions: plan, agenda, participants, groups, outputs, validation, minutes.

Every change checks permission, runs in a transaction and writes the audit log. The team
(``EDIT_REPORT``) records the conference; a process leader (``APPROVE_REPORT``) approves the
minutes, and any later change to what the minutes say makes them unapproved again. A commissioner
sees a conference only once its minutes are approved (``visible_conferences``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, can, require
from bsbstudio.analysis.actions import create_emergent_code
from bsbstudio.analysis.models import Code
from bsbstudio.deid import leak_guard
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.reports.actions import LeakRisk, audit_findings_view, may_review_findings

from .engine.minutes import GroupMinutes, MinutesInput, build_minutes, texts_to_scan
from .models import (
    AgendaItem,
    ConferenceGroup,
    DialogueConference,
    GroupOutput,
    ParticipantCount,
    ParticipantRole,
    ThemeValidation,
)

# The method's four steps, the agenda every new conference starts from.
DEFAULT_AGENDA = (
    gettext_noop("Main points of the process report"),
    gettext_noop("Group work on chosen themes"),
    gettext_noop("Groups report to plenum"),
    gettext_noop("Summary and evaluation of the day"),
)


class ConferenceError(UserFacingError):
    """A change to a conference that cannot be made; nothing was changed."""


MESSAGES = {
    "gone": gettext_noop(
        "This conference no longer exists: another member has deleted it. Nothing was saved."
    ),
    "item_gone": gettext_noop(
        "What you changed no longer exists: another member has deleted it. Nothing was saved."
    ),
    "end_before_start": gettext_noop("The end time must be after the start time."),
    "negative": gettext_noop("A number of participants cannot be below zero."),
    "no_theme": gettext_noop("Choose a theme, or choose “New theme” and write its name."),
    "already": gettext_noop("The minutes are already approved."),
    "findings": gettext_noop(
        "Words that may identify someone: %(n)s. A team member who has signed the "
        "confidentiality declaration must check them before the minutes can be approved."
    ),
}


def _error(code: str, **params) -> ConferenceError:
    return ConferenceError(code, MESSAGES[code], **params)


def visible_conferences(user, evaluation):
    """The conferences ``user`` may see: all for the team, approved minutes only for others."""
    conferences = DialogueConference.objects.filter(evaluation=evaluation).select_related("site")
    if can(user, evaluation, Action.VIEW_WORK):
        return conferences
    return conferences.filter(minutes_approved_at__isnull=False)


def _locked(conference_pk: int) -> DialogueConference:
    """The conference, locked for this transaction; "gone" if another member deleted it."""
    conference = (
        DialogueConference.objects.select_for_update(of=("self",))
        .select_related("evaluation")
        .filter(pk=conference_pk)
        .first()
    )
    if conference is None:
        raise _error("gone")
    return conference


def _check_times(start, end) -> None:
    if start and end and end <= start:
        raise _error("end_before_start")


def _reopen(actor, conference: DialogueConference, what: str) -> None:
    """Make approved minutes unapproved after a change to what they say (audited)."""
    if conference.minutes_approved_at is None:
        return
    conference.minutes_approved_at = None
    conference.minutes_approved_by = None
    conference.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    record(actor, "conference.minutes.reopen", conference, conference.evaluation, changed=what)


# --- The plan ---------------------------------------------------------------------------------

PLAN_FIELDS = ("title", "site", "date", "start_time", "end_time", "place", "process_report")
PLAN_LISTS = ("leaders", "invited_groups")


def _apply_plan(conference, data) -> list[str]:
    changed = []
    for name in PLAN_FIELDS:
        if name in data and getattr(conference, name) != data[name]:
            setattr(conference, name, data[name])
            changed.append(name)
    conference.save()
    for name in PLAN_LISTS:
        if name in data:
            manager = getattr(conference, name)
            if {o.pk for o in manager.all()} != {o.pk for o in data[name]}:
                manager.set(data[name])
                changed.append(name)
    return changed


@transaction.atomic
def create_conference(actor, evaluation, data) -> DialogueConference:
    """Plan a conference (fields of ``ConferenceForm``); its agenda starts with the four steps."""
    require(actor, evaluation, Action.EDIT_REPORT)
    _check_times(data.get("start_time"), data.get("end_time"))
    conference = DialogueConference(evaluation=evaluation)
    _apply_plan(conference, data)
    for order, title in enumerate(DEFAULT_AGENDA):
        AgendaItem.objects.create(conference=conference, order=order, title=_(title))
    record(actor, "conference.create", conference, evaluation, title=conference.title)
    return conference


@transaction.atomic
def update_conference(actor, conference_pk: int, data) -> DialogueConference:
    """Change the plan of a conference; "gone" if another member deleted it meanwhile."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    _check_times(data.get("start_time"), data.get("end_time"))
    changed = _apply_plan(conference, data)
    if changed:
        record(actor, "conference.update", conference, conference.evaluation, changed=changed)
    return conference


@transaction.atomic
def delete_conference(actor, conference_pk: int) -> None:
    """Delete a conference with its agenda, groups, outputs and validation."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    record(actor, "conference.delete", conference, conference.evaluation, title=conference.title)
    conference.delete()


@transaction.atomic
def save_notes(actor, conference_pk: int, plenum_notes: str, summary: str) -> bool:
    """Store the plenum notes and the summary; a change unapproves the minutes."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    changed = [
        name
        for name, value in (("plenum_notes", plenum_notes), ("summary", summary))
        if getattr(conference, name) != value
    ]
    if not changed:
        return False
    conference.plenum_notes, conference.summary = plenum_notes, summary
    conference.save(update_fields=changed)
    record(actor, "conference.notes", conference, conference.evaluation, changed=changed)
    _reopen(actor, conference, "notes")
    return True


# --- Agenda -----------------------------------------------------------------------------------


@transaction.atomic
def save_agenda_item(actor, conference_pk: int, item_pk: int | None, data) -> AgendaItem:
    """Add a session to the agenda (``item_pk`` None) or change one."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    _check_times(data.get("start_time"), data.get("end_time"))
    if item_pk is None:
        last = conference.agenda_items.order_by("-order").first()
        item = AgendaItem(conference=conference, order=last.order + 1 if last else 0)
    else:
        item = conference.agenda_items.filter(pk=item_pk).first()
        if item is None:
            raise _error("item_gone")
    for name in ("start_time", "end_time", "title", "description"):
        setattr(item, name, data.get(name) or ("" if name in ("title", "description") else None))
    item.save()
    action = "conference.agenda.add" if item_pk is None else "conference.agenda.update"
    record(actor, action, item, conference.evaluation, conference=conference.pk)
    return item


@transaction.atomic
def move_agenda_item(actor, conference_pk: int, item_pk: int, up: bool) -> None:
    """Swap a session with the one before (``up``) or after it."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    items = list(conference.agenda_items.order_by("order", "pk"))
    index = next((i for i, item in enumerate(items) if item.pk == item_pk), None)
    if index is None:
        raise _error("item_gone")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for order, item in enumerate(items):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    record(
        actor,
        "conference.agenda.move",
        items[other],
        conference.evaluation,
        conference=conference.pk,
        direction="up" if up else "down",
    )


def _delete(actor, conference_pk: int, find, action: str, reopen: str = "", **describe) -> None:
    """Delete what ``find(conference)`` returns, audited as ``action``; call inside a transaction.

    ``describe`` maps audit fields to attribute names of the item (``name="name"``). ``reopen``
    is the section whose approval the deletion withdraws, if any.
    """
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    item = find(conference)
    if item is None:
        raise _error("item_gone")
    data = {field: getattr(item, attribute) for field, attribute in describe.items()}
    record(actor, action, item, conference.evaluation, **data)
    item.delete()
    if reopen:
        _reopen(actor, conference, reopen)


@transaction.atomic
def delete_agenda_item(actor, conference_pk: int, item_pk: int) -> None:
    """Remove a session from the agenda."""
    _delete(
        actor,
        conference_pk,
        lambda c: c.agenda_items.filter(pk=item_pk).first(),
        "conference.agenda.delete",
        title="title",
    )


# --- Participants -----------------------------------------------------------------------------


@transaction.atomic
def set_participant_counts(actor, conference_pk: int, counts: dict[str, int | None]) -> None:
    """Store how many took part per role (None or absent: not counted). No names, ever."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    if any(n is not None and n < 0 for n in counts.values()):
        raise _error("negative")
    before = {pc.role: pc.count for pc in conference.participant_counts.all()}
    for role in ParticipantRole.values:
        count = counts.get(role)
        if count is None:
            conference.participant_counts.filter(role=role).delete()
        else:
            ParticipantCount.objects.update_or_create(
                conference=conference, role=role, defaults={"count": count}
            )
    after = {role: n for role, n in counts.items() if n is not None}
    if after != before:
        record(actor, "conference.participants", conference, conference.evaluation, counts=after)
        _reopen(actor, conference, "participants")


# --- Groups and outputs -----------------------------------------------------------------------


@transaction.atomic
def save_group(actor, conference_pk: int, group_pk: int | None, data) -> ConferenceGroup:
    """Add a work group (``group_pk`` None) or change one: name, roles, themes, questions."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    if group_pk is None:
        last = conference.groups.order_by("-order").first()
        group = ConferenceGroup(conference=conference, order=last.order + 1 if last else 0)
    else:
        group = conference.groups.filter(pk=group_pk).first()
        if group is None:
            raise _error("item_gone")
    group.name = data["name"]
    group.roles = [r for r in ParticipantRole.values if r in data.get("roles", [])]
    group.questions = data.get("questions", "")
    group.save()
    group.themes.set(data.get("themes", []))
    action = "conference.group.add" if group_pk is None else "conference.group.update"
    record(actor, action, group, conference.evaluation, conference=conference.pk)
    _reopen(actor, conference, "groups")
    return group


@transaction.atomic
def delete_group(actor, conference_pk: int, group_pk: int) -> None:
    """Delete a work group with its outputs and their validation."""
    _delete(
        actor,
        conference_pk,
        lambda c: c.groups.filter(pk=group_pk).first(),
        "conference.group.delete",
        "groups",
        name="name",
    )


@transaction.atomic
def save_output(
    actor, conference_pk: int, group_pk: int, output_pk: int | None, kind: str, text: str
) -> GroupOutput:
    """Add (``output_pk`` None) or change what a group said, proposed or brought to plenum."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.EDIT_REPORT)
    group = conference.groups.filter(pk=group_pk).first()
    if group is None:
        raise _error("item_gone")
    if output_pk is None:
        last = group.outputs.filter(kind=kind).order_by("-order").first()
        output = GroupOutput(group=group, order=last.order + 1 if last else 0)
    else:
        output = group.outputs.filter(pk=output_pk).first()
        if output is None:
            raise _error("item_gone")
    output.kind, output.text = kind, text
    output.save()
    action = "conference.output.add" if output_pk is None else "conference.output.update"
    record(actor, action, output, conference.evaluation, group=group.pk, kind=kind)
    _reopen(actor, conference, "outputs")
    return output


@transaction.atomic
def delete_output(actor, conference_pk: int, output_pk: int) -> None:
    """Delete a group output with its validation."""
    _delete(
        actor,
        conference_pk,
        lambda c: GroupOutput.objects.filter(group__conference=c, pk=output_pk).first(),
        "conference.output.delete",
        "outputs",
        kind="kind",
    )


# --- Validation -------------------------------------------------------------------------------


@transaction.atomic
def add_validation(
    actor, conference_pk: int, output_pk: int | None, code: Code | None, status: str, new_name=""
) -> ThemeValidation:
    """Link a group output (or, with no output, the plenum) to a theme with a validation status.

    "New theme" creates an emergent theme named ``new_name`` (or reuses one of that name), the
    same way coding does, so the matrix and the reports see it.
    """
    conference = _locked(conference_pk)
    evaluation = conference.evaluation
    require(actor, evaluation, Action.EDIT_REPORT)
    output = None
    if output_pk is not None:
        output = GroupOutput.objects.filter(group__conference=conference, pk=output_pk).first()
        if output is None:
            raise _error("item_gone")
    if status == ThemeValidation.Status.NEW and new_name.strip():
        code = create_emergent_code(actor, evaluation, new_name)
    if code is None or code.evaluation_id != evaluation.pk:
        raise _error("no_theme")
    validation = ThemeValidation.objects.create(
        conference=conference, output=output, code=code, theme=code.theme, status=status
    )
    record(
        actor,
        "conference.validate",
        validation,
        evaluation,
        code=code.pk,
        status=status,
        output=output.pk if output else None,
    )
    _reopen(actor, conference, "validation")
    return validation


@transaction.atomic
def delete_validation(actor, conference_pk: int, validation_pk: int) -> None:
    """Remove a validation link."""
    _delete(
        actor,
        conference_pk,
        lambda c: c.validations.filter(pk=validation_pk).first(),
        "conference.validate.delete",
        "validation",
    )


def validation_summary(evaluation) -> dict[int, list[tuple[str, int]]]:
    """Per analysis code: (status label, count) of how the evaluation's conferences received it."""
    counts: dict[int, dict[str, int]] = {}
    rows = ThemeValidation.objects.filter(conference__evaluation=evaluation).values_list(
        "code_id", "status"
    )
    for code_id, status in rows:
        per = counts.setdefault(code_id, {})
        per[status] = per.get(status, 0) + 1
    return {
        code_id: [
            (str(label), per[status])
            for status, label in ThemeValidation.Status.choices
            if status in per
        ]
        for code_id, per in counts.items()
    }


# --- Minutes ----------------------------------------------------------------------------------


def _time_range(start, end) -> str:
    parts = [time_format(t, "H:i") for t in (start, end) if t]
    return "–".join(parts)


def minutes_input(conference: DialogueConference) -> MinutesInput:
    """Everything the minutes say, read from the database, with labels in the active language."""
    labels = {
        "minutes": _("Minutes"),
        "draft": _("Draft: the minutes are not approved yet."),
        "agenda": _("Agenda"),
        "time": _("Time"),
        "session": _("Session"),
        "participants": _("Participants"),
        "role": _("Role"),
        "count": _("Number"),
        "total": _("Total"),
        "groups": _("Group work"),
        "roles": _("Participant roles"),
        "themes": _("Themes"),
        "questions": _("Questions"),
        "discussion": _("What the group said"),
        "measures": _("Proposed measures"),
        "plenum": _("Points for plenum"),
        "plenum_notes": _("Plenum"),
        "validation": _("How the findings were received"),
        "theme": _("Theme"),
        "status": _("Status"),
        "source": _("From"),
        "summary": _("Summary"),
        "no_summary": _("No summary written yet."),
    }
    role_names = dict(ParticipantRole.choices)
    groups = []
    for group in conference.groups.prefetch_related("themes", "outputs"):
        outputs = sorted(group.outputs.all(), key=lambda o: (o.order, o.pk))
        by_kind = {
            kind: tuple(o.text for o in outputs if o.kind == kind) for kind in GroupOutput.Kind
        }
        groups.append(
            GroupMinutes(
                name=group.name,
                roles=tuple(group.role_labels()),
                themes=tuple(t.name for t in group.themes.all()),
                questions=tuple(group.question_list()),
                discussion=by_kind[GroupOutput.Kind.DISCUSSION],
                measures=by_kind[GroupOutput.Kind.MEASURE],
                plenum=by_kind[GroupOutput.Kind.PLENUM],
            )
        )
    validations = tuple(
        (
            v.code.name,
            v.get_status_display(),
            v.output.group.name if v.output else _("Plenum"),
        )
        for v in conference.validations.select_related("code", "output__group").order_by(
            "code__kind", "code__order", "code__pk", "pk"
        )
    )
    leaders = ", ".join(
        u.get_full_name() or u.get_username() for u in conference.leaders.order_by("pk")
    )
    approved = ""
    if conference.minutes_approved_at:
        by = conference.minutes_approved_by
        approved = _("Approved by %(name)s on %(date)s.") % {
            "name": (by.get_full_name() or by.get_username()) if by else "–",
            "date": date_format(timezone.localtime(conference.minutes_approved_at).date()),
        }
    when = date_format(conference.date) if conference.date else ""
    times = _time_range(conference.start_time, conference.end_time)
    return MinutesInput(
        title=conference.title,
        labels=labels,
        facts=(
            (_("Evaluation"), conference.evaluation.name),
            (_("Site"), conference.site.name if conference.site else _("All sites")),
            (_("Date"), f"{when} {times}".strip()),
            (_("Place"), conference.place),
            (_("Process leader and co-leaders"), leaders),
            (
                _("Process report presented"),
                conference.process_report.title if conference.process_report else "",
            ),
        ),
        agenda=tuple(
            (_time_range(a.start_time, a.end_time), a.title, a.description)
            for a in conference.agenda_items.order_by("order", "pk")
        ),
        participants=tuple(
            (str(role_names[pc.role]), pc.count)
            for pc in sorted(
                conference.participant_counts.all(),
                key=lambda pc: ParticipantRole.values.index(pc.role),
            )
        ),
        groups=tuple(groups),
        plenum_notes=conference.plenum_notes,
        validations=validations,
        summary=conference.summary,
        approved=approved,
        created=conference.date,
    )


def minutes_review(conference, data: MinutesInput | None = None) -> leak_guard.Review:
    """What the leak guard flags in the minutes that nobody has judged harmless yet."""
    data = data or minutes_input(conference)
    return leak_guard.review(
        conference.evaluation, texts_to_scan(data), conference.reviewed_identifiers
    )


def unreviewed_findings(conference, data: MinutesInput | None = None) -> list:
    """The flagged words that block the minutes."""
    return minutes_review(conference, data).blocking


@transaction.atomic
def approve_minutes(actor, conference_pk: int) -> DialogueConference:
    """The process leader approves the minutes as they are now (the commissioner may then see)."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.APPROVE_REPORT)
    if conference.minutes_approved_at is not None:
        raise _error("already")
    findings = unreviewed_findings(conference)
    if findings:
        raise _error("findings", n=len(findings))
    conference.minutes_approved_at = timezone.now()
    conference.minutes_approved_by = actor
    conference.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    record(actor, "conference.minutes.approve", conference, conference.evaluation)
    return conference


def render_minutes(conference, fmt: str) -> bytes:
    """The minutes as DOCX or PDF bytes after the leak guard; raise LeakRisk on findings."""
    from bsbstudio.reports.engine import render_docx, render_pdf

    data = minutes_input(conference)
    findings = unreviewed_findings(conference, data)
    if findings:
        raise LeakRisk(findings)
    document = build_minutes(data)
    return render_docx(document) if fmt == "docx" else render_pdf(document)


def export_minutes(actor, conference, fmt: str) -> bytes:
    """The minutes for ``actor`` (audited); a commissioner gets approved minutes only."""
    evaluation = conference.evaluation
    require(actor, evaluation, Action.VIEW_REPORTS)
    if conference.minutes_approved_at is None and not can(actor, evaluation, Action.VIEW_WORK):
        raise Http404
    content = render_minutes(conference, fmt)
    record(
        actor,
        "conference.minutes.export",
        conference,
        evaluation,
        format=fmt,
        approved=conference.minutes_approved_at is not None,
        bytes=len(content),
    )
    return content


def export_minutes_from_command(conference, fmt: str) -> bytes:
    """The minutes for the `bsb conference minutes` command (no person; audited as the command)."""
    content = render_minutes(conference, fmt)
    record(
        None,
        "conference.minutes.export",
        conference,
        conference.evaluation,
        format=fmt,
        approved=conference.minutes_approved_at is not None,
        bytes=len(content),
        via="command",
    )
    return content


def show_findings(actor, conference) -> leak_guard.Review:
    """The leak guard's findings in the minutes, for a signed reviewer (the viewing is audited)."""
    require(actor, conference.evaluation, Action.VIEW_REPORTS)
    if not may_review_findings(actor, conference.evaluation):
        raise PermissionDenied
    review = minutes_review(conference)
    audit_findings_view(actor, "conference.leak_view", conference, conference.evaluation, review)
    return review


@transaction.atomic
def mark_reviewed(actor, conference_pk: int) -> None:
    """Remember that a signed reviewer judged the minutes' current findings harmless."""
    conference = _locked(conference_pk)
    require(actor, conference.evaluation, Action.VIEW_REPORTS)
    if not may_review_findings(actor, conference.evaluation):
        raise PermissionDenied
    findings = unreviewed_findings(conference)
    conference.reviewed_identifiers = sorted(
        set(conference.reviewed_identifiers) | {f.text for f in findings}
    )
    conference.save(update_fields=["reviewed_identifiers"])
    record(
        actor,
        "conference.leak_review",
        conference,
        conference.evaluation,
        findings=[{"label": f.label, "length": len(f.text)} for f in findings],
    )
