"""Cells that a spreadsheet shows as text and never runs (CSV and XLSX exports).

A cell whose text starts like a formula ("=HYPERLINK(...)") would run when the file is opened:
quotes, comments and names typed by people must stay text. XLSX also forbids some control
characters (openpyxl raises on them), so they are dropped. No Django here: engines use it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

# What Excel, LibreOffice and Google Sheets read as the start of a formula in a CSV cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """The value as CSV text; one that starts like a formula gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text[:1] in _FORMULA_START else text


def _value(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with


def append_row(sheet, values: Iterable) -> list:
    """Append a row to an openpyxl sheet with every string kept as text; return its cells."""
    sheet.append([_value(v) for v in values])
    cells = list(sheet[sheet.max_row])
    for cell in cells:
        _as_text(cell)
    return cells


def text_cell(sheet, row: int, column: int, value: str):
    """Write ``value`` as text into one cell of an openpyxl sheet; return the cell."""
    cell = sheet.cell(row=row, column=column, value=_value(value))
    _as_text(cell)
    return cell
