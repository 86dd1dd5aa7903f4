"""Downloads of the analysis as it is shown: the matrix page's own choices (XLSX, DOCX), the display.

The team's (VIEW_WORK), as the matrix and the display are. A download the leak guard stops sends a
signed reviewer to the findings and back to the page; others are told it awaits review.
"""

from __future__ import annotations

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.analysis.views import _matrix_state

from . import display_export, matrix_view_export
from .cross_site_views import XLSX, _download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@evaluation_view(Action.VIEW_WORK)
def matrix_xlsx(request, evaluation):
    """The matrix with the page's columns, scope, filters and order, as a workbook."""
    state = _matrix_state(request, evaluation)
    return _download(
        request,
        evaluation,
        "analysis:matrix",
        lambda user, ev: matrix_view_export.export_xlsx(user, ev, state),
        f"matrise-{evaluation.slug}.xlsx",
        XLSX,
    )


@evaluation_view(Action.VIEW_WORK)
def matrix_docx(request, evaluation):
    """The matrix as on the page (quotes in the cells if shown there), as a landscape Word table."""
    state = _matrix_state(request, evaluation)
    return _download(
        request,
        evaluation,
        "analysis:matrix",
        lambda user, ev: matrix_view_export.export_docx(user, ev, state),
        f"matrise-{evaluation.slug}.docx",
        DOCX,
    )


@evaluation_view(Action.VIEW_WORK)
def display_docx(request, evaluation):
    """The 2 x 2 display as a Word file."""
    return _download(
        request,
        evaluation,
        "analysis:display",
        lambda user, ev: display_export.export_display(user, ev, "docx"),
        f"firefeltsfigur-{evaluation.slug}.docx",
        DOCX,
    )


@evaluation_view(Action.VIEW_WORK)
def display_pdf(request, evaluation):
    """The 2 x 2 display as a PDF."""
    return _download(
        request,
        evaluation,
        "analysis:display",
        lambda user, ev: display_export.export_display(user, ev, "pdf"),
        f"firefeltsfigur-{evaluation.slug}.pdf",
        PDF,
    )
