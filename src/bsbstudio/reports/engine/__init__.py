"""Report engine (steps 6 and 8): build reports as a document model and render them, no Django.

Builders turn plain input (already read from the database, already de-identified) into a
:class:`Document` of blocks; renderers turn a document into a file. See ``docs/reports.md``.
"""

from bsbstudio.reports.engine.document import (
    Block,
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
from bsbstudio.reports.engine.docx_renderer import render_docx
from bsbstudio.reports.engine.pdf_renderer import render_pdf
from bsbstudio.reports.engine.process_report import (
    ProcessReportInput,
    Quote,
    ThemeFindings,
    build_process_report,
)

__all__ = [
    "Block",
    "Bullets",
    "Document",
    "Figure",
    "Heading",
    "PageBreak",
    "Paragraph",
    "ProcessReportInput",
    "Quote",
    "QuoteBox",
    "Table",
    "TableOfContents",
    "ThemeFindings",
    "build_process_report",
    "render_docx",
    "render_pdf",
]
