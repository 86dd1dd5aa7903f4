"""The 2 x 2 display (individual ↔ organisation × planning ↔ implementation) as DOCX or PDF.

The display is built as report blocks (:func:`display_blocks`; the final report adds them as a
chapter through :func:`report_section`) and drawn by the report renderers. Quotes from
de-identified texts not yet approved stay out (``exports.APPROVED``), the leak guard reads the
rest first and every export is audited.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action
from bsbstudio.analysis import display
from bsbstudio.analysis.models import CodedSegment, Display, DisplayItem
from bsbstudio.analysis.speakers import with_speakers
from bsbstudio.errors import gettext_noop

from .engine import Block, Document, Heading, Paragraph, Table, render_docx, render_pdf
from .exports import APPROVED, COMMAND_LINE, audit, check, guard

ROWS = (
    ("individual", gettext_noop("Individual level")),
    ("organisation", gettext_noop("Organisation level")),
)
COLUMNS = (
    ("planning", gettext_noop("Planning")),
    ("implementation", gettext_noop("Implementation")),
)


def _placed(evaluation, actor) -> tuple[dict[str, list[DisplayItem]], int]:
    """The items of each field that may leave, and how many quotes stayed out (not approved)."""
    user = None if actor is COMMAND_LINE else actor
    approved = set(
        CodedSegment.objects.filter(
            APPROVED,
            pk__in=DisplayItem.objects.filter(display__evaluation=evaluation).values("segment_id"),
        ).values_list("pk", flat=True)
    )
    placed, left_out = {}, 0
    for key, _label, items in display.fields(evaluation, user):
        kept = [i for i in items if i.segment_id is None or i.segment_id in approved]
        left_out += len(items) - len(kept)
        placed[key] = kept
    with_speakers(i.segment for items in placed.values() for i in items if i.segment_id)
    return placed, left_out


def _item_text(item: DisplayItem) -> str:
    if item.code_id:
        return item.code.name
    if item.segment_id:
        return f"«{item.segment.display_quote}» ({item.segment.text.transcript.interview.code})"
    return item.text


def _title(evaluation) -> str:
    held = Display.objects.filter(evaluation=evaluation).first()
    return (held.title if held else "") or _("Display")


def display_blocks(evaluation, actor, level: int = 1) -> tuple[list[Block], list[str]]:
    """The display as blocks (a heading at ``level``, a lead, the 2 x 2 table) and its texts.

    The texts are what the leak guard must read: the title and every item written.
    """
    placed, left_out = _placed(evaluation, actor)
    title = _title(evaluation)

    def field(row: str, column: str) -> str:
        items = placed.get(f"{row}_{column}", [])
        return "\n".join(f"• {_item_text(i)}" for i in items) if items else "–"

    table = Table(
        header=("", *(_(label) for _key, label in COLUMNS)),
        rows=tuple(
            (_(label), *(field(row, column) for column, _l in COLUMNS)) for row, label in ROWS
        ),
        widths=(0.2, 0.4, 0.4),
    )
    blocks: list[Block] = [
        Heading(level, title),
        Paragraph(
            _(
                "The display shows the findings along two lines: from the single person to the "
                "organisation, and from planning to carrying out."
            ),
            "lead",
        ),
        table,
    ]
    if left_out:
        blocks.append(
            Paragraph(
                _("Quotes from transcripts not yet approved are left out: %(count)d.")
                % {"count": left_out},
                "note",
            )
        )
    texts = [title, *(_item_text(i) for items in placed.values() for i in items)]
    return blocks, texts


def report_section(evaluation) -> tuple[list[Block], list[str]]:
    """The display as a chapter of a report (heading level 1) and its texts; none when empty.

    Built as any team member would write it; a display with nothing placed that may leave (no
    theme, short text or approved quote) gives no section.
    """
    blocks, texts = display_blocks(evaluation, COMMAND_LINE, level=1)
    return (blocks, texts) if len(texts) > 1 else ([], [])


def scanned_texts(evaluation) -> list[str]:
    """What the leak guard reads in the display's export (as any team member would write it)."""
    return display_blocks(evaluation, COMMAND_LINE)[1]


def document(evaluation, actor) -> tuple[Document, list[str]]:
    """The display as a document of its own (the title, the lead, the table)."""
    blocks, texts = display_blocks(evaluation, actor, level=0)
    doc = Document(
        title=blocks[0].text,
        subject=evaluation.name,
        language="en-GB" if (get_language() or "nb").startswith("en") else "nb-NO",
        created=timezone.localdate(),
        blocks=[*blocks[:1], Paragraph(evaluation.name, "subtitle"), *blocks[1:]],
    )
    return doc, texts


def export_display(actor, evaluation, fmt: str) -> bytes:
    """The display as DOCX or PDF (``fmt``), after the leak guard; audited. May raise LeakRisk."""
    check(actor, evaluation, Action.VIEW_WORK)
    doc, texts = document(evaluation, actor)
    guard(evaluation, texts)
    content = render_pdf(doc) if fmt == "pdf" else render_docx(doc)
    audit(actor, "export.display", evaluation, format=fmt)
    return content
