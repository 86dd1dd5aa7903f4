"""Export the conference slides and group sheets: read their input, check, audit, render.

The engines (:mod:`~bsbstudio.conference.engine.slides`,
:mod:`~bsbstudio.conference.engine.group_sheet`) get plain data built here from the process
report (the same data its Word file is built from) and the conference's plan. Before any file
leaves, the same checks as for the report run: the team may export a draft, anyone else only an
approved report; quotes only from approved de-identified texts; and the leak guard (invariant 3)
scans every text that goes out. Each export is written to the audit log.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata, resources

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext_noop

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, can, require
from bsbstudio.deid import leak_guard
from bsbstudio.deid.engine.detector import files_digest
from bsbstudio.errors import UserFacingError
from bsbstudio.guide.models import GuideQuestion
from bsbstudio.reports import actions as reports
from bsbstudio.reports.actions import LeakRisk
from bsbstudio.reports.engine import ThemeFindings
from bsbstudio.reports.models import Report

from .engine.group_sheet import GroupSheetInput, build_group_sheet, sheet_texts
from .engine.slides import DeckInput, GroupWork, plan_slides, render_pdf, render_pptx
from .engine.slides import scanned_texts as slide_scan_texts
from .models import KeptSlides

__all__ = ["LeakRisk", "SlidesRefused", "export_group_sheet", "export_slides"]

SLIDE_FORMATS = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
SHEET_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class SlidesRefused(UserFacingError):
    """Slides or a group sheet that cannot be made now; nothing was exported."""


REFUSALS = {
    "group_gone": gettext_noop("This group no longer exists: another member has deleted it."),
    "no_report": gettext_noop(
        "Choose the process report this conference presents before you download its slides "
        "or group sheets."
    ),
    "unapproved_quotes": gettext_noop(
        "Quotes from de-identified texts that are not approved: %(n)s. Remove them from the "
        "process report, or approve the texts first."
    ),
}


def refusal(code: str, **params) -> SlidesRefused:
    return SlidesRefused(code, REFUSALS[code], **params)


# Of each report, the files of this many recent decks are kept (formats and languages).
KEPT_PER_REPORT = 4


@cache
def drawing_code() -> str:
    """A digest of the code and texts that plan and draw slides, and of the libraries' versions.

    Part of each kept file's key, so that an upgrade that draws slides differently never serves a
    file drawn by the old code.
    """
    folders = tuple(
        str(resources.files(package))
        for package in (
            "bsbstudio.conference.engine",
            "bsbstudio.reports.engine",
            "bsbstudio.guide.engine",  # the font the lines are measured with
        )
    )
    versions = [f"{library}={metadata.version(library)}" for library in ("python-pptx", "fpdf2")]
    return hashlib.sha256(f"{files_digest(folders)}\0{versions!r}".encode()).hexdigest()


def kept_key(deck: DeckInput, fmt: str) -> str:
    """The key of the file these slides are kept as: their whole content, format and code."""
    # repr of the frozen dataclasses spells out every field (strings, dates, lists) in order.
    return hashlib.sha256(f"{drawing_code()}\0{fmt}\0{deck!r}".encode()).hexdigest()


def keep(report, key: str, content: bytes, scanned: list[str], slides: int) -> None:
    """Keep a drawn file for the next download; drop the report's older ones beyond the few."""
    try:
        with transaction.atomic():
            KeptSlides.objects.create(
                report=report, key=key, content=content, scanned_texts=scanned, slides=slides
            )
    except IntegrityError:  # another process kept the same file a moment ago
        return
    older = KeptSlides.objects.filter(report=report).order_by("-created_at", "-id")
    stale = list(older.values_list("pk", flat=True)[KEPT_PER_REPORT:])
    if stale:
        KeptSlides.objects.filter(pk__in=stale).delete()


def conference_groups(conference) -> tuple[GroupWork, ...]:
    """The conference's work groups with their themes (in guide order) and questions."""
    groups = conference.groups.prefetch_related("themes").order_by("order", "id")
    return tuple(
        GroupWork(
            name=group.name,
            themes=tuple(t.name for t in sorted(group.themes.all(), key=lambda t: (t.order, t.pk))),
            questions=tuple(group.question_list()),
        )
        for group in groups
    )


def guide_questions(themes) -> tuple[GroupWork, ...]:
    """One group's work per theme with the guide's questions for it (each question once)."""
    questions: dict[int, list[str]] = {}
    for theme_id, text in (
        GuideQuestion.objects.filter(theme__in=themes)
        .order_by("theme__order", "theme_id", "group__order", "group_id")
        .values_list("theme_id", "text")
    ):
        found = questions.setdefault(theme_id, [])
        if text.strip() and text.strip() not in found:
            found.append(text.strip())
    return tuple(
        GroupWork(name=t.name, themes=(t.name,), questions=tuple(questions[t.pk]))
        for t in themes
        if questions.get(t.pk)
    )


def deck_input(report, conference=None, language: str | None = None) -> DeckInput:
    """The slides' input: the process report's content and, if given, the conference's plan.

    Without a conference (or one without groups) the group-work questions are the guide's
    questions for the report's themes.
    """
    data = reports.report_input(report, language)
    themes = [s.theme for s in report.sections.select_related("theme")]
    groups = conference_groups(conference) if conference is not None else ()
    if conference is None:
        return DeckInput(report=data, held_on=data.generated_on, groups=guide_questions(themes))
    return DeckInput(
        report=data,
        title=conference.title,
        held_on=conference.date,
        place=conference.place,
        groups=groups or guide_questions(themes),
    )


