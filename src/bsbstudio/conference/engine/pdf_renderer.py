"""Draw a report :class:`~bsbstudio.reports.engine.document.Document` as an A4 PDF (fpdf2).

A plain, readable rendering of every block of the document model, for the conference minutes.
DejaVu Sans (the guide engine's embedded font) prints æøå, dashes and typographic quotes.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bsbstudio.guide.engine.pdf_renderer import FAMILY, FONT_DIR
from bsbstudio.reports.engine.document import (
    Bullets,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    QuoteBox,
    Table,
)
from bsbstudio.reports.engine.text import one_line, xml_safe

_SIZES = {0: 18, 1: 14, 2: 12, 3: 10.5}
_BODY = 10
_MUTED = (85, 85, 85)
_INK = (0, 0, 0)


class _PDF(FPDF):
    def footer(self) -> None:
        """The page number, centred."""
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")


def render_pdf(document: Document) -> bytes:
    """Render the document model as the bytes of a PDF file."""
    pdf = _PDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.set_title(one_line(document.title))
    pdf.set_subject(one_line(document.subject))
    pdf.set_lang(document.language)
    pdf.add_page()
    for block in document.blocks:
        _render_block(pdf, block)
    return bytes(pdf.output())


def _write(pdf: FPDF, text: str, *, size: float = _BODY, bold: bool = False, muted=False) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*(_MUTED if muted else _INK))
    pdf.multi_cell(0, size * 0.5, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _clean(text: str) -> str:
    # Tabs and stray control characters have no glyph in the embedded font.
    return xml_safe(text).replace("\t", "    ")


def _render_block(pdf: FPDF, block: object) -> None:
    match block:
        case Heading(level=level, text=text):
            pdf.ln(3 if level else 0)
            _write(pdf, one_line(text), size=_SIZES[level], bold=True)
            pdf.ln(1.5)
        case Paragraph(text=text, role=role):
            _write(pdf, text, muted=role in ("note", "meta"))
            pdf.ln(1.5)
        case Bullets(items=items):
            for item in items:
                _write(pdf, f"• {item}")
            pdf.ln(1.5)
        case QuoteBox(text=text, attribution=attribution, caption=caption, number=number):
            _write(pdf, caption or str(number), size=8.5, bold=True, muted=True)
            _write(pdf, f"«{text}»")
            _write(pdf, attribution, size=9, muted=True)
            pdf.ln(1.5)
        case Table():
            _render_table(pdf, block)
        case PageBreak():
            pdf.add_page()
        case _:
            raise TypeError(f"the PDF renderer cannot draw a {type(block).__name__}")


# fpdf2 refuses a table row taller than a page; a table with longer cells is written as lines.
_LONGEST_CELL = 1200


def _render_table(pdf: FPDF, table: Table) -> None:
    if any(len(text) > _LONGEST_CELL for row in table.rows for text in row):
        for row in table.rows:
            for name, text in zip(table.header, row, strict=True):
                _write(pdf, f"{name}: {text}")
            pdf.ln(1.5)
        return
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*_INK)
    with pdf.table(
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 236, 241)),
        line_height=4.5,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as grid:
        for row in (table.header, *table.rows):
            cells = grid.row()
            for text in row:
                cells.cell(_clean(text))
    pdf.ln(3)
