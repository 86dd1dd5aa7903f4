"""The matrix as the user is looking at it, exported: XLSX (counts and quotes) or DOCX (landscape).

The matrix page's state (columns, scope, filters, sort, folding, quotes in cells) decides what is
written, as on the page; only quotes from approved de-identified texts leave (``exports.APPROVED``),
the leak guard reads them first (``exports.guard``) and every export is audited
(``exports.audit``). The command line builds the same state from its options
(:func:`state_from_options`).
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from bsbstudio.accounts.policy import Action
from bsbstudio.analysis import silence
from bsbstudio.analysis.engine.matrix import (
    DIRECTNESS,
    POLARITIES,
    Cell,
    Matrix,
    fold,
    matrix_from_counts,
    sort_themes,
)
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.analysis.queries import (
    COLUMNS,
    MatrixQuery,
    matrix_counts,
    matrix_quotes,
    not_asked_cells,
)
from bsbstudio.analysis.speakers import with_speakers
from bsbstudio.analysis.views import COLUMN_LABELS, _code_tree, _columns
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.spreadsheet import append_row, text_cell
from bsbstudio.transcripts.models import DeidentifiedText

from .engine import Document, Heading, Paragraph, Table, render_docx
from .exports import APPROVED, audit, check, guard, scanned_texts

QUOTES_LIMIT = 20_000
"""The most quotes an export writes into cells; above it, counts only and a note (as the page)."""

CELL_MAX_CHARS = 32_000
"""Excel keeps at most 32,767 characters in a cell; a fuller cell is cut with a note."""

SIGNS = {"positive": "+", "critical": "−", "neutral": "○"}
"""The page's signs for the polarities, so the polarity is never told by colour alone."""

SORTS = ("order", "count", "critical")


class MatrixViewError(UserFacingError):
    """An export option that names no site, transcript or group of the evaluation."""


@dataclass
class MatrixView:
    """What was counted and read for one export: rows in order, columns, cells' quotes."""

    title: str
    description: str
    column: str
    codes: list  # the rows' codes in order, each with ``depth``
    columns: list[tuple]  # (key, name)
    matrix: Matrix
    quotes: dict | None  # (code pk, column key) -> quotes; None when over QUOTES_LIMIT
    show_quotes: bool
    not_asked: frozenset = frozenset()  # (code pk, group pk) cells the guide never asked
    nothing_said: frozenset = frozenset()  # (code pk, group pk) cells the team marked

    def empty_in_words(self, code_pk, key) -> str:
        """The words for an empty cell that is "not asked" or "nothing said"; "" for any other."""
        if self.matrix.cell(code_pk, key).count:
            return ""
        if (code_pk, key) in self.not_asked:
            return _("not asked")
        if (code_pk, key) in self.nothing_said:
            return _("nothing said")
        return ""

    def cell_quotes(self, code_pk, key) -> list:
        """The quotes of one cell, in transcript order."""
        return (self.quotes or {}).get((code_pk, key), [])

    def all_quotes(self) -> list:
        """Every quote written, for the leak guard."""
        return [q for items in (self.quotes or {}).values() for q in items]


# -- the state --------------------------------------------------------------------------------


def state_from_options(
    evaluation,
    *,
    column: str = "group",
    site: str = "",
    interview: str = "",
    group: str = "",
    polarity: str | None = None,
    directness: str | None = None,
    sort: str = "order",
    folded: bool = False,
    quotes: bool = False,
) -> dict:
    """The matrix page's state from command-line options; MatrixViewError names a bad one.

    ``site`` and ``group`` are names (the plan's), ``interview`` an interview's code; the scope
    of an interview is its newest approved de-identified transcript.
    """
    if column not in COLUMNS:
        raise MatrixViewError(
            "column", gettext_noop("There is no column called %(name)s."), name=column
        )
    for value, allowed in ((polarity, POLARITIES), (directness, DIRECTNESS), (sort, SORTS)):
        if value is not None and value not in allowed:
            raise MatrixViewError(
                "choice",
                gettext_noop("%(value)s is not one of %(allowed)s."),
                value=value,
                allowed=", ".join(allowed),
            )
    site_obj = None
    if site:
        site_obj = evaluation.sites.filter(name__iexact=site).order_by("pk").first()
        if site_obj is None:
            raise MatrixViewError(
                "site",
                gettext_noop("There is no site called %(name)s. The sites are: %(names)s."),
                name=site,
                names=", ".join(
                    evaluation.sites.order_by("order", "pk").values_list("name", flat=True)
                ),
            )
    group_obj = None
    if group:
        group_obj = evaluation.informant_groups.filter(name__iexact=group).order_by("pk").first()
        if group_obj is None:
            raise MatrixViewError(
                "group", gettext_noop("There is no informant group called %(name)s."), name=group
            )
    text = None
    if interview:
        found = evaluation.interviews.filter(code__iexact=interview).order_by("pk").first()
        if found is None:
            raise MatrixViewError(
                "interview", gettext_noop("There is no interview called %(name)s."), name=interview
            )
        text = (
            DeidentifiedText.objects.filter(transcript__interview=found, approved_at__isnull=False)
            .select_related("transcript__interview")
            .defer("text")
            .order_by("-version", "-pk")
            .first()
        )
        if text is None:
            raise MatrixViewError(
                "no_text",
                gettext_noop("Interview %(name)s has no approved de-identified transcript."),
                name=found.code,
            )
    return {
        "query": MatrixQuery(
            column=column,
            site_id=site_obj.pk if site_obj else None,
            text_id=text.pk if text else None,
            group_id=group_obj.pk if group_obj else None,
            polarity=polarity,
            directness=directness,
        ),
        "site": site_obj,
        "deidentified": text,
        "group": group_obj,
        "sort": sort,
        "fold": folded,
        "show": "quotes" if quotes else "counts",
    }


