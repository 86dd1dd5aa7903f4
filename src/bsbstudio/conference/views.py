"""Views of the dialogue conference (step 7): parse input, call conference.actions, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.reports.actions import LeakRisk, may_review_findings
from bsbstudio.web.messages import user_message

from . import actions
from .forms import (
    AgendaItemForm,
    ConferenceForm,
    GroupForm,
    NotesForm,
    OutputForm,
    ParticipantsForm,
    ValidationForm,
)
from .models import ParticipantRole, ThemeValidation

NOT_SAVED = "Nothing was saved. Correct the fields marked below."
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _detail_url(evaluation, conference, anchor=""):
    url = reverse("conference:detail", args=[evaluation.slug, conference.pk])
    return f"{url}#{anchor}" if anchor else url


def conference_view(action: Action = Action.VIEW_REPORTS, *, edit: bool = False):
    """Decorate a view of one conference: load it (if this person may see it), handle refusals.

    A conference another member deleted gives the team a plain message, not an error page; a
    refused change (``ConferenceError``) is shown as a message and changes nothing.
    """

    def decorator(view):
        @evaluation_view(action)
        @wraps(view)
        def wrapper(request, evaluation, pk, *args, **kwargs):
            if edit and Action.EDIT_REPORT not in request.bsb_actions:
                raise PermissionDenied
            visible = actions.visible_conferences(request.user, evaluation)
            conference = visible.filter(pk=pk).first()
            if conference is None:
                if Action.VIEW_WORK not in request.bsb_actions:
                    raise Http404
                messages.error(request, _(actions.MESSAGES["gone"]))
                return redirect("conference:list", evaluation.slug)
            try:
                return view(request, evaluation, conference, *args, **kwargs)
            except actions.ConferenceError as error:
                messages.error(request, user_message(error))
                if error.code == "gone":
                    return redirect("conference:list", evaluation.slug)
                return redirect(_detail_url(evaluation, conference))

        return wrapper

    return decorator


def _page(request, evaluation, template, **context):
    return render(
        request,
        f"conference/{template}",
        {"evaluation": evaluation, "nav_active": "conference", **context},
    )


def _form_page(request, evaluation, conference, form, heading, action_url):
    return _page(
        request,
        evaluation,
        "form.html",
        conference=conference,
        form=form,
        heading=heading,
        action_url=action_url,
    )


def _delete_item(request, evaluation, conference, item, *, delete, done, what, anchor, also=""):
    """Ask before deleting ``item`` (a GET); on a POST delete it through ``delete`` and go back.

    ``delete(actor, conference_pk, item_pk)`` is the action, ``done`` the message after it,
    ``what(item)`` names the item on the confirmation page, ``also`` says what goes with it.
    """
    if item is None:
        raise actions.ConferenceError("item_gone", actions.MESSAGES["item_gone"])
    back = _detail_url(evaluation, conference, anchor)
    if request.method == "POST":
        delete(request.user, conference.pk, item.pk)
        messages.success(request, done)
        return redirect(back)
    return _confirm(request, evaluation, conference, what(item), also, back)


def _confirm(request, evaluation, conference, what, consequence, back):
    return _page(
        request,
        evaluation,
        "confirm_delete.html",
        conference=conference,
        what=what,
        consequence=consequence,
        back=back,
    )


def _participants_by_site(evaluation, conferences):
    """Participant totals per role for each site (a conference across sites has its own row)."""
    roles = ParticipantRole.values
    rows: dict[object, list[int]] = {}
    for conference in conferences:
        key = conference.site.name if conference.site else _("All sites")
        row = rows.setdefault(key, [0] * len(roles))
        for pc in conference.participant_counts.all():
            row[roles.index(pc.role)] += pc.count
    return [(name, counts, sum(counts)) for name, counts in rows.items()]


@evaluation_view(Action.VIEW_REPORTS)
def conferences(request, evaluation):
    """The evaluation's conferences (the team sees all; others those with approved minutes)."""
    editable = Action.EDIT_REPORT in request.bsb_actions
    form = ConferenceForm(request.POST or None, evaluation=evaluation) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            conference = actions.create_conference(request.user, evaluation, form.cleaned_data)
            messages.success(request, _("The conference is planned. Adjust its agenda below."))
            return redirect(_detail_url(evaluation, conference))
        messages.error(request, _(NOT_SAVED))
    conferences = actions.visible_conferences(request.user, evaluation)
    site_id = parse_id(request.GET.get("site", ""))
    site = evaluation.sites.filter(pk=site_id).first() if site_id is not None else None
    if site is not None:  # the site's own conferences and those across all sites
        conferences = conferences.filter(Q(site=site) | Q(site__isnull=True))
    rows = list(
        conferences.prefetch_related("participant_counts").order_by(
            F("date").asc(nulls_last=True), "pk"
        )
    )
    for row in rows:
        row.participant_total = sum(pc.count for pc in row.participant_counts.all())
    return _page(
        request,
        evaluation,
        "list.html",
        rows=rows,
        site=site,
        sites=evaluation.sites.all(),
        form=form,
        roles=ParticipantRole.choices,
        by_site=_participants_by_site(evaluation, rows),
    )


