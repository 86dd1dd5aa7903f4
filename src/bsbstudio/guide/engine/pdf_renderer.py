"""Draw a :class:`~bsbstudio.guide.engine.guide.PrintableGuide` as a landscape A4 PDF (fpdf2).

The table is drawn line by line rather than with fpdf2's own table, because fpdf2 refuses a row
taller than a page, and a theme with long questions for many groups can be one. Each cell is
wrapped into lines first; :func:`~bsbstudio.guide.engine.pages.paginate` then decides which lines
go on which page, and the header row is repeated on every page. DejaVu Sans, shipped in
``fonts/`` with its licence, is embedded so that æøå, dashes and typographic quotes print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from bsbstudio.guide.engine.guide import GuideCell, GuideRow, PrintableGuide
from bsbstudio.guide.engine.pages import RowSlice, paginate
from bsbstudio.reports.engine.text import one_line, xml_safe

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"

PAGE_MARGIN = 12.0  # mm
BOTTOM_MARGIN = 14.0  # room for the page number
PADDING = 1.8  # inside a cell, around its text
INDENT = 4.0  # how far a bullet's text, and a sub-theme, is indented
THEME_SHARE = 0.22  # of the table width, for the theme column
_BORDER = (150, 150, 150)
_HEADER_FILL = (232, 236, 241)
_MUTED = (85, 85, 85)
_INK = (0, 0, 0)


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of a cell: its text, whether bold or muted, and how it is indented."""

    text: str
    bold: bool = False
    muted: bool = False
    indent: float = 0.0
    bullet: bool = False


class _GuidePDF(FPDF):
    """FPDF with the guide's running header (from page 2) and page numbers."""

    def __init__(self, guide: PrintableGuide, font_size: float) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.guide = guide
        self.body_size = font_size
        self.line_height = font_size * 0.5  # mm: about 1.4 times the size in points
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        # Pages are broken by paginate(), never by fpdf2 in the middle of a cell.
        self.set_auto_page_break(False, margin=BOTTOM_MARGIN)
        self.alias_nb_pages()
        self.c_margin = 0

    @property
    def bottom(self) -> float:
        """The lowest y a table row may reach."""
        return self.h - BOTTOM_MARGIN

    def header(self) -> None:
        """From page 2 on, name the evaluation and version above the table."""
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        running = " · ".join(part for part in (self.guide.title, self.guide.subtitle) if part)
        self.set_xy(self.l_margin, self.t_margin)
        self.cell(self.epw, 4, _fit(self, one_line(running), self.epw))
        self.set_y(self.t_margin + 7)

    def footer(self) -> None:
        """The page number and the page count, centred."""
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        self.set_xy(self.l_margin, self.h - BOTTOM_MARGIN + 5)
        label = one_line(self.guide.page_label)
        self.cell(self.epw, 4, f"{label} {self.page_no()}/{{nb}}", align="C")


def render_pdf(guide: PrintableGuide) -> bytes:
    """Render the guide as the bytes of a landscape A4 PDF."""
    font_size = 9.0 if len(guide.groups) <= 4 else 7.5
    pdf = _GuidePDF(guide, font_size)
    pdf.set_title(one_line(guide.title))
    pdf.set_subject(one_line(guide.subtitle))
    pdf.set_lang(guide.language)
    pdf.set_creator("BSB Studio")
    pdf.add_page()
    _draw_title(pdf, guide)
    _draw_table(pdf, guide)
    return bytes(pdf.output())


def column_widths(table_width: float, groups: int) -> list[float]:
    """The theme column, then equal columns for the groups, filling ``table_width``."""
    if groups == 0:
        return [table_width]
    theme = table_width * THEME_SHARE
    return [theme] + [(table_width - theme) / groups] * groups


def _draw_title(pdf: _GuidePDF, guide: PrintableGuide) -> None:
    pdf.set_text_color(*_INK)
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(pdf.epw, 7, one_line(guide.title), align="L", new_x="LMARGIN", new_y="NEXT")
    if guide.subtitle:
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(
            pdf.epw, 5, one_line(guide.subtitle), align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)


