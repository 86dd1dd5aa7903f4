"""Plan the dialogue conference's slides (lysark) from a process report; draw them as PPTX or PDF.

Step 7 of the BSB circle opens with the main points of the process report. :func:`plan_slides`
turns the report's content (already read and de-identified: a
:class:`~bsbstudio.reports.engine.process_report.ProcessReportInput`) into a list of slides: a
title slide, one slide per theme with its main points and two to four of the quotes chosen in
the report, the group-work questions, and a closing slide. Quotes are exact, never shortened:
what does not fit on a theme's slide moves to a continuation slide for the theme.

The plan places every block (its top and height in millimetres), measured with the metrics of
the embedded DejaVu Sans, which is wider than the fonts presentation programs use, so what fits
in the PDF also fits in the PPTX. :func:`render_pptx` (python-pptx) and :func:`render_pdf`
(fpdf2) draw the same plan at the same places, so the PDF has one page per slide.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from fpdf import FPDF

from bsbstudio.guide.engine.pdf_renderer import FAMILY, FONT_DIR
from bsbstudio.reports.engine.document import Bullets
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.process_report import (
    ProcessReportInput,
    Quote,
    ThemeFindings,
    format_date,
    speaker_label,
)
from bsbstudio.reports.engine.text import one_line, strip_quote_marks, xml_safe
from bsbstudio.reports.engine.texts import load_texts, normalise_language

MAX_QUOTES = 4  # per theme: the method shows two to four quotes with each theme's main points

# Geometry in millimetres on a 16:9 slide (13.333 x 7.5 inches).
SLIDE_W, SLIDE_H = 338.667, 190.5
MARGIN = 20.0
CONTENT_W = SLIDE_W - 2 * MARGIN
HEADING_TOP = 12.0
BODY_BOTTOM = SLIDE_H - 16.0  # the footer sits below
FOOTER_Y = SLIDE_H - 11.0
BAND = 4.0  # the accent band along the top edge of every slide
BULLET_INDENT = 9.0
QUOTE_BAR = 2.5  # the coloured bar at a quote's left edge
QUOTE_PAD = 4.0
LINE = 1.2  # line height as a multiple of the font size
PT = 25.4 / 72  # millimetres per point

# Font sizes in points; a block too tall for a slide of its own is set in the next smaller size.
SIZES = {
    "title": (40, 34, 28),
    "heading": (34, 28, 24),
    "subtitle": (26, 22),
    "fact": (22, 18),
    "note": (22, 18, 16),
    "text": (24, 20, 18, 16, 14),
    "bullet": (24, 20, 18, 16, 14),
    "quote": (20, 18, 16, 14, 12),
}
ATTRIBUTION_SIZE = 16.0
FOOTER_SIZE = 11.0
GAP = {"heading": 7.0, "title": 6.0, "subtitle": 10.0, "fact": 3.0, "note": 4.0}
BLOCK_GAP = 3.0  # below a bullet or a text paragraph
QUOTE_GAP = 5.0  # above and between quotes

# Dark text on white, a dark blue for headings: contrast well above 7:1.
INK = (26, 26, 26)
MUTED = (75, 75, 75)
ACCENT = (31, 58, 95)
QUOTE_FILL = (238, 242, 247)
TONE = {"positive": (46, 125, 50), "critical": (183, 28, 28), "neutral": (97, 97, 97)}


@dataclass(frozen=True, slots=True)
class GroupWork:
    """One group's work at the conference: its name, the themes it discusses, its questions."""

    name: str
    themes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeckInput:
    """Everything the slides say: the process report's content and the conference's plan.

    ``title`` is the conference's title (a default title when empty); ``groups`` are the
    conference's work groups, or one per theme with the guide's questions when it has none.
    """

    report: ProcessReportInput
    title: str = ""
    held_on: date | None = None
    place: str = ""
    groups: tuple[GroupWork, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of text placed on a slide: its kind, its top and height (mm), its font size (pt).

    ``detail`` is a quote's attribution line (group and polarity); ``polarity`` colours its bar.
    """

    kind: str
    text: str
    top: float
    height: float
    size: float
    detail: str = ""
    polarity: str = ""


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: ``kind`` is title, theme, group or closing; ``heading`` is its title."""

    kind: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Deck:
    """The planned slides and what the file says about itself."""

    title: str
    footer: str
    language: str
    slides: tuple[Slide, ...]


@cache
def slide_texts(language: str) -> dict[str, Any]:
    """The fixed texts of slides and group sheets (``texts/slides_<language>.yaml``)."""
    name = f"slides_{normalise_language(language)}.yaml"
    source = resources.files("bsbstudio.conference.engine").joinpath("texts", name)
    with source.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def choose_quotes(quotes: list[Quote], limit: int = MAX_QUOTES) -> list[Quote]:
    """At most ``limit`` of the report's quotes, in the report's order, mixing the polarities.

    When the report chose more, they are taken in turn from the critical, positive and neutral
    ones, so the slide shows the breadth of what was said rather than the first few.
    """
    usable = [q for q in quotes if strip_quote_marks(xml_safe(q.text))]
    if len(usable) <= limit:
        return usable
    queues = {p: [i for i, q in enumerate(usable) if q.polarity == p] for p in TONE}
    chosen: set[int] = set()
    while len(chosen) < limit:
        for polarity in ("critical", "positive", "neutral"):
            if queues[polarity] and len(chosen) < limit:
                chosen.add(queues[polarity].pop(0))
    return [q for i, q in enumerate(usable) if i in chosen]


def quote_text(quote: Quote) -> str:
    """The quote as shown: exactly the de-identified text, in Norwegian quotation marks."""
    return f"«{strip_quote_marks(xml_safe(quote.text))}»"


def attribution(quote: Quote, texts: dict, report_texts: dict) -> str:
    """The line under a quote: the informant group (one speaker) and the polarity in words."""
    parts = [speaker_label(quote.group_name, report_texts), texts["polarity"][quote.polarity]]
    return "– " + " · ".join(p for p in parts if p)


class Measure:
    """Line breaking with the embedded font's metrics, as the PDF renderer draws it."""

    def __init__(self) -> None:
        self.pdf = new_pdf()
        self.pdf.add_page()  # fpdf2 measures only on a page

    def height(self, text: str, size: float, width: float, bold: bool = False) -> float:
        """The height of ``text`` wrapped into ``width`` mm at ``size`` points."""
        return self.lines(text, size, width, bold) * size * LINE * PT

    def lines(self, text: str, size: float, width: float, bold: bool = False) -> int:
        """How many lines ``text`` takes in ``width`` mm at ``size`` points."""
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        return len(
            self.pdf.multi_cell(
                w=width, h=size * LINE * PT, text=text, dry_run=True, output="LINES"
            )
        )


def new_pdf() -> FPDF:
    """An empty landscape PDF of the slide's size, with DejaVu Sans embedded."""
    pdf = FPDF(orientation="landscape", unit="mm", format=(SLIDE_H, SLIDE_W))
    pdf.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, HEADING_TOP, MARGIN)
    pdf.c_margin = 0
    return pdf


