"""Forms of the theme guide: themes, informant groups, and the grid of questions."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.web.rows import MAX_ROWS, RowForm, RowFormSet

from .models import InformantGroup, Theme


class ThemeForm(RowForm):
    """One theme; its main theme (for a sub-theme) is chosen among the evaluation's themes."""

    class Meta:
        model = Theme
        fields = ["name", "description", "parent"]
        labels = {"parent": _("Main theme")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseThemeFormSet(RowFormSet):
    """Themes of one evaluation; a theme cannot be its own parent."""

    def add_fields(self, form, index):
        """Limit the parent choices to this evaluation's top-level themes."""
        super().add_fields(form, index)
        form.fields["parent"].queryset = Theme.objects.filter(
            evaluation=self.instance, parent__isnull=True
        )
        form.fields["parent"].required = False
        form.fields["parent"].empty_label = _("(none: a main theme)")

    def clean(self):
        """Reject a theme that is its own parent."""
        super().clean()
        for form in self.forms:
            parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
            if parent is not None and form.instance.pk and parent.pk == form.instance.pk:
                form.add_error("parent", _("A theme cannot be its own parent."))


_rows = {"can_delete": True, "can_order": True, **MAX_ROWS}

ThemeFormSet = inlineformset_factory(
    Evaluation, Theme, form=ThemeForm, formset=BaseThemeFormSet, extra=1, **_rows
)


class BaseGroupFormSet(RowFormSet):
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
    form=RowForm,
    formset=BaseGroupFormSet,
    fields=["code", "name"],
    extra=1,
    **_rows,
)

# The structure page's tables by their prefix on the page (and in the address of a new row).
STRUCTURE_ROWS = {"themes": ThemeFormSet, "groups": GroupFormSet}


def parse_id(value) -> int | None:
    """A database id from a form or URL value, or None when it cannot be one."""
    value = str(value).strip()
    # More digits than a 64-bit id has would overflow the database's integer, not miss it.
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def cell_field_name(theme_id: int, group_id: int) -> str:
    """The form field name of the guide cell for a theme and a group."""
    return f"q_{theme_id}_{group_id}"


def subquestions_field_name(theme_id: int, group_id: int) -> str:
    """The form field name of the follow-up questions of a cell."""
    return f"sq_{theme_id}_{group_id}"


class GuideGridForm(forms.Form):
    """Every cell of the guide (themes x groups): a question and its follow-up questions.

    Any cell may be left empty: real guides do not ask every group about every theme. A question
    shared by several groups is written in each of their cells (see ``actions.import_table``).
    ``questions`` maps (theme id, group id) to the cell's GuideQuestion. ``cells`` holds, per
    theme, a (question field, follow-up field) pair per group, for the template.
    """

    def __init__(self, *args, themes, groups, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = []
        for theme in themes:
            row = []
            for group in groups:
                question = questions.get((theme.pk, group.pk))
                names = self._add_cell(theme, group, question)
                row.append(tuple(self[name] for name in names))
            self.cells.append((theme, row))

    def _add_cell(self, theme, group, question) -> tuple[str, str]:
        context = {"group": group.name, "theme": theme.name}
        name = cell_field_name(theme.pk, group.pk)
        self.fields[name] = forms.CharField(
            label=_("Question for %(group)s about %(theme)s") % context,
            required=False,
            initial=question.text if question else "",
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        sub = subquestions_field_name(theme.pk, group.pk)
        self.fields[sub] = forms.CharField(
            label=_("Follow-up questions for %(group)s about %(theme)s, one per line") % context,
            required=False,
            initial=question.subquestions if question else "",
            widget=forms.Textarea(attrs={"rows": 2, "class": "guide-subquestions-input"}),
        )
        return name, sub
