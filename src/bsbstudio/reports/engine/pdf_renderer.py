"""Render a :class:`~bsbstudio.reports.engine.document.Document` as an A4 PDF (fpdf2).

One renderer for every kind of report (process, final) and for the conference minutes and
group sheets: it draws the same blocks the DOCX
renderer does. Headings of level 1 and 2 become PDF bookmarks and the entries of the table of
contents, which fpdf2 fills in with page numbers once the whole document is laid out
(``insert_toc_placeholder``); every page but the title page has its number in the footer.
DejaVu Sans (the theme guide's fonts, with their licence) is embedded so that æøå, dashes and
typographic quotes print; it has no italic, so quotes and leads are set apart by colour instead.
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bsbstudio.reports.engine.document import (
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    QuoteBox,
    Table,
    TableOfContents,
)
from bsbstudio.reports.engine.text import one_line, xml_safe

# The theme guide's embedded fonts, found by path: importing the guide's renderer here would
# make an import cycle (it uses this package's text helpers).
FONT_DIR = Path(__file__).resolve().parents[2] / "guide" / "engine" / "fonts"
FAMILY = "DejaVu"
MARGIN = 22.0  # mm, left, right and top
BOTTOM = 20.0  # room for the page number
BODY = 10.5  # pt
LINE = 5.2  # mm per body line
TOC_LINES_PER_PAGE = 40

_INK = (0, 0, 0)
_GREY = (89, 89, 89)
_SHADE = (242, 242, 242)
_BAR = (166, 166, 166)
_TONE = {"positive": (46, 107, 58), "critical": (156, 59, 30), "neutral": _GREY}
_HEADING_SIZES = {0: 22.0, 1: 16.0, 2: 12.5, 3: 11.0}


class _ReportPDF(FPDF):
    """FPDF with the report's fonts, margins and page numbers in the footer."""

    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.c_margin = 0

    def footer(self) -> None:
        """The page number, centred; the title page has none."""
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*_GREY)
        self.set_xy(self.l_margin, self.h - BOTTOM + 8)
        self.cell(self.epw, 4, str(self.page_no()), align="C")

    @property
    def room(self) -> float:
        """Height left on the page above the bottom margin."""
        return self.h - BOTTOM - self.get_y()


def render_pdf(document: Document) -> bytes:
    """Render the document model as the bytes of an A4 PDF."""
    pdf = _ReportPDF()
    pdf.set_title(one_line(document.title))
    pdf.set_subject(one_line(document.subject))
    pdf.set_author(one_line(document.author))
    pdf.set_lang(document.language)
    pdf.set_creator("BSB Studio")
    if document.created:
        pdf.set_creation_date(datetime(*document.created.timetuple()[:3], tzinfo=UTC))
    pdf.add_page()
    blocks = document.blocks
    for index, block in enumerate(blocks):
        _render_block(pdf, block, blocks[index + 1 :])
    return bytes(pdf.output())


def _render_block(pdf: _ReportPDF, block: object, rest: list) -> None:
    match block:
        case Heading(level=level, text=text):
            _heading(pdf, level, one_line(text))
        case Paragraph(text=text, role=role):
            _paragraph(pdf, text, role)
        case Bullets(items=items):
            for item in items:
                _bullet(pdf, item)
        case QuoteBox():
            _quote_box(pdf, block)
        case Table():
            _table(pdf, block)
        case PageBreak():
            _page_break(pdf)
        case TableOfContents(title=title):
            _toc(pdf, title, rest)
        case Figure():
            _figure(pdf, block)
        case _:
            raise TypeError(f"the PDF renderer cannot draw a {type(block).__name__}")


def _text(text: str) -> str:
    return xml_safe(text).replace("\t", " ").strip()


def _page_break(pdf: _ReportPDF) -> None:
    if pdf.get_y() > pdf.t_margin + 0.5:  # never a blank page
        pdf.add_page()


