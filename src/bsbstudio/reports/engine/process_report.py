"""Build the process report (prosessrapport) of one site as a :class:`Document`.

The process report is step 6 of the BSB circle: for one site, the main points per theme with a
selection of exact but anonymised quotes, written to be presented and discussed at the dialogue
conference. This module decides what the report says and in what order; a renderer (for example
:func:`bsbstudio.reports.engine.docx_renderer.render_docx`) decides how it looks.

Layout: a title page; the introduction (if any); a fixed text about the method; an overview table
of quotes per theme; then one chapter per theme with its description, main points and numbered
quote boxes. Quote numbers run through the whole report in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bsbstudio.analysis.engine.matrix import check_coding
from bsbstudio.reports.engine.document import (
    Document,
    Heading,
    PageBreak,
    Paragraph,
    QuoteBox,
    Table,
)
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.text import one_line, strip_quote_marks, xml_safe
from bsbstudio.reports.engine.texts import load_texts


@dataclass(frozen=True, slots=True)
class Quote:
    """An anonymised quote selected for the report, attributed to an informant group only.

    ``text`` must come from de-identified text (invariant 2). ``number`` is optional and not
    used for layout: the builder numbers quotes through the whole report in reading order, so a
    report never shows a gap or a repeat.
    """

    text: str
    group_name: str
    polarity: str = "neutral"
    directness: str = "direct"
    number: int | None = None

    def __post_init__(self) -> None:
        check_coding(self.polarity, self.directness)


@dataclass(frozen=True, slots=True)
class ThemeFindings:
    """What the report says about one theme: its description, main points and quotes.

    ``main_points`` is free text: paragraphs separated by blank lines, lines starting with
    ``- `` are bullets (see :mod:`bsbstudio.reports.engine.markup`).
    """

    theme: str
    description: str = ""
    main_points: str = ""
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProcessReportInput:
    """Everything the process report of one site needs, already read from the database."""

    evaluation_name: str
    site_name: str
    commissioner: str = ""
    period: str = ""
    authors: list[str] = field(default_factory=list)
    introduction: str = ""
    themes: list[ThemeFindings] = field(default_factory=list)
    generated_on: date | None = None
    language: str = "nb"


def site_names(data) -> dict[str, str]:
    """The evaluation's and the site's names on one line each, for the report's texts."""
    return {"evaluation": one_line(data.evaluation_name), "site": one_line(data.site_name)}


def site_document(texts: dict, data, created: date) -> Document:
    """An empty document of a site's report (process or partial), with its file properties."""
    names = site_names(data)
    return Document(
        title=texts["file_title"].format(**names),
        subject=texts["file_subject"].format(**names),
        author=", ".join(one_line(a) for a in data.authors if a.strip()),
        language=texts["language"],
        created=created,
    )


def build_process_report(data: ProcessReportInput) -> Document:
    """Assemble the process report of one site as an intermediate :class:`Document`."""
    texts = load_texts("process_report", data.language)
    generated_on = data.generated_on or date.today()
    document = site_document(texts, data, generated_on)
    _title_page(document, data, texts, generated_on)
    if data.introduction.strip():
        document.add(Heading(1, texts["introduction_heading"]), *parse_free_text(data.introduction))
    document.add(Heading(1, texts["method_heading"]), *parse_free_text(texts["method"]))
    _overview(document, data, texts)
    number = 0
    for findings in data.themes:
        number = _theme_chapter(document, findings, texts, number)
    return document


def _title_page(document: Document, data: ProcessReportInput, texts: dict, on: date) -> None:
    facts = texts["facts"]
    document.add(Heading(0, texts["title"]), Paragraph(one_line(data.evaluation_name), "subtitle"))
    rows = [
        (facts["site"], data.site_name),
        (facts["commissioner"], data.commissioner),
        (facts["period"], data.period),
        (facts["authors"], ", ".join(a for a in data.authors if a.strip())),
        (facts["date"], format_date(on, texts)),
    ]
    for label, value in rows:
        if value.strip():
            document.add(Paragraph(f"{label}: {one_line(value)}", "meta"))
    document.add(PageBreak())


def _overview(document: Document, data: ProcessReportInput, texts: dict) -> None:
    if not data.themes:
        return
    rows = []
    for findings in data.themes:
        polarities = [quote.polarity for quote in _usable_quotes(findings)]
        rows.append(
            (
                one_line(findings.theme),
                str(len(polarities)),
                str(polarities.count("positive")),
                str(polarities.count("critical")),
                str(polarities.count("neutral")),
            )
        )
    document.add(
        Heading(2, texts["overview_heading"]),
        Table(header=tuple(texts["overview_columns"]), rows=tuple(rows)),
    )


def _theme_chapter(document: Document, findings: ThemeFindings, texts: dict, number: int) -> int:
    """Add one theme's chapter; return the last quote number used."""
    document.add(PageBreak(), Heading(1, one_line(findings.theme)))
    if findings.description.strip():
        document.add(Paragraph(_paragraph_text(findings.description), "lead"))
    document.add(Heading(2, texts["main_points_heading"]))
    main_points = parse_free_text(findings.main_points)
    document.add(*(main_points or [Paragraph(texts["no_main_points"], "note")]))
    document.add(Heading(2, texts["quotes_heading"]))
    quotes = _usable_quotes(findings)
    if not quotes:
        document.add(Paragraph(texts["no_quotes"], "note"))
    for quote in quotes:
        number += 1
        document.add(quote_box(quote, number, texts))
    return number


def quote_box(quote: Quote, number: int, texts: dict) -> QuoteBox:
    """Make a numbered quote box with caption and group attribution, in the texts' language."""
    labels = [texts["polarity"][quote.polarity], texts["directness"][quote.directness]]
    caption = texts["caption_separator"].join(
        [texts["quote_caption"].format(number=number), *(label for label in labels if label)]
    )
    return QuoteBox(
        number=number,
        text=strip_quote_marks(xml_safe(quote.text)),
        attribution=texts["attribution"].format(speaker=speaker_label(quote.group_name, texts)),
        caption=caption,
        polarity=quote.polarity,
    )


def speaker_label(group_name: str, texts: dict) -> str:
    """Name one speaker of a group: "Brukere" gives "Bruker" where the texts know the word."""
    name = one_line(group_name)
    return texts.get("group_singular", {}).get(name.casefold(), name)


def format_date(day: date, texts: dict) -> str:
    """Write a date out in the report's language, e.g. "3. mars 2026"."""
    month = texts["months"][day.month - 1]
    return texts["date"].format(day=day.day, month=month, year=day.year)


def _usable_quotes(findings: ThemeFindings) -> list[Quote]:
    """Return the quotes with text left once cleaned (an empty quote is skipped, not numbered)."""
    return [quote for quote in findings.quotes if strip_quote_marks(xml_safe(quote.text))]


def _paragraph_text(text: str) -> str:
    """Free text as one paragraph: line breaks inside it become spaces."""
    return " ".join(xml_safe(text).split())
