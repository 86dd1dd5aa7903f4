"""Forms of the dialogue conference: they parse input; conference.actions makes the changes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from bsbstudio.analysis.models import Code
from bsbstudio.guide.forms import parse_id
from bsbstudio.reports.models import Report

from .models import (
    AgendaItem,
    ConferenceGroup,
    DialogueConference,
    GroupOutput,
    ParticipantRole,
    ThemeValidation,
)


def _is_id(value) -> bool:
    """Whether a submitted value can be a database id (more digits would overflow the database)."""
    return parse_id(value) is not None


class IdChoiceField(forms.ModelChoiceField):
    """A model choice that refuses values no id can have, instead of asking the database."""

    def to_python(self, value):
        """Refuse a value that cannot be an id as an invalid choice."""
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices, refusing values no id can have, instead of asking the database."""

    def _check_values(self, value):
        for item in value:
            if not _is_id(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
END_BEFORE_START = _("The end time must be after the start time.")


class _TimesMixin:
    """Refuse an end time at or before the start time."""

    def clean(self):
        """Add the error to the end time when it is not after the start time."""
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", END_BEFORE_START)
        return data


class ConferenceForm(_TimesMixin, forms.ModelForm):
    """Plan a dialogue conference: when, where, who leads, what it presents, who is invited."""

    class Meta:
        model = DialogueConference
        fields = [
            "title",
            "site",
            "date",
            "start_time",
            "end_time",
            "place",
            "leaders",
            "process_report",
            "invited_groups",
        ]
        field_classes = {
            "site": IdChoiceField,
            "process_report": IdChoiceField,
            "leaders": IdMultipleChoiceField,
            "invited_groups": IdMultipleChoiceField,
        }
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "leaders": forms.CheckboxSelectMultiple,
            "invited_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["site"].queryset = evaluation.sites.all()
        self.fields["site"].empty_label = _("All sites")
        self.fields["leaders"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__evaluation=evaluation,
                memberships__role__in=["process_leader", "peer_interviewer"],
            )
            .distinct()
            .order_by("first_name", "username")
        )
        self.fields["leaders"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["process_report"].queryset = evaluation.reports.filter(kind=Report.Kind.PROCESS)
        self.fields["invited_groups"].queryset = evaluation.informant_groups.all()


class AgendaItemForm(_TimesMixin, forms.ModelForm):
    """One session of the agenda."""

    class Meta:
        model = AgendaItem
        fields = ["start_time", "end_time", "title", "description"]
        widgets = {
            "start_time": TIME,
            "end_time": TIME,
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class ParticipantsForm(forms.Form):
    """How many took part, per role; never who."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in ParticipantRole.choices:
            self.fields[role] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100000,
                error_messages={"min_value": _("A number of participants cannot be below zero.")},
            )


class GroupForm(forms.ModelForm):
    """A work group: its name, the roles in it, the themes and questions it discusses."""

    roles = forms.MultipleChoiceField(
        label=_("Participant roles"),
        choices=ParticipantRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ConferenceGroup
        fields = ["name", "roles", "themes", "questions"]
        field_classes = {"themes": IdMultipleChoiceField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "questions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = evaluation.themes.all()


class OutputForm(forms.ModelForm):
    """What a group said, a measure it proposes, or a point it brings to plenum."""

    class Meta:
        model = GroupOutput
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class NotesForm(forms.ModelForm):
    """The plenum notes and the conference's summary."""

    class Meta:
        model = DialogueConference
        fields = ["plenum_notes", "summary"]
        widgets = {
            "plenum_notes": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }


class ValidationForm(forms.Form):
    """Link a group output (or the plenum) to a theme, saying how the conference received it."""

    output = IdChoiceField(
        label=_("Group output"),
        queryset=GroupOutput.objects.none(),
        required=False,
        empty_label=_("Plenum"),
    )
    code = IdChoiceField(label=_("Theme"), queryset=Code.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ThemeValidation.Status.choices)
    new_theme = forms.CharField(
        label=_("Name of the new theme"),
        required=False,
        max_length=200,
        help_text=_("Only for “New theme”: a theme the conference raised that the guide lacks."),
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output"].queryset = (
            GroupOutput.objects.filter(group__conference=conference)
            .select_related("group")
            .order_by("group__order", "group__pk", "kind", "order", "pk")
        )
        self.fields["output"].label_from_instance = lambda o: (
            f"{o.group.name} · {o.get_kind_display()}: {o.text[:70]}"
        )
        self.fields["code"].queryset = Code.objects.filter(
            evaluation=conference.evaluation
        ).order_by("kind", "order", "pk")

    def clean(self):
        """Require a theme, or a name for a new one."""
        data = super().clean()
        is_new = data.get("status") == ThemeValidation.Status.NEW
        if not data.get("code") and not (is_new and (data.get("new_theme") or "").strip()):
            raise forms.ValidationError(
                _("Choose a theme, or choose “New theme” and write its name.")
            )
        return data