@conference_view()
def detail(request, evaluation, conference):
    """The conference page: plan, agenda, participants, groups and outputs, validation, minutes."""
    may_edit = Action.EDIT_REPORT in request.bsb_actions
    counts = {pc.role: pc.count for pc in conference.participant_counts.all()}
    groups = list(conference.groups.prefetch_related("themes", "outputs"))
    for group in groups:
        group.output_form = OutputForm(auto_id=f"id_g{group.pk}_%s") if may_edit else None
        group.sorted_outputs = sorted(group.outputs.all(), key=lambda o: (o.kind, o.order, o.pk))
    return _page(
        request,
        evaluation,
        "detail.html",
        conference=conference,
        agenda=conference.agenda_items.order_by("order", "pk"),
        counts=[(label, counts.get(role)) for role, label in ParticipantRole.choices],
        participant_total=sum(counts.values()),
        groups=groups,
        validations=conference.validations.select_related("code", "output__group").order_by(
            "code__kind", "code__order", "code__pk", "pk"
        ),
        may_edit=may_edit,
        may_approve=Action.APPROVE_REPORT in request.bsb_actions,
        agenda_form=AgendaItemForm(auto_id="id_agenda_%s") if may_edit else None,
        participants_form=ParticipantsForm(initial=counts) if may_edit else None,
        validation_form=ValidationForm(conference=conference, auto_id="id_val_%s")
        if may_edit
        else None,
        notes_form=NotesForm(instance=conference) if may_edit else None,
    )


