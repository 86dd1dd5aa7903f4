"""The grid of questions (themes x informant groups), and the themes and groups behind it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web import rows
from bsbstudio.web.messages import user_message

from .. import actions, printing, versions
from ..forms import STRUCTURE_ROWS, GroupFormSet, GuideGridForm, ThemeFormSet
from ..models import GuideQuestion


@evaluation_view(Action.VIEW_WORK)
def grid(request, evaluation):
    """Themes x informant groups with a question and follow-up questions in each cell.

    A cell may be left empty (the theme is not asked of that group). The themes are edited in
    place by the small forms of each row (see ``views.themes``); the version box says what the
    next held interview will freeze.
    """
    themes = list(evaluation.themes.prefetch_related("goals"))
    groups = list(evaluation.informant_groups.all())
    questions = {
        (q.theme_id, q.group_id): q
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
            _("Nothing was saved. Correct the fields marked below."),
        )
    return render(
        request,
        "guide/grid.html",
        {
            "evaluation": evaluation,
            "form": form,
            "groups": groups,
            "themes": themes,
            "main_themes": [theme for theme in themes if theme.parent_id is None],
            "linked_themes": [theme for theme in themes if theme.goals.all()],
            "editable": editable,
            # Readers see the draft as it will print; editors see the form.
            "guide": None if editable else printing.draft_guide(evaluation),
            "status": versions.draft_status(evaluation),
            "nav_active": "guide",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def structure(request, evaluation):
    """Add, rename, order and remove themes and informant groups in two tables, saved at once.

    Sub-themes move with their main theme; whatever order the page sends, each main theme is
    stored with its sub-themes right after it (see ``actions.save_structure``).
    """
    editable = Action.EDIT_GUIDE in request.bsb_actions
    data = request.POST if request.method == "POST" and editable else None
    themes = ThemeFormSet(data, instance=evaluation, prefix="themes")
    groups = GroupFormSet(data, instance=evaluation, prefix="groups")
    if data is not None:
        if themes.is_valid() and groups.is_valid():
            try:
                actions.save_structure(request.user, evaluation, themes, groups)
            except actions.GuideError as error:
                messages.error(request, _("Nothing was saved.") + " " + user_message(error))
            else:
                messages.success(request, _("Themes and groups were saved."))
                return redirect("guide:grid", evaluation.slug)
        else:
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


@evaluation_view(Action.EDIT_GUIDE)
def structure_row(request, evaluation, prefix):
    """A blank row for the structure page's themes or groups, added in place (htmx)."""
    if prefix not in STRUCTURE_ROWS:
        raise Http404
    formset = STRUCTURE_ROWS[prefix](instance=evaluation, prefix=prefix)
    return rows.new_row(request, formset, tree=prefix == "themes")
