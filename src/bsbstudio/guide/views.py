"""Views of the theme guide: the grid of questions, and the themes and groups behind it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view

from . import actions
from .forms import GroupFormSet, GuideGridForm, ThemeFormSet
from .models import GuideQuestion


@evaluation_view(Action.VIEW_WORK)
def grid(request, evaluation):
    """Themes x informant groups with a question in each cell; saved only when every cell is filled."""
    themes = list(evaluation.themes.all())
    groups = list(evaluation.informant_groups.all())
    questions = {
        (q.theme_id, q.group_id): q.text
        for q in GuideQuestion.objects.filter(theme__evaluation=evaluation)
    }
    editable = Action.EDIT_GUIDE in request.bsb_actions
    data = request.POST if request.method == "POST" and editable else None
    form = GuideGridForm(data, themes=themes, groups=groups, questions=questions)
    if data is not None:
        if form.is_valid():
            actions.save_questions(request.user, evaluation, form, themes, groups)
            messages.success(request, _("The theme guide was saved."))
            return redirect("guide:grid", evaluation.slug)
        messages.error(
            request,
            _("Nothing was saved: every cell needs a question. The empty cells are marked."),
        )
    return render(
        request,
        "guide/grid.html",
        {
            "evaluation": evaluation,
            "form": form,
            "groups": groups,
            "themes": themes,
            "editable": editable,
            "nav_active": "guide",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def structure(request, evaluation):
    """Add, rename, order and remove themes and informant groups."""
    editable = Action.EDIT_GUIDE in request.bsb_actions
    data = request.POST if request.method == "POST" and editable else None
    themes = ThemeFormSet(data, instance=evaluation, prefix="themes")
    groups = GroupFormSet(data, instance=evaluation, prefix="groups")
    if data is not None:
        if themes.is_valid() and groups.is_valid():
            actions.save_structure(request.user, evaluation, themes, groups)
            messages.success(request, _("Themes and groups were saved."))
            return redirect("guide:grid", evaluation.slug)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "guide/structure.html",
        {
            "evaluation": evaluation,
            "theme_formset": themes,
            "group_formset": groups,
            "editable": editable,
            "nav_active": "guide",
        },
    )
