"""Final report actions (sluttrapport, step 8): start it, edit it chapter by chapter, read it.

One final report per evaluation, one chapter per theme. Quote boxes come only from approved
de-identified texts coded to the chapter's theme; recommendations name the plan goals they
answer. Every change checks ``EDIT_REPORT``, runs in one transaction, is audited, and makes an
approved report a draft again (``actions.reopen_if_approved``). Approval and export are the
shared ones in :mod:`bsbstudio.reports.actions`; :func:`final_problems` adds what only a final
report can lack. Bad input raises :class:`~bsbstudio.reports.actions.ReportRefused` before
anything is written.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import get_language

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.errors import gettext_noop

from .actions import ReportRefused, reopen_if_approved
from .display_export import report_section
from .engine import Quote
from .engine.final_report import (
    ChapterInput,
    FinalReportInput,
    GoalRef,
    MethodFigures,
    RecommendationInput,
    experiences_draft,
)
from .models import FinalChapter, QuoteBox, Recommendation, Report

TEMPLATES = {
    "no_themes": gettext_noop(
        "The final report needs themes: add the themes of the guide before you start it."
    ),
    "empty_assessment": gettext_noop(
        "These chapters have no assessment yet: %(themes)s. Write an assessment for each theme "
        "before the report is approved."
    ),
    "no_goal": gettext_noop(
        "Recommendation %(numbers)s answers no goal of the plan (a goal it was linked to may "
        "have been deleted). Tick the goal(s) it answers."
    ),
    "quote_not_offered": gettext_noop(
        "A chosen quote cannot be used: a final report may only quote approved de-identified "
        "texts coded to the chapter's theme. Nothing was saved."
    ),
    "goal_gone": gettext_noop(
        "A goal ticked for a recommendation no longer exists in the plan. Nothing was saved; "
        "reload the page and tick the goals again."
    ),
    "too_long": gettext_noop("The title may have at most %(n)s characters."),
}


def _refusal(code: str, **params) -> ReportRefused:
    return ReportRefused(code, TEMPLATES[code], **params)


def final_report_of(evaluation) -> Report | None:
    """The evaluation's final report, or None when nobody has started it."""
    return evaluation.reports.filter(kind=Report.Kind.FINAL).first()


@transaction.atomic
def create_final_report(actor, evaluation) -> Report:
    """Start the final report (or return it) with a chapter for every theme of the guide.

    Themes added to the guide since are given their chapter here too.
    """
    require(actor, evaluation, Action.EDIT_REPORT)
    themes = list(evaluation.themes.all())
    if not themes:
        raise _refusal("no_themes")
    report, created = Report.objects.get_or_create(
        evaluation=evaluation,
        kind=Report.Kind.FINAL,
        defaults={"title": evaluation.name[:200], "created_by": actor},
    )
    have = set(report.chapters.values_list("theme_id", flat=True))
    added = [t for t in themes if t.pk not in have]
    FinalChapter.objects.bulk_create(FinalChapter(report=report, theme=t) for t in added)
    if created:
        record(actor, "report.create", report, evaluation, kind="final")
    elif added:
        record(actor, "report.chapters_add", report, evaluation, themes=[t.pk for t in added])
    return report


def chapter_candidates(chapter) -> list[CodedSegment]:
    """Quotes that may go in the chapter: coded to its theme in approved de-identified texts."""
    return list(
        CodedSegment.objects.filter(
            code__evaluation_id=chapter.report.evaluation_id,
            code__theme_id=chapter.theme_id,
            text__approved_at__isnull=False,
        )
        .select_related("text__transcript__interview__site")
        .order_by(
            "text__transcript__interview__site__order",
            "text__transcript__interview__code",
            "start",
            "pk",
        )
    )


