"""Guide versions: the list, one frozen version read-only, and the guide as Word or PDF."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view

from .. import printing
from ..versions import draft_status


@evaluation_view(Action.VIEW_WORK)
def versions(request, evaluation):
    """Every frozen version with the interviews that used it, and where the draft stands."""
    frozen = (
        evaluation.guide_versions.select_related("frozen_by")
        .prefetch_related("interviews")
        .order_by("-number")
    )
    return render(
        request,
        "guide/versions.html",
        {
            "evaluation": evaluation,
            "versions": frozen,
            "status": draft_status(evaluation),
            "nav_active": "guide",
        },
    )


def _version_or_message(request, evaluation, number):
    version = evaluation.guide_versions.filter(number=number).first()
    if version is None:
        messages.error(request, _("This guide has no version %(number)d.") % {"number": number})
    return version


@evaluation_view(Action.VIEW_WORK)
def version(request, evaluation, number):
    """A frozen version read-only, as its snapshot holds it, and the interviews that used it."""
    frozen = _version_or_message(request, evaluation, number)
    if frozen is None:
        return redirect("guide:versions", evaluation.slug)
    return render(
        request,
        "guide/version.html",
        {
            "evaluation": evaluation,
            "version": frozen,
            "guide": printing.version_guide(frozen),
            "interviews": frozen.interviews.select_related("site"),
            "nav_active": "guide",
        },
    )


def _unknown_format(request, fmt: str) -> None:
    messages.error(
        request,
        _(
            "The guide can be downloaded as Word (docx), PDF, Excel (xlsx) or CSV, "
            "not as “%(format)s”."
        )
        % {"format": fmt[:20]},
    )


@evaluation_view(Action.VIEW_WORK)
def download(request, evaluation, fmt):
    """The working draft as a landscape Word or PDF file."""
    if fmt not in printing.FORMATS:
        _unknown_format(request, fmt)
        return redirect("guide:grid", evaluation.slug)
    guide = printing.draft_guide(evaluation)
    return printing.file_response(guide, fmt, evaluation, _("draft"))


@evaluation_view(Action.VIEW_WORK)
def version_download(request, evaluation, number, fmt):
    """A frozen version as a landscape Word or PDF file."""
    frozen = _version_or_message(request, evaluation, number)
    if frozen is None:
        return redirect("guide:versions", evaluation.slug)
    if fmt not in printing.FORMATS:
        _unknown_format(request, fmt)
        return redirect("guide:version", evaluation.slug, number)
    guide = printing.version_guide(frozen)
    return printing.file_response(guide, fmt, evaluation, f"v{frozen.number}")