def _heading(pdf: _ReportPDF, level: int, text: str) -> None:
    size = _HEADING_SIZES[level]
    height = size * 0.5
    if level and pdf.get_y() > pdf.t_margin + 0.5:
        pdf.ln(height * 0.6)
    if pdf.room < height * 2 + LINE * 3:  # keep a heading with what follows it
        pdf.add_page()
    if level in (1, 2):
        pdf.start_section(text, level=level - 1, strict=False)
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(*_INK)
    pdf.multi_cell(pdf.epw, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(height * 0.35)


def _paragraph(pdf: _ReportPDF, text: str, role: str) -> None:
    size = {"subtitle": 14.0, "meta": 10.0}.get(role, BODY)
    colour = _GREY if role in ("subtitle", "lead", "note") else _INK
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(pdf.epw, size * 0.5, _text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2.2 if role != "meta" else 1.0)


def _bullet(pdf: _ReportPDF, item: str) -> None:
    pdf.set_font(FAMILY, "", BODY)
    pdf.set_text_color(*_INK)
    pdf.set_x(pdf.l_margin + 2)
    pdf.cell(4, LINE, "•")
    pdf.multi_cell(pdf.epw - 6, LINE, _text(item), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)


def _quote_box(pdf: _ReportPDF, box: QuoteBox) -> None:
    """A shaded box with a bar on the left: caption, the quote in «», the attribution.

    The box is measured first and moved whole to the next page when it does not fit; only a
    quote longer than a page is left to break.
    """
    inner = pdf.epw - 16
    quote = f"«{_text(box.text)}»"
    pdf.set_font(FAMILY, "", BODY)
    lines = len(pdf.multi_cell(inner, LINE, quote, dry_run=True, output="LINES"))
    height = 4 + 4.5 + lines * LINE + 5 + 3
    if height > pdf.room and height < pdf.h - pdf.t_margin - BOTTOM:
        pdf.add_page()
    x, top = pdf.l_margin + 6, pdf.get_y()
    if height <= pdf.room:
        pdf.set_fill_color(*_SHADE)
        pdf.rect(x, top, pdf.epw - 6, height, style="F")
        pdf.set_fill_color(*_BAR)
        pdf.rect(x, top, 1.2, height, style="F")
    pdf.set_xy(x + 5, top + 2)
    pdf.set_font(FAMILY, "B", 8.5)
    pdf.set_text_color(*_TONE.get(box.polarity, _GREY))
    pdf.cell(inner, 4.5, one_line(box.caption or str(box.number)), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", BODY)
    pdf.set_text_color(*_INK)
    pdf.multi_cell(inner, LINE, quote, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9.0)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(inner, 5, _text(box.attribution), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + height) + 3)


# fpdf2 refuses a table row taller than a page; a table with a longer cell is written as lines.
LONGEST_CELL = 1200


def _table(pdf: _ReportPDF, table: Table) -> None:
    """A table with a bold, shaded header row repeated on each page; numbers to the right."""
    if any(len(value) > LONGEST_CELL for row in table.rows for value in row):
        _table_as_lines(pdf, table)
        return
    numeric = [
        bool(table.rows) and all(row[i].strip().lstrip("-").isdigit() for row in table.rows)
        for i in range(len(table.header))
    ]
    pdf.set_font(FAMILY, "", 9.0)
    pdf.set_text_color(*_INK)
    pdf.set_draw_color(*_BAR)
    first = 0.38 if len(table.header) > 2 else 0.5
    rest = (1 - first) / max(len(table.header) - 1, 1)
    widths = table.widths or [first] + [rest] * (len(table.header) - 1)
    with pdf.table(
        col_widths=tuple(w * 100 / sum(widths) for w in widths),
        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 236, 241)),
        line_height=4.6,
        padding=1.2,
        first_row_as_headings=True,
    ) as grid:
        for values in (table.header, *table.rows):
            row = grid.row()
            for value in values:
                row.cell(one_line(value) if values is table.header else _text(value))
    pdf.ln(4)


def _table_as_lines(pdf: _ReportPDF, table: Table) -> None:
    """Each row as "column: value" paragraphs, for cells too long for a table row."""
    for row in table.rows:
        for name, value in zip(table.header, row, strict=True):
            _paragraph(pdf, f"{one_line(name)}: {value}", "body")
        pdf.ln(1.5)


def _toc(pdf: _ReportPDF, title: str, rest: list) -> None:
    """Reserve pages for the contents; fpdf2 draws them at the end, when pages are known."""
    # Chapters only: their sections repeat the same fixed parts in every chapter and are in the
    # PDF's bookmarks; a short list also fits the pages reserved for it.
    entries = sum(1 for b in rest if isinstance(b, Heading) and b.level == 1)
    pages = max(1, -(-(entries + 3) // TOC_LINES_PER_PAGE))
    _page_break(pdf)
    toc_title = one_line(title)

    def render_toc(pdf: _ReportPDF, outline) -> None:
        pdf.set_xy(pdf.l_margin, pdf.t_margin)
        pdf.set_font(FAMILY, "B", _HEADING_SIZES[1])
        pdf.set_text_color(*_INK)
        pdf.cell(pdf.epw, 8, toc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        for section in outline:
            if section.level > 0:
                continue
            indent = 6.0 * section.level
            pdf.set_font(FAMILY, "B" if section.level == 0 else "", 10 if section.level else 10.5)
            number = str(section.page_number)
            width = pdf.epw - indent - 14
            name = section.name
            while name and pdf.get_string_width(name) > width:
                name = name[:-2]
            if name != section.name:
                name = name.rstrip() + "…"
            link = pdf.add_link(page=section.page_number)
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(width, 5.6, name, link=link)
            pdf.cell(14, 5.6, number, align="R", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # fpdf2 reserves the pages and continues on a fresh page after them.
    pdf.insert_toc_placeholder(render_toc, pages=pages, allow_extra_pages=True)


def _figure(pdf: _ReportPDF, figure: Figure) -> None:
    """The chart centred at its width, the caption under it; moved to the next page if need be."""
    width = min(figure.width_mm, pdf.epw)
    pixels_wide, pixels_high = png_size(figure.png)
    height = width * pixels_high / pixels_wide
    if height + 12 > pdf.room:
        pdf.add_page()
    pdf.image(io.BytesIO(figure.png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
    pdf.set_font(FAMILY, "", 9.0)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(
        pdf.epw, 4.5, _text(figure.caption), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("a figure must be a PNG image")
    return struct.unpack(">II", png[16:24])