@cache
def _measure() -> Measure:
    return Measure()


def block_height(kind: str, text: str, size: float, detail: str = "") -> float:
    """The height a block of ``kind`` takes on a slide."""
    measure = _measure()
    if kind == "quote":
        inner = CONTENT_W - QUOTE_BAR - 2 * QUOTE_PAD
        height = measure.height(text, size, inner) + 2 * QUOTE_PAD
        if detail:
            height += measure.height(detail, ATTRIBUTION_SIZE, inner) + 1.5
        return height
    width = CONTENT_W - (BULLET_INDENT if kind == "bullet" else 0)
    return measure.height(text, size, width, bold=kind in ("heading", "title"))


class _Planner:
    """Fill slides top to bottom; start a continuation slide when the next block does not fit."""

    def __init__(self, texts: dict) -> None:
        self.texts = texts
        self.slides: list[Slide] = []

    def content_slides(self, kind: str, heading: str, items: list[tuple[str, str, str, str]]):
        """Place ``items`` (kind, text, detail, polarity) under ``heading`` on enough slides."""
        blocks = self._start(heading)
        top = body_top = blocks[-1].top + blocks[-1].height + GAP["heading"]
        for item_kind, text, detail, polarity in items:
            gap_before = QUOTE_GAP if item_kind == "quote" and top > body_top else 0.0
            size = SIZES[item_kind][0]
            height = block_height(item_kind, text, size, detail)
            if top + gap_before + height > BODY_BOTTOM and top > body_top:
                self.slides.append(Slide(kind, blocks[0].text, tuple(blocks)))
                blocks = self._start(self.texts["continued"].format(heading=heading))
                top = body_top = blocks[-1].top + blocks[-1].height + GAP["heading"]
                gap_before = 0.0
            for smaller in SIZES[item_kind][1:]:
                if top + height <= BODY_BOTTOM:
                    break
                size, height = smaller, block_height(item_kind, text, smaller, detail)
            top += gap_before
            blocks.append(Block(item_kind, text, top, height, size, detail, polarity))
            top += height + (GAP.get(item_kind, BLOCK_GAP) if item_kind != "quote" else 0.0)
        self.slides.append(Slide(kind, blocks[0].text, tuple(blocks)))

    def _start(self, heading: str) -> list[Block]:
        size = SIZES["heading"][0]
        height = block_height("heading", heading, size)
        for smaller in SIZES["heading"][1:]:
            if height <= 2 * size * LINE * PT:
                break
            size, height = smaller, block_height("heading", heading, smaller)
        return [Block("heading", heading, HEADING_TOP, height, size)]

    def centred_slide(self, kind: str, lines: list[tuple[str, str]]) -> None:
        """A title or closing slide: its lines stacked in the middle third of the slide."""
        blocks, top = [], 0.0
        for line_kind, text in lines:
            size = SIZES[line_kind][0]
            height = block_height(line_kind, text, size)
            blocks.append(Block(line_kind, text, top, height, size))
            top += height + GAP[line_kind]
        shift = max(HEADING_TOP, (SLIDE_H - top) / 2 - 8)
        blocks = [
            Block(b.kind, b.text, b.top + shift, b.height, b.size, b.detail, b.polarity)
            for b in blocks
        ]
        self.slides.append(Slide(kind, blocks[0].text, tuple(blocks)))


