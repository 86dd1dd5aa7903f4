"""The printable theme guide: themes as rows, one column per informant group.

:func:`from_snapshot` turns the plain data of a guide snapshot (the format of
``bsbstudio.guide.versions.snapshot``, also stored in a frozen ``GuideVersion``) into a
:class:`PrintableGuide`, which the DOCX and PDF renderers draw and the web pages show. The labels
(title, column heading, "page", "continued") come in already translated, so this module needs
neither Django nor gettext.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A follow-up question pasted from a list often keeps its bullet or dash; the print adds its own.
_BULLET = re.compile(r"^\s*(?:[-–—•*·]|\d+[.)])\s+")


@dataclass(frozen=True, slots=True)
class GuideCell:
    """The question for one theme and one group, with its follow-up questions (underspørsmål)."""

    question: str = ""
    subquestions: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the cell has neither a question nor follow-up questions."""
        return not self.question and not self.subquestions


@dataclass(frozen=True, slots=True)
class GuideRow:
    """One theme: its name, description, depth in the theme tree, and a cell per group.

    ``key`` is the theme's id in the snapshot (pages use it to name the theme in a form).
    """

    theme: str
    cells: tuple[GuideCell, ...]
    description: str = ""
    depth: int = 0
    key: int | None = None


@dataclass(frozen=True, slots=True)
class PrintableGuide:
    """A theme guide ready to print: a title, group columns, and theme rows of the same width."""

    title: str
    subtitle: str
    groups: tuple[str, ...]
    rows: tuple[GuideRow, ...]
    theme_heading: str = "Theme"
    page_label: str = "Page"
    continued_label: str = "continued"
    language: str = "nb-NO"

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.groups):
                raise ValueError(
                    f"theme {row.theme!r} has {len(row.cells)} cells, the guide has "
                    f"{len(self.groups)} groups"
                )


def split_subquestions(text: str) -> tuple[str, ...]:
    """The follow-up questions of a cell: one per non-empty line, without a leading bullet."""
    lines = (_BULLET.sub("", line).strip() for line in (text or "").splitlines())
    return tuple(line for line in lines if line)


def from_snapshot(
    snapshot: dict,
    *,
    title: str,
    subtitle: str = "",
    theme_heading: str = "Theme",
    page_label: str = "Page",
    continued_label: str = "continued",
    language: str = "nb-NO",
) -> PrintableGuide:
    """Build the printable guide from snapshot data (``groups``, then ``themes`` in order)."""
    groups = list(snapshot.get("groups", []))
    themes = list(snapshot.get("themes", []))
    parents = {theme.get("id"): theme.get("parent") for theme in themes}
    rows = []
    for theme in themes:
        by_group = {q.get("group"): q for q in theme.get("questions", [])}
        cells = tuple(_cell(by_group.get(group.get("code"))) for group in groups)
        rows.append(
            GuideRow(
                theme=str(theme.get("name", "")),
                cells=cells,
                description=str(theme.get("description") or ""),
                depth=_depth(theme.get("id"), parents),
                key=theme.get("id"),
            )
        )
    return PrintableGuide(
        title=title,
        subtitle=subtitle,
        groups=tuple(str(group.get("name", "")) for group in groups),
        rows=tuple(rows),
        theme_heading=theme_heading,
        page_label=page_label,
        continued_label=continued_label,
        language=language,
    )


def _cell(question: dict | None) -> GuideCell:
    if not question:
        return GuideCell()
    return GuideCell(
        question=str(question.get("text") or "").strip(),
        subquestions=split_subquestions(str(question.get("subquestions") or "")),
    )


def _depth(theme_id, parents: dict) -> int:
    """How deep a theme sits in the tree; a parent missing from the snapshot ends the walk."""
    depth, seen = 0, {theme_id}
    parent = parents.get(theme_id)
    while parent is not None and parent in parents and parent not in seen:
        depth += 1
        seen.add(parent)
        parent = parents.get(parent)
    return depth
