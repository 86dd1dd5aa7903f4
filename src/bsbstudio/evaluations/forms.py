"""Forms of the plan step: the evaluation itself, its sites, goals and problem statements."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.web.rows import MAX_ROWS, RowForm, RowFormSet

from .models import Evaluation, Goal, ProblemStatement, Site
from .short_names import ShortNameField, free_short_name


class EvaluationForm(forms.ModelForm):
    """Name, short name, commission and period of an evaluation.

    A short name left empty is made from the name (a new evaluation) or kept (an existing one);
    one another evaluation uses is refused with a free one suggested.
    """

    slug = ShortNameField(label=gettext_lazy("Short name"), required=False)

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["slug"]
        if self.instance.pk:
            field.help_text = _(
                "The short name is used in the evaluation's web address. Only lower-case "
                "letters, digits and hyphens. If you change it, old links stop working."
            )
        else:
            # The browser fills it from the name as it is typed (web/short-name.js).
            field.widget.attrs["data-short-name-from"] = self["name"].auto_id
            field.help_text = _(
                "The short name is used in the evaluation's web address. Only lower-case "
                "letters, digits and hyphens. It is made from the name; you may change it."
            )

    def _taken(self, candidate: str) -> bool:
        return Evaluation.objects.filter(slug=candidate).exclude(pk=self.instance.pk).exists()

    def clean_slug(self):
        """A short name another evaluation uses is refused, with a free one suggested."""
        chosen = self.cleaned_data.get("slug")
        if chosen and self._taken(chosen):
            raise forms.ValidationError(
                _(
                    "Another evaluation already uses the short name “%(short)s”. Choose another, "
                    "for example “%(free)s”."
                )
                % {"short": chosen, "free": free_short_name(chosen, self._taken)},
                code="taken",
            )
        return chosen

    def clean(self):
        """Fill an empty short name; the period must not end before it starts."""
        cleaned = super().clean()
        if not cleaned.get("slug") and "slug" not in self.errors:
            cleaned["slug"] = self.instance.slug or free_short_name(
                cleaned.get("name", ""), self._taken, fallback=_("evaluation")
            )
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


_small_text = {"rows": 2}
_rows = {"form": RowForm, "formset": RowFormSet, "can_delete": True, "can_order": True, **MAX_ROWS}

SiteFormSet = inlineformset_factory(
    Evaluation,
    Site,
    fields=["name", "description"],
    extra=1,
    **_rows,
    widgets={"description": forms.Textarea(attrs=_small_text)},
)
GoalFormSet = inlineformset_factory(
    Evaluation,
    Goal,
    fields=["text", "source_document", "page"],
    extra=1,
    **_rows,
    widgets={"text": forms.Textarea(attrs=_small_text)},
)
ProblemStatementFormSet = inlineformset_factory(
    Evaluation,
    ProblemStatement,
    fields=["text"],
    extra=1,
    **_rows,
    widgets={"text": forms.Textarea(attrs=_small_text)},
)

# The plan's tables by their prefix on the page (and in the address of a new row).
PLAN_ROWS = {"sites": SiteFormSet, "goals": GoalFormSet, "problems": ProblemStatementFormSet}