def plan_slides(deck: DeckInput) -> Deck:
    """Plan every slide of the conference presentation (see the module's docstring)."""
    data = deck.report
    texts = slide_texts(data.language)
    report_texts = load_texts("process_report", data.language)
    planner = _Planner(texts)
    title = one_line(deck.title) or texts["default_title"]
    facts = [
        (texts["facts"]["site"], data.site_name),
        (texts["facts"]["date"], format_date(deck.held_on, report_texts) if deck.held_on else ""),
        (texts["facts"]["place"], deck.place),
    ]
    planner.centred_slide(
        "title",
        [("title", title), ("subtitle", one_line(data.evaluation_name) or texts["subtitle"])]
        + [("fact", f"{label}: {one_line(value)}") for label, value in facts if value.strip()],
    )
    for findings in data.themes:
        planner.content_slides(
            "theme", one_line(findings.theme), theme_items(findings, texts, report_texts)
        )
    for group in deck.groups:
        planner.content_slides(
            "group",
            texts["group_heading"].format(name=one_line(group.name)),
            group_items(group, texts),
        )
    planner.centred_slide(
        "closing", [("title", texts["closing_title"]), ("subtitle", texts["closing_text"])]
    )
    footer = " · ".join(one_line(p) for p in (data.evaluation_name, data.site_name) if p.strip())
    return Deck(title, footer, texts["language"], tuple(planner.slides))


def theme_items(
    findings: ThemeFindings, texts: dict, report_texts: dict
) -> list[tuple[str, str, str, str]]:
    """A theme's blocks in reading order: its main points, then its chosen quotes."""
    items = []
    for block in parse_free_text(findings.main_points):
        if isinstance(block, Bullets):
            items += [("bullet", item, "", "") for item in block.items]
        else:
            items.append(("text", block.text, "", ""))
    if not items:
        items.append(("note", texts["no_main_points"], "", ""))
    for quote in choose_quotes(findings.quotes):
        items.append(
            ("quote", quote_text(quote), attribution(quote, texts, report_texts), quote.polarity)
        )
    return items


def group_items(group: GroupWork, texts: dict) -> list[tuple[str, str, str, str]]:
    """A group's blocks: the themes it discusses, then its questions as bullets."""
    items = []
    themes = [one_line(t) for t in group.themes if t.strip()]
    if themes:
        items.append(("note", texts["themes"].format(themes=", ".join(themes)), "", ""))
    questions = [one_line(q) for q in group.questions if q.strip()]
    items += [("bullet", q, "", "") for q in questions]
    if not questions:
        items.append(("note", texts["no_questions"], "", ""))
    return items