def _leaving(query: MatrixQuery) -> MatrixQuery:
    """The query narrowed to the quotes that may leave: approved texts, as this reader sees them."""
    hidden = ~APPROVED if query.hidden is None else query.hidden | ~APPROVED
    return dataclasses.replace(query, hidden=hidden)


def _title(state: dict) -> tuple[str, str]:
    """The export's title (the scope) and its description (columns, filters, order), in words."""
    if state["deidentified"] is not None:
        scope = _("Quotes from transcript %(code)s") % {
            "code": state["deidentified"].transcript.interview.code
        }
    elif state["site"] is not None:
        scope = _("Quotes from %(name)s") % {"name": state["site"].name}
    else:
        scope = _("Quotes from all sites")
    query = state["query"]
    filters = []
    if state["group"] is not None:
        filters.append(_("informant group %(name)s") % {"name": state["group"].name})
    if query.polarity:
        filters.append(str(CodedSegment.Polarity(query.polarity).label).lower())
    if query.directness:
        filters.append(str(CodedSegment.Directness(query.directness).label).lower())
    parts = [_("Columns: %(column)s.") % {"column": COLUMN_LABELS[query.column]}]
    parts.append(
        _("Selection: %(filters)s.") % {"filters": ", ".join(filters)}
        if filters
        else _("Selection: all quotes.")
    )
    if state["sort"] == "count":
        parts.append(_("Themes with the most quotes first."))
    elif state["sort"] == "critical":
        parts.append(_("Themes with the largest share of critical quotes first."))
    if state["fold"]:
        parts.append(_("Sub-themes are folded into their main theme."))
    parts.append(_("Quotes from approved de-identified texts, from informants' turns."))
    return f"{_('Matrix')}: {scope}", " ".join(parts)


def build(evaluation, state: dict, *, with_quotes: bool) -> MatrixView:
    """Count the matrix of ``state`` (and read its quotes) among the quotes that may leave."""
    query = _leaving(state["query"])
    codes, parent_of = _code_tree(evaluation)
    ids = [c.pk for c in codes]
    columns = _columns(evaluation, query)
    built = matrix_from_counts(matrix_counts(ids, query), ids, [k for k, _n in columns])
    if state["fold"]:
        built = fold(built, parent_of)
    code_by_pk = {c.pk: c for c in codes}
    rows = [code_by_pk[pk] for pk in sort_themes(built, state["sort"])]
    for code in rows:
        code.depth = 0 if state["fold"] else code.depth
    quotes = None
    if with_quotes:
        quotes = matrix_quotes(ids, query, QUOTES_LIMIT)
        if quotes is not None:
            with_speakers(q for items in quotes.values() for q in items)
            if state["fold"]:
                quotes = _folded(quotes, parent_of, built)
    title, description = _title(state)
    return MatrixView(
        title=title,
        description=description,
        column=query.column,
        codes=rows,
        columns=columns,
        matrix=built,
        quotes=quotes,
        show_quotes=state["show"] == "quotes",
        not_asked=not_asked_cells(evaluation, codes, query),
        nothing_said=frozenset(silence.marks(evaluation))
        if silence.shows_marks(query, folded=state["fold"])
        else frozenset(),
    )


def _folded(quotes: dict, parent_of: dict, built: Matrix) -> dict:
    """Each cell's quotes under the row its theme was folded into."""
    rows = set(built.theme_ids)
    folded: dict[tuple, list] = {}
    for (code_pk, key), items in quotes.items():
        top, seen = code_pk, {code_pk}
        while top not in rows and parent_of.get(top) is not None and parent_of[top] not in seen:
            top = parent_of[top]
            seen.add(top)
        folded.setdefault((top, key), []).extend(items)
    return folded


