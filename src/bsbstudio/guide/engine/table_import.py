"""Read a theme guide table from DOCX, XLSX, CSV or pasted text into one neutral structure.

A theme guide is a table: a header row of informant groups, then one row per theme with the theme
in the first column and a question in each group's cell (empty where the theme is not asked of
that group). :func:`read_file` and :func:`read_text` return an :class:`ImportedGuide`; anything
that cannot be read raises :class:`TableImportError` with a message for a person, and nothing else
happens (this module writes nothing anywhere).

How a table is read, whatever its format:

- Rows before the header that hold one text only (a title row) are skipped; the header row names
  the groups; its first cell (usually "Tema") is ignored.
- A header like "Brukere og pårørende" or "Brukere/pårørende" is offered as shared by two groups
  (:attr:`ImportedGroup.parts`).
- The theme cell: its first line is the theme's name, further lines its description. A number
  like "2.1" before the name, an indented first line, or a leading dash or arrow makes it a
  sub-theme; the number itself is dropped.
- A question cell: lines after a bulleted line (or, without bullets, every line after the first)
  are follow-up questions.
- Merged cells: a cell merged across group columns is the question of each of them; a row whose
  theme cell is empty or merged with the row above adds to that theme.

Pasted text with a tab in it is read as a table copied from Word or Excel. Otherwise it is read as
an outline (see :func:`read_outline`)::

    Tilgang til tjenesten
    - Brukere: Hvordan kom du i kontakt med teamet?
      - Hvor lang tid tok det?
    - Ansatte: Hvordan får nye brukere vite om tilbudet?
    2.1 Ventetid
    - Brukere og pårørende: Hvordan var ventetiden?
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from bsbstudio.errors import UserFacingError, gettext_noop

MAX_BYTES = 5 * 1024 * 1024  # far above any real guide, which is a few pages
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a DOCX/XLSX that unpacks to more is not a guide
MAX_ROWS = 2000  # rows of the table as read, before empty rows are dropped
MAX_THEMES = 200  # themes after reading; the preview page has a form field per theme
MAX_GROUPS = 20
MAX_TEXT = 200_000  # characters of pasted text

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .doc, .xls and password-protected Office files
_PDF_MAGIC = b"%PDF"
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪◦]|\d+[.)])\s+")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)[.)]?\s+(?=\S)")
_SUB_MARK = re.compile(r"^\s*(?:↳|[-–—•*·▪◦]|>)\s*")
_SHARED = re.compile(r"\s*(?:/|&|\+|\bog\b|\band\b)\s*", re.IGNORECASE)
# "Tema: Tilgang" / "Undertema: Ventetid" in an outline (and the English words).
_THEME_LABEL = re.compile(r"^(under|sub-?)?(?:tema|theme)\s*:\s*", re.IGNORECASE)
_GROUP_PREFIX = re.compile(r"^([^:?!.]{1,60}):\s+(?=\S)")


class TableImportError(UserFacingError):
    """A file or text that cannot be read as a theme guide; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ImportedCell:
    """The question of one theme for one column, with its follow-up questions; may be empty."""

    question: str = ""
    subquestions: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the cell has neither a question nor follow-up questions."""
        return not self.question and not self.subquestions

    def joined(self, other: ImportedCell) -> ImportedCell:
        """The cell with ``other`` added: its question becomes one more follow-up question."""
        if self.is_empty:
            return other
        if other.is_empty or other == self:
            return self
        extra = tuple(q for q in (other.question, *other.subquestions) if q)
        return ImportedCell(self.question, self.subquestions + extra)

    def as_text(self) -> str:
        """The cell as lines: the question, then "- " and each follow-up question."""
        return "\n".join([self.question, *(f"- {sub}" for sub in self.subquestions)]).strip()


@dataclass(frozen=True, slots=True)
class ImportedGroup:
    """A column: its header, and the groups it names when it serves several ("Brukere og …")."""

    name: str
    parts: tuple[str, ...] = ()

    @property
    def is_shared(self) -> bool:
        """Whether the header names more than one group."""
        return len(self.parts) > 1


@dataclass(frozen=True, slots=True)
class ImportedTheme:
    """A row: the theme's name, description, depth (0 main theme, 1 sub-theme) and its cells."""

    name: str
    cells: tuple[ImportedCell, ...]
    description: str = ""
    depth: int = 0


