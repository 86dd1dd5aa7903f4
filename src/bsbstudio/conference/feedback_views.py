"""Views of the evaluation form on a phone: the links page, the results, and the public form."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bsbstudio.accounts.lockout import client_address
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import attempt

from . import feedback
from .feedback_forms import FeedbackForm, LastDayForm
from .models import DialogueConference, FeedbackLink


def _conference(evaluation, pk) -> DialogueConference:
    return get_object_or_404(DialogueConference, evaluation=evaluation, pk=pk)


def _link(conference, link_pk) -> FeedbackLink:
    return get_object_or_404(FeedbackLink, conference=conference, pk=link_pk)


def public_url(request, link) -> str:
    """The full address a phone opens (what the QR code holds)."""
    return request.build_absolute_uri(reverse("feedback:answer", args=[link.token]))


def qr_svg(url: str) -> str:
    """The address as an inline SVG QR code, drawn here (no outside service sees the link)."""
    return segno.make(url, error="m").svg_inline(
        scale=6,
        light="white",
        title=_("QR code for the evaluation form"),
        svgclass="qr-code",
        omitsize=True,  # a viewBox only: the style sheet sets the size (screen or print)
    )


# --- The team's pages ---------------------------------------------------------------------------


@evaluation_view(Action.VIEW_WORK)
@require_GET
def links(request, evaluation, pk):
    """The conference's form links: the address and QR code of each, open, change, close."""
    conference = _conference(evaluation, pk)
    now = timezone.now()
    rows = [
        {
            "link": link,
            "open": link.is_open(now),
            "last_day": feedback.last_day(link),
            "url": public_url(request, link),
            "qr": qr_svg(public_url(request, link)) if link.is_open(now) else "",
            "form": LastDayForm(
                initial={"last_day": feedback.last_day(link)}, prefix=f"link{link.pk}"
            ),
        }
        for link in conference.feedback_links.order_by("-created_at", "-id")
    ]
    today = timezone.localdate()
    return render(
        request,
        "conference/feedback_links.html",
        {
            "evaluation": evaluation,
            "conference": conference,
            "rows": rows,
            "open_form": LastDayForm(
                initial={"last_day": feedback.default_last_day(conference, today)}
            ),
            "may_open": Action.OPEN_FEEDBACK in request.bsb_actions,
            "answer_count": conference.feedback_answers.count(),
            "nav_active": "reports",
        },
    )


def _last_day_from(request, prefix=None):
    """The valid last day posted, or None after putting the form's error in a message."""
    form = LastDayForm(request.POST, prefix=prefix)
    if form.is_valid():
        return form.cleaned_data["last_day"]
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return None


@evaluation_view(Action.OPEN_FEEDBACK)
@require_POST
def open_link(request, evaluation, pk):
    """Open a new public link to the form."""
    conference = _conference(evaluation, pk)
    day = _last_day_from(request)
    if day is not None:
        opened = _("The form is open. Show the QR code or share the link.")
        attempt(request, opened, feedback.open_link, request.user, conference, day)
    return redirect("conference:feedback", evaluation.slug, conference.pk)


@evaluation_view(Action.OPEN_FEEDBACK)
@require_POST
def change_link(request, evaluation, pk, link_pk):
    """Move a link's last day."""
    conference = _conference(evaluation, pk)
    link = _link(conference, link_pk)
    day = _last_day_from(request, prefix=f"link{link.pk}")
    if day is not None:
        attempt(request, _("Saved."), feedback.change_last_day, request.user, link, day)
    return redirect("conference:feedback", evaluation.slug, conference.pk)


@evaluation_view(Action.OPEN_FEEDBACK)
@require_POST
def close_link(request, evaluation, pk, link_pk):
    """Close a link: the form then says it is closed."""
    conference = _conference(evaluation, pk)
    feedback.close_link(request.user, _link(conference, link_pk))
    messages.success(request, _("The link is closed. No more answers are taken through it."))
    return redirect("conference:feedback", evaluation.slug, conference.pk)


