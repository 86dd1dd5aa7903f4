"""Report actions: create a site's process report, save its contents, and render it for export."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.deid import leak_guard

from .engine import ProcessReportInput, Quote, ThemeFindings, build_process_report, render_docx
from .forms import points_field_name, quotes_field_name
from .models import Report, ThemeSection


class LeakRisk(Exception):
    """The export holds direct identifiers nobody has reviewed."""

    def __init__(self, findings):
        super().__init__(f"{len(findings)} unreviewed identifiers")
        self.findings = findings


def site_quotes(report) -> dict[int, list[CodedSegment]]:
    """Quotes coded in the report's site, by theme: the candidates for the report."""
    segments = (
        CodedSegment.objects.filter(
            code__evaluation=report.evaluation,
            code__theme__isnull=False,
            text__transcript__interview__site=report.site,
        )
        .select_related("code")
        .order_by("code__theme__order", "text__transcript__interview__code", "start")
    )
    by_theme: dict[int, list[CodedSegment]] = {}
    for segment in segments:
        by_theme.setdefault(segment.code.theme_id, []).append(segment)
    return by_theme


@transaction.atomic
def create_process_report(actor, evaluation, site) -> Report:
    """Create (or return) the site's process report, with every theme and its quotes chosen."""
    require(actor, evaluation, Action.EDIT_REPORT)
    report, created = Report.objects.get_or_create(
        evaluation=evaluation,
        site=site,
        kind=Report.Kind.PROCESS,
        defaults={"title": f"{site.name}", "created_by": actor},
    )
    if created:
        candidates = site_quotes(report)
        for theme in evaluation.themes.all():
            section = ThemeSection.objects.create(report=report, theme=theme)
            section.quotes.set(candidates.get(theme.pk, []))
        record(actor, "report.create", report, evaluation)
    return report


@transaction.atomic
def save_process_report(actor, report, form) -> None:
    """Store the introduction, main points and quote choices of a valid form."""
    require(actor, report.evaluation, Action.EDIT_REPORT)
    report.introduction = form.cleaned_data["introduction"]
    report.save(update_fields=["introduction"])
    for section, _points, _quotes, candidates in form.sections:
        section.main_points = form.cleaned_data[points_field_name(section.pk)]
        section.save(update_fields=["main_points"])
        chosen = set(form.cleaned_data[quotes_field_name(section.pk)])
        section.quotes.set([s for s in candidates if s.pk in chosen])
    record(actor, "report.save", report, report.evaluation)


def report_input(report, language: str | None = None) -> ProcessReportInput:
    """Everything the report engine needs, read from the database (de-identified text only)."""
    evaluation = report.evaluation
    period = ""
    if evaluation.period_start and evaluation.period_end:
        period = f"{evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}"
    groups = _speaker_groups(report)
    themes = []
    for section in report.sections.select_related("theme").prefetch_related("quotes"):
        quotes = [
            Quote(
                text=s.quote,
                group_name=groups.get(s.pk, ""),
                polarity=s.polarity,
                directness=s.directness,
            )
            for s in sorted(section.quotes.all(), key=lambda s: (s.text_id, s.start))
        ]
        themes.append(
            ThemeFindings(
                theme=section.theme.name,
                description=section.theme.description,
                main_points=section.main_points,
                quotes=quotes,
            )
        )
    leaders = evaluation.memberships.filter(role="process_leader").select_related("user")
    return ProcessReportInput(
        evaluation_name=evaluation.name,
        site_name=report.site.name if report.site else "",
        commissioner=evaluation.commissioner,
        period=period,
        authors=[m.user.get_full_name() or m.user.username for m in leaders],
        introduction=report.introduction,
        themes=themes,
        generated_on=timezone.localdate(),
        language="en" if (language or get_language() or "nb").startswith("en") else "nb",
    )


def _speaker_groups(report) -> dict[int, str]:
    """The informant group name of each chosen quote (from the turn the quote starts in)."""
    from bsbstudio.analysis.queries import matrix_segments

    names = dict(report.evaluation.informant_groups.values_list("pk", "name"))
    return {s.segment_id: names.get(s.group_id, "") for s in matrix_segments(report.evaluation)}


def export_texts(data: ProcessReportInput) -> list[str]:
    """The texts of the report that could carry what informants said: the leak guard scans these.

    The title page (evaluation, site, commissioner, the team as authors) comes from the plan, where
    naming is deliberate, so it is not scanned.
    """
    texts = [data.introduction]
    for theme in data.themes:
        texts += [
            theme.theme,
            theme.description,
            theme.main_points,
            *(q.text for q in theme.quotes),
        ]
    return [t for t in texts if t and t.strip()]


def unreviewed_findings(report, data: ProcessReportInput | None = None) -> list:
    """What the leak guard flags in the report that nobody has judged harmless yet."""
    data = data or report_input(report)
    return leak_guard.unreviewed(report.evaluation, export_texts(data), report.reviewed_identifiers)


def render_process_report(actor, report) -> bytes:
    """Render the report as DOCX after the leak guard passes; raise LeakRisk otherwise."""
    require(actor, report.evaluation, Action.VIEW_REPORTS)
    data = report_input(report)
    findings = unreviewed_findings(report, data)
    if findings:
        raise LeakRisk(findings)
    content = render_docx(build_process_report(data))
    record(actor, "report.export", report, report.evaluation, format="docx", bytes=len(content))
    return content


@transaction.atomic
def mark_reviewed(actor, report, findings) -> None:
    """Remember that a person judged these flagged strings harmless in this report."""
    require(actor, report.evaluation, Action.EDIT_REPORT)
    report.reviewed_identifiers = sorted(
        set(report.reviewed_identifiers) | {f.text for f in findings}
    )
    report.save(update_fields=["reviewed_identifiers"])
    record(
        actor,
        "report.leak_review",
        report,
        report.evaluation,
        findings=[{"label": f.label, "length": len(f.text)} for f in findings],
    )
