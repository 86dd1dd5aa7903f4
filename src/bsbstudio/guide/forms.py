"""Forms of the theme guide: themes, informant groups, and the grid of questions."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation

from .models import InformantGroup, Theme


class ThemeForm(forms.ModelForm):
    """One theme; its parent (for a sub-theme) is chosen among the evaluation's themes."""

    class Meta:
        model = Theme
        fields = ["name", "description", "parent", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseThemeFormSet(forms.BaseInlineFormSet):
    """Themes of one evaluation; a theme cannot be its own parent."""

    def add_fields(self, form, index):
        """Limit the parent choices to this evaluation's top-level themes."""
        super().add_fields(form, index)
        form.fields["parent"].queryset = Theme.objects.filter(
            evaluation=self.instance, parent__isnull=True
        )
        form.fields["parent"].required = False

    def clean(self):
        """Reject a theme that is its own parent."""
        super().clean()
        for form in self.forms:
            parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
            if parent is not None and form.instance.pk and parent.pk == form.instance.pk:
                form.add_error("parent", _("A theme cannot be its own parent."))


ThemeFormSet = inlineformset_factory(
    Evaluation, Theme, form=ThemeForm, formset=BaseThemeFormSet, extra=2, can_delete=True
)


class BaseGroupFormSet(forms.BaseInlineFormSet):
    """Informant groups of one evaluation; codes must be unique within it."""

    def clean(self):
        """Two groups may not share a code."""
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE"):
                continue
            code = (data.get("code") or "").strip().upper()
            if code in seen:
                form.add_error(
                    "code", _("Another group already has the code %(code)s.") % {"code": code}
                )
            seen.add(code)


GroupFormSet = inlineformset_factory(
    Evaluation,
    InformantGroup,
    formset=BaseGroupFormSet,
    fields=["code", "name", "order"],
    extra=1,
    can_delete=True,
)


def cell_field_name(theme_id: int, group_id: int) -> str:
    """The form field name of the guide cell for a theme and a group."""
    return f"q_{theme_id}_{group_id}"


class GuideGridForm(forms.Form):
    """Every cell of the guide (themes x groups) as one text field; none may be left empty."""

    def __init__(self, *args, themes, groups, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = []
        for theme in themes:
            row = []
            for group in groups:
                name = cell_field_name(theme.pk, group.pk)
                self.fields[name] = forms.CharField(
                    label=_("Question for %(group)s about %(theme)s")
                    % {"group": group.name, "theme": theme.name},
                    required=True,
                    initial=questions.get((theme.pk, group.pk), ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages={
                        "required": _("The cell %(theme)s / %(group)s is empty: write a question.")
                        % {"theme": theme.name, "group": group.name}
                    },
                )
                row.append(name)
            self.cells.append((theme, [self[name] for name in row]))