def quote_line(quote) -> str:
    """One quote as the cells show it: sign, «quote» with its speakers, interview and polarity."""
    speaker = f", {quote.turn.speaker_code}" if quote.turn and quote.turn.speaker_code else ""
    return (
        f"{SIGNS[quote.polarity]} «{quote.display_quote}» "
        f"({quote.interview.code if quote.interview else ''}{speaker}; "
        # The enum's label, not get_polarity_display(): that hashes every lazy choice per call,
        # seconds over an export of 20,000 quotes.
        f"{str(CodedSegment.Polarity(quote.polarity).label).lower()})"
    )


def counts_text(cell) -> str:
    """A cell's count and its split, as on the page: "5 (+3 −1 ○1)"."""
    if not cell.count:
        return "0"
    return f"{cell.count} (+{cell.positive} −{cell.critical} ○{cell.neutral})"


def legend(view: MatrixView) -> str:
    """How to read the cells, in words."""
    text = _(
        "How to read the cells: + positive, − critical, ○ neutral. The first number is all "
        "quotes in the cell."
    )
    if view.not_asked:
        text += " " + _(
            "«Not asked»: the theme guide has no question on this theme for this group, so the "
            "cell is empty by design. A 0 where the group was asked means nobody has said "
            "anything coded on the theme yet."
        )
    if view.nothing_said:
        text += " " + _(
            "«Nothing said»: the team went through the interviews and found that nobody in the "
            "group said anything about the theme."
        )
    return text


# -- the exports ------------------------------------------------------------------------------


def _export(actor, evaluation, state: dict, fmt: str, write) -> bytes:
    check(actor, evaluation, Action.VIEW_WORK)
    view = build(evaluation, state, with_quotes=fmt == "xlsx" or state["show"] == "quotes")
    written = view.all_quotes()
    guard(evaluation, scanned_texts(evaluation, written))
    content = write(view)
    query = state["query"]
    audit(
        actor,
        "export.matrix_view",
        evaluation,
        format=fmt,
        column=query.column,
        site=query.site_id,
        text=query.text_id,
        group=query.group_id,
        polarity=query.polarity,
        directness=query.directness,
        quotes=len(written),
    )
    return content


def export_xlsx(actor, evaluation, state: dict) -> bytes:
    """The matrix as shown, as a workbook: counts per cell with a legend, and the quotes."""
    return _export(actor, evaluation, state, "xlsx", write_xlsx)


def export_docx(actor, evaluation, state: dict) -> bytes:
    """The matrix as shown, as a landscape Word table: themes by the chosen columns."""
    return _export(actor, evaluation, state, "docx", lambda view: render_docx(document(view)))


_BOLD = Font(bold=True)
# An empty cell that is "not asked" or "nothing said": grey italics, the words in a comment.
_EMPTY_IN_WORDS_FONT = Font(italic=True, color="3D4452")
_EMPTY_IN_WORDS_FILL = PatternFill("solid", fgColor="F1F2F4")
_TOP = Alignment(wrap_text=True, vertical="top")


def _parts(view: MatrixView) -> tuple[str, ...]:
    """What a column is split into: the polarities, or nothing when the columns are them."""
    return ("count",) if view.column == "polarity" else POLARITIES


