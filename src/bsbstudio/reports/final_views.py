"""Views of the final report (sluttrapport): its overview, the front matter, one page per chapter.

Approval and downloads are the shared report views (``views.approve``, ``views.download``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import user_message

from . import actions, final
from .models import FinalChapter, Report

RECOMMENDATION_ROWS_EXTRA = 2  # empty rows offered for new recommendations


def _text(request, name: str) -> str:
    """A posted text without NUL characters, which PostgreSQL cannot store in a text column."""
    return request.POST.get(name, "").replace("\x00", "")


def _saved(request, changed: bool, was_approved: bool) -> None:
    if not changed:
        messages.info(request, _("Nothing was changed."))
    elif was_approved:
        messages.warning(
            request,
            _(
                "The report was saved. It is a draft again: the commissioner gets the approved "
                "version until a process leader approves this one."
            ),
        )
    else:
        messages.success(request, _("The report was saved."))


@evaluation_view(Action.VIEW_REPORTS)
def overview(request, evaluation):
    """The final report's chapters, state and downloads; the team starts it here."""
    report = (
        actions.visible_reports(request.user, evaluation).filter(kind=Report.Kind.FINAL).first()
    )
    chapters = []
    if report is not None:
        chapters = list(
            report.chapters.select_related("theme").prefetch_related(
                "theme__goals", "quote_boxes", "recommendations"
            )
        )
    return render(
        request,
        "reports/final.html",
        {
            "evaluation": evaluation,
            "report": report,
            "chapters": chapters,
            "approval": actions.latest_approval(report) if report else None,
            "team": Action.VIEW_WORK in request.bsb_actions,
            "can_edit": Action.EDIT_REPORT in request.bsb_actions,
            "can_approve": Action.APPROVE_REPORT in request.bsb_actions,
            "nav_active": "reports",
        },
    )


@require_POST
@evaluation_view(Action.EDIT_REPORT)
def start(request, evaluation):
    """Start the final report (or add chapters for themes added since)."""
    try:
        final.create_final_report(request.user, evaluation)
    except actions.ReportRefused as refusal:
        messages.error(request, user_message(refusal))
    return redirect("reports:final", evaluation.slug)


def _final_report(evaluation) -> Report:
    return get_object_or_404(Report, evaluation=evaluation, kind=Report.Kind.FINAL)


@evaluation_view(Action.EDIT_REPORT)
def front(request, evaluation):
    """Title, foreword, summary and English summary."""
    report = _final_report(evaluation)
    fields = ("title", "foreword", "summary", "summary_en")
    values = {name: getattr(report, name) for name in fields}
    if request.method == "POST":
        values = {name: _text(request, name) for name in fields}
        was_approved = report.state == Report.State.APPROVED
        try:
            changed = final.save_front_matter(request.user, report, **values)
        except actions.ReportRefused as refusal:
            messages.error(request, user_message(refusal))
        else:
            _saved(request, changed, was_approved)
            return redirect("reports:final_front", evaluation.slug)
    return render(
        request,
        "reports/final_front.html",
        {"evaluation": evaluation, "report": report, "values": values, "nav_active": "reports"},
    )


def _posted_ids(values) -> list[int] | None:
    """Ids from checkboxes, in the order posted; None when one cannot be an id."""
    ids = [parse_id(value) for value in values]
    return None if None in ids else ids


def _recommendations(request) -> list[tuple[str, set[int]]] | None:
    rows = []
    count = _posted_ids([request.POST.get("rec_count", "0")])
    if count is None:
        return None
    for i in range(min(count[0], 500)):
        text = _text(request, f"rec_text_{i}").strip()
        goals = _posted_ids(request.POST.getlist(f"rec_goals_{i}"))
        if goals is None:
            return None
        if text:
            rows.append((text, set(goals)))
    return rows


@evaluation_view(Action.EDIT_REPORT)
def chapter(request, evaluation, pk):
    """One theme's chapter: experiences, quotes, assessment, recommendations and their goals.

    The experiences can be started from a generated text (counts per group and site and the
    polarity balance), inserted on a button press and saved only with the chapter.
    """
    chapter = get_object_or_404(
        FinalChapter.objects.select_related("report", "theme"),
        pk=pk,
        report__evaluation=evaluation,
        report__kind=Report.Kind.FINAL,
    )
    report = chapter.report
    candidates = final.chapter_candidates(chapter)
    chosen = list(chapter.quote_boxes.values_list("segment_id", flat=True))
    recommendations = [
        (r.text, {g.pk for g in r.goals.all()})
        for r in chapter.recommendations.prefetch_related("goals")
    ]
    experiences, assessment = chapter.experiences, chapter.assessment
    if request.method == "POST":
        experiences = _text(request, "experiences")
        assessment = _text(request, "assessment")
        quote_ids = _posted_ids(request.POST.getlist("quotes"))
        posted_recommendations = _recommendations(request)
        if quote_ids is None or posted_recommendations is None:
            messages.error(request, _("Nothing was saved. Reload the page and try again."))
            return redirect("reports:final_chapter", evaluation.slug, chapter.pk)
        order = {s.pk: i for i, s in enumerate(candidates)}
        chosen = sorted(quote_ids, key=lambda pk: order.get(pk, len(order)))
        recommendations = posted_recommendations
        if request.POST.get("op") == "draft":
            draft = final.experiences_starting_point(chapter)
            experiences = f"{experiences.rstrip()}\n\n{draft}".strip()
            messages.info(
                request,
                _("A starting point was added to the text. Edit it, then save the chapter."),
            )
        else:
            was_approved = report.state == Report.State.APPROVED
            try:
                changed = final.save_chapter(
                    request.user,
                    chapter,
                    experiences=experiences,
                    assessment=assessment,
                    quote_ids=chosen,
                    recommendations=recommendations,
                )
            except actions.ReportRefused as refusal:
                messages.error(request, user_message(refusal))
            else:
                _saved(request, changed, was_approved)
                return redirect("reports:final_chapter", evaluation.slug, chapter.pk)
    rows = recommendations + [("", set())] * RECOMMENDATION_ROWS_EXTRA
    return render(
        request,
        "reports/final_chapter.html",
        {
            "evaluation": evaluation,
            "report": report,
            "chapter": chapter,
            "goals": list(evaluation.goals.all()),
            "theme_goals": list(chapter.theme.goals.all()),
            "candidates": candidates,
            "chosen": set(chosen),
            "experiences": experiences,
            "assessment": assessment,
            "recommendations": list(enumerate(rows)),
            "rec_count": len(rows),
            "saved_recommendations": chapter.recommendations.prefetch_related("measures"),
            "can_make_measures": Action.EDIT_PLAN in request.bsb_actions,
            "nav_active": "reports",
        },
    )
