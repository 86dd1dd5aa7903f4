"""Turn the free text a process leader writes (main points, introductions) into blocks.

The markup is deliberately tiny, so it can be typed in a plain text area: paragraphs are
separated by blank lines, and a line starting with ``- `` (or ``* `` or ``• ``) is a bullet.
An indented line right after a bullet continues that bullet. Everything else is plain text.
"""

from __future__ import annotations

import re

from bsbstudio.reports.engine.document import Block, Bullets, Paragraph
from bsbstudio.reports.engine.text import xml_safe

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def parse_free_text(text: str) -> list[Block]:
    """Split free text into :class:`Paragraph` and :class:`Bullets` blocks, in order."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Bullets(tuple(bullets)))
            bullets.clear()

    for chunk in _BLANK_LINE.split(xml_safe(text or "")):
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            match = _BULLET.match(line)
            if match:
                if not match.group(1).strip():
                    continue
                if paragraph:
                    flush()
                bullets.append(match.group(1).strip())
            elif bullets and line[:1] in (" ", "\t"):
                bullets[-1] = f"{bullets[-1]} {line.strip()}"
            else:
                if bullets:
                    flush()
                paragraph.append(line.strip())
        flush()
    return blocks
