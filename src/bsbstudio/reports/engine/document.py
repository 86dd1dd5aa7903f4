"""The intermediate document model that report builders produce and renderers draw.

A report is a flat list of blocks plus a little metadata. Builders (process report, later the
partial and final reports) decide *what* is said; renderers (DOCX now, PDF and slides later)
decide *how* it looks. Blocks hold plain text only, already in the report's language; renderers
make text safe for their format (see :mod:`bsbstudio.reports.engine.text`).

Blocks:

- :class:`Heading` – level 0 is the document title, 1 a chapter (a theme), 2 a section in it.
- :class:`Paragraph` – body text with a ``role`` that says what it is, not how it looks.
- :class:`Bullets` – a bulleted list.
- :class:`QuoteBox` – a numbered, anonymised quote with its attribution (sitatboks).
- :class:`Table` – a header row and body rows of plain text.
- :class:`PageBreak` – start a new page.
- :class:`TableOfContents` – the contents (chapters and sections) with page numbers.
- :class:`Figure` – a chart as PNG bytes, with a caption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PARAGRAPH_ROLES: tuple[str, ...] = ("body", "subtitle", "meta", "lead", "note")
"""What a paragraph is: ``body`` text; the ``subtitle`` and ``meta`` facts of a title page; the
``lead`` that introduces a theme (shown in italics); a ``note`` such as a placeholder for text not
written yet (shown muted)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 0 is the document title, 1 a chapter, 2 a section."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.level <= 3:
            raise ValueError(f"heading level must be 0-3, not {self.level}")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text; ``role`` is one of :data:`PARAGRAPH_ROLES`."""

    text: str
    role: str = "body"

    def __post_init__(self) -> None:
        if self.role not in PARAGRAPH_ROLES:
            raise ValueError(f"paragraph role must be one of {PARAGRAPH_ROLES}, not {self.role!r}")


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list, one string per item."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteBox:
    """A numbered quote box (sitatboks): the quote, who said it (as a group), and a caption.

    ``text`` is the quote without surrounding quotation marks; renderers add them.
    ``attribution`` names the informant group only, never a person (e.g. "– Bruker").
    ``caption`` is the small, already translated line above the quote, such as
    "Sitat 3 · kritisk"; renderers fall back to the number when it is empty. ``polarity`` is kept
    so a renderer may also mark the tone by colour.
    """

    number: int
    text: str
    attribution: str
    caption: str = ""
    polarity: str = "neutral"


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table of plain text: one header row, then body rows of the same width.

    ``widths``, if given, are the columns' relative widths (the PDF renderer follows them).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(
                    f"table row {row!r} has {len(row)} cells, header has {len(self.header)}"
                )


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True, slots=True)
class TableOfContents:
    """The table of contents: headings of level 1 and 2 with their page numbers."""

    title: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart as PNG bytes, drawn ``width_mm`` wide, with a caption under it."""

    png: bytes
    caption: str
    width_mm: float = 150.0


Block = Heading | Paragraph | Bullets | QuoteBox | Table | PageBreak | TableOfContents | Figure


@dataclass(slots=True)
class Document:
    """A report: metadata for the file's properties, and the blocks in reading order.

    ``language`` is a BCP 47 tag such as ``nb-NO``; ``created`` is the report's date.
    """

    title: str
    subject: str = ""
    author: str = ""
    language: str = "nb-NO"
    created: date | None = None
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False  # wide tables (a matrix with quotes in its cells)

    def add(self, *blocks: Block) -> None:
        """Append blocks in order."""
        self.blocks.extend(blocks)

    def of_type(self, kind: type) -> list:
        """Return the blocks of one type, in order (handy for tests and slide renderers)."""
        return [block for block in self.blocks if isinstance(block, kind)]