@evaluation_view(Action.VIEW_WORK)
@require_GET
def show_link(request, evaluation, pk, link_pk):
    """A page with only the QR code and the address, large, to show on a screen or print."""
    conference = _conference(evaluation, pk)
    link = _link(conference, link_pk)
    url = public_url(request, link)
    return render(
        request,
        "conference/feedback_show.html",
        {
            "conference": conference,
            "url": url,
            "qr": qr_svg(url),
            "open": link.is_open(timezone.now()),
            "last_day": feedback.last_day(link),
        },
    )


@evaluation_view(Action.VIEW_WORK)
@require_GET
def link_png(request, evaluation, pk, link_pk):
    """The QR code as a PNG image to put on a slide or a poster."""
    conference = _conference(evaluation, pk)
    link = _link(conference, link_pk)
    buffer = io.BytesIO()
    segno.make(public_url(request, link), error="m").save(buffer, kind="png", scale=12, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    name = slugify(conference.title) or "konferanse"
    response["Content-Disposition"] = f'attachment; filename="evaluering-qr-{name}.png"'
    return response


@evaluation_view(Action.VIEW_REPORTS)
@require_GET
def results(request, evaluation, pk):
    """The answers summarised per question with a chart; the team also reads the free text."""
    conference = _conference(evaluation, pk)
    if not feedback.may_see_results(request.user, conference):
        raise PermissionDenied
    team = feedback.may_see_free_text(request.user, conference)
    return render(
        request,
        "conference/feedback_results.html",
        {
            "evaluation": evaluation,
            "conference": conference,
            "questions": [_chart(question) for question in feedback.summarise(conference)],
            "texts": feedback.free_texts(conference) if team else None,
            "team": team,
            "nav_active": "reports",
        },
    )


# The bar chart's geometry in SVG user units: label column, bar column, count column.
BAR_X, BAR_WIDTH, ROW_HEIGHT = 110, 150, 26


def _chart(question):
    """A question with the rows of its bar chart placed (y position, bar length)."""
    rows = [
        {
            "option": option,
            "y": index * ROW_HEIGHT,
            "text_y": index * ROW_HEIGHT + 17,
            "width": round(option.share * BAR_WIDTH, 1),
            "count_x": BAR_X + round(option.share * BAR_WIDTH, 1) + 6,
        }
        for index, option in enumerate(question.options)
    ]
    return {
        "summary": question,
        "rows": rows,
        "height": len(rows) * ROW_HEIGHT,
        "bar_x": BAR_X,
    }


@evaluation_view(Action.VIEW_WORK)
@require_GET
def results_xlsx(request, evaluation, pk):
    """The answers and the summary as a spreadsheet (audited)."""
    conference = _conference(evaluation, pk)
    content = feedback.export_xlsx(request.user, conference)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(conference.title) or "konferanse"
    response["Content-Disposition"] = f'attachment; filename="evaluering-{name}.xlsx"'
    return response


# --- The public form (no login) -----------------------------------------------------------------


def _closed(request, status: int):
    return render(request, "conference/feedback_closed.html", status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The evaluation form for anyone with an open link; nothing on it needs a session."""
    try:
        link = feedback.open_link_for(token, timezone.now())
    except feedback.FormClosed as closed:
        return _closed(request, closed.status)
    form = FeedbackForm()
    if request.method == "POST":
        if not feedback.take_answer_slot(client_address(request)):
            return render(
                request,
                "conference/feedback_busy.html",
                {"minutes": feedback.rate_window_minutes()},
                status=429,
            )
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                feedback.save_answer(link, form.cleaned_data)
            except feedback.FormClosed as closed:
                return _closed(request, closed.status)
            return redirect("feedback:thanks", link.token)
    return render(
        request,
        "conference/feedback_form.html",
        {"form": form, "conference": link.conference},
    )


@never_cache
@require_GET
def thanks(request, token):
    """Thank you; the answer is saved."""
    if not FeedbackLink.objects.filter(token=token[:64]).exists():
        return _closed(request, 404)
    return render(request, "conference/feedback_thanks.html")
