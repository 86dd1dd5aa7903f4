"""Exports of the analysis (the matrix as XLSX, the quote list as CSV) and their leak guard.

Only quotes from approved de-identified texts leave the system (invariant 2). Before any of the
evaluation's spreadsheet or CSV exports (these two, and the cross-site tables) is handed out, the
leak guard re-scans every text cell (invariant 3): a direct identifier nobody has judged harmless
blocks the download until a signed reviewer confirms it (``mark_reviewed``), as for reports.
Every download is audited. The command line (``bsb export``) passes ``COMMAND_LINE`` as actor:
whoever runs it operates the server, and the audit log says "command line".
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis import silence
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.analysis.queries import MatrixQuery, matrix_segments, not_asked_cells
from bsbstudio.deid import leak_guard
from bsbstudio.spreadsheet import csv_cell

from .actions import LeakRisk, audit_findings_view, may_review_findings
from .engine.cross_site import Row, Table, with_sums
from .engine.xlsx import write_xlsx
from .models import ExportReview

COMMAND_LINE = object()
"""The actor of a ``bsb`` command: no permission check, audited without a user."""


def check(actor, evaluation, action: Action) -> None:
    """Require ``action`` of a person; the command line may do anything."""
    if actor is not COMMAND_LINE:
        require(actor, evaluation, action)


def audit(actor, name: str, evaluation, **detail) -> None:
    """Write an export to the audit log (a command-line export has no user)."""
    record(None if actor is COMMAND_LINE else actor, name, evaluation, evaluation, **detail)


def reviewed_identifiers(evaluation) -> list[str]:
    """The strings a reviewer judged harmless in this evaluation's exports."""
    review = ExportReview.objects.filter(evaluation=evaluation).first()
    return review.reviewed_identifiers if review else []


def scanned_texts(evaluation, quotes: list[CodedSegment]) -> list[str]:
    """What the leak guard reads in the analysis exports: the quotes and the theme names.

    The other cells are the plan's own names (sites, informant groups), interview codes and
    fixed words, named deliberately, as a report's title page is.
    """
    names = Code.objects.filter(evaluation=evaluation).order_by("pk").values_list("name", flat=True)
    return [*(s.quote for s in quotes), *names]


def guard(evaluation, texts: list[str]) -> None:
    """Raise LeakRisk when ``texts`` hold a direct identifier nobody has reviewed."""
    findings = leak_guard.unreviewed(evaluation, texts, reviewed_identifiers(evaluation))
    if findings:
        raise LeakRisk(findings)


# -- the analysis ---------------------------------------------------------------------------


APPROVED = Q(text__approved_at__isnull=False)
"""The coded quotes that may leave the system: those of approved de-identified texts."""


def approved_quotes(evaluation) -> list[CodedSegment]:
    """The evaluation's coded quotes from approved de-identified texts, by theme then transcript."""
    return list(
        CodedSegment.objects.filter(APPROVED, code__evaluation=evaluation)
        .select_related("code", "text__transcript__interview__site")
        .order_by(
            "code__kind", "code__order", "code_id", "text__transcript__interview__code", "start"
        )
    )


def quote_table(evaluation, quotes: list[CodedSegment]) -> Table:
    """One row per quote: theme, group, site, polarity, direct/indirect, quote, transcript code."""
    groups = dict(evaluation.informant_groups.values_list("pk", "name"))
    group_of = {s.segment_id: groups.get(s.group_id, "") for s in matrix_segments(evaluation)}
    rows = []
    for number, segment in enumerate(quotes, start=1):
        interview = segment.text.transcript.interview
        rows.append(
            Row(
                str(number),
                (
                    segment.code.name,
                    group_of.get(segment.pk, ""),
                    interview.site.name if interview.site else "",
                    segment.get_polarity_display(),
                    segment.get_directness_display(),
                    segment.quote,
                    interview.code,
                ),
            )
        )
    return Table(
        sheet=_("Quotes"),
        title=_("Quotes from approved de-identified texts"),
        row_header=_("Number"),
        columns=(
            _("Theme"),
            _("Informant group"),
            _("Site"),
            _("Polarity"),
            _("Direct or indirect"),
            _("Quote"),
            _("Transcript"),
        ),
        rows=tuple(rows),
    )


