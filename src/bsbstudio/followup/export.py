"""The measures as a spreadsheet (XLSX): one row per measure, and their history on a second sheet.

Dates are real date cells, so a spreadsheet sorts and filters them. Who changed a status is left
out: the file may go to the commissioner, who needs what was done, not which team member typed it.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from bsbstudio.spreadsheet import append_row

DATE_FORMAT = "DD.MM.YYYY"


def export_texts(measure) -> list[str]:
    """The free texts of a measure that go into the file: what the leak guard scans."""
    texts = [measure.text, measure.owner, *(change.comment for change in measure.history.all())]
    return [t for t in texts if t and t.strip()]


def _sheet(workbook, title: str, headers: list[str], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for cell in append_row(sheet, headers):
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _date_cell(sheet, row: int, column: int) -> None:
    sheet.cell(row=row, column=column).number_format = DATE_FORMAT


def measures_workbook(measures) -> bytes:
    """The XLSX bytes for ``measures`` (with ``site``, ``themes`` and ``history`` loaded)."""
    today = timezone.localdate()
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Measures"),
        [
            _("No."),
            _("Measure"),
            _("Themes"),
            _("Site"),
            _("Owner"),
            _("Status"),
            _("Due"),
            _("Overdue"),
            _("Source"),
        ],
        first=True,
    )
    history = _sheet(
        workbook,
        _("History"),
        [_("No."), _("Measure"), _("From"), _("To"), _("Date"), _("Comment")],
    )
    for number, measure in enumerate(measures, start=1):
        source = _("Conference group") if measure.source_output_id else ""
        append_row(
            sheet,
            [
                number,
                measure.text,
                ", ".join(theme.name for theme in measure.themes.all()),
                measure.site.name if measure.site else _("All sites"),
                measure.owner,
                measure.get_status_display(),
                measure.due,
                _("Yes") if measure.is_overdue(today) else _("No"),
                source,
            ],
        )
        _date_cell(sheet, sheet.max_row, 7)
        for change in measure.history.all():
            append_row(
                history,
                [
                    number,
                    measure.text,
                    change.get_from_status_display() if change.from_status else "",
                    change.get_to_status_display(),
                    change.changed_on,
                    change.comment,
                ],
            )
            _date_cell(history, history.max_row, 5)
    for ws, widths in (
        (sheet, [6, 60, 30, 20, 25, 12, 12, 10, 18]),
        (history, [6, 60, 12, 12, 12, 50]),
    ):
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
