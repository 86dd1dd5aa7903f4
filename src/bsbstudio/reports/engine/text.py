"""Text clean-up shared by builders and renderers.

XML 1.0 (and so DOCX) cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF; a
single such character in a pasted quote would make lxml refuse the whole document. Renderers pass
every string through :func:`xml_safe` at the one place they write text, so a strange quote is
cleaned instead of crashing the report.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls (never meaningful
# in a transcript, usually a sign of mojibake); lone surrogates; the two non-characters XML forbids.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Vertical tab and form feed are line breaks in Word's own plain text, so keep them as breaks.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NEWLINES = re.compile(r"\r\n?")
_SPACE_RUN = re.compile(r"\s+")

# Quotation marks a quote may already be wrapped in; renderers add their own.
_OPENING_MARKS = "«\"“”„'‘’"
_CLOSING_MARKS = "»\"”“'’"


def xml_safe(text: str) -> str:
    """Return ``text`` without characters XML cannot hold, with every line end a newline."""
    text = _NEWLINES.sub("\n", text.translate(_BREAKS))
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """Return XML-safe text on one line with runs of white space collapsed (for headings)."""
    return _SPACE_RUN.sub(" ", xml_safe(text)).strip()


def strip_quote_marks(text: str) -> str:
    """Remove one pair of quotation marks around a whole quote, and surrounding white space."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _OPENING_MARKS and text[-1] in _CLOSING_MARKS:
        text = text[1:-1].strip()
    return text