def write_xlsx(view: MatrixView) -> bytes:
    """Two sheets: "Matrise" (counts, split by polarity, with totals and a legend), "Sitater"."""
    book = Workbook()
    counts = book.active
    counts.title = _("Matrix")
    _heading(counts, view)
    parts = _parts(view)
    labels = {p.value: str(p.label) for p in CodedSegment.Polarity}
    first = counts.max_row + 1
    top = [_("Theme")]
    for _key, name in [*view.columns, (None, _("Total"))]:
        top += [name] + [""] * (len(parts) - 1)
    append_row(counts, top)
    if len(parts) > 1:
        append_row(counts, ["", *[labels[p] for p in parts] * (len(view.columns) + 1)])
        for i in range(len(view.columns) + 1):
            column = 2 + i * len(parts)
            counts.merge_cells(
                start_row=first, start_column=column, end_row=first, end_column=column + 2
            )
    for row in counts.iter_rows(min_row=first, max_row=counts.max_row):
        for cell in row:
            cell.font, cell.alignment = _BOLD, _TOP

    def split(cell) -> list[int]:
        return [cell.count] if parts == ("count",) else [getattr(cell, p) for p in parts]

    for code in view.codes:
        values = []
        for key, _name in view.columns:
            values += split(view.matrix.cell(code.pk, key))
        cells = append_row(counts, [code.name, *values, *split(view.matrix.row(code.pk))])
        cells[0].alignment = Alignment(indent=code.depth)
        for i, (key, _name) in enumerate(view.columns):
            if words := view.empty_in_words(code.pk, key):
                cells[1 + i * len(parts)].comment = Comment(words, "BSB Studio")
                for cell in cells[1 + i * len(parts) : 1 + (i + 1) * len(parts)]:
                    cell.font, cell.fill = _EMPTY_IN_WORDS_FONT, _EMPTY_IN_WORDS_FILL
    totals = []
    for key, _name in view.columns:
        totals += split(view.matrix.column(key))
    everything = sum((view.matrix.row(c.pk) for c in view.codes), start=Cell())
    for cell in append_row(counts, [_("Total"), *totals, *split(everything)]):
        cell.font = _BOLD
    counts.append([])
    append_row(counts, [legend(view)])
    counts.freeze_panes = counts.cell(row=first + (2 if len(parts) > 1 else 1), column=2)
    counts.column_dimensions["A"].width = 32

    sheet = book.create_sheet(_("Quotes"))
    _heading(sheet, view)
    header = append_row(sheet, [_("Theme"), *[name for _k, name in view.columns]])
    for cell in header:
        cell.font, cell.alignment = _BOLD, _TOP
    if view.quotes is None:
        append_row(
            sheet,
            [
                _(
                    "There are more than %(limit)d quotes here, too many to write in the cells. "
                    "Choose one site or one transcript, or a filter."
                )
                % {"limit": QUOTES_LIMIT}
            ],
        )
    else:
        for code in view.codes:
            row = sheet.max_row + 1
            text_cell(sheet, row, 1, code.name).alignment = _TOP
            for i, (key, _name) in enumerate(view.columns, start=2):
                words = view.empty_in_words(code.pk, key) or _cell_text(
                    view.cell_quotes(code.pk, key)
                )
                text_cell(sheet, row, i, words).alignment = _TOP
    sheet.column_dimensions["A"].width = 28
    for i in range(len(view.columns)):
        sheet.column_dimensions[sheet.cell(row=1, column=i + 2).column_letter].width = 60
    sheet.freeze_panes = sheet.cell(row=header[0].row + 1, column=2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet, view: MatrixView) -> None:
    append_row(sheet, [view.title])[0].font = Font(bold=True, size=13)
    append_row(sheet, [view.description])
    sheet.append([])


def _cell_text(quotes: list) -> str:
    """A cell's quotes, a blank line between them; cut with a note past Excel's cell limit."""
    lines: list[str] = []
    length = 0
    for i, quote in enumerate(quotes):
        line = quote_line(quote)
        if length + len(line) > CELL_MAX_CHARS:
            lines.append(
                ngettext(
                    "… and %(count)d more quote, too many for one cell.",
                    "… and %(count)d more quotes, too many for one cell.",
                    len(quotes) - i,
                )
                % {"count": len(quotes) - i}
            )
            break
        lines.append(line)
        length += len(line) + 2
    return "\n\n".join(lines)


def document(view: MatrixView) -> Document:
    """The matrix as a landscape document: the title, what it shows, a legend and the table."""
    doc = Document(
        title=view.title,
        subject=view.description,
        language="en-GB" if (get_language() or "nb").startswith("en") else "nb-NO",
        created=timezone.localdate(),
        landscape=True,
    )
    doc.add(
        Heading(1, view.title),
        Paragraph(view.description, "lead"),
        Paragraph(legend(view), "note"),
    )
    quotes_in_cells = view.show_quotes and view.quotes is not None
    if view.show_quotes and view.quotes is None:
        doc.add(
            Paragraph(
                _(
                    "There are more than %(limit)d quotes here, too many to write in the cells. "
                    "Choose one site or one transcript, or a filter."
                )
                % {"limit": QUOTES_LIMIT},
                "note",
            )
        )

    def cell_text(code, key) -> str:
        cell = view.matrix.cell(code.pk, key)
        if words := view.empty_in_words(code.pk, key):
            return words
        if not quotes_in_cells or not cell.count:
            return counts_text(cell)
        return "\n\n".join([counts_text(cell), *map(quote_line, view.cell_quotes(code.pk, key))])

    rows = tuple(
        (
            ("– " * code.depth) + code.name,
            *(cell_text(code, key) for key, _name in view.columns),
            counts_text(view.matrix.row(code.pk)),
        )
        for code in view.codes
    )
    totals = (
        _("Total"),
        *(counts_text(view.matrix.column(key)) for key, _name in view.columns),
        str(view.matrix.total),
    )
    header = (_("Theme"), *(name for _key, name in view.columns), _("Total"))
    doc.add(Table(header=header, rows=(*rows, totals)))
    return doc
