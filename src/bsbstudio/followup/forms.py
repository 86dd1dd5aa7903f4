"""Forms of follow-up: a measure, a change of its status, and the filters of the list."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bsbstudio.conference.forms import IdChoiceField, IdMultipleChoiceField
from bsbstudio.guide.models import Theme

from .models import Measure


class MeasureForm(forms.ModelForm):
    """A measure (tiltak) to follow up. The status is set here only when the measure is added."""

    class Meta:
        model = Measure
        fields = ["text", "themes", "site", "owner", "due", "status"]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 2}),
            "themes": forms.CheckboxSelectMultiple,
        }
        # Values no id can have are invalid choices, not a database overflow.
        field_classes = {"site": IdChoiceField, "themes": IdMultipleChoiceField}

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["site"].queryset = evaluation.sites.order_by("order", "name")
        self.fields["themes"].queryset = Theme.objects.filter(evaluation=evaluation).order_by(
            "order", "id"
        )
        if self.instance.pk:
            # A status changes through its own form, with a date and a comment for the history.
            del self.fields["status"]


class StatusChangeForm(forms.Form):
    """A new status for a measure, the day it changed, and why."""

    status = forms.ChoiceField(label=_("New status"), choices=Measure.Status.choices)
    changed_on = forms.DateField(
        label=_("Date of the change"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a measure that was done or dropped is opened again."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("changed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_changed_on(self):
        """A change cannot be dated in the future."""
        day = self.cleaned_data["changed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the change cannot be in the future."))
        return day


class MeasureFilterForm(forms.Form):
    """The filters of the measures list (a GET form: every field optional)."""

    site = IdChoiceField(label=_("Site"), queryset=None, required=False)
    theme = IdChoiceField(label=_("Theme"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue measures"), required=False)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = evaluation.sites.order_by("order", "name")
        self.fields["site"].empty_label = _("All sites")
        self.fields["theme"].queryset = Theme.objects.filter(evaluation=evaluation).order_by(
            "order", "id"
        )
        self.fields["theme"].empty_label = _("All themes")
        self.fields["status"].choices = [("", _("All statuses")), *Measure.Status.choices]

    def apply(self, queryset):
        """``queryset`` narrowed to the valid filters (an invalid filter is ignored, and shown)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["site"]:
            queryset = queryset.filter(site=data["site"])
        if data["theme"]:
            queryset = queryset.filter(themes=data["theme"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["overdue"]:
            queryset = queryset.filter(due__lt=timezone.localdate()).exclude(
                status__in=Measure.CLOSED
            )
        return queryset