@dataclass(frozen=True, slots=True)
class ImportedGuide:
    """A theme guide as read: the group columns and the theme rows, each row one cell per column.

    ``source`` says what was read ("docx", "xlsx", "csv", "tabs" or "outline").
    """

    groups: tuple[ImportedGroup, ...]
    themes: tuple[ImportedTheme, ...]
    source: str = ""

    def to_data(self) -> dict:
        """Plain JSON-ready data (for carrying the preview between two requests)."""
        return {
            "source": self.source,
            "groups": [group.name for group in self.groups],
            "themes": [
                {
                    "name": theme.name,
                    "description": theme.description,
                    "depth": theme.depth,
                    "cells": [[cell.question, list(cell.subquestions)] for cell in theme.cells],
                }
                for theme in self.themes
            ],
        }


def from_data(data: dict) -> ImportedGuide:
    """The guide from :meth:`ImportedGuide.to_data`'s data, checked again; TableImportError if bad."""
    try:
        groups = [_group(_text(name)) for name in data["groups"]]
        themes = []
        for theme in data["themes"]:
            cells = tuple(
                ImportedCell(_text(q), tuple(_text(s) for s in subs if _text(s)))
                for q, subs in theme["cells"]
            )
            if len(cells) != len(groups):
                raise ValueError("row width")
            depth = 1 if theme.get("depth") == 1 else 0
            themes.append(
                ImportedTheme(_text(theme["name"]), cells, _text(theme["description"]), depth)
            )
    except (KeyError, TypeError, ValueError) as error:
        raise TableImportError(
            "stale_preview",
            gettext_noop("The preview could not be read. Bring in the file or text again."),
        ) from error
    return _checked(ImportedGuide(tuple(groups), tuple(themes), str(data.get("source", ""))))


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text expected")
    return value.replace("\x00", "").strip()


# --- Entry points -------------------------------------------------------------------------------


def read_file(content: bytes, filename: str = "") -> ImportedGuide:
    """Read a guide from the bytes of a DOCX, XLSX or CSV file, whatever its name says."""
    name = filename or "fila"
    if not content:
        raise TableImportError(
            "empty_file", gettext_noop("The file “%(filename)s” is empty."), filename=name
        )
    if len(content) > MAX_BYTES:
        raise file_too_big(name)
    if content.startswith(_OLE_MAGIC):
        raise TableImportError(
            "old_format",
            gettext_noop(
                "“%(filename)s” is an old Word or Excel file (.doc or .xls), or it is protected "
                "by a password. Open it in Word or Excel and save it as .docx or .xlsx without "
                "a password, then try again."
            ),
            filename=name,
        )
    if content.startswith(_PDF_MAGIC):
        raise TableImportError(
            "pdf",
            gettext_noop(
                "“%(filename)s” is a PDF, which cannot be read as a table. Use the Word or Excel "
                "file the guide was written in, or copy the table and paste it as text."
            ),
            filename=name,
        )
    if content.startswith(b"PK"):
        return _read_package(content, name)
    return read_text(_decode(content, name), source="csv", filename=name)


