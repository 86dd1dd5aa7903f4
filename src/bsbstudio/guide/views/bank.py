"""The question bank: copy themes and their questions from an earlier evaluation.

Only evaluations the person is a member of, with a role that sees the guide, are listed; the
action checks the same again for every theme ticked.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bsbstudio.accounts.policy import Action, can, evaluation_view, visible_evaluations
from bsbstudio.web.messages import user_message

from .. import actions, versions
from ..engine import from_snapshot


def bank_sources(user, evaluation) -> list[tuple]:
    """(evaluation, printable guide, codes of its groups not in ``evaluation``) per source."""
    codes = {
        code.strip().upper() for code in evaluation.informant_groups.values_list("code", flat=True)
    }
    sources = []
    for other in visible_evaluations(user).exclude(pk=evaluation.pk).order_by("name"):
        if not can(user, other, Action.VIEW_WORK) or not other.themes.exists():
            continue
        snapshot = versions.snapshot(other)
        guide = from_snapshot(snapshot, title=other.name)
        unmatched = [
            group["name"]
            for group in snapshot["groups"]
            if group["code"].strip().upper() not in codes
        ]
        sources.append((other, guide, unmatched))
    return sources


@evaluation_view(Action.VIEW_WORK)
def bank(request, evaluation):
    """List the themes of the person's other evaluations; copy the ticked ones into this guide."""
    editable = Action.EDIT_GUIDE in request.bsb_actions
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            result = actions.import_themes(request.user, evaluation, request.POST.getlist("themes"))
        except actions.GuideError as error:
            messages.error(request, user_message(error))
            return redirect("guide:bank", evaluation.slug)
        _report(request, result)
        return redirect("guide:grid", evaluation.slug)
    return render(
        request,
        "guide/bank.html",
        {
            "evaluation": evaluation,
            "sources": bank_sources(request.user, evaluation),
            "editable": editable,
            "nav_active": "guide",
        },
    )


def _report(request, result: actions.ImportResult) -> None:
    """Say what was copied, what was skipped, and which groups had no match here."""
    if result.copied:
        messages.success(
            request,
            ngettext(
                "Copied %(count)d theme: %(names)s.",
                "Copied %(count)d themes: %(names)s.",
                len(result.copied),
            )
            % {"count": len(result.copied), "names": ", ".join(result.copied)},
        )
    if result.skipped:
        messages.warning(
            request,
            _("Not copied, because this guide already has a theme with the same name: %(names)s.")
            % {"names": ", ".join(result.skipped)},
        )
    if result.unmatched_groups:
        messages.warning(
            request,
            _(
                "These groups have no group with the same code here, so their questions were "
                "not copied: %(groups)s."
            )
            % {"groups": ", ".join(result.unmatched_groups)},
        )
