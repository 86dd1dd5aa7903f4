"""Forms of the evaluation form on a phone: the public answer form and a link's last day."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from . import feedback
from .models import FeedbackAnswer, FeedbackRole, SaidWhatWanted

# Control characters other than tab and line breaks: nothing a person types, and a spreadsheet
# export could not hold them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LastDayForm(forms.Form):
    """The last day a link is open (it closes at midnight after it)."""

    last_day = forms.DateField(
        label=_("Open until and including"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose the last day the form is open."),
            "invalid": _("Write the date as YYYY-MM-DD."),
        },
    )


class FeedbackForm(forms.Form):
    """The short evaluation form a participant fills in on a phone, without logging in."""

    usefulness = forms.TypedChoiceField(
        label=_("How useful was the day for you?"),
        choices=feedback.usefulness_choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a number from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )
    said_what_wanted = forms.ChoiceField(
        label=_("Did you get to say what you wanted?"),
        choices=SaidWhatWanted.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, partly or no."),
            "invalid_choice": _("Choose yes, partly or no."),
        },
    )
    missing = forms.CharField(
        label=_("Was anything missing?"),
        required=False,
        max_length=FeedbackAnswer.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write names."),
    )
    other = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        max_length=FeedbackAnswer.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write names."),
    )
    role = forms.ChoiceField(
        label=_("You are here as"),
        choices=FeedbackRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the role you are here in."),
            "invalid_choice": _("Choose the role you are here in."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("missing", "other"):
            self.fields[name].error_messages["max_length"] = _(
                "Write at most %(limit_value)d characters (you wrote %(show_value)d)."
            )

    def _clean_text(self, name: str) -> str:
        return CONTROL.sub("", self.cleaned_data[name]).strip()

    def clean_missing(self) -> str:
        """The text without control characters."""
        return self._clean_text("missing")

    def clean_other(self) -> str:
        """The text without control characters."""
        return self._clean_text("other")