def read_text(text: str, source: str = "", filename: str = "") -> ImportedGuide:
    """Read pasted text: a table if it has tabs (or is a CSV file), otherwise an outline."""
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TableImportError(
            "empty_text",
            gettext_noop("There is no text to read. Paste the guide or choose a file."),
        )
    if len(text) > MAX_TEXT:
        raise TableImportError(
            "long_text",
            gettext_noop(
                "The text is longer than %(max)d characters. A theme guide is much shorter: "
                "check that this is the guide."
            ),
            max=MAX_TEXT,
        )
    first = next(line for line in text.split("\n") if line.strip())
    if source == "csv" and any(sep in first for sep in ";\t,"):
        delimiter = _delimiter(first)
    elif "\t" in text:
        source, delimiter = "tabs", "\t"
    else:
        return read_outline(text)
    rows = _split_rows(text, delimiter, filename)
    grid = [
        [_GridCell(_unescape(value), key=(r, c)) for c, value in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    return _guide_from_grid(grid, source, filename)


def read_outline(text: str) -> ImportedGuide:
    """Read the outline format: theme lines, "- Group: question" lines, indented follow-ups.

    - A line that does not start with a dash is a theme (a trailing colon and a leading "Tema:"
      are dropped); a number like "2.1" before it, an indent or "Undertema:" makes it a
      sub-theme.
    - "- Brukere: question" is the question for the group "Brukere"; a dash line without a
      group name before a colon is a question for every group.
    - An indented dash line under a question is a follow-up question.
    """
    themes: list[tuple[str, int, dict[str, ImportedCell]]] = []
    order: list[str] = []
    last: tuple[int, str] | None = None  # (theme index, group) of the last question
    for line_number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if len(themes) >= MAX_ROWS:
            raise _too_many_rows(MAX_ROWS + 1)
        indented = raw[:1].isspace()
        # "2.1 Ventetid" and an unindented "2. Ventetid" are themes; an indented "1)" is a bullet.
        numbered = _NUMBER.match(raw)
        bullet = _BULLET.match(raw) and not (
            numbered and ("." in numbered.group(1) or not indented)
        )
        if not bullet:
            label = _THEME_LABEL.match(raw.strip())
            text = raw.strip()[label.end() :] if label else raw.strip()
            name, depth = _theme_name(
                text.rstrip(":").strip(), indented or bool(label and label.group(1))
            )
            themes.append((name, depth, {}))
            last = None
            continue
        line = _BULLET.sub("", raw, count=1).strip()
        if not themes:
            raise TableImportError(
                "outline_no_theme",
                gettext_noop(
                    "Line %(line)d is a question, but no theme comes before it. Write the theme "
                    "on its own line first, then its questions on lines starting with a dash."
                ),
                line=line_number,
            )
        cells = themes[-1][2]
        if indented and last is not None and last[0] == len(themes) - 1:
            cell = cells[last[1]]
            # An empty "- " adds nothing: the preview's round trip (from_data) drops it too.
            cells[last[1]] = ImportedCell(
                cell.question, (*cell.subquestions, *filter(None, [line]))
            )
            continue
        match = _GROUP_PREFIX.match(line)
        group, question = (match.group(1).strip(), line[match.end() :]) if match else ("", line)
        if group not in order:
            order.append(group)
        cells[group] = cells.get(group, ImportedCell()).joined(ImportedCell(question.strip()))
        last = (len(themes) - 1, group)
    if not themes or not order:
        raise TableImportError(
            "outline_empty",
            gettext_noop(
                "No questions were found in the text. Write each theme on its own line and each "
                "question under it on a line starting with a dash, like “- Brukere: Hvordan…?”."
            ),
        )
    groups = tuple(_group(name) for name in order)
    rows = tuple(
        ImportedTheme(name, tuple(cells.get(group, ImportedCell()) for group in order), "", depth)
        for name, depth, cells in themes
    )
    return _checked(ImportedGuide(groups, _tidy_depths(rows), "outline"))


# --- Files: DOCX and XLSX -----------------------------------------------------------------------


def _read_package(content: bytes, name: str) -> ImportedGuide:
    """A ZIP package: Word (word/document.xml) or Excel (xl/workbook.xml); anything else refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = {info.filename: info for info in package.infolist()}
            unpacked = sum(info.file_size for info in members.values())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _broken(name) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise _broken(name)
    if "word/document.xml" in members:
        return _read_docx(content, name)
    if "xl/workbook.xml" in members:
        return _read_xlsx(content, name)
    raise _not_a_guide_file(name)


def _read_docx(content: bytes, name: str) -> ImportedGuide:
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
        tables = list(document.tables)
        # Word stores built-in style names in English whatever its language ("List Bullet").
        list_styles = {
            style.style_id for style in document.styles if (style.name or "").startswith("List")
        }
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise _broken(name) from error
    for table in tables:
        if len(table.rows) > MAX_ROWS:
            raise _too_many_rows(len(table.rows))
        grid = [[_docx_cell(cell, list_styles) for cell in row.cells] for row in table.rows]
        guide = _guide_from_grid(grid, "docx", name, quiet=True)
        if guide is not None:
            return guide
    raise TableImportError(
        "no_table",
        gettext_noop(
            "No theme guide table was found in “%(filename)s”. The guide must be a table with the "
            "groups in the top row and the themes in the first column."
        ),
        filename=name,
    )


def _docx_cell(cell, list_styles: set[str]) -> _GridCell:
    """A Word cell's text, one line per paragraph; bulleted and indented paragraphs are marked."""
    lines, bullets = [], []
    indented = False
    for paragraph in cell.paragraphs:
        text = paragraph.text.replace("\x00", "").strip()
        if not text:
            continue
        # Read from the XML: python-docx's paragraph.style scans every style each time.
        properties = paragraph._p.pPr
        style = properties.style if properties is not None else None
        numbered = properties is not None and properties.numPr is not None
        if not lines:
            indent = paragraph.paragraph_format.left_indent
            indented = bool(indent and indent > 0)
        # A line break inside a paragraph (w:br) reads as "\n": one flag per line.
        for line in text.split("\n"):
            if line.strip():
                lines.append(line)
                bullets.append(numbered or style in list_styles)
    # The element itself, not its id(): a proxy kept alive is the one lxml hands out again.
    return _GridCell("\n".join(lines), key=cell._tc, bullets=tuple(bullets), indented=indented)


def _read_xlsx(content: bytes, name: str) -> ImportedGuide:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken package
        raise _broken(name) from error
    for sheet in workbook.worksheets:
        grid = _sheet_grid(sheet)
        guide = _guide_from_grid(grid, "xlsx", name, quiet=True)
        if guide is not None:
            return guide
    raise TableImportError(
        "no_table",
        gettext_noop(
            "No theme guide table was found in “%(filename)s”. The guide must be a table with the "
            "groups in the top row and the themes in the first column."
        ),
        filename=name,
    )


def _sheet_grid(sheet) -> list[list[_GridCell]]:
    """The sheet's non-empty rows; a merged range gives its value to every cell it covers."""
    merged = {}
    for bounds in sheet.merged_cells.ranges:
        top_left = sheet.cell(bounds.min_row, bounds.min_col).value
        for row in range(bounds.min_row, bounds.max_row + 1):
            for column in range(bounds.min_col, bounds.max_col + 1):
                merged[(row, column)] = (top_left, str(bounds))
    grid = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value, key = merged.get((cell.row, cell.column), (cell.value, (cell.row, cell.column)))
            text = "" if value is None else str(value)
            indented = bool(getattr(cell.alignment, "indent", 0))
            cells.append(_GridCell(text.replace("\x00", ""), key=key, indented=indented))
        if any(cell.text.strip() for cell in cells):
            grid.append(cells)
            if len(grid) > MAX_ROWS:
                raise _too_many_rows(sheet.max_row)
    return grid


# --- Text files ---------------------------------------------------------------------------------


def _decode(content: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252, as Excel saves them."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in content:
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return content.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise TableImportError(
        "encoding",
        gettext_noop(
            "“%(filename)s” is not a Word file, an Excel file or text that can be read. Save the "
            "table as .docx, .xlsx or CSV (UTF-8) and try again."
        ),
        filename=name,
    )


def _unescape(value: str) -> str:
    """A cell without the apostrophe an export puts before "=", "-" and the like."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def _delimiter(header: str) -> str:
    """The separator of a CSV file: whichever of ; tab , the header line has most of."""
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _split_rows(text: str, delimiter: str, name: str) -> list[list[str]]:
    """The rows of a delimited text (quotes as Excel writes them), at most MAX_ROWS."""
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(value.strip() for value in row):
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows(text.count("\n") + 1)
    except csv.Error as error:
        raise _broken(name or "teksten") from error
    return rows


# --- From a grid of cells to the guide ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _GridCell:
    """One cell as read; ``key`` is the same for every grid cell of one merged cell."""

    text: str
    key: object
    bullets: tuple[bool, ...] = ()
    indented: bool = False


def _guide_from_grid(grid, source: str, name: str, quiet: bool = False) -> ImportedGuide | None:
    """The guide in a grid of cells; None (``quiet``) or TableImportError if it is not one."""
    width = max((len(row) for row in grid), default=0)
    grid = [
        row + [_GridCell("", key=("pad", r, c)) for c in range(len(row), width)]
        for r, row in enumerate(grid)
    ]
    grid = [row for row in grid if any(cell.text.strip() for cell in row)]
    while grid and _is_title_row(grid[0]):
        grid = grid[1:]
    used = [c for c in range(width) if any(row[c].text.strip() for row in grid)]
    if len(used) < 2 or len(grid) < 2 or used[0] != 0:
        if quiet:
            return None
        raise TableImportError(
            "no_table",
            gettext_noop(
                "No theme guide table was found in “%(filename)s”. The guide must be a table "
                "with the groups in the top row and the themes in the first column."
            ),
            filename=name or "teksten",
        )
    header = grid[0]
    columns: list[list[int]] = []  # grid columns per group; a merged header spans several
    for c in used[1:]:
        if columns and header[c].key == header[columns[-1][-1]].key and header[c].text.strip():
            columns[-1].append(c)
        else:
            columns.append([c])
    if len(columns) > MAX_GROUPS:
        raise TableImportError(
            "too_many_groups",
            gettext_noop(
                "The table has %(count)d columns of groups; at most %(max)d can be read. Check "
                "that the groups are in the top row."
            ),
            count=len(columns),
            max=MAX_GROUPS,
        )
    groups = tuple(_group(_first_line(header[cols[0]].text)) for cols in columns)
    rows: list[ImportedTheme] = []
    previous_key = None
    for row in grid[1:]:
        theme_cell = row[0]
        cells = tuple(_column_cell(row, cols) for cols in columns)
        continues = rows and (not theme_cell.text.strip() or theme_cell.key == previous_key)
        if continues:
            last = rows[-1]
            joined = tuple(a.joined(b) for a, b in zip(last.cells, cells, strict=True))
            rows[-1] = ImportedTheme(last.name, joined, last.description, last.depth)
            continue
        previous_key = theme_cell.key
        lines = [line for line in theme_cell.text.split("\n") if line.strip()]
        if not lines:  # questions before the first theme (found by tests/fuzz): no row for them
            continue
        name_, depth = _theme_name(lines[0], theme_cell.indented or lines[0][:1].isspace())
        description = "\n".join(line.strip() for line in lines[1:])
        rows.append(ImportedTheme(name_, cells, description, depth))
    return _checked(ImportedGuide(groups, _tidy_depths(tuple(rows)), source))


def _is_title_row(row: list[_GridCell]) -> bool:
    """A title above the header: one text, in the first column or merged over several."""
    filled = [c for c, cell in enumerate(row) if cell.text.strip()]
    if len({row[c].key for c in filled}) != 1:
        return False
    return filled[0] == 0 or sum(cell.key == row[filled[0]].key for cell in row) > 1


def _column_cell(row: list[_GridCell], columns: list[int]) -> ImportedCell:
    """The cell of a group column; several grid columns under one header are joined."""
    result, seen = ImportedCell(), set()
    for c in columns:
        if row[c].key in seen:
            continue
        seen.add(row[c].key)
        result = result.joined(_question(row[c]))
    return result


def _question(cell: _GridCell) -> ImportedCell:
    """A cell's question and follow-up questions (see the module's docstring)."""
    lines = [line for line in cell.text.replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        return ImportedCell()
    bullets = list(cell.bullets) if len(cell.bullets) == len(lines) else []
    bullets = bullets or [bool(_BULLET.match(line)) for line in lines]
    # The question is the lines before the first bullet; without bullets (or with a bullet
    # first), the first line alone.
    split = next((i for i, bullet in enumerate(bullets) if bullet), 0) or 1
    question = "\n".join(_BULLET.sub("", line).strip() for line in lines[:split])
    subs = tuple(s for s in (_BULLET.sub("", line).strip() for line in lines[split:]) if s)
    return ImportedCell(question, subs)


def _theme_name(text: str, indented: bool) -> tuple[str, int]:
    """The theme's name without its number or mark, and its depth (1 for a sub-theme)."""
    depth = 1 if indented else 0
    number = _NUMBER.match(text)
    if number:
        depth = 1 if "." in number.group(1) else depth
        text = text[number.end() :]
    elif _SUB_MARK.match(text) and _SUB_MARK.sub("", text):
        depth, text = 1, _SUB_MARK.sub("", text)
    return " ".join(text.split()), depth


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n")[0].split()) if text.strip() else ""


def _group(name: str) -> ImportedGroup:
    """A column header; "Brukere og pårørende" or "Brukere/pårørende" names two groups."""
    parts = [" ".join(part.split()) for part in _SHARED.split(name) if part.strip()]
    parts = [part[:1].upper() + part[1:] for part in parts]
    return ImportedGroup(name, tuple(parts) if len(parts) > 1 else ())


def _tidy_depths(rows: tuple[ImportedTheme, ...]) -> tuple[ImportedTheme, ...]:
    """A sub-theme needs a main theme above it: the first row is always a main theme."""
    if rows and rows[0].depth:
        first = rows[0]
        rows = (ImportedTheme(first.name, first.cells, first.description, 0), *rows[1:])
    return rows


def _checked(guide: ImportedGuide) -> ImportedGuide:
    if len(guide.themes) > MAX_THEMES:
        raise TableImportError(
            "too_many_themes",
            gettext_noop(
                "The table has %(count)d themes; at most %(max)d can be brought in at once. "
                "Split it in parts, or check that this is the guide."
            ),
            count=len(guide.themes),
            max=MAX_THEMES,
        )
    if len(guide.groups) > MAX_GROUPS:
        raise TableImportError(
            "too_many_groups",
            gettext_noop(
                "The table has %(count)d columns of groups; at most %(max)d can be read. Check "
                "that the groups are in the top row."
            ),
            count=len(guide.groups),
            max=MAX_GROUPS,
        )
    if not guide.themes:
        raise TableImportError(
            "no_themes",
            gettext_noop("The table has groups but no themes. Put one theme in each row below."),
        )
    return guide


def _too_many_rows(count: int) -> TableImportError:
    return TableImportError(
        "too_many_rows",
        gettext_noop(
            "The table has more than %(max)d rows. A theme guide is much shorter: check that "
            "this is the guide, or split it in parts."
        ),
        max=MAX_ROWS,
        count=count,
    )


def _broken(name: str) -> TableImportError:
    return TableImportError(
        "broken",
        gettext_noop(
            "“%(filename)s” could not be opened: the file is damaged or not what its name says. "
            "Open it in Word or Excel, save it again and try again."
        ),
        filename=name,
    )


def _not_a_guide_file(name: str) -> TableImportError:
    return TableImportError(
        "not_a_table_file",
        gettext_noop(
            "“%(filename)s” is neither a Word document nor an Excel workbook. Save the table as "
            ".docx, .xlsx or CSV and try again."
        ),
        filename=name,
    )


def file_too_big(name: str) -> TableImportError:
    """The error for a file over MAX_BYTES (the page checks an upload's size before reading it)."""
    return TableImportError(
        "too_big",
        gettext_noop(
            "The file “%(filename)s” is larger than %(max)d MB. A theme guide is much "
            "smaller: check that this is the right file."
        ),
        filename=name,
        max=MAX_BYTES // (1024 * 1024),
    )
