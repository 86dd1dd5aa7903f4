"""The process report form: an introduction, and per theme the main points and chosen quotes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def points_field_name(section_id: int) -> str:
    """Field name of a section's main points."""
    return f"points_{section_id}"


def quotes_field_name(section_id: int) -> str:
    """Field name of a section's chosen quotes."""
    return f"quotes_{section_id}"


QUOTE_NOT_OFFERED = _(
    "Quote %(value)s cannot be used. A report may only quote de-identified texts from this site "
    "that are approved."
)


class ProcessReportForm(forms.Form):
    """Edit a process report: one main-points text and one set of quote checkboxes per theme.

    ``candidates`` are the quotes that may be chosen (from approved texts only); any other posted
    quote id is refused with a message, and then nothing is saved.
    """

    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, report, sections, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introduction"].initial = report.introduction
        self.sections = []
        for section in sections:
            points = points_field_name(section.pk)
            quotes = quotes_field_name(section.pk)
            self.fields[points] = forms.CharField(
                label=_("Main points: %(theme)s") % {"theme": section.theme.name},
                required=False,
                initial=section.main_points,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("One paragraph per point; start a line with '- ' for a bullet."),
            )
            choices = [(s.pk, s.quote) for s in candidates.get(section.theme_id, [])]
            self.fields[quotes] = forms.TypedMultipleChoiceField(
                label=_("Quotes: %(theme)s") % {"theme": section.theme.name},
                required=False,
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": QUOTE_NOT_OFFERED},
                initial=[s.pk for s in section.quotes.all()],
            )
            self.sections.append(
                (section, self[points], self[quotes], candidates.get(section.theme_id, []))
            )


class LeakReviewForm(forms.Form):
    """Confirm that the flagged strings of an export are not identifiers."""

    confirm = forms.BooleanField(
        label=_(
            "I have checked each of these and none of them identifies an informant or anyone they speak of."
        ),
        required=True,
    )
