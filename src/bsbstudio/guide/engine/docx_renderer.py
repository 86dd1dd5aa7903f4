"""Draw a :class:`~bsbstudio.guide.engine.guide.PrintableGuide` as a landscape A4 Word file.

The guide is one table with Word's "Table Grid" style: a header row of informant groups that Word
repeats on every page, then a row per theme. Word breaks a long row over pages by itself (no row
is marked "can't split"), so nothing is cut off. The question is bold and its follow-up questions
are "List Bullet" paragraphs, so a process leader can restyle the guide in Word.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from bsbstudio.guide.engine.guide import GuideCell, GuideRow, PrintableGuide
from bsbstudio.reports.engine.docx_renderer import set_proofing_language
from bsbstudio.reports.engine.text import one_line, xml_safe

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 297, 210, 15  # mm: A4 turned on its side
THEME_SHARE = 0.22  # of the table width, for the theme column
_HEADER_FILL = "E8ECF1"
_MUTED = RGBColor(0x55, 0x55, 0x55)


def render_docx(guide: PrintableGuide) -> bytes:
    """Render the guide as the bytes of a landscape .docx file."""
    docx = new_docx()
    _set_up_page(docx, guide)
    _set_properties(docx, guide)
    docx.add_heading(one_line(guide.title), level=0)
    if guide.subtitle:
        docx.add_paragraph(one_line(guide.subtitle), style="Subtitle")
    _add_table(docx, guide)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def column_widths(groups: int) -> list[float]:
    """Widths in mm: the theme column, then equal columns for the groups."""
    table = PAGE_WIDTH - 2 * MARGIN
    if groups == 0:
        return [table]
    theme = table * THEME_SHARE
    return [theme] + [(table - theme) / groups] * groups


def _set_up_page(docx: DocxDocument, guide: PrintableGuide) -> None:
    """Landscape A4; from page 2 on, the header names the evaluation and the version."""
    section = docx.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.left_margin = section.right_margin = Mm(MARGIN)
    section.top_margin = section.bottom_margin = Mm(MARGIN)
    section.different_first_page_header_footer = True  # the title itself stands on page 1
    running = " · ".join(part for part in (guide.title, guide.subtitle) if part)
    header = section.header.paragraphs[0]
    run = header.add_run(one_line(running))
    run.font.size = Pt(8)
    run.font.color.rgb = _MUTED
    docx.styles["Normal"].font.size = Pt(10)


def _add_table(docx: DocxDocument, guide: PrintableGuide) -> None:
    widths = column_widths(len(guide.groups))
    table = docx.add_table(rows=1, cols=len(widths))
    table.style = docx.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, (guide.theme_heading, *guide.groups), strict=True):
        cell.paragraphs[0].add_run(one_line(text)).bold = True
        _shade(cell, _HEADER_FILL)
    for row in guide.rows:
        cells = table.add_row().cells
        _fill_theme(cells[0], row)
        for cell, content in zip(cells[1:], row.cells, strict=True):
            _fill_question(cell, content)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)  # Word reads each cell's width, LibreOffice the grid's


def _fill_theme(cell: _Cell, row: GuideRow) -> None:
    name = cell.paragraphs[0]
    name.add_run(xml_safe(row.theme).strip()).bold = True
    if row.depth:
        name.paragraph_format.left_indent = Mm(4 * row.depth)
    if row.description:
        paragraph = cell.add_paragraph()
        paragraph.paragraph_format.left_indent = name.paragraph_format.left_indent
        run = paragraph.add_run(xml_safe(row.description).strip())
        run.italic = True
        run.font.size = Pt(9)
        run.font.color.rgb = _MUTED


def _fill_question(cell: _Cell, content: GuideCell) -> None:
    """The question in bold, then a bullet per follow-up question."""
    if content.question:
        cell.paragraphs[0].add_run(xml_safe(content.question)).bold = True
    for sub in content.subquestions:
        cell.add_paragraph(xml_safe(sub), style="List Bullet")


def _repeat_as_header(row) -> None:
    """Mark a row as the table's header, which Word repeats at the top of every page.

    python-docx has no API for this row property, so it is written as OXML (w:tblHeader).
    """
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _shade(cell: _Cell, fill: str) -> None:
    """Give a cell a background colour (w:shd; python-docx has no API for it)."""
    shading = OxmlElement("w:shd")
    for attribute, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{attribute}"), value)
    cell._tc.get_or_add_tcPr().append(shading)


def _set_properties(docx: DocxDocument, guide: PrintableGuide) -> None:
    """File title and subject, and the language Word spell-checks in."""
    props = docx.core_properties
    props.title = one_line(guide.title)
    props.subject = one_line(guide.subtitle)
    props.language = guide.language
    props.author = props.last_modified_by = "BSB Studio"
    props.comments = ""
    set_proofing_language(docx, guide.language)
