"""Partial report actions (delrapport): start a site's partial report, edit it, read its input.

One partial report per site, written after the site's dialogue conference. It reads the site's
process report (main points and chosen quotes per theme), what conferences with approved minutes
(the site's own, or one across all sites) said about each theme, and the site's proposed
measures. The team writes an introduction and a comment per theme (kept in
``ThemeSection.main_points`` of the partial report's own sections). Approval and export are the
shared ones in :mod:`bsbstudio.reports.actions`.

The conference app imports this app (its key to the process report), so conference and
follow-up models are looked up with ``apps.get_model`` when used, never imported at module
level: importing them here would close an import circle through ``reports.models``.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import gettext_noop

from .actions import ReportRefused, reopen_if_approved, report_input
from .engine.partial_report import MeasureLine, PartialReportInput, PartialTheme, Validation
from .models import Report, ThemeSection

TEMPLATES = {
    "no_themes": gettext_noop(
        "The partial report needs themes: add the themes of the guide before you start it."
    ),
}


def _refusal(code: str, **params) -> ReportRefused:
    return ReportRefused(code, TEMPLATES[code], **params)


def process_report_of(report) -> Report | None:
    """The process report of the partial report's site, whose findings it carries."""
    return Report.objects.filter(
        evaluation_id=report.evaluation_id, site_id=report.site_id, kind=Report.Kind.PROCESS
    ).first()


def quoted_filter(report) -> Q:
    """Which coded segments the partial report quotes: those chosen in the site's process report."""
    return Q(
        report_sections__report__evaluation_id=report.evaluation_id,
        report_sections__report__site_id=report.site_id,
        report_sections__report__kind=Report.Kind.PROCESS,
    )


@transaction.atomic
def create_partial_report(actor, evaluation, site) -> Report:
    """Start (or return) the site's partial report, with a section for every theme."""
    require(actor, evaluation, Action.EDIT_REPORT)
    themes = list(evaluation.themes.all())
    if not themes:
        raise _refusal("no_themes")
    report, created = Report.objects.get_or_create(
        evaluation=evaluation,
        site=site,
        kind=Report.Kind.PARTIAL,
        defaults={"title": site.name[:200], "created_by": actor},
    )
    have = set(report.sections.values_list("theme_id", flat=True))
    added = [t for t in themes if t.pk not in have]
    ThemeSection.objects.bulk_create(ThemeSection(report=report, theme=t) for t in added)
    if created:
        record(actor, "report.create", report, evaluation, kind="partial", site=site.pk)
    elif added:
        record(actor, "report.chapters_add", report, evaluation, themes=[t.pk for t in added])
    return report


@transaction.atomic
def save_partial_report(actor, report, introduction: str, comments: dict[int, str]) -> bool:
    """Store the introduction and the comment per theme section; return whether anything changed.

    ``comments`` maps section ids to text; an id that is not a section of the report is ignored
    (the form only offers the report's own sections).
    """
    require(actor, report.evaluation, Action.EDIT_REPORT)
    report = Report.objects.select_for_update().get(pk=report.pk)
    changed = []
    if introduction != report.introduction:
        report.introduction = introduction
        report.save(update_fields=["introduction"])
        changed.append("introduction")
    for section in report.sections.all():
        comment = comments.get(section.pk)
        if comment is not None and comment != section.main_points:
            section.main_points = comment
            section.save(update_fields=["main_points"])
            changed.append(f"comment:{section.theme_id}")
    if not changed:
        return False
    record(actor, "report.save", report, report.evaluation, changed=changed)
    reopen_if_approved(actor, report)
    return True


def approved_conferences(report) -> list:
    """Conferences with approved minutes that speak for the site: its own or across all sites."""
    conference = apps.get_model("conference", "DialogueConference")
    return list(
        conference.objects.filter(
            evaluation_id=report.evaluation_id, minutes_approved_at__isnull=False
        )
        .filter(Q(site_id=report.site_id) | Q(site__isnull=True))
        .order_by("date", "pk")
    )


def validation_labels() -> dict[str, str]:
    """The conference's validation statuses as shown on pages (confirmed, nuanced ...)."""
    status = apps.get_model("conference", "ThemeValidation").Status
    return {value: str(label) for value, label in status.choices}


def partial_input(report, language: str | None = None) -> PartialReportInput:
    """Everything the partial report engine needs, read from the database (de-identified only)."""
    language = "en" if (language or translation.get_language() or "nb").startswith("en") else "nb"
    process = process_report_of(report)
    findings = {}
    if process is not None:
        for theme in report_input(process, language).themes:
            findings[theme.theme] = theme
    conferences = approved_conferences(report)
    validation = apps.get_model("conference", "ThemeValidation")
    by_theme: dict[int, list[Validation]] = {}
    for v in (
        validation.objects.filter(conference__in=conferences, theme__isnull=False)
        .select_related("output", "conference")
        .order_by("conference__date", "conference_id", "pk")
    ):
        by_theme.setdefault(v.theme_id, []).append(
            Validation(v.status, v.output.text if v.output else "", v.conference.title)
        )
    themes = []
    for section in report.sections.select_related("theme"):
        found = findings.get(section.theme.name)
        themes.append(
            PartialTheme(
                theme=section.theme.name,
                main_points=found.main_points if found else "",
                quotes=list(found.quotes) if found else [],
                validations=by_theme.get(section.theme_id, []),
                comment=section.main_points,
            )
        )
    evaluation = report.evaluation
    period = ""
    if evaluation.period_start and evaluation.period_end:
        period = f"{evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}"
    leaders = evaluation.memberships.filter(role="process_leader").select_related("user")
    return PartialReportInput(
        evaluation_name=evaluation.name,
        site_name=report.site.name if report.site else "",
        commissioner=evaluation.commissioner,
        period=period,
        authors=[m.user.get_full_name() or m.user.username for m in leaders.order_by("pk")],
        introduction=report.introduction,
        conferences=[c.title for c in conferences],
        themes=themes,
        measures=_measures(report, conferences, language),
        generated_on=timezone.localdate(),
        language=language,
    )


def _measures(report, conferences, language: str) -> list[MeasureLine]:
    """The site's measures with their status, then conference proposals not yet made measures."""
    measure = apps.get_model("followup", "Measure")
    output = apps.get_model("conference", "GroupOutput")
    lines, sources = [], set()
    with translation.override(language):
        for m in measure.objects.filter(
            evaluation_id=report.evaluation_id, site_id=report.site_id
        ).order_by("pk"):
            lines.append(MeasureLine(m.text, str(m.get_status_display())))
            sources.add(m.source_output_id)
    for proposal in (
        output.objects.filter(group__conference__in=conferences, kind="measure")
        .exclude(pk__in=[s for s in sources if s])
        .order_by("group__conference__date", "group__conference_id", "group__order", "order", "pk")
    ):
        lines.append(MeasureLine(proposal.text))
    return lines


def partial_export_texts(data: PartialReportInput) -> list[str]:
    """The texts of the partial report that could carry what informants said (leak guard)."""
    texts = [data.introduction]
    for theme in data.themes:
        texts += [theme.theme, theme.main_points, theme.comment, *(q.text for q in theme.quotes)]
        texts += [v.text for v in theme.validations]
    texts += [m.text for m in data.measures]
    return [t for t in texts if t and t.strip()]
