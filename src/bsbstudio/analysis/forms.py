"""The coding forms: code a selection (or a pasted quote) of a de-identified text; name a new theme."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Code, CodedSegment

CODE_NAME_MAX_LENGTH = Code._meta.get_field("name").max_length


class CodeSegmentForm(forms.Form):
    """Code a quote. The browser fills start/end from the selection; without it, paste the quote."""

    code = forms.ModelChoiceField(label=_("Theme"), queryset=None, empty_label=None)
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Select text in the transcript, or paste it here exactly as it stands."),
    )
    polarity = forms.ChoiceField(
        label=_("Polarity"),
        choices=CodedSegment.Polarity.choices,
        initial=CodedSegment.Polarity.NEUTRAL,
        widget=forms.RadioSelect,
    )
    directness = forms.ChoiceField(
        label=_("Direct or indirect"),
        choices=CodedSegment.Directness.choices,
        initial=CodedSegment.Directness.DIRECT,
        widget=forms.RadioSelect,
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = evaluation.codes.all()


class EmergentCodeForm(forms.Form):
    """Name a theme found in the material; the name is bounded before it reaches a query."""

    new_code = forms.CharField(
        label=_("New theme from the material"),
        max_length=CODE_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Write a name for the new theme."),
            "max_length": _(
                "A theme name can be at most %(limit_value)d characters long; "
                "this one has %(show_value)d."
            ),
        },
    )


class EditSegmentForm(forms.Form):
    """Change a coded quote: its theme, polarity, directness, and its span by start and end."""

    code = forms.ModelChoiceField(label=_("Theme"), queryset=None, empty_label=None)
    polarity = forms.ChoiceField(label=_("Polarity"), choices=CodedSegment.Polarity.choices)
    directness = forms.ChoiceField(
        label=_("Direct or indirect"), choices=CodedSegment.Directness.choices
    )
    start = forms.IntegerField(label=_("Starts at"), min_value=0, max_value=2**31 - 1)
    end = forms.IntegerField(label=_("Ends at"), min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = evaluation.codes.all()
