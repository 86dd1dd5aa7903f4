"""Forms of the plan step: the evaluation itself, its sites, goals and problem statements."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Evaluation, Goal, ProblemStatement, Site


class EvaluationForm(forms.ModelForm):
    """Name, commission and period of an evaluation."""

    class Meta:
        model = Evaluation
        fields = [
            "name",
            "slug",
            "commissioner",
            "mandate",
            "period_start",
            "period_end",
            "replacement_mode",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mandate": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"slug": _("Used in web addresses: lower-case letters, digits and hyphens.")}

    def clean(self):
        """The period must not end before it starts."""
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


_small_text = {"rows": 2}
# Far above any real plan (the largest evaluation had 15 sites); without a bound, one post with
# TOTAL_FORMS=1000 kept a worker busy for half a minute building and rendering forms.
_rows = {"max_num": 100, "absolute_max": 100, "validate_max": True}

SiteFormSet = inlineformset_factory(
    Evaluation,
    Site,
    fields=["name", "description", "order"],
    extra=1,
    can_delete=True,
    **_rows,
    widgets={"description": forms.Textarea(attrs=_small_text)},
)
GoalFormSet = inlineformset_factory(
    Evaluation,
    Goal,
    fields=["text", "source_document", "page", "order"],
    extra=1,
    can_delete=True,
    **_rows,
    widgets={"text": forms.Textarea(attrs=_small_text)},
)
ProblemStatementFormSet = inlineformset_factory(
    Evaluation,
    ProblemStatement,
    fields=["text", "order"],
    extra=1,
    can_delete=True,
    **_rows,
    widgets={"text": forms.Textarea(attrs=_small_text)},
)
