"""Build the partial report (delrapport) of one site as a :class:`Document`.

A partial report is written after the site's dialogue conference. Per theme: what the process
report found (main points and its chosen quotes), what the conference confirmed, nuanced or
contested, and the team's comment; then the site's proposed measures. Until a conference with
approved minutes has spoken about the site, the conference parts say so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bsbstudio.reports.engine.document import Bullets, Document, Heading, PageBreak, Paragraph
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.process_report import (
    Quote,
    format_date,
    quote_box,
    site_document,
    site_names,
)
from bsbstudio.reports.engine.text import one_line, strip_quote_marks, xml_safe
from bsbstudio.reports.engine.texts import load_texts

VALIDATION_STATUSES: tuple[str, ...] = ("confirmed", "nuanced", "contested", "new")


@dataclass(frozen=True, slots=True)
class Validation:
    """How a conference received a theme: a status and what the group said (may be empty)."""

    status: str
    text: str = ""
    conference: str = ""

    def __post_init__(self) -> None:
        if self.status not in VALIDATION_STATUSES:
            raise ValueError(f"validation status must be one of {VALIDATION_STATUSES}")


@dataclass(frozen=True, slots=True)
class PartialTheme:
    """One theme: the process report's findings, the conference's validations, a comment."""

    theme: str
    main_points: str = ""
    quotes: list[Quote] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    comment: str = ""


@dataclass(frozen=True, slots=True)
class MeasureLine:
    """A proposed measure: its text and, when it is followed up, its status (already a label)."""

    text: str
    status: str = ""


@dataclass(frozen=True, slots=True)
class PartialReportInput:
    """Everything the partial report of one site needs, already read from the database.

    ``conferences`` are the titles of the conferences (with approved minutes) it draws on; when
    empty, the report says that no conference has been held or its minutes are not approved.
    """

    evaluation_name: str
    site_name: str
    commissioner: str = ""
    period: str = ""
    authors: list[str] = field(default_factory=list)
    introduction: str = ""
    conferences: list[str] = field(default_factory=list)
    themes: list[PartialTheme] = field(default_factory=list)
    measures: list[MeasureLine] = field(default_factory=list)
    generated_on: date | None = None
    language: str = "nb"


def build_partial_report(data: PartialReportInput) -> Document:
    """Assemble the partial report of one site as an intermediate :class:`Document`."""
    # The quote boxes share the process report's labels (polarity, attribution, caption).
    texts = {
        **load_texts("process_report", data.language),
        **load_texts("partial_report", data.language),
    }
    on = data.generated_on or date.today()
    names = site_names(data)
    document = site_document(texts, data, on)
    facts = texts["facts"]
    document.add(Heading(0, texts["title"]), Paragraph(names["evaluation"], "subtitle"))
    for label, value in (
        (facts["site"], data.site_name),
        (facts["commissioner"], data.commissioner),
        (facts["period"], data.period),
        (facts["authors"], ", ".join(a for a in data.authors if a.strip())),
        (facts["date"], format_date(on, texts)),
    ):
        if value.strip():
            document.add(Paragraph(f"{label}: {one_line(value)}", "meta"))
    document.add(PageBreak())
    if data.introduction.strip():
        document.add(Heading(1, texts["introduction_heading"]), *parse_free_text(data.introduction))
    document.add(Heading(1, texts["about_heading"]), *parse_free_text(texts["about"]))
    if data.conferences:
        document.add(
            Paragraph(
                texts["conferences_used"].format(
                    titles=", ".join(one_line(t) for t in data.conferences)
                ),
                "meta",
            )
        )
    else:
        document.add(Paragraph(texts["no_conference"], "note"))
    number = 0
    for theme in data.themes:
        number = _theme(document, theme, texts, number, bool(data.conferences))
    document.add(PageBreak(), Heading(1, texts["measures_heading"]))
    if data.measures:
        document.add(Bullets(tuple(_measure_line(m, texts) for m in data.measures)))
    else:
        document.add(Paragraph(texts["no_measures"], "note"))
    return document


def _theme(document: Document, theme: PartialTheme, texts: dict, number: int, held: bool) -> int:
    """Add one theme's chapter; return the last quote number used."""
    document.add(PageBreak(), Heading(1, one_line(theme.theme)))
    document.add(Heading(2, texts["findings_heading"]))
    document.add(
        *(parse_free_text(theme.main_points) or [Paragraph(texts["no_main_points"], "note")])
    )
    quotes = [q for q in theme.quotes if strip_quote_marks(xml_safe(q.text))]
    for quote in quotes:
        number += 1
        document.add(quote_box(quote, number, texts))
    document.add(Heading(2, texts["conference_heading"]))
    if not held:
        document.add(Paragraph(texts["no_conference"], "note"))
    elif not theme.validations:
        document.add(Paragraph(texts["no_validations"], "note"))
    else:
        items = []
        for validation in theme.validations:
            status = texts["statuses"][validation.status]
            said = " ".join(xml_safe(validation.text).split())
            items.append(f"{status}: {said}" if said else status)
        document.add(Bullets(tuple(items)))
    if theme.comment.strip():
        document.add(Heading(2, texts["comment_heading"]), *parse_free_text(theme.comment))
    return number


def _measure_line(measure: MeasureLine, texts: dict) -> str:
    text = " ".join(xml_safe(measure.text).split())
    if measure.status.strip():
        return texts["measure_with_status"].format(text=text, status=one_line(measure.status))
    return text