@conference_view(edit=True)
def edit(request, evaluation, conference):
    """Change the plan of the conference."""
    form = ConferenceForm(request.POST or None, instance=conference, evaluation=evaluation)
    if request.method == "POST":
        if form.is_valid():
            actions.update_conference(request.user, conference.pk, form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(_detail_url(evaluation, conference))
        messages.error(request, _(NOT_SAVED))
    url = reverse("conference:edit", args=[evaluation.slug, conference.pk])
    return _form_page(request, evaluation, conference, form, _("Change the plan"), url)


@conference_view(edit=True)
def delete(request, evaluation, conference):
    """Delete the conference, after a confirmation page."""
    if request.method == "POST":
        actions.delete_conference(request.user, conference.pk)
        messages.success(request, _("The conference was deleted."))
        return redirect("conference:list", evaluation.slug)
    return _confirm(
        request,
        evaluation,
        conference,
        conference.title,
        _("Its agenda, participant counts, groups, outputs and validation are deleted with it."),
        _detail_url(evaluation, conference),
    )


# --- Agenda -----------------------------------------------------------------------------------


@require_POST
@conference_view(edit=True)
def agenda_add(request, evaluation, conference):
    """Add a session to the agenda."""
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _(NOT_SAVED))
        url = reverse("conference:agenda_add", args=[evaluation.slug, conference.pk])
        return _form_page(request, evaluation, conference, form, _("Add a session"), url)
    actions.save_agenda_item(request.user, conference.pk, None, form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect(_detail_url(evaluation, conference, "agenda"))


@conference_view(edit=True)
def agenda_edit(request, evaluation, conference, item_pk):
    """Change a session of the agenda."""
    item = conference.agenda_items.filter(pk=item_pk).first()
    if item is None:
        raise actions.ConferenceError("item_gone", actions.MESSAGES["item_gone"])
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST":
        if form.is_valid():
            actions.save_agenda_item(request.user, conference.pk, item.pk, form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(_detail_url(evaluation, conference, "agenda"))
        messages.error(request, _(NOT_SAVED))
    url = reverse("conference:agenda_edit", args=[evaluation.slug, conference.pk, item.pk])
    return _form_page(request, evaluation, conference, form, _("Change the session"), url)


@require_POST
@conference_view(edit=True)
def agenda_move(request, evaluation, conference, item_pk):
    """Move a session one place up or down."""
    up = request.POST.get("direction") == "up"
    actions.move_agenda_item(request.user, conference.pk, item_pk, up)
    return redirect(_detail_url(evaluation, conference, "agenda"))


@conference_view(edit=True)
def agenda_delete(request, evaluation, conference, item_pk):
    """Remove a session from the agenda, after a confirmation page."""
    return _delete_item(
        request,
        evaluation,
        conference,
        conference.agenda_items.filter(pk=item_pk).first(),
        delete=actions.delete_agenda_item,
        done=_("The session was removed from the agenda."),
        what=lambda item: item.title,
        anchor="agenda",
    )


# --- Participants and notes -------------------------------------------------------------------


@require_POST
@conference_view(edit=True)
def participants(request, evaluation, conference):
    """Store the participant counts per role."""
    form = ParticipantsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _(NOT_SAVED))
        url = reverse("conference:participants", args=[evaluation.slug, conference.pk])
        return _form_page(request, evaluation, conference, form, _("Participants"), url)
    actions.set_participant_counts(request.user, conference.pk, form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect(_detail_url(evaluation, conference, "participants"))


@require_POST
@conference_view(edit=True)
def notes(request, evaluation, conference):
    """Store the plenum notes and the summary."""
    form = NotesForm(request.POST, instance=conference)
    if not form.is_valid():
        messages.error(request, _(NOT_SAVED))
        url = reverse("conference:notes", args=[evaluation.slug, conference.pk])
        return _form_page(request, evaluation, conference, form, _("Plenum and summary"), url)
    actions.save_notes(
        request.user,
        conference.pk,
        form.cleaned_data["plenum_notes"],
        form.cleaned_data["summary"],
    )
    messages.success(request, _("Saved."))
    return redirect(_detail_url(evaluation, conference, "minutes"))


# --- Groups and outputs -----------------------------------------------------------------------


@conference_view(edit=True)
def group_edit(request, evaluation, conference, group_pk=None):
    """Add a work group (no ``group_pk``) or change one."""
    group = None
    if group_pk is not None:
        group = conference.groups.filter(pk=group_pk).first()
        if group is None:
            raise actions.ConferenceError("item_gone", actions.MESSAGES["item_gone"])
    form = GroupForm(request.POST or None, instance=group, evaluation=evaluation)
    if request.method == "POST":
        if form.is_valid():
            actions.save_group(request.user, conference.pk, group_pk, form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(_detail_url(evaluation, conference, "groups"))
        messages.error(request, _(NOT_SAVED))
    if group is None:
        url = reverse("conference:group_add", args=[evaluation.slug, conference.pk])
        heading = _("Add a group")
    else:
        url = reverse("conference:group_edit", args=[evaluation.slug, conference.pk, group.pk])
        heading = _("Change the group")
    return _form_page(request, evaluation, conference, form, heading, url)


@conference_view(edit=True)
def group_delete(request, evaluation, conference, group_pk):
    """Delete a work group with its outputs, after a confirmation page."""
    return _delete_item(
        request,
        evaluation,
        conference,
        conference.groups.filter(pk=group_pk).first(),
        delete=actions.delete_group,
        done=_("The group was deleted."),
        what=lambda group: group.name,
        anchor="groups",
        also=_("Its outputs and their validation are deleted with it."),
    )


@conference_view(edit=True)
def output_edit(request, evaluation, conference, group_pk, output_pk=None):
    """Add an output to a group (no ``output_pk``) or change one."""
    group = conference.groups.filter(pk=group_pk).first()
    output = group.outputs.filter(pk=output_pk).first() if group and output_pk else None
    if group is None or (output_pk is not None and output is None):
        raise actions.ConferenceError("item_gone", actions.MESSAGES["item_gone"])
    form = OutputForm(request.POST or None, instance=output)
    if request.method == "POST":
        if form.is_valid():
            actions.save_output(
                request.user,
                conference.pk,
                group.pk,
                output_pk,
                form.cleaned_data["kind"],
                form.cleaned_data["text"],
            )
            messages.success(request, _("Saved."))
            return redirect(_detail_url(evaluation, conference, f"group-{group.pk}"))
        messages.error(request, _(NOT_SAVED))
    args = [evaluation.slug, conference.pk, group.pk]
    if output is None:
        url = reverse("conference:output_add", args=args)
    else:
        url = reverse("conference:output_edit", args=[*args, output.pk])
    return _form_page(request, evaluation, conference, form, group.name, url)


@conference_view(edit=True)
def output_delete(request, evaluation, conference, group_pk, output_pk):
    """Delete a group output, after a confirmation page."""
    group = conference.groups.filter(pk=group_pk).first()
    return _delete_item(
        request,
        evaluation,
        conference,
        group.outputs.filter(pk=output_pk).first() if group else None,
        delete=actions.delete_output,
        done=_("Deleted."),
        what=lambda output: output.text[:120],
        anchor=f"group-{group.pk}" if group else "",
        also=_("Its validation is deleted with it."),
    )


# --- Validation -------------------------------------------------------------------------------


@require_POST
@conference_view(edit=True)
def validation_add(request, evaluation, conference):
    """Link a group output or the plenum to a theme with a validation status."""
    form = ValidationForm(request.POST, conference=conference)
    if not form.is_valid():
        messages.error(request, _(NOT_SAVED))
        url = reverse("conference:validation_add", args=[evaluation.slug, conference.pk])
        return _form_page(request, evaluation, conference, form, _("Validation"), url)
    data = form.cleaned_data
    validation = actions.add_validation(
        request.user,
        conference.pk,
        data["output"].pk if data["output"] else None,
        data["code"],
        data["status"],
        data["new_theme"] if data["status"] == ThemeValidation.Status.NEW else "",
    )
    if validation.code.kind == "emergent" and data["status"] == ThemeValidation.Status.NEW:
        messages.success(
            request,
            _("“%(name)s” is now an emergent theme of the evaluation.")
            % {"name": validation.code.name},
        )
    else:
        messages.success(request, _("Saved."))
    return redirect(_detail_url(evaluation, conference, "validation"))


@conference_view(edit=True)
def validation_delete(request, evaluation, conference, validation_pk):
    """Remove a validation link, after a confirmation page."""
    return _delete_item(
        request,
        evaluation,
        conference,
        conference.validations.select_related("code").filter(pk=validation_pk).first(),
        delete=actions.delete_validation,
        done=_("Deleted."),
        what=lambda v: f"{v.code.name}: {v.get_status_display()}",
        anchor="validation",
    )


# --- Minutes ----------------------------------------------------------------------------------


@require_POST
@conference_view(Action.APPROVE_REPORT)
def approve(request, evaluation, conference):
    """The process leader approves the minutes; a commissioner may then read them."""
    actions.approve_minutes(request.user, conference.pk)
    messages.success(request, _("The minutes are approved."))
    return redirect(_detail_url(evaluation, conference, "minutes"))


@conference_view()
def minutes(request, evaluation, conference, fmt):
    """The minutes as DOCX or PDF, after the leak guard (re-run on every download)."""
    if fmt not in FORMATS:
        raise Http404
    try:
        content = actions.export_minutes(request.user, conference, fmt)
    except LeakRisk:
        return redirect("conference:review", evaluation.slug, conference.pk)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = slugify(conference.title) or "konferanse"
    response["Content-Disposition"] = f'attachment; filename="referat-{name}.{fmt}"'
    return response


@conference_view()
def review(request, evaluation, conference):
    """The leak guard's findings in the minutes: a signed reviewer confirms them, others wait."""
    if not may_review_findings(request.user, evaluation):
        return _page(request, evaluation, "review.html", conference=conference, findings=None)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(
                request, _("Tick the box to confirm that you have checked every flagged word.")
            )
        else:
            actions.mark_reviewed(request.user, conference.pk)
            messages.success(request, _("Checked. The minutes can now be downloaded."))
            return redirect(_detail_url(evaluation, conference, "minutes"))
    review = actions.show_findings(request.user, conference)
    return _page(
        request,
        evaluation,
        "review.html",
        conference=conference,
        findings=review.blocking,
        warnings=review.warnings,
    )
