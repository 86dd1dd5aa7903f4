"""Shared by DOCX and ODT: a table row becomes one line of text.

Transcripts are sometimes typed as a table with the speaker in one column and the speech in the
next (often after a time column). When one of the first two cells holds a speaker code, the row
becomes ``CODE: speech``; otherwise its cells are joined with tabs.
"""

from __future__ import annotations

from ..speakers import split_code


def row_line(cells: list[str]) -> str:
    """Return the line of text for a table row given its cells' texts."""
    cells = [" ".join(cell.split()) for cell in cells]
    for index, cell in enumerate(cells[:2]):
        candidate = cell.strip("[]").rstrip(":").strip()
        if candidate and index + 1 < len(cells) and split_code(candidate):
            speech = "\t".join(c for c in cells[index + 1 :] if c)
            return f"{candidate}: {speech}"
    return "\t".join(cells)
