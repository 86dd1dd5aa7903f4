"""The process leader's audit page of an evaluation: filter, read, and export the log as CSV.

Entries are shown newest first with their action in plain words (``ACTION_LABELS``; a code with
no words yet is shown as it is). The export is itself written to the log.
"""

from __future__ import annotations

import csv
import datetime

from django import forms
from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from bsbstudio.accounts.audit import canonical_json, record
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.spreadsheet import csv_cell

PAGE_SIZE = 50

ACTION_LABELS = {
    "account.activate": gettext_lazy("Opened a user account again"),
    "account.create": gettext_lazy("Created a user account"),
    "account.deactivate": gettext_lazy("Closed a user account"),
    "account.org_admin.grant": gettext_lazy("Made someone an organisation administrator"),
    "account.org_admin.revoke": gettext_lazy("Took away organisation administrator rights"),
    "account.reset_link": gettext_lazy("Made a link to set a new password"),
    "admin.list": gettext_lazy("Opened a list in the admin pages"),
    "admin.view": gettext_lazy("Looked at a record in the admin pages"),
    "admin.membership.add": gettext_lazy("Added a team member in the admin pages"),
    "admin.membership.change": gettext_lazy("Changed a team member in the admin pages"),
    "admin.membership.delete": gettext_lazy("Removed a team member in the admin pages"),
    "admin.user.add": gettext_lazy("Created a user account in the admin pages"),
    "admin.user.change": gettext_lazy("Changed a user account in the admin pages"),
    "admin.user.delete": gettext_lazy("Deleted a user account in the admin pages"),
    "admin.group.add": gettext_lazy("Created a user group in the admin pages"),
    "admin.group.change": gettext_lazy("Changed a user group in the admin pages"),
    "admin.group.delete": gettext_lazy("Deleted a user group in the admin pages"),
    "analysis.code": gettext_lazy("Coded a quote"),
    "analysis.code.create": gettext_lazy("Made a new code"),
    "analysis.uncode": gettext_lazy("Removed a coded quote"),
    "audit.export": gettext_lazy("Downloaded the log"),
    "conference.create": gettext_lazy("Planned a dialogue conference"),
    "consent.save": gettext_lazy("Saved consent"),
    "cross_site.area.add": gettext_lazy("Added an area to compare the sites on"),
    "cross_site.area.delete": gettext_lazy("Deleted an area the sites were compared on"),
    "cross_site.export": gettext_lazy("Downloaded the comparison of sites"),
    "cross_site.facts.save": gettext_lazy("Changed facts about the sites"),
    "cross_site.indicator.add": gettext_lazy("Added a fact to compare the sites on"),
    "cross_site.indicator.delete": gettext_lazy("Deleted a fact the sites were compared on"),
    "cross_site.ratings.save": gettext_lazy("Rated a site on the areas"),
    "cross_site.scale.add": gettext_lazy("Added a category to the scale"),
    "cross_site.scale.create": gettext_lazy("Made the scale for rating the sites"),
    "declaration.revise": gettext_lazy("Changed the confidentiality declaration"),
    "declaration.sign": gettext_lazy("Signed the confidentiality declaration"),
    "deid.add_name": gettext_lazy("Hid a name that was missed"),
    "deid.create_text": gettext_lazy("Made the de-identified text"),
    "deid.decide": gettext_lazy("Decided what to hide"),
    "deid.detect": gettext_lazy(
        "Searched a transcript for names and other details that show who someone is"
    ),
    "deid.name.add": gettext_lazy("Added a name to hide"),
    "deid.name.remove": gettext_lazy("Removed a name to hide"),
    "deid.names.view": gettext_lazy("Looked at the list of names to hide"),
    "deid.review": gettext_lazy("Went through what to hide"),
    "evaluation.create": gettext_lazy("Started the evaluation"),
    "exchange.qdc": gettext_lazy("Downloaded the themes for another analysis program"),
    "exchange.qdpx": gettext_lazy("Downloaded the project for another analysis program"),
    "export.leak_review": gettext_lazy("Checked an export for names before download"),
    "export.leak_view": gettext_lazy("Looked at what the name check found in an export"),
    "export.matrix": gettext_lazy("Downloaded the matrix"),
    "export.quotes": gettext_lazy("Downloaded the quotes"),
    "guide.freeze": gettext_lazy("Saved a version of the theme guide"),
    "guide.import": gettext_lazy("Brought questions into the theme guide"),
    "guide.questions.save": gettext_lazy("Changed questions in the theme guide"),
    "guide.table_import": gettext_lazy("Brought in a theme guide from a file or pasted text"),
    "guide.structure.save": gettext_lazy("Changed the themes and groups of the theme guide"),
    "guide.theme.add": gettext_lazy("Added a theme"),
    "guide.theme.delete": gettext_lazy("Deleted a theme"),
    "guide.theme.merge": gettext_lazy("Merged two themes"),
    "guide.theme.move": gettext_lazy("Moved a theme"),
    "guide.theme.rename": gettext_lazy("Renamed a theme"),
    "informant.create": gettext_lazy("Added an informant"),
    "informant.update": gettext_lazy("Changed an informant"),
    "interview.create": gettext_lazy("Added an interview"),
    "interview.update": gettext_lazy("Changed an interview"),
    "invitation.accept": gettext_lazy("Accepted an invitation"),
    "invitation.create": gettext_lazy("Invited a person to the team"),
    "invitation.revoke": gettext_lazy("Withdrew an invitation"),
    "measure.create": gettext_lazy("Added a measure"),
    "measure.delete": gettext_lazy("Deleted a measure"),
    "measure.export": gettext_lazy("Downloaded the measures"),
    "measure.status": gettext_lazy("Changed the status of a measure"),
    "measure.update": gettext_lazy("Changed a measure"),
    "participation.create": gettext_lazy("Added a participant to an interview"),
    "plan.save": gettext_lazy("Changed the plan"),
    "recording.delete": gettext_lazy("Deleted a recording"),
    "recording.delete_failed": gettext_lazy("Could not delete a recording"),
    "recording.play": gettext_lazy("Listened to a recording"),
    "recording.stray_file_delete": gettext_lazy("Removed a left-over sound file"),
    "recording.upload": gettext_lazy("Uploaded a recording"),
    "report.approve": gettext_lazy("Approved a report"),
    "report.create": gettext_lazy("Made a report"),
    "report.export": gettext_lazy("Downloaded a report"),
    "report.leak_review": gettext_lazy("Checked a report for names before download"),
    "report.leak_view": gettext_lazy("Looked at what the name check found in a report"),
    "report.reopen": gettext_lazy("Opened an approved report for changes"),
    "report.save": gettext_lazy("Changed a report"),
    "round.next": gettext_lazy("Started the next round of this evaluation"),
    "round.start": gettext_lazy("Started this round from the last one"),
    "sampling.criterion.create": gettext_lazy("Added a sampling target"),
    "sampling.criterion.delete": gettext_lazy("Removed a sampling target"),
    "team.add": gettext_lazy("Added a team member"),
    "team.remove": gettext_lazy("Removed a team member"),
    "team.remove_member": gettext_lazy("Removed a team member"),
    "transcript.approval.withdraw": gettext_lazy("Withdrew the approval of a de-identified text"),
    "transcript.approve": gettext_lazy("Approved a de-identified text"),
    "transcript.import": gettext_lazy("Uploaded a transcript"),
    "transcript.import.queue": gettext_lazy("Started reading in a large transcript"),
    "transcript.raw.search": gettext_lazy("Searched in a raw transcript"),
    "transcript.raw.view": gettext_lazy("Read a raw transcript"),
    "transcript.speakers": gettext_lazy("Set who speaks in a transcript"),
    "two_factor.set_up": gettext_lazy("Turned on log-in in two steps"),
    "two_factor.verify": gettext_lazy("Logged in with a one-time code"),
}


