"""Render a :class:`~bsbstudio.reports.engine.document.Document` as a Word file (DOCX).

The renderer uses real Word styles, so a process leader can restyle the whole report in Word:
``Title``, ``Subtitle``, ``Heading 1-3``, ``List Bullet``, ``Table Grid``, and a few styles of
its own whose names start with "BSB" (the quote box, its caption and attribution, the theme lead,
muted notes, title-page facts). Pages are A4 with page numbers in the footer.

All text passes through :func:`~bsbstudio.reports.engine.text.xml_safe` in :func:`_add_text`
and :func:`_set_core_properties`, the only places that hand text to python-docx.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

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

QUOTE_STYLE = "BSB Quote"
QUOTE_CAPTION_STYLE = "BSB Quote Caption"
QUOTE_ATTRIBUTION_STYLE = "BSB Quote Attribution"
QUOTE_GAP_STYLE = "BSB Quote Gap"
ROLE_STYLES = {
    "body": "Normal",
    "subtitle": "Subtitle",
    "meta": "BSB Title Fact",
    "lead": "BSB Lead",
    "note": "BSB Note",
}
"""The Word paragraph style for each paragraph role of the document model."""

_GREY = RGBColor(0x59, 0x59, 0x59)
_SHADE = "F2F2F2"
_BAR = "A6A6A6"
_TONE = {
    "positive": RGBColor(0x2E, 0x6B, 0x3A),
    "critical": RGBColor(0x9C, 0x3B, 0x1E),
    "neutral": _GREY,
}
"""Caption colour by polarity: enough to notice, not enough to shout."""

# Children of w:pPr that must follow w:pBdr and w:shd (ECMA-376 order; Word rejects other orders).
_AFTER_SHD = tuple(
    "w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct w:topLinePunct"
    " w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind"
    " w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection w:textAlignment"
    " w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange".split()
)


def render_docx(document: Document) -> bytes:
    """Render the document model as the bytes of a .docx file."""
    docx = new_docx()
    _set_up_page(docx, document.landscape)
    _add_styles(docx)
    _set_core_properties(docx, document)
    # python-docx finds a style by name by scanning every style, once per paragraph; an
    # Oslo-size report has thousands of paragraphs, so the ids are looked up once here.
    style_ids = {style.name: style.style_id for style in docx.styles}
    for block in document.blocks:
        _render_block(docx, block, style_ids)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def _styled(docx: DocxDocument, style_ids: dict[str, str], name: str) -> DocxParagraph:
    """A new paragraph in the style called ``name`` (by its id, found once in render_docx)."""
    paragraph = docx.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style_ids[name]
    return paragraph


def _render_block(docx: DocxDocument, block: object, style_ids: dict[str, str]) -> None:
    match block:
        case Heading(level=level, text=text):
            _add_text(
                _styled(docx, style_ids, "Title" if level == 0 else f"Heading {level}"),
                one_line(text),
            )
        case Paragraph(text=text, role=role):
            _add_text(_styled(docx, style_ids, ROLE_STYLES[role]), text)
        case Bullets(items=items):
            for item in items:
                _add_text(_styled(docx, style_ids, "List Bullet"), item)
        case QuoteBox():
            _render_quote_box(docx, block, style_ids)
        case Table():
            _render_table(docx, block)
        case PageBreak():
            docx.add_page_break()
        case TableOfContents(title=title):
            _render_toc(docx, title)
        case Figure():
            docx.add_picture(io.BytesIO(block.png), width=Mm(min(block.width_mm, 160)))
            docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_text(docx.add_paragraph(style="Caption"), block.caption)
        case _:
            raise TypeError(f"the DOCX renderer cannot draw a {type(block).__name__}")


def _render_toc(docx: DocxDocument, title: str) -> None:
    """A real TOC field (headings 1-2, with page numbers and links) that Word fills on opening.

    python-docx has no API for fields, so the field is written as OXML; ``w:updateFields`` in
    the settings asks Word (and LibreOffice) to update it, and so compute the page numbers,
    when the file is opened. Until then it shows a line saying so.
    """
    _add_text(docx.add_paragraph(style="TOC Heading"), title)
    paragraph = docx.add_paragraph()
    paragraph.add_run()._r.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = r' TOC \o "1-2" \h \z \u '
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(_field_char("separate"))
    paragraph.add_run("…")
    paragraph.add_run()._r.append(_field_char("end"))
    settings = docx.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
    docx.add_page_break()


def _render_quote_box(docx: DocxDocument, box: QuoteBox, style_ids: dict[str, str]) -> None:
    """Three paragraphs sharing a left bar and shading, so Word draws them as one box.

    Word joins consecutive paragraphs with the same border into one box, so an empty, unshaded
    gap paragraph ends each box; without it, two quotes in a row would share a box.
    """
    caption = _styled(docx, style_ids, QUOTE_CAPTION_STYLE)
    run = _add_text(caption, box.caption or str(box.number))
    run.font.color.rgb = _TONE.get(box.polarity, _GREY)
    _add_text(_styled(docx, style_ids, QUOTE_STYLE), f"«{box.text}»")
    _add_text(_styled(docx, style_ids, QUOTE_ATTRIBUTION_STYLE), box.attribution)
    _styled(docx, style_ids, QUOTE_GAP_STYLE)


def _render_table(docx: DocxDocument, table: Table) -> None:
    grid = docx.add_table(rows=1, cols=len(table.header))
    grid.style = docx.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        _add_text(cell.paragraphs[0], text).bold = True
    # The header row repeats on every page a long table runs over (python-docx has no API).
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            _add_text(paragraph, text)
            if text.strip().isdigit():
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    docx.add_paragraph()  # Word joins two tables that touch; a paragraph keeps them apart.


def _add_text(paragraph: DocxParagraph, text: str):
    """Add ``text`` as a run; python-docx turns newlines into line breaks and tabs into tabs."""
    return paragraph.add_run(xml_safe(text))


def _set_up_page(docx: DocxDocument, landscape: bool = False) -> None:
    """A4 (upright, or lying for wide tables) with 25 mm margins, a page number in the footer."""
    for section in docx.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_page_field(footer)


def _add_page_field(paragraph: DocxParagraph) -> None:
    """Insert a PAGE field, which Word and LibreOffice fill with the current page number.

    python-docx has no API for fields, so the field is written as OXML: a complex field
    (begin, instruction, separate, cached result, end). The cached "1" is what a reader shows
    before it updates fields.
    """
    paragraph.add_run()._r.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(_field_char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(_field_char("end"))


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _add_styles(docx: DocxDocument) -> None:
    styles = docx.styles
    lead = styles.add_style(ROLE_STYLES["lead"], WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = styles["Normal"]
    lead.font.italic = True

    note = styles.add_style(ROLE_STYLES["note"], WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.italic = True
    note.font.color.rgb = _GREY

    fact = styles.add_style(ROLE_STYLES["meta"], WD_STYLE_TYPE.PARAGRAPH)
    fact.base_style = styles["Normal"]
    fact.paragraph_format.space_after = Pt(4)

    caption = _box_style(docx, QUOTE_CAPTION_STYLE, base="Normal")
    caption.font.size = Pt(8.5)
    caption.font.bold = True
    caption.paragraph_format.space_before = Pt(5)

    quote = _box_style(docx, QUOTE_STYLE, base="Quote")
    quote.font.italic = True

    attribution = _box_style(docx, QUOTE_ATTRIBUTION_STYLE, base="Normal")
    attribution.font.size = Pt(9.5)
    attribution.font.color.rgb = _GREY
    attribution.paragraph_format.space_after = Pt(5)
    attribution.paragraph_format.keep_with_next = False

    if "TOC Heading" not in [style.name for style in styles]:
        toc = styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = styles["Heading 1"]

    gap = styles.add_style(QUOTE_GAP_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    gap.base_style = styles["Normal"]
    gap.font.size = Pt(2)
    gap.paragraph_format.space_before = Pt(0)
    gap.paragraph_format.space_after = Pt(8)


def _box_style(docx: DocxDocument, name: str, base: str):
    """Add a paragraph style for part of the quote box: indented, shaded, a bar on the left.

    The three quote-box styles share the same indents, border and shading, which is what makes
    Word merge consecutive paragraphs into one box.
    """
    style = docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = docx.styles[base]
    style.quick_style = True
    fmt = style.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(0.8)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.keep_with_next = True  # never split a quote box over two pages ...
    fmt.keep_together = True  # ... nor one of its paragraphs.

    # python-docx has no API for paragraph borders or shading, so write them as OXML.
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for attribute, value in (("val", "single"), ("sz", "18"), ("space", "8"), ("color", _BAR)):
        left.set(qn(f"w:{attribute}"), value)
    border.append(left)
    shading = OxmlElement("w:shd")
    for attribute, value in (("val", "clear"), ("color", "auto"), ("fill", _SHADE)):
        shading.set(qn(f"w:{attribute}"), value)
    ppr.insert_element_before(border, "w:shd", *_AFTER_SHD)
    ppr.insert_element_before(shading, *_AFTER_SHD)
    return style


def _set_core_properties(docx: DocxDocument, document: Document) -> None:
    """File properties (title, author, subject, language, dates) and the proofing language."""
    props = docx.core_properties
    props.title = one_line(document.title)
    props.subject = one_line(document.subject)
    props.author = props.last_modified_by = one_line(document.author)
    props.language = document.language
    props.revision = 1
    props.comments = ""
    if document.created:
        created = datetime(*document.created.timetuple()[:3], tzinfo=UTC)
        props.created = props.modified = created
    set_proofing_language(docx, document.language)


def set_proofing_language(docx: DocxDocument, language: str) -> None:
    """Make ``language`` the document's default, the one Word spell-checks in.

    python-docx has no API for the default run language, so it is set in the styles' OXML.
    """
    lang = docx.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:lang")
    )
    if lang is not None:
        lang.set(qn("w:val"), language)
