"""Report actions: create a site's process report, edit it, approve it, and export it.

A report is a draft until a process leader approves it; approval freezes the file that may leave
the system (see :class:`~bsbstudio.reports.models.ReportApproval`) and any later edit makes the
report a draft again. Quotes come only from approved de-identified texts. The leak guard
(invariant 3) re-scans every export; its findings are raw material, shown only to members who may
review de-identification and have signed the confidentiality declaration.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import has_signed
from bsbstudio.accounts.policy import Action, allowed_actions, can, require
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.deid import leak_guard
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.transcripts.models import DeidentifiedText

from .engine import (
    Document,
    ProcessReportInput,
    Quote,
    ThemeFindings,
    build_process_report,
    render_docx,
    render_pdf,
)
from .forms import points_field_name, quotes_field_name
from .models import Report, ReportApproval, ThemeSection


class LeakRisk(Exception):
    """The export holds direct identifiers nobody has reviewed."""

    def __init__(self, findings):
        super().__init__(f"{len(findings)} unreviewed identifiers")
        self.findings = findings


class ReportRefused(UserFacingError):
    """A report that cannot be approved or exported now; nothing was changed."""


REFUSAL_TEMPLATES = {
    "already": gettext_noop("This report is already approved."),
    "unapproved_quotes": gettext_noop(
        "Quotes from de-identified texts that are not approved: %(n)s. Remove them from the "
        "report, or approve the texts first."
    ),
    "findings": gettext_noop(
        "Words that may identify someone: %(n)s. A team member who has signed the "
        "confidentiality declaration must check them before the report can be approved."
    ),
    "withdrawn": gettext_noop(
        "The approved version quotes a de-identified text whose approval was withdrawn. "
        "Correct the report and approve it again."
    ),
    "damaged": gettext_noop(
        "The approved file of this report does not match its approval. Approve the report again."
    ),
    "no_pdf": gettext_noop(
        "The approved version of this report was approved before PDF files were kept. Download "
        "it as Word, or approve the report again."
    ),
    "format": gettext_noop("Reports can be downloaded as Word (docx) or PDF, not %(fmt)s."),
}

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
"""The file formats a report is exported in, with their media types."""


def render(document: Document, fmt: str) -> bytes:
    """Render a report's document model as DOCX or PDF (one renderer per format for every kind)."""
    if fmt not in FORMATS:
        raise _refusal("format", fmt=fmt)
    return render_docx(document) if fmt == "docx" else render_pdf(document)


def built(report, language: str | None = None) -> tuple[Document, list[str]]:
    """The report's document model and the texts the leak guard scans, for any report kind."""
    if report.kind == Report.Kind.FINAL:
        from .engine.final_report import build_final_report
        from .final import final_export_texts, final_input

        data = final_input(report, language)
        return build_final_report(data), final_export_texts(data)
    if report.kind == Report.Kind.PARTIAL:
        from .engine.partial_report import build_partial_report
        from .partial import partial_export_texts, partial_input

        data = partial_input(report, language)
        return build_partial_report(data), partial_export_texts(data)
    data = report_input(report, language)
    return build_process_report(data), export_texts(data)


def _refusal(code: str, **params) -> ReportRefused:
    return ReportRefused(code, REFUSAL_TEMPLATES[code], **params)


def visible_reports(user, evaluation):
    """The reports ``user`` may see: the team sees drafts, a commissioner approved ones only.

    A report approved once and edited since stays visible to a commissioner, who gets the
    approved version (invariant 5); a report never approved does not exist for them.
    """
    reports = evaluation.reports.all()
    if can(user, evaluation, Action.VIEW_WORK):
        return reports
    return reports.filter(Exists(ReportApproval.objects.filter(report=OuterRef("pk"))))


def latest_approval(report, *, with_content: bool = False) -> ReportApproval | None:
    """The report's newest approval (without the file's bytes unless asked), or None."""
    approvals = report.approvals.select_related("approved_by").order_by("-version")
    if not with_content:
        approvals = approvals.defer("content", "pdf_content")
    return approvals.first()


