"""Editing themes in place on the grid: add, rename, move up or down, merge, delete.

Each is a small POST form of the grid page (no JavaScript needed). Merging and deleting first
show what will happen and ask to confirm. Bad input, or a theme that is gone, gives a message on
the grid and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import user_message

from .. import actions
from ..forms import parse_id
from ..models import Theme


def _to_grid(evaluation, theme=None):
    url = reverse("guide:grid", args=[evaluation.slug])
    return redirect(f"{url}#theme-{theme.pk}" if theme is not None else url)


def _theme(evaluation, value) -> Theme | None:
    """The theme with id ``value`` in ``evaluation``, or None."""
    pk = parse_id(value)
    return evaluation.themes.filter(pk=pk).first() if pk is not None else None


def _not_found(request, evaluation):
    messages.error(
        request,
        _("That theme was not found in this guide. It may have been merged or deleted."),
    )
    return _to_grid(evaluation)


def _refused(request, evaluation, error, theme=None):
    messages.error(request, user_message(error))
    return _to_grid(evaluation, theme)


@require_POST
@evaluation_view(Action.EDIT_GUIDE)
def theme_add(request, evaluation):
    """Add a theme as the last row, as a sub-theme if a parent is chosen."""
    parent = None
    if request.POST.get("parent"):
        parent = _theme(evaluation, request.POST["parent"])
        if parent is None:
            return _not_found(request, evaluation)
    try:
        theme = actions.add_theme(request.user, evaluation, request.POST.get("name", ""), parent)
    except actions.GuideError as error:
        return _refused(request, evaluation, error)
    messages.success(
        request,
        _("The theme “%(theme)s” was added. Write its questions in the new row.")
        % {"theme": theme.name},
    )
    return _to_grid(evaluation, theme)


@require_POST
@evaluation_view(Action.EDIT_GUIDE)
def theme_rename(request, evaluation, pk):
    """Give a theme a new name (its analysis code follows)."""
    theme = _theme(evaluation, pk)
    if theme is None:
        return _not_found(request, evaluation)
    old = theme.name
    try:
        actions.rename_theme(request.user, theme, request.POST.get("name", ""))
    except actions.GuideError as error:
        return _refused(request, evaluation, error, theme)
    messages.success(
        request,
        _("“%(old)s” is now called “%(new)s”.") % {"old": old, "new": theme.name},
    )
    return _to_grid(evaluation, theme)


@require_POST
@evaluation_view(Action.EDIT_GUIDE)
def theme_move(request, evaluation, pk):
    """Move a theme one row up or down."""
    theme = _theme(evaluation, pk)
    if theme is None:
        return _not_found(request, evaluation)
    direction = request.POST.get("direction", "")
    try:
        actions.move_theme(request.user, theme, direction)
    except actions.GuideError as error:
        return _refused(request, evaluation, error, theme)
    template = (
        _("“%(theme)s” was moved up.") if direction == "up" else _("“%(theme)s” was moved down.")
    )
    messages.success(request, template % {"theme": theme.name})
    return _to_grid(evaluation, theme)


@require_POST
@evaluation_view(Action.EDIT_GUIDE)
def theme_merge(request, evaluation, pk):
    """Merge a theme into another: first show what will move, then do it once confirmed."""
    source = _theme(evaluation, pk)
    if source is None:
        return _not_found(request, evaluation)
    into = parse_id(request.POST.get("into", ""))
    target = Theme.objects.filter(pk=into).first() if into is not None else None
    try:
        actions.check_merge(source, target)
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "guide/theme_merge.html",
                {
                    "evaluation": evaluation,
                    "source": source,
                    "target": target,
                    "summary": actions.merge_summary(source, target),
                    "nav_active": "guide",
                },
            )
        moved = actions.merge_theme(request.user, source, target)
    except actions.GuideError as error:
        return _refused(request, evaluation, error, source)
    messages.success(
        request,
        _(
            "“%(source)s” was merged into “%(target)s”: %(questions)d questions and "
            "%(segments)d coded quotes were moved."
        )
        % {"source": source.name, "target": target.name, **moved},
    )
    return _to_grid(evaluation, target)


@require_POST
@evaluation_view(Action.EDIT_GUIDE)
def theme_delete(request, evaluation, pk):
    """Delete a theme nothing in the analysis uses; first show what goes with it."""
    theme = _theme(evaluation, pk)
    if theme is None:
        return _not_found(request, evaluation)
    try:
        below = actions.check_deletable(theme)
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "guide/theme_delete.html",
                {
                    "evaluation": evaluation,
                    "theme": theme,
                    "subthemes": below,
                    "questions": theme.questions.count(),
                    "nav_active": "guide",
                },
            )
        actions.delete_theme(request.user, theme)
    except actions.GuideError as error:
        return _refused(request, evaluation, error, theme)
    messages.success(request, _("The theme “%(theme)s” was deleted.") % {"theme": theme.name})
    return _to_grid(evaluation)