def scanned_texts(deck: Deck) -> list[str]:
    """What the leak guard scans: every text on the slides but the title and closing slides.

    Those carry the conference's title and place and the evaluation's and site's names: they
    come from the plan, where naming is deliberate (as on the process report's title page).
    Theme names, main points, quotes, attributions, group names and questions are scanned.
    """
    texts = []
    for slide in deck.slides:
        if slide.kind not in ("title", "closing"):
            texts += [text for block in slide.blocks for text in (block.text, block.detail)]
    return [t for t in dict.fromkeys(texts) if t and t.strip()]


# -- PPTX ------------------------------------------------------------------------------------


def render_pptx(deck: Deck) -> bytes:
    """Draw the planned slides as the bytes of a .pptx file (16:9)."""
    from pptx import Presentation
    from pptx.util import Mm

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Mm(SLIDE_W), Mm(SLIDE_H)
    layout = presentation.slide_layouts[5]  # "Title Only": the heading is the slide's title
    properties = presentation.core_properties
    properties.title, properties.language = deck.title, deck.language
    total = len(deck.slides)
    for number, planned in enumerate(deck.slides, start=1):
        slide = presentation.slides.add_slide(layout)
        _pptx_rectangle(slide, 0, 0, SLIDE_W, BAND, ACCENT)
        for block in planned.blocks:
            if block is planned.blocks[0]:
                _pptx_title(slide, block, centred=planned.kind in ("title", "closing"))
            elif block.kind == "quote":
                _pptx_quote(slide, block)
            else:
                _pptx_text(slide, block, centred=planned.kind in ("title", "closing"))
        if planned.kind != "title":
            _pptx_footer(slide, deck.footer, f"{number} / {total}")
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _style(kind: str) -> tuple[bool, tuple[int, int, int]]:
    """Bold or not, and the colour, of a block kind."""
    if kind in ("heading", "title"):
        return True, ACCENT
    if kind in ("note", "fact"):
        return False, MUTED
    return False, INK


def _pptx_paragraph(paragraph, text: str, size: float, bold: bool, colour, centred=False) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    paragraph.alignment = PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT
    paragraph.line_spacing = Pt(size * LINE)
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*colour)


def _frame(text_frame, pad: float = 0.0) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Mm

    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, Mm(pad))


def _pptx_title(slide, block: Block, centred: bool) -> None:
    from pptx.util import Mm

    shape = slide.shapes.title
    shape.left, shape.top = Mm(MARGIN), Mm(block.top)
    shape.width, shape.height = Mm(CONTENT_W), Mm(block.height + 1)
    _frame(shape.text_frame)
    shape.text_frame.clear()
    _pptx_paragraph(shape.text_frame.paragraphs[0], block.text, block.size, True, ACCENT, centred)


def _pptx_text(slide, block: Block, centred: bool) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Mm

    indent = BULLET_INDENT if block.kind == "bullet" else 0.0
    box = slide.shapes.add_textbox(Mm(MARGIN), Mm(block.top), Mm(CONTENT_W), Mm(block.height + 1))
    _frame(box.text_frame)
    paragraph = box.text_frame.paragraphs[0]
    bold, colour = _style(block.kind)
    _pptx_paragraph(paragraph, block.text, block.size, bold, colour, centred)
    if indent:
        # A real bullet with a hanging indent, so wrapped lines align with the text.
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(Mm(indent)))
        properties.set("indent", str(-Mm(indent)))
        bullet = properties.makeelement(qn("a:buChar"), {"char": "•"})
        properties.append(bullet)