def action_label(code: str) -> str:
    """The action in plain words, or its code when it has none yet."""
    return str(ACTION_LABELS.get(code, code))


def object_label(object_type: str) -> str:
    """What kind of thing an entry is about, by the model's name ('app.model' as it is if unknown)."""
    if not object_type:
        return ""
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class AuditFilterForm(forms.Form):
    """Which entries to show: by person, action, kind of object and days (all optional)."""

    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("What was done"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("What it was about"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, events):
        super().__init__(data)
        everyone = [("", _("Everyone"))]
        # Each person once, by the label of their latest entry (a name may change over time).
        latest = (
            events.exclude(user_key=None).order_by().values("user_key").annotate(last=Max("seq"))
        )
        people = dict(
            AuditEvent.objects.filter(seq__in=latest.values("last")).values_list(
                "user_key", "user_label"
            )
        )
        self.fields["person"].choices = everyone + sorted(
            ((str(key), label) for key, label in people.items()), key=lambda c: c[1].lower()
        )
        actions = events.order_by().values_list("action", flat=True).distinct()
        self.fields["action"].choices = [("", _("Everything"))] + sorted(
            ((code, action_label(code)) for code in actions), key=lambda c: c[1].lower()
        )
        types = events.exclude(object_type="").order_by().values_list("object_type", flat=True)
        self.fields["object_type"].choices = [("", _("Everything"))] + sorted(
            ((t, object_label(t)) for t in types.distinct()), key=lambda c: c[1].lower()
        )

    def _day_in_range(self, name: str):
        # Far-off days would overflow when turned into times in UTC (year 1, year 9999).
        day = self.cleaned_data.get(name)
        if day and not (datetime.date(1900, 1, 1) <= day <= datetime.date(2999, 12, 31)):
            raise forms.ValidationError(_("Give a date between the years 1900 and 2999."))
        return day

    def clean_date_from(self):
        """A day the log can hold."""
        return self._day_in_range("date_from")

    def clean_date_to(self):
        """A day the log can hold."""
        return self._day_in_range("date_to")

    def clean(self):
        """A time range must run forwards."""
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date must come before the last date."))
        return data

    def filter(self, events):
        """``events`` narrowed to the valid choices made (an invalid field filters nothing)."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("person"):
            events = events.filter(user_key=int(data["person"]))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if data.get("date_from"):
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        return events


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the server's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(request, evaluation):
    events = AuditEvent.objects.filter(evaluation_key=evaluation.pk)
    form = AuditFilterForm(request.GET or None, events)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
    return form, form.filter(events).order_by("-seq")


def _detail_text(detail) -> str:
    if isinstance(detail, dict):
        return ", ".join(f"{key}: {canonical_json(value)}" for key, value in sorted(detail.items()))
    return canonical_json(detail)


@evaluation_view(Action.VIEW_AUDIT)
def audit_log(request, evaluation):
    """The evaluation's log, newest first, filtered and paginated."""
    form, events = _filtered(request, evaluation)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "action": action_label(event.action),
            "object": object_label(event.object_type),
            "detail": _detail_text(event.detail),
        }
        for event in page
    ]
    return render(
        request,
        "accounts/audit.html",
        {
            "evaluation": evaluation,
            "form": form,
            "page": page,
            "rows": rows,
            "nav_active": "plan",
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value):
        return value


@evaluation_view(Action.VIEW_AUDIT)
def audit_csv(request, evaluation):
    """The filtered entries as a CSV file (semicolons and a BOM, so Excel opens it in Norway)."""
    form, events = _filtered(request, evaluation)
    filters = {k: str(v) for k, v in getattr(form, "cleaned_data", {}).items() if v}
    export = record(request.user, "audit.export", None, evaluation, **filters)
    events = events.filter(seq__lt=export.seq)  # the export's own entry is not in the file
    writer = csv.writer(_Echo(), delimiter=";")
    # Words are looked up now: the file is written after the view returns.
    actions = {code: action_label(code) for code in ACTION_LABELS}
    types = events.order_by().values_list("object_type", flat=True).distinct()
    objects = {t: object_label(t) for t in types}
    header = [
        _("Number"),
        _("Time"),
        _("Person"),
        _("Action code"),
        _("What was done"),
        _("What it was about"),
        _("Object id"),
        _("Details"),
        _("Hash"),
    ]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                csv_cell(value)
                for value in (
                    event.seq,
                    timezone.localtime(event.at).isoformat(timespec="seconds"),
                    event.user_label,
                    event.action,
                    actions.get(event.action, event.action),
                    objects.get(event.object_type, event.object_type),
                    event.object_id,
                    canonical_json(event.detail),
                    event.hash,
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = pgettext("file name", "audit-log") + f"-{evaluation.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
