"""Printing the theme guide (temaguide), no Django: a printable model and DOCX and PDF renderers.

:func:`from_snapshot` reads the plain snapshot data of a guide (the draft or a frozen version);
:func:`render_docx` and :func:`render_pdf` draw it in landscape, themes as rows and one column per
informant group, the question in bold with its follow-up questions as bullets underneath.
"""

from bsbstudio.guide.engine.docx_renderer import render_docx
from bsbstudio.guide.engine.guide import (
    GuideCell,
    GuideRow,
    PrintableGuide,
    from_snapshot,
    split_subquestions,
)
from bsbstudio.guide.engine.pdf_renderer import render_pdf

__all__ = [
    "GuideCell",
    "GuideRow",
    "PrintableGuide",
    "from_snapshot",
    "render_docx",
    "render_pdf",
    "split_subquestions",
]