def sheet_input(group, language: str | None = None) -> GroupSheetInput:
    """The group sheet's input: the group's plan and its themes' part of the process report."""
    conference = group.conference
    report = conference.process_report
    data = reports.report_input(report, language)
    sections = list(report.sections.select_related("theme"))
    # report_input lists the sections in this same order, one ThemeFindings each.
    by_theme = {s.theme_id: f for s, f in zip(sections, data.themes, strict=True)}
    themes = sorted(group.themes.all(), key=lambda t: (t.order, t.pk))
    findings = []
    for theme in themes:
        found = by_theme.get(theme.pk)
        findings.append(found if found is not None else ThemeFindings(theme=theme.name))
    questions = tuple(group.question_list())
    if not questions:
        questions = tuple(q for work in guide_questions(themes) for q in work.questions)
    return GroupSheetInput(
        conference=conference.title,
        group=GroupWork(name=group.name, themes=tuple(t.name for t in themes), questions=questions),
        themes=tuple(findings),
        roles=tuple(group.role_labels()),
        held_on=conference.date,
        evaluation_name=data.evaluation_name,
        site_name=data.site_name,
        language=data.language,
    )


def _check(actor, report) -> None:
    """Who may take the report's content out, and whether its quotes may go (else raise).

    ``actor`` None is the `bsb` command, run by whoever runs the server.
    """
    evaluation = report.evaluation
    if actor is not None:
        require(actor, evaluation, Action.VIEW_REPORTS)
        if not can(actor, evaluation, Action.VIEW_WORK) and (report.state != Report.State.APPROVED):
            raise Http404  # a commissioner sees approved outputs only (invariant 5)
    unapproved = reports.unapproved_quotes(report).count()
    if unapproved:
        raise refusal("unapproved_quotes", n=unapproved)


def review_in(report, texts: list[str], conference=None) -> leak_guard.Review:
    """What the leak guard flags in ``texts`` that nobody judged harmless in this report."""
    reviewed = list(report.reviewed_identifiers)
    if conference is not None:
        reviewed += conference.reviewed_identifiers
    return leak_guard.review(report.evaluation, texts, reviewed)


def findings_in(report, texts: list[str], conference=None) -> list:
    """The unreviewed findings in ``texts`` that block the export."""
    return review_in(report, texts, conference).blocking


def slide_findings(report, conference=None) -> leak_guard.Review:
    """The leak guard's unreviewed findings and warnings on the slides."""
    deck = deck_input(report, conference)
    return review_in(report, slide_scan_texts(plan_slides(deck)), conference)


def sheet_findings(group) -> leak_guard.Review:
    """The leak guard's unreviewed findings and warnings on a group sheet."""
    conference = group.conference
    return review_in(conference.process_report, sheet_texts(sheet_input(group)), conference)


def export_slides(actor, report, fmt: str, conference=None, language: str | None = None) -> bytes:
    """The slides as PPTX or PDF bytes, after the checks; raise LeakRisk or SlidesRefused."""
    if fmt not in SLIDE_FORMATS:
        raise Http404
    if conference is not None and conference.evaluation_id != report.evaluation_id:
        raise Http404  # a report is presented in its own evaluation only
    _check(actor, report)
    deck = deck_input(report, conference, language)
    key = kept_key(deck, fmt)
    kept = KeptSlides.objects.filter(key=key).first()
    if kept is None:
        planned = plan_slides(deck)
        scanned, slide_count = slide_scan_texts(planned), len(planned.slides)
    else:
        scanned, slide_count = kept.scanned_texts, kept.slides
    findings = findings_in(report, scanned, conference)
    if findings:
        raise LeakRisk(findings)
    if kept is None:
        content = render_pptx(planned) if fmt == "pptx" else render_pdf(planned)
        keep(report, key, content, scanned, slide_count)
    else:
        content = bytes(kept.content)
    detail = {"format": fmt, "report": report.pk, "state": report.state}
    if actor is None:
        detail["via"] = "command"
    record(
        actor,
        "conference.slides.export",
        conference or report,
        report.evaluation,
        slides=slide_count,
        bytes=len(content),
        **detail,
    )
    return content


def export_group_sheet(actor, group, fmt: str, language: str | None = None) -> bytes:
    """One group's sheet as DOCX or PDF bytes, after the checks; raise LeakRisk or SlidesRefused."""
    from bsbstudio.reports.engine import render_docx
    from bsbstudio.reports.engine import render_pdf as render_document_pdf

    if fmt not in SHEET_FORMATS:
        raise Http404
    conference = group.conference
    report = conference.process_report
    if report is None:
        raise refusal("no_report")
    _check(actor, report)
    data = sheet_input(group, language)
    findings = findings_in(report, sheet_texts(data), conference)
    if findings:
        raise LeakRisk(findings)
    document = build_group_sheet(data)
    content = render_docx(document) if fmt == "docx" else render_document_pdf(document)
    detail = {"format": fmt, "report": report.pk, "state": report.state}
    if actor is None:
        detail["via"] = "command"
    record(
        actor,
        "conference.sheet.export",
        group,
        conference.evaluation,
        bytes=len(content),
        **detail,
    )
    return content


def show_findings(actor, report, review, obj) -> leak_guard.Review:
    """Findings for a signed reviewer's eyes; the viewing is audited (they are raw material)."""
    if not reports.may_review_findings(actor, report.evaluation):
        raise PermissionDenied
    reports.audit_findings_view(
        actor, "conference.slides.leak_view", obj, report.evaluation, review
    )
    return review