@transaction.atomic
def save_front_matter(actor, report, *, title, foreword, summary, summary_en) -> bool:
    """Store the title, foreword and the two summaries; return whether anything changed."""
    require(actor, report.evaluation, Action.EDIT_REPORT)
    limit = Report._meta.get_field("title").max_length
    title = " ".join(title.split())
    if len(title) > limit:
        raise _refusal("too_long", n=limit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    values = {"title": title, "foreword": foreword, "summary": summary, "summary_en": summary_en}
    changed = [name for name, value in values.items() if getattr(report, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(report, name, values[name])
    report.save(update_fields=changed)
    record(actor, "report.save", report, report.evaluation, changed=changed)
    reopen_if_approved(actor, report)
    return True


@transaction.atomic
def save_chapter(
    actor,
    chapter,
    *,
    experiences: str,
    assessment: str,
    quote_ids: list[int],
    recommendations: list[tuple[str, set[int]]],
) -> bool:
    """Store a chapter: texts, the chosen quotes in order, the recommendations and their goals.

    Every quote id must be a candidate (:func:`chapter_candidates`) and every goal id a goal of
    the plan; otherwise nothing is written. Returns whether anything changed.
    """
    report = chapter.report
    require(actor, report.evaluation, Action.EDIT_REPORT)
    report = Report.objects.select_for_update().get(pk=report.pk)
    chapter = FinalChapter.objects.select_related("report").get(pk=chapter.pk)
    offered = {s.pk for s in chapter_candidates(chapter)}
    if not set(quote_ids) <= offered or len(set(quote_ids)) != len(quote_ids):
        raise _refusal("quote_not_offered")
    goals = set(report.evaluation.goals.values_list("pk", flat=True))
    if any(not ids <= goals for _text, ids in recommendations):
        raise _refusal("goal_gone")
    changed = []
    if (chapter.experiences, chapter.assessment) != (experiences, assessment):
        chapter.experiences, chapter.assessment = experiences, assessment
        chapter.save(update_fields=["experiences", "assessment"])
        changed.append("texts")
    if list(chapter.quote_boxes.values_list("segment_id", flat=True)) != quote_ids:
        chapter.quote_boxes.all().delete()
        QuoteBox.objects.bulk_create(
            QuoteBox(chapter=chapter, segment_id=pk, order=i) for i, pk in enumerate(quote_ids)
        )
        changed.append("quotes")
    old = [
        (r.text, {g.pk for g in r.goals.all()})
        for r in chapter.recommendations.prefetch_related("goals")
    ]
    if old != recommendations:
        _store_recommendations(chapter, recommendations)
        changed.append("recommendations")
    if not changed:
        return False
    record(
        actor,
        "report.chapter_save",
        report,
        report.evaluation,
        theme=chapter.theme_id,
        changed=changed,
    )
    reopen_if_approved(actor, report)
    return True


def _store_recommendations(chapter, rows: list[tuple[str, set[int]]]) -> None:
    """Write the chapter's recommendations, keeping the rows that stay (measures point at them).

    A row whose text is unchanged keeps its recommendation; an edited text takes over the most
    similar of the recommendations no longer used; what is left over is deleted.
    """
    existing = list(chapter.recommendations.order_by("order", "id"))
    by_text: dict[str, list[Recommendation]] = {}
    for recommendation in existing:
        by_text.setdefault(recommendation.text, []).append(recommendation)
    kept = [by_text[text].pop(0) if by_text.get(text) else None for text, _ids in rows]
    used = {r.pk for r in kept if r is not None}
    spare = [r for r in existing if r.pk not in used]
    for order, ((text, ids), recommendation) in enumerate(zip(rows, kept, strict=True)):
        if recommendation is None and spare:
            recommendation = max(spare, key=lambda r: SequenceMatcher(None, r.text, text).ratio())
            spare.remove(recommendation)
        if recommendation is None:
            recommendation = Recommendation(chapter=chapter)
        recommendation.order, recommendation.text = order, text
        recommendation.save()
        recommendation.goals.set(sorted(ids))
    Recommendation.objects.filter(pk__in=[r.pk for r in spare]).delete()


def final_problems(report) -> list[ReportRefused]:
    """What only a final report can lack before approval: themes, assessments, linked goals."""
    chapters = list(
        report.chapters.select_related("theme").prefetch_related("recommendations__goals")
    )
    if not chapters:
        return [_refusal("no_themes")]
    problems = []
    empty = [c.theme.name for c in chapters if not c.assessment.strip()]
    if empty:
        problems.append(_refusal("empty_assessment", themes=", ".join(empty)))
    number, orphans = 0, []
    for chapter in chapters:
        for recommendation in chapter.recommendations.all():
            number += 1
            if not recommendation.goals.all():
                orphans.append(str(number))
    if orphans:
        problems.append(_refusal("no_goal", numbers=", ".join(orphans)))
    return problems


def _labels(evaluation) -> tuple[dict, dict, dict]:
    """Group and site of every coded quote (from the matrix), and code -> theme ids."""
    from bsbstudio.analysis.queries import matrix_segments

    segments = {s.segment_id: s for s in matrix_segments(evaluation)}
    themes = dict(evaluation.codes.filter(theme__isnull=False).values_list("pk", "theme_id"))
    groups = dict(evaluation.informant_groups.values_list("pk", "name"))
    return segments, themes, groups


def experiences_starting_point(chapter, language: str | None = None) -> str:
    """The generated start of "users' experiences": counts per group and site, the balance."""
    evaluation = chapter.report.evaluation
    segments, themes, group_names = _labels(evaluation)
    approved = set(
        CodedSegment.objects.filter(
            code__theme_id=chapter.theme_id, text__approved_at__isnull=False
        ).values_list("pk", flat=True)
    )
    sites = dict(evaluation.sites.values_list("pk", "name"))
    rows = [s for pk, s in segments.items() if pk in approved and s.group_id is not None]
    groups = Counter(group_names.get(s.group_id, "") for s in rows)
    by_site = Counter(sites.get(s.site_id, "") for s in rows if s.site_id in sites)
    order = {name: i for i, name in enumerate(group_names.values())}
    draft = experiences_draft(
        dict(sorted(groups.items(), key=lambda kv: order.get(kv[0], 0))),
        {name: by_site[name] for name in sites.values() if by_site[name]},
        Counter(s.polarity for s in rows),
        _language(language),
    )
    # The text condensation's synthesis of this theme's quotes, once the analysts have written it.
    from bsbstudio.analysis.condensation import synthesis_for_theme

    return "\n\n".join(filter(None, [draft, synthesis_for_theme(evaluation, chapter.theme_id)]))


def _language(language: str | None) -> str:
    return "en" if (language or get_language() or "nb").startswith("en") else "nb"


def final_input(report, language: str | None = None) -> FinalReportInput:
    """Everything the final report engine needs, read from the database (de-identified only)."""
    evaluation = report.evaluation
    segments, _themes, group_names = _labels(evaluation)
    site_names = dict(evaluation.sites.values_list("pk", "name"))
    goal_numbers = {g.pk: i for i, g in enumerate(evaluation.goals.all(), start=1)}

    def ref(goal) -> GoalRef:
        return GoalRef(goal_numbers[goal.pk], goal.text, goal.source_document, goal.page)

    chapters = []
    for chapter in report.chapters.select_related("theme").prefetch_related(
        "theme__goals",
        "quote_boxes__segment",
        "recommendations__goals",
        "recommendations__measures",
    ):
        quotes = []
        for box in chapter.quote_boxes.all():
            segment, where = box.segment, segments.get(box.segment_id)
            quote = Quote(
                text=segment.quote,
                group_name=group_names.get(where.group_id, "") if where else "",
                polarity=segment.polarity,
                directness=segment.directness,
            )
            quotes.append((quote, site_names.get(where.site_id, "") if where else ""))
        chapters.append(
            ChapterInput(
                theme=chapter.theme.name,
                goals=[
                    ref(g)
                    for g in sorted(chapter.theme.goals.all(), key=lambda g: goal_numbers[g.pk])
                ],
                experiences=chapter.experiences,
                quotes=quotes,
                assessment=chapter.assessment,
                recommendations=[
                    RecommendationInput(
                        r.text,
                        [ref(g) for g in sorted(r.goals.all(), key=lambda g: goal_numbers[g.pk])],
                        [m.text for m in sorted(r.measures.all(), key=lambda m: m.pk)],
                    )
                    for r in chapter.recommendations.all()
                ],
            )
        )
    period = ""
    if evaluation.period_start and evaluation.period_end:
        period = f"{evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}"
    leaders = evaluation.memberships.filter(role="process_leader").select_related("user")
    comparison, comparison_texts = _comparison(evaluation, _language(language))
    display, display_texts = _display(evaluation, _language(language))
    return FinalReportInput(
        evaluation_name=evaluation.name,
        title=report.title,
        commissioner=evaluation.commissioner,
        period=period,
        authors=[m.user.get_full_name() or m.user.username for m in leaders.order_by("pk")],
        foreword=report.foreword,
        summary=report.summary,
        summary_en=report.summary_en,
        chapters=chapters,
        method=method_figures(evaluation, segments),
        comparison=comparison,
        comparison_texts=comparison_texts,
        display=display,
        display_texts=display_texts,
        generated_on=timezone.localdate(),
        language=_language(language),
    )


def _comparison(evaluation, language: str) -> tuple[list, list[str]]:
    """The cross-site tables and the words in them the leak guard scans; none for one site."""
    if evaluation.sites.count() < 2:
        return [], []
    from . import cross_site  # it reads the conference app, which imports this app's models

    # The guide's theme names head the chapters unscanned, as everywhere in the final report;
    # the rest the team typed (emergent codes, areas, indicators, sources) is scanned.
    themes = set(evaluation.themes.values_list("name", flat=True))
    texts = [t for t in cross_site.scanned_texts(evaluation) if t not in themes]
    with translation.override(language):
        return cross_site.comparison(evaluation).tables, texts


def _display(evaluation, language: str) -> tuple[list, list[str]]:
    """The 2 x 2 display as a chapter (approved quotes only) and its texts; none when empty."""
    with translation.override(language):
        return report_section(evaluation)


def method_figures(evaluation, segments: dict | None = None) -> MethodFigures:
    """The counts of the method chapter, charts and appendices (no names, no codes)."""
    from bsbstudio.fieldwork.models import Informant, Interview

    if segments is None:
        segments = _labels(evaluation)[0]
    sites = list(evaluation.sites.order_by("order", "pk"))
    groups = list(evaluation.informant_groups.order_by("order", "pk"))
    kinds = Counter()
    for row in (
        Interview.objects.filter(evaluation=evaluation)
        .exclude(status=Interview.Status.CANCELLED)
        .values("site", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        kinds[(row["site"], row["kind"])] = row["n"]
    informants = Counter()
    for row in (
        Informant.objects.filter(evaluation=evaluation)
        .values("site", "group")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        informants[(row["site"], row["group"])] = row["n"]
    approved = set(
        CodedSegment.objects.filter(
            code__evaluation=evaluation, text__approved_at__isnull=False
        ).values_list("pk", flat=True)
    )
    code_theme = dict(evaluation.codes.filter(theme__isnull=False).values_list("pk", "theme_id"))
    themes = list(evaluation.themes.order_by("order", "pk"))
    counted = [
        s
        for pk, s in segments.items()
        if pk in approved and s.group_id is not None and s.theme_id in code_theme
    ]
    polarity = Counter((code_theme[s.theme_id], s.polarity) for s in counted)
    cells = Counter((s.site_id, code_theme[s.theme_id], s.group_id) for s in counted)
    guide_version, guide_rows = _guide_as_used(evaluation)
    return MethodFigures(
        sites=[s.name for s in sites],
        groups=[g.name for g in groups],
        interviews=[
            (
                s.name,
                kinds[(s.pk, Interview.Kind.FOCUS_GROUP)],
                kinds[(s.pk, Interview.Kind.INDIVIDUAL)],
            )
            for s in sites
        ],
        informants=[[informants[(s.pk, g.pk)] for g in groups] for s in sites],
        guide_versions=[
            (v.number, f"{timezone.localtime(v.frozen_at):%d.%m.%Y}", v.n)
            for v in evaluation.guide_versions.annotate(n=Count("interviews"))
            .filter(n__gt=0)
            .order_by("number")
        ],
        conference=_conference_counts(evaluation),
        polarity=[
            (
                t.name,
                polarity[(t.pk, "positive")],
                polarity[(t.pk, "critical")],
                polarity[(t.pk, "neutral")],
            )
            for t in themes
        ],
        matrices=[
            (s.name, [(t.name, [cells[(s.pk, t.pk, g.pk)] for g in groups]) for t in themes])
            for s in sites
            if any(cells[(s.pk, t.pk, g.pk)] for t in themes for g in groups)
        ],
        guide_version=guide_version,
        guide=guide_rows,
    )


def _guide_as_used(evaluation) -> tuple[int | None, list[tuple[str, str, str]]]:
    """The newest guide version an interview used (else the draft), as (theme, group, question)."""
    from bsbstudio.guide import printing

    version = evaluation.guide_versions.filter(interviews__isnull=False).order_by("-number").first()
    guide = printing.version_guide(version) if version else printing.draft_guide(evaluation)
    rows = [
        (row.theme, group, cell.question)
        for row in guide.rows
        for group, cell in zip(guide.groups, row.cells, strict=False)
        if cell.question.strip()
    ]
    return (version.number if version else None), rows


def _conference_counts(evaluation) -> list[tuple[str, int]] | None:
    """Dialogue conference participants per role, or None while none are recorded."""
    try:
        model = apps.get_model("conference", "ParticipantCount")
    except LookupError:
        return None
    labels = dict(model._meta.get_field("role").choices)
    totals = Counter()
    for role, count in model.objects.filter(conference__evaluation=evaluation).values_list(
        "role", "count"
    ):
        totals[role] += count
    if not totals:
        return None
    return [(str(labels.get(role, role)), totals[role]) for role in labels if role in totals]


def final_export_texts(data: FinalReportInput) -> list[str]:
    """The texts of the final report that could carry what informants said (leak guard).

    The plan's goals and the title page come from the plan, where naming is deliberate.
    """
    texts = [data.title, data.foreword, data.summary, data.summary_en]
    for chapter in data.chapters:
        texts += [chapter.experiences, chapter.assessment, *(q.text for q, _s in chapter.quotes)]
        texts += [r.text for r in chapter.recommendations]
        texts += [m for r in chapter.recommendations for m in r.measures]
    texts += data.comparison_texts
    texts += data.display_texts
    return [t for t in texts if t and t.strip()]
