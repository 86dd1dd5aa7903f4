"""Which plan goals and problem statements each theme speaks to, ticked in one table."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import user_message

from .. import actions
from ..forms import parse_id


def _ids(request, name: str) -> set[int] | None:
    """The ids ticked in a checkbox group, or None when one of them cannot be an id."""
    ids = [parse_id(value) for value in request.POST.getlist(name)]
    return None if None in ids else set(ids)


@evaluation_view(Action.VIEW_WORK)
def theme_goals(request, evaluation):
    """Each theme with the goals and problem statements it answers; the guide's editors tick them."""
    themes = list(evaluation.themes.prefetch_related("goals", "problem_statements"))
    goals = list(evaluation.goals.all())
    problems = list(evaluation.problem_statements.all())
    editable = Action.EDIT_GUIDE in request.bsb_actions
    if request.method == "POST" and editable:
        links = {}
        for theme in themes:
            goal_ids = _ids(request, f"goals_{theme.pk}")
            problem_ids = _ids(request, f"problems_{theme.pk}")
            if goal_ids is None or problem_ids is None:
                messages.error(request, _("Nothing was saved. Reload the page and try again."))
                return redirect("guide:theme_goals", evaluation.slug)
            links[theme.pk] = (goal_ids, problem_ids)
        try:
            changed = actions.link_theme_goals(request.user, evaluation, links)
        except actions.GuideError as error:
            messages.error(request, _("Nothing was saved.") + " " + user_message(error))
        else:
            if changed:
                messages.success(request, _("The links between goals and themes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
        return redirect("guide:theme_goals", evaluation.slug)
    rows = [
        (
            theme,
            {g.pk for g in theme.goals.all()},
            {p.pk for p in theme.problem_statements.all()},
        )
        for theme in themes
    ]
    return render(
        request,
        "guide/theme_goals.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "goals": goals,
            "problems": problems,
            "editable": editable,
            "nav_active": "guide",
        },
    )