def _draw_table(pdf: _GuidePDF, guide: PrintableGuide) -> None:
    widths = column_widths(pdf.epw, len(guide.groups))
    inner = [width - 2 * PADDING for width in widths]
    header = [_wrap(pdf, guide.theme_heading, inner[0], bold=True)] + [
        _wrap(pdf, name, width, bold=True)
        for name, width in zip(guide.groups, inner[1:], strict=True)
    ]
    rows = [_row_lines(pdf, row, inner) for row in guide.rows]
    header_height = _height(pdf, max(len(lines) for lines in header))
    slices = paginate(
        [max(len(lines) for lines in row) for row in rows],
        first_page=pdf.bottom - pdf.get_y() - header_height,
        next_pages=pdf.bottom - (pdf.t_margin + 7) - header_height,
        line_height=pdf.line_height,
        padding=PADDING,
    )
    page = 0
    y = _draw_row(pdf, pdf.get_y(), widths, header, fill=True)
    for part in slices:
        if part.page != page:
            pdf.add_page()
            page = part.page
            y = _draw_row(pdf, pdf.get_y(), widths, header, fill=True)
        y = _draw_row(pdf, y, widths, _part_lines(pdf, guide, rows, part, inner[0]))


def _part_lines(
    pdf: _GuidePDF, guide: PrintableGuide, rows: list, part: RowSlice, theme_width: float
) -> list[list[Line]]:
    """The lines of each column in this part of a row; a continued row names its theme again."""
    columns = [lines[part.start : part.end] for lines in rows[part.row]]
    if part.continues and not columns[0]:
        name = f"{guide.rows[part.row].theme} ({guide.continued_label})"
        columns[0] = [Line(_fit(pdf, one_line(name), theme_width), muted=True)]
    return columns


def _row_lines(pdf: _GuidePDF, row: GuideRow, inner: list[float]) -> list[list[Line]]:
    indent = min(INDENT * row.depth, inner[0] / 3)
    theme = _wrap(pdf, row.theme, inner[0] - indent, bold=True, indent=indent)
    if row.description:
        theme += _wrap(pdf, row.description, inner[0] - indent, muted=True, indent=indent)
    return [theme] + [
        _cell_lines(pdf, cell, width) for cell, width in zip(row.cells, inner[1:], strict=True)
    ]


def _cell_lines(pdf: _GuidePDF, cell: GuideCell, width: float) -> list[Line]:
    """The question in bold, then each follow-up question as a bullet."""
    lines = _wrap(pdf, cell.question, width, bold=True)
    for sub in cell.subquestions:
        wrapped = _wrap(pdf, sub, width - INDENT, indent=INDENT)
        if wrapped:
            first = wrapped[0]
            wrapped[0] = Line(first.text, first.bold, first.muted, first.indent, bullet=True)
        lines += wrapped
    return lines


def _wrap(
    pdf: _GuidePDF,
    text: str,
    width: float,
    *,
    bold: bool = False,
    muted: bool = False,
    indent: float = 0.0,
) -> list[Line]:
    """Break ``text`` into lines that fit ``width`` in the given style (explicit breaks kept)."""
    text = xml_safe(text).replace("\t", " ").strip()
    if not text:
        return []
    pdf.set_font(FAMILY, "B" if bold else "", pdf.body_size)
    pieces = pdf.multi_cell(
        w=width, h=pdf.line_height, text=text, align="L", dry_run=True, output="LINES"
    )
    return [Line(piece, bold=bold, muted=muted, indent=indent) for piece in pieces]


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The first line of ``text`` as it would wrap in ``width`` with the current font."""
    if not text:
        return ""
    lines = pdf.multi_cell(w=width, h=4, text=text, dry_run=True, output="LINES")
    return lines[0] if len(lines) == 1 else lines[0].rstrip() + " …"


def _height(pdf: _GuidePDF, lines: int) -> float:
    return max(lines, 1) * pdf.line_height + 2 * PADDING


def _draw_row(
    pdf: _GuidePDF, y: float, widths: list[float], columns: list[list[Line]], *, fill=False
) -> float:
    """Draw one row (or part of a row) at ``y`` with a border per cell; return the y below it."""
    height = _height(pdf, max(len(lines) for lines in columns))
    pdf.set_draw_color(*_BORDER)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(*_HEADER_FILL)
    x = pdf.l_margin
    for width, lines in zip(widths, columns, strict=True):
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        for number, line in enumerate(lines):
            _draw_line(pdf, x + PADDING, y + PADDING + number * pdf.line_height, line)
        x += width
    pdf.set_y(y + height)
    return y + height


def _draw_line(pdf: _GuidePDF, x: float, y: float, line: Line) -> None:
    pdf.set_font(FAMILY, "B" if line.bold else "", pdf.body_size)
    pdf.set_text_color(*(_MUTED if line.muted else _INK))
    if line.bullet:
        pdf.set_xy(x + line.indent - INDENT + 1.0, y)
        pdf.cell(INDENT - 1.0, pdf.line_height, "•")
    pdf.set_xy(x + line.indent, y)
    pdf.cell(text=line.text, h=pdf.line_height)
