"""Build the printable group sheet (gruppeark) of one work group at the dialogue conference.

A group works from its sheet: its themes, each with the main points and the quotes from the
process report (the same quotes the slides show), then its questions, each with lines to write
the answers on. The sheet is a report :class:`~bsbstudio.reports.engine.document.Document`,
drawn as DOCX by the reports engine and as PDF by :mod:`bsbstudio.reports.engine.pdf_renderer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bsbstudio.conference.engine.slides import GroupWork, choose_quotes, slide_texts
from bsbstudio.reports.engine.document import Document, Heading, Paragraph, Table
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.process_report import ThemeFindings, format_date, quote_box
from bsbstudio.reports.engine.text import one_line
from bsbstudio.reports.engine.texts import load_texts

WRITING_LINES = 6  # empty table rows under each question: ruled lines to write on


@dataclass(frozen=True, slots=True)
class GroupSheetInput:
    """Everything one group's sheet says, already read from the database and de-identified."""

    conference: str
    group: GroupWork
    themes: tuple[ThemeFindings, ...] = ()
    roles: tuple[str, ...] = ()
    held_on: date | None = None
    evaluation_name: str = ""
    site_name: str = ""
    language: str = "nb"


def build_group_sheet(data: GroupSheetInput) -> Document:
    """Assemble the group sheet as a document of headings, main points, quotes and questions."""
    texts = slide_texts(data.language)
    report_texts = load_texts("process_report", data.language)
    title = texts["sheet_title"].format(name=one_line(data.group.name))
    document = Document(
        title=title,
        subject=one_line(data.conference),
        language=texts["language"],
        created=data.held_on,
    )
    document.add(Heading(0, title))
    when = format_date(data.held_on, report_texts) if data.held_on else ""
    for line in (
        " · ".join(one_line(p) for p in (data.conference, when) if p.strip()),
        " · ".join(one_line(p) for p in (data.evaluation_name, data.site_name) if p.strip()),
    ):
        if line:
            document.add(Paragraph(line, "meta"))
    roles = [one_line(r) for r in data.roles if r.strip()]
    if roles:
        document.add(Paragraph(texts["sheet_roles"].format(roles=", ".join(roles)), "meta"))
    number = 0
    for findings in data.themes:
        document.add(Heading(1, one_line(findings.theme)))
        document.add(Heading(2, texts["sheet_main_points"]))
        points = parse_free_text(findings.main_points)
        document.add(*(points or [Paragraph(texts["no_main_points"], "note")]))
        quotes = choose_quotes(findings.quotes)
        if quotes:
            document.add(Heading(2, texts["sheet_quotes"]))
        for quote in quotes:
            number += 1
            document.add(quote_box(quote, number, report_texts))
    document.add(Heading(1, texts["sheet_questions"]))
    questions = [one_line(q) for q in data.group.questions if q.strip()]
    boxes = [f"{n}. {q}" for n, q in enumerate(questions, start=1)]
    if not boxes:
        document.add(Paragraph(texts["no_questions"], "note"))
        boxes = [texts["sheet_notes"]]
    for text in boxes:
        document.add(Table(header=(text,), rows=(("",),) * WRITING_LINES))
    return document


def sheet_texts(data: GroupSheetInput) -> list[str]:
    """What the leak guard scans: everything on the sheet but the plan's names.

    The conference's title and the evaluation's and site's names come from the plan, where
    naming is deliberate (as on the process report's title page).
    """
    texts = [data.group.name, *data.group.questions]
    for findings in data.themes:
        texts += [findings.theme, findings.main_points]
        texts += [quote.text for quote in choose_quotes(findings.quotes)]
    return [t for t in dict.fromkeys(texts) if t and t.strip()]