def count_table(evaluation, quotes: list[CodedSegment]) -> Table:
    """The matrix: per theme and informant group the positive, critical and neutral quotes."""
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"))
    groups = list(evaluation.informant_groups.order_by("order", "pk"))
    polarities = list(CodedSegment.Polarity)
    ids = {s.pk for s in quotes}
    counts: dict[tuple, int] = {}
    for s in matrix_segments(evaluation):
        if s.segment_id in ids and s.group_id is not None:
            key = (s.theme_id, s.group_id, s.polarity)
            counts[key] = counts.get(key, 0) + 1
    columns = [f"{g.name}: {p.label}" for g in groups for p in polarities]
    rows = [
        (code.name, [counts.get((code.pk, g.pk, p.value), 0) for g in groups for p in polarities])
        for code in codes
    ]
    empty = {
        (code.pk, g.pk): f"{code.name} – {g.name}"
        for code in codes
        for g in groups
        if not any(counts.get((code.pk, g.pk, p.value)) for p in polarities)
    }
    return with_sums(
        _("Matrix"),
        _("Quotes per theme and informant group"),
        _("Theme"),
        columns,
        rows,
        total=_("Total"),
        sum_label=_("Sum"),
        note=" ".join(
            [
                _("Quotes from approved de-identified texts, from informants' turns."),
                *_empty_cells_in_words(evaluation, codes, empty),
            ]
        ),
    )


def _empty_cells_in_words(evaluation, codes, empty: dict) -> list[str]:
    """The note's sentences on empty cells the guide never asked, and on those marked "nothing said"."""
    unasked = not_asked_cells(evaluation, codes, MatrixQuery())
    marked = silence.marks(evaluation)
    not_asked = [name for cell, name in empty.items() if cell in unasked]
    nothing_said = [name for cell, name in empty.items() if cell in marked and cell not in unasked]
    sentences = []
    if not_asked:
        sentences.append(
            _("Not asked in the theme guide: %(cells)s.") % {"cells": "; ".join(not_asked)}
        )
    if nothing_said:
        sentences.append(
            _("Nothing said (the team went through the interviews): %(cells)s.")
            % {"cells": "; ".join(nothing_said)}
        )
    return sentences


def export_matrix(actor, evaluation) -> bytes:
    """The matrix as an XLSX workbook, after the leak guard; audited. May raise LeakRisk."""
    check(actor, evaluation, Action.VIEW_WORK)
    quotes = approved_quotes(evaluation)
    tables = [count_table(evaluation, quotes), quote_table(evaluation, quotes)]
    guard(evaluation, scanned_texts(evaluation, quotes))
    content = write_xlsx(tables)
    audit(actor, "export.matrix", evaluation, format="xlsx", quotes=len(tables[1].rows))
    return content


def export_quotes(actor, evaluation) -> str:
    """The quote list as CSV text (a BOM, semicolons, formula-like cells made text); audited."""
    check(actor, evaluation, Action.VIEW_WORK)
    quotes = approved_quotes(evaluation)
    table = quote_table(evaluation, quotes)
    guard(evaluation, scanned_texts(evaluation, quotes))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(csv_cell(v) for v in (table.row_header, *table.columns))
    for row in table.rows:
        writer.writerow(csv_cell(v) for v in (row.label, *row.values))
    audit(actor, "export.quotes", evaluation, format="csv", quotes=len(table.rows))
    return "\ufeff" + out.getvalue()


# -- the leak guard's findings --------------------------------------------------------------


def _require_findings_access(actor, evaluation) -> None:
    require(actor, evaluation, Action.VIEW_WORK)  # "not found" for non-members
    if not may_review_findings(actor, evaluation):
        raise PermissionDenied


def export_texts(evaluation) -> list[str]:
    """What the leak guard reads in all the evaluation's exports (matrix, quotes, sites, display)."""
    from .cross_site import scanned_texts as cross_site_texts
    from .display_export import scanned_texts as display_texts

    return [
        *scanned_texts(evaluation, approved_quotes(evaluation)),
        *cross_site_texts(evaluation),
        *display_texts(evaluation),
    ]


def pending_review(evaluation) -> leak_guard.Review:
    """What the leak guard flags in the evaluation's exports that nobody has judged harmless."""
    return leak_guard.review(evaluation, export_texts(evaluation), reviewed_identifiers(evaluation))


def pending_findings(evaluation) -> list:
    """The flagged words that block the evaluation's exports."""
    return pending_review(evaluation).blocking


def show_findings(actor, evaluation) -> leak_guard.Review:
    """The findings for a reviewer's eyes; the viewing is audited (they are raw material)."""
    _require_findings_access(actor, evaluation)
    review = pending_review(evaluation)
    audit_findings_view(actor, "export.leak_view", evaluation, evaluation, review)
    return review


@transaction.atomic
def mark_reviewed(actor, evaluation, findings) -> None:
    """Remember that a person judged these flagged strings harmless in this evaluation's exports."""
    _require_findings_access(actor, evaluation)
    review, _created = ExportReview.objects.select_for_update().get_or_create(evaluation=evaluation)
    review.reviewed_identifiers = sorted(
        set(review.reviewed_identifiers) | {f.text for f in findings}
    )
    review.save(update_fields=["reviewed_identifiers"])
    record(
        actor,
        "export.leak_review",
        review,
        evaluation,
        findings=[{"label": f.label, "length": len(f.text)} for f in findings],
    )
