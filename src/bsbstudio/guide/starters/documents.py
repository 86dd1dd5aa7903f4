"""A starter's texts as one DOCX to edit in Word: brochure, consent, declaration, report outline.

The app has a place for the confidentiality declaration only (it becomes the evaluation's first
version); the brochure, the consent form and the report outline are handed out as this document.
No Django.
"""

from __future__ import annotations

import io

from docx import Document

from .loader import Starter

TITLES = {
    "brochure": "Informasjonsbrosjyre",
    "consent": "Samtykkeerklæring",
    "declaration": "Taushetserklæring for evalueringsteamet",
}


def _paragraphs(document, text: str) -> None:
    for block in text.split("\n\n"):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines) and lines:
            for line in lines:
                document.add_paragraph(line[2:], style="List Bullet")
        elif lines:
            document.add_paragraph("\n".join(lines))


def starter_docx(starter: Starter, evaluation: str = "") -> bytes:
    """The starter's texts and report outline, one heading each, as DOCX bytes."""
    document = Document()
    document.core_properties.title = f"Tekster for Bruker Spør Bruker: {starter.name}"
    document.add_heading(f"Tekster for Bruker Spør Bruker: {starter.name}", level=0)
    for kind, title in TITLES.items():
        document.add_heading(title, level=1)
        _paragraphs(document, starter.text(kind, evaluation))
    document.add_heading("Forslag til rapportens kapitler", level=1)
    for heading, note in starter.report_outline:
        document.add_heading(heading, level=2)
        if note:
            document.add_paragraph(note)
    document.add_heading("Temaguide", level=1)
    groups = dict(starter.groups)
    for theme in starter.all_themes():
        document.add_heading(theme.name, level=2)
        for code, question in theme.questions.items():
            document.add_paragraph(f"{groups[code]}: {question.text}")
            for follow_up in question.follow_up:
                document.add_paragraph(follow_up, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(starter: Starter) -> str:
    """A Norwegian file name for the document."""
    return f"tekster-{starter.key.replace('_', '-')}.docx"
