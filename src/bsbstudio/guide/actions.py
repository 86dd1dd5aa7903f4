"""Changes to the theme guide; guide themes become analysis codes as they are saved."""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require

from .forms import cell_field_name
from .models import GuideQuestion


@transaction.atomic
def save_structure(actor, evaluation, theme_formset, group_formset) -> None:
    """Save themes and informant groups together, then keep the guide codes in step."""
    from bsbstudio.analysis.actions import sync_guide_codes

    require(actor, evaluation, Action.EDIT_GUIDE)
    theme_formset.save()
    group_formset.save()
    sync_guide_codes(evaluation)
    record(actor, "guide.structure.save", evaluation, evaluation)


@transaction.atomic
def save_questions(actor, evaluation, grid_form, themes, groups) -> None:
    """Store the question of every cell of a valid grid form."""
    require(actor, evaluation, Action.EDIT_GUIDE)
    for theme in themes:
        for group in groups:
            text = grid_form.cleaned_data[cell_field_name(theme.pk, group.pk)].strip()
            GuideQuestion.objects.update_or_create(
                theme=theme, group=group, defaults={"text": text}
            )
    record(actor, "guide.questions.save", evaluation, evaluation)