def site_quotes(report) -> dict[int, list[CodedSegment]]:
    """Quotes coded in the report's site from approved texts, by theme: the report's candidates."""
    segments = (
        CodedSegment.objects.filter(
            code__evaluation=report.evaluation,
            code__theme__isnull=False,
            text__transcript__interview__site=report.site,
            text__approved_at__isnull=False,
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


def quoted_segments(report):
    """Every quote the report uses (a partial report's are its site's process report's)."""
    if report.kind == Report.Kind.PARTIAL:
        from .partial import quoted_filter

        used = quoted_filter(report)
    else:
        used = Q(report_sections__report=report) | Q(quote_boxes__chapter__report=report)
    return CodedSegment.objects.filter(used).distinct().order_by("pk")


def unapproved_quotes(report):
    """The report's chosen quotes whose de-identified text is not approved (now)."""
    return quoted_segments(report).filter(text__approved_at__isnull=True)


@transaction.atomic
def save_process_report(actor, report, form) -> bool:
    """Store the introduction, main points and quote choices of a valid form.

    Returns whether anything changed. A change to an approved report makes it a draft again;
    the last approval (who, when, which version) is kept, and still what a commissioner gets.
    """
    require(actor, report.evaluation, Action.EDIT_REPORT)
    report = Report.objects.select_for_update().get(pk=report.pk)
    changed = []
    if form.cleaned_data["introduction"] != report.introduction:
        report.introduction = form.cleaned_data["introduction"]
        report.save(update_fields=["introduction"])
        changed.append("introduction")
    for section, _points, _quotes, candidates in form.sections:
        points = form.cleaned_data[points_field_name(section.pk)]
        if points != section.main_points:
            section.main_points = points
            section.save(update_fields=["main_points"])
            changed.append(f"main_points:{section.theme_id}")
        chosen = set(form.cleaned_data[quotes_field_name(section.pk)])
        quotes = [s for s in candidates if s.pk in chosen]
        if {s.pk for s in quotes} != {s.pk for s in section.quotes.all()}:
            section.quotes.set(quotes)
            changed.append(f"quotes:{section.theme_id}")
    if not changed:
        return False
    record(actor, "report.save", report, report.evaluation, changed=changed)
    reopen_if_approved(actor, report)
    return True


def reopen_if_approved(actor, report) -> None:
    """After a change, an approved report is a draft again; its last approval is kept."""
    if report.state == Report.State.APPROVED:
        report.state = Report.State.DRAFT
        report.save(update_fields=["state"])
        last = latest_approval(report)
        record(
            actor,
            "report.reopen",
            report,
            report.evaluation,
            approved_version=last.version if last else None,
            approved_by=last.approved_by_name if last else "",
            approved_at=last.approved_at.isoformat() if last else "",
        )


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


def unreviewed_findings(report, texts: list[str] | None = None) -> list:
    """What the leak guard flags in the report that nobody has judged harmless yet."""
    texts = built(report)[1] if texts is None else texts
    return leak_guard.unreviewed(report.evaluation, texts, report.reviewed_identifiers)


def approval_problems(report, texts: list[str] | None = None) -> list[ReportRefused]:
    """Everything that stands in the way of approving ``report`` (empty when it may be)."""
    problems = []
    if report.kind == Report.Kind.FINAL:
        from .final import final_problems

        problems += final_problems(report)
    unapproved = unapproved_quotes(report).count()
    if unapproved:
        problems.append(_refusal("unapproved_quotes", n=unapproved))
    findings = unreviewed_findings(report, texts)
    if findings:
        problems.append(_refusal("findings", n=len(findings)))
    return problems


@transaction.atomic
def approve_report(actor, report) -> ReportApproval:
    """Approve the report as it is now: render it once and keep that file for export."""
    require(actor, report.evaluation, Action.APPROVE_REPORT)
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("evaluation", "site")
        .get(pk=report.pk)
    )
    if report.state == Report.State.APPROVED:
        raise _refusal("already")
    document, texts = built(report)
    problems = approval_problems(report, texts)
    if problems:
        raise problems[0]
    content = render_docx(document)
    pdf = render_pdf(document)
    version = (report.approvals.aggregate(v=Max("version"))["v"] or 0) + 1
    approval = ReportApproval.objects.create(
        report=report,
        version=version,
        approved_by=actor,
        approved_by_name=actor.get_full_name() or actor.get_username(),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        pdf_content=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        scanned_texts=texts,
        quoted_texts=sorted(set(quoted_segments(report).values_list("text_id", flat=True))),
    )
    report.state = Report.State.APPROVED
    report.save(update_fields=["state"])
    record(
        actor,
        "report.approve",
        report,
        report.evaluation,
        version=version,
        sha256=approval.sha256,
        pdf_sha256=approval.pdf_sha256,
    )
    return approval


def export_report(actor, report, fmt: str = "docx") -> bytes:
    """The report as DOCX or PDF for ``actor``, after the checks; raise LeakRisk or ReportRefused.

    The team gets a draft rendered now; everyone gets an approved report's frozen file, and a
    commissioner nothing else (a report never approved is not found).
    """
    evaluation = report.evaluation
    require(actor, evaluation, Action.VIEW_REPORTS)
    if fmt not in FORMATS:
        raise _refusal("format", fmt=fmt)
    if report.state == Report.State.DRAFT and can(actor, evaluation, Action.VIEW_WORK):
        unapproved = unapproved_quotes(report).count()
        if unapproved:
            raise _refusal("unapproved_quotes", n=unapproved)
        document, texts = built(report)
        findings = unreviewed_findings(report, texts)
        if findings:
            raise LeakRisk(findings)
        content = render(document, fmt)
        record(
            actor,
            "report.export",
            report,
            evaluation,
            format=fmt,
            state="draft",
            bytes=len(content),
        )
        return content
    approval = latest_approval(report, with_content=True)
    if approval is None:
        raise Http404
    content = bytes(approval.content if fmt == "docx" else approval.pdf_content)
    expected = approval.sha256 if fmt == "docx" else approval.pdf_sha256
    if fmt == "pdf" and not expected:
        raise _refusal("no_pdf")
    if hashlib.sha256(content).hexdigest() != expected:
        raise _refusal("damaged")
    quoted = set(approval.quoted_texts)
    if DeidentifiedText.objects.filter(pk__in=quoted, approved_at__isnull=False).count() != len(
        quoted
    ):
        raise _refusal("withdrawn")
    findings = leak_guard.unreviewed(
        evaluation, approval.scanned_texts, report.reviewed_identifiers
    )
    if findings:
        raise LeakRisk(findings)
    record(
        actor,
        "report.export",
        report,
        evaluation,
        format=fmt,
        state="approved",
        version=approval.version,
        sha256=expected,
    )
    return content


def may_review_findings(user, evaluation) -> bool:
    """Whether ``user`` may see the leak guard's findings: a raw-material role and a signature."""
    roles = allowed_actions(user, evaluation)
    return bool(roles & {Action.VIEW_RAW, Action.REVIEW_DEID}) and has_signed(user, evaluation)


def _require_findings_access(actor, evaluation) -> None:
    require(actor, evaluation, Action.VIEW_REPORTS)  # "not found" for non-members
    if not may_review_findings(actor, evaluation):
        raise PermissionDenied


def pending_review(report) -> leak_guard.Review:
    """Unreviewed findings in the working version and in the last approved one, with warnings."""
    texts = built(report)[1]
    approval = latest_approval(report)
    if approval is not None:
        texts += approval.scanned_texts
    return leak_guard.review(report.evaluation, texts, report.reviewed_identifiers)


def pending_findings(report) -> list:
    """Unreviewed findings that block the report's export."""
    return pending_review(report).blocking


def show_findings(actor, report) -> leak_guard.Review:
    """The findings for a reviewer's eyes; the viewing is audited (they are raw material)."""
    _require_findings_access(actor, report.evaluation)
    review = pending_review(report)
    audit_findings_view(actor, "report.leak_view", report, report.evaluation, review)
    return review


def audit_findings_view(actor, action: str, target, evaluation, review) -> None:
    """Record that ``actor`` saw the findings (their labels and lengths, never the words)."""
    seen = [*review.blocking, *review.warnings]
    if seen:
        record(
            actor,
            action,
            target,
            evaluation,
            findings=[{"label": f.label, "length": len(f.text)} for f in seen],
        )


@transaction.atomic
def mark_reviewed(actor, report, findings) -> None:
    """Remember that a person judged these flagged strings harmless in this report."""
    _require_findings_access(actor, report.evaluation)
    report = Report.objects.select_for_update().get(pk=report.pk)
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


def export_for_command(report, fmt: str, language: str = "nb") -> bytes:
    """The report rendered now for `bsb report` (run by whoever operates the data folder).

    The same checks as a download: quotes from unapproved texts refuse, leak-guard findings
    raise LeakRisk. The export is audited without a user, marked as from the command line.
    """
    unapproved = unapproved_quotes(report).count()
    if unapproved:
        raise _refusal("unapproved_quotes", n=unapproved)
    document, texts = built(report, language)
    findings = unreviewed_findings(report, texts)
    if findings:
        raise LeakRisk(findings)
    content = render(document, fmt)
    record(
        None,
        "report.export",
        report,
        report.evaluation,
        format=fmt,
        state=report.state,
        via="command",
        bytes=len(content),
    )
    return content
