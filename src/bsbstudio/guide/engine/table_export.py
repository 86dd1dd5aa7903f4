"""Write a :class:`~bsbstudio.guide.engine.guide.PrintableGuide` as a spreadsheet (XLSX or CSV).

The same shape the import reads (``table_import``): a header row of groups, then a row per theme.
The theme cell is the theme's number and name ("1.", "1.1" for a sub-theme) with its description
on the next line; a question cell is the question, then a line "- …" per follow-up question. An
empty cell stays empty. CSV is written as Excel in Norway reads it: UTF-8 with a BOM, ";".
"""

from __future__ import annotations

import csv
import io
import re

from bsbstudio.guide.engine.guide import GuideCell, PrintableGuide

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A cell starting like a formula would be run by the spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_rows(guide: PrintableGuide) -> list[list[str]]:
    """The guide as rows of text: the header, then one row per theme."""
    rows = [[guide.theme_heading, *guide.groups]]
    main = sub = 0
    for row in guide.rows:
        if row.depth:
            sub += 1
            number = f"{max(main, 1)}.{sub}"
        else:
            main, sub = main + 1, 0
            number = f"{main}."
        theme = f"{number} {row.theme}"
        if row.description:
            theme += "\n" + row.description
        rows.append([theme, *(cell_text(cell) for cell in row.cells)])
    return rows


def cell_text(cell: GuideCell) -> str:
    """A question cell as text: the question, then "- " and each follow-up question."""
    return "\n".join([cell.question, *(f"- {sub}" for sub in cell.subquestions)]).strip()


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(guide: PrintableGuide) -> bytes:
    """The guide as a semicolon-separated UTF-8 file with a BOM, as Excel opens it directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in table_rows(guide):
        writer.writerow([_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(guide: PrintableGuide) -> bytes:
    """The guide as one sheet: bold header row kept in view, wrapped text, sub-themes indented."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_FORBIDDEN.sub(" ", guide.title).strip()[:31] or "Tema"
    rows = table_rows(guide)
    for values in rows:
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, printable in zip(sheet.iter_rows(min_row=2), guide.rows, strict=True):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[0].alignment = Alignment(wrap_text=True, vertical="top", indent=printable.depth)
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 30
    for column in range(2, len(rows[0]) + 1):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 45
    workbook.properties.title = guide.title
    workbook.properties.creator = "BSB Studio"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
