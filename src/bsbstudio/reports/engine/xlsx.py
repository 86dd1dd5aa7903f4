"""Write tables (``cross_site.Table``) to an Excel workbook, one sheet per table (openpyxl).

Numbers are written as numbers (sums too, as values rather than formulas, so every reader sees
them without recalculating), text as text: a cell that starts with "=" is stored as a string,
never as a formula (a quote must not run in a spreadsheet).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from bsbstudio.spreadsheet import append_row

from .cross_site import Table, Value

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_LINE = Border(top=Side(style="thin"))


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """Each table's sheet name under Excel's rules (31 characters, no [ ] : * ? /), unique."""
    names: list[str] = []
    for table in tables:
        base = _BAD_SHEET_CHARS.sub("-", table.sheet).strip("'") or "Sheet"
        name, n = base[:31], 2
        while name.lower() in (taken.lower() for taken in names):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_xlsx(tables: Sequence[Table]) -> bytes:
    """The workbook as bytes: per table a header row, its rows, footer rows in bold, the note."""
    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        sheet.append([table.row_header, *table.columns])
        for cell in sheet[1]:
            cell.font = _BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            _append(sheet, row.label, row.values)
        for i, row in enumerate(table.footer):
            cells = _append(sheet, row.label, row.values)
            for cell in cells:
                cell.font = _BOLD
                if i == 0:
                    cell.border = _LINE
        if table.note:
            sheet.append([])
            _append(sheet, table.note, ())
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet, label: str, values: Sequence[Value]):
    return append_row(sheet, [_cell_value(label), *(_cell_value(v) for v in values)])


def _cell_value(value: Value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