def _pptx_rectangle(slide, left: float, top: float, width: float, height: float, colour):
    """A filled rectangle without outline or shadow."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Mm

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Mm(left), Mm(top), Mm(width), Mm(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor(*colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _pptx_quote(slide, block: Block) -> None:
    from pptx.util import Mm

    box = _pptx_rectangle(slide, MARGIN, block.top, CONTENT_W, block.height, QUOTE_FILL)
    _pptx_rectangle(
        slide, MARGIN, block.top, QUOTE_BAR, block.height, TONE.get(block.polarity, TONE["neutral"])
    )
    frame = box.text_frame
    _frame(frame, QUOTE_PAD)
    frame.margin_left = Mm(QUOTE_BAR + QUOTE_PAD)
    _pptx_paragraph(frame.paragraphs[0], block.text, block.size, False, INK)
    if block.detail:
        detail = frame.add_paragraph()
        _pptx_paragraph(detail, block.detail, ATTRIBUTION_SIZE, False, MUTED)
        detail.space_before = Mm(1.5)


def _pptx_footer(slide, footer: str, page: str) -> None:
    from pptx.util import Mm

    for text, left, width, right in (
        (footer, MARGIN, CONTENT_W * 0.8, False),
        (page, MARGIN + CONTENT_W * 0.8, CONTENT_W * 0.2, True),
    ):
        box = slide.shapes.add_textbox(Mm(left), Mm(FOOTER_Y), Mm(width), Mm(6))
        _frame(box.text_frame)
        paragraph = box.text_frame.paragraphs[0]
        _pptx_paragraph(paragraph, text, FOOTER_SIZE, False, MUTED)
        if right:
            from pptx.enum.text import PP_ALIGN

            paragraph.alignment = PP_ALIGN.RIGHT


# -- PDF -------------------------------------------------------------------------------------


def render_pdf(deck: Deck) -> bytes:
    """Draw the planned slides as a landscape PDF of the slide's size, one page per slide."""
    pdf = new_pdf()
    pdf.set_title(deck.title)
    pdf.set_lang(deck.language)
    pdf.set_creator("BSB Studio")
    total = len(deck.slides)
    for number, planned in enumerate(deck.slides, start=1):
        pdf.add_page()
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, SLIDE_W, BAND, style="F")
        centred = planned.kind in ("title", "closing")
        for block in planned.blocks:
            if block.kind == "quote":
                _pdf_quote(pdf, block)
            else:
                bold, colour = _style(block.kind)
                indent = BULLET_INDENT if block.kind == "bullet" else 0.0
                pdf.set_font(FAMILY, "B" if bold else "", block.size)
                pdf.set_text_color(*colour)
                if indent:
                    pdf.set_xy(MARGIN, block.top)
                    pdf.cell(indent, block.size * LINE * PT, "•")
                pdf.set_xy(MARGIN + indent, block.top)
                pdf.multi_cell(
                    CONTENT_W - indent,
                    block.size * LINE * PT,
                    block.text,
                    align="C" if centred else "L",
                )
        if planned.kind != "title":
            pdf.set_font(FAMILY, "", FOOTER_SIZE)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(MARGIN, FOOTER_Y)
            pdf.cell(CONTENT_W * 0.8, 6, _fit(pdf, deck.footer, CONTENT_W * 0.8))
            pdf.set_xy(MARGIN + CONTENT_W * 0.8, FOOTER_Y)
            pdf.cell(CONTENT_W * 0.2, 6, f"{number} / {total}", align="R")
    return bytes(pdf.output())


def _pdf_quote(pdf: FPDF, block: Block) -> None:
    pdf.set_fill_color(*QUOTE_FILL)
    pdf.rect(MARGIN, block.top, CONTENT_W, block.height, style="F")
    pdf.set_fill_color(*TONE.get(block.polarity, TONE["neutral"]))
    pdf.rect(MARGIN, block.top, QUOTE_BAR, block.height, style="F")
    inner = CONTENT_W - QUOTE_BAR - 2 * QUOTE_PAD
    x = MARGIN + QUOTE_BAR + QUOTE_PAD
    pdf.set_font(FAMILY, "", block.size)
    pdf.set_text_color(*INK)
    pdf.set_xy(x, block.top + QUOTE_PAD)
    pdf.multi_cell(inner, block.size * LINE * PT, block.text, align="L", new_x="LEFT", new_y="NEXT")
    if block.detail:
        pdf.set_y(pdf.get_y() + 1.5)
        pdf.set_x(x)
        pdf.set_font(FAMILY, "", ATTRIBUTION_SIZE)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(inner, ATTRIBUTION_SIZE * LINE * PT, block.detail, align="L")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The first line of a footer text; the footer is plan names, never a quote."""
    if not text:
        return ""
    lines = pdf.multi_cell(w=width, h=4, text=text, dry_run=True, output="LINES")
    return lines[0] if len(lines) == 1 else lines[0].rstrip() + " …"


def build_slides(deck: DeckInput, fmt: str) -> tuple[Deck, bytes]:
    """Plan the slides and draw them as ``pptx`` or ``pdf``; return the plan and the bytes."""
    planned = plan_slides(deck)
    if fmt == "pptx":
        return planned, render_pptx(planned)
    if fmt == "pdf":
        return planned, render_pdf(planned)
    raise ValueError(f"slides are drawn as pptx or pdf, not {fmt!r}")
